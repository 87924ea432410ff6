// Department compliance chart: share of people meeting each rule, month by month.
(function () {
  var el = document.getElementById("compliance-chart");
  var data = document.getElementById("compliance-chart-data");
  if (!el || !data || typeof echarts === "undefined") { return; }
  var chart = JSON.parse(data.textContent);
  var plot = echarts.init(el, null, { renderer: "canvas" });
  plot.setOption({
    color: ["#b71c1c", "#616161", "#e57373", "#9e9e9e", "#8e1515", "#bdbdbd", "#ef9a9a"],
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
    legend: { type: "scroll", bottom: 0 },
    grid: { left: 40, right: 16, top: 16, bottom: 56 },
    xAxis: { type: "category", data: chart.months },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: chart.series.map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: false }; })
  });
  window.addEventListener("resize", function () { plot.resize(); });
}());

// On a phone the matrix is wider than the screen: open it scrolled to the current period
// rather than to January.
(function () {
  var current = document.getElementById("matrix-current");
  if (!current) { return; }
  var box = current.closest(".table-responsive");
  if (!box || box.scrollWidth <= box.clientWidth) { return; }
  var first = current.parentNode.firstElementChild;
  box.scrollLeft = Math.max(0, current.offsetLeft - (first ? first.offsetWidth : 0));
}());
