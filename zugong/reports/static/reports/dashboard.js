// Dashboard charts in the house palette (Party red and greys). No inline script under the
// CSP: the figures and the address of each bar's and point's records come from a
// json_script element, and a click opens those records.
(function () {
  var data = document.getElementById("reports-chart-data");
  if (!data || typeof echarts === "undefined") { return; }
  var chart = JSON.parse(data.textContent);
  function open(urls) {
    return function (p) { var url = urls[p.dataIndex]; if (url) { window.location.href = url; } };
  }
  var plots = [];
  var bars = document.getElementById("reports-bars");
  if (bars) {
    var b = echarts.init(bars, null, { renderer: "canvas" });
    b.setOption({
      color: ["#B71C1C"],
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 12, top: 16, bottom: 64 },
      xAxis: { type: "category", data: chart.labels, axisLabel: { interval: 0, rotate: 30, color: "#616161" } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: "#616161" }, splitLine: { lineStyle: { color: "#eeeeee" } } },
      series: [{ name: chart.title, type: "bar", data: chart.values, barMaxWidth: 40, cursor: "pointer" }]
    });
    b.on("click", open(chart.urls));
    plots.push(b);
  }
  var months = document.getElementById("reports-months");
  if (months) {
    var m = echarts.init(months, null, { renderer: "canvas" });
    m.setOption({
      color: ["#B71C1C"],
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 12, top: 16, bottom: 40 },
      xAxis: { type: "category", data: chart.months, axisLabel: { color: "#616161" } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: "#616161" }, splitLine: { lineStyle: { color: "#eeeeee" } } },
      series: [{ name: chart.title, type: "line", data: chart.month_values, symbolSize: 10,
                 lineStyle: { color: "#B71C1C" }, areaStyle: { color: "rgba(183,28,28,0.08)" }, cursor: "pointer" }]
    });
    m.on("click", open(chart.month_urls));
    plots.push(m);
  }
  window.addEventListener("resize", function () { plots.forEach(function (p) { p.resize(); }); });
}());
