// Distribution of grades of a closed plan (bar chart in the party palette).
(function () {
  var el = document.getElementById("grade-chart");
  var data = document.getElementById("grade-chart-data");
  if (!el || !data || typeof echarts === "undefined") { return; }
  var chart = JSON.parse(data.textContent);
  var plot = echarts.init(el, null, { renderer: "canvas" });
  plot.setOption({
    color: ["#b71c1c"],
    tooltip: { trigger: "axis" },
    grid: { left: 32, right: 12, top: 12, bottom: 28 },
    xAxis: { type: "category", data: chart.labels, axisLabel: { interval: 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: chart.values, barMaxWidth: 48 }]
  });
  window.addEventListener("resize", function () { plot.resize(); });
}());
// Printable result notice: the print button (no inline script under the CSP).
(function () {
  var button = document.getElementById("print-notice");
  if (button) { button.addEventListener("click", function () { window.print(); }); }
}());
