// Department overview: tasks of the year by section, done against the rest (no inline
// script under the CSP; the figures come from a json_script element).
(function () {
  var el = document.getElementById("section-chart");
  var data = document.getElementById("section-chart-data");
  if (!el || !data || typeof echarts === "undefined") { return; }
  var chart = JSON.parse(data.textContent);
  var plot = echarts.init(el, null, { renderer: "canvas" });
  plot.setOption({
    color: ["#198754", "#adb5bd"],
    tooltip: { trigger: "axis" },
    legend: { data: [chart.done_label, chart.open_label] },
    grid: { left: 32, right: 12, top: 32, bottom: 28 },
    xAxis: { type: "category", data: chart.labels, axisLabel: { interval: 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: chart.done_label, type: "bar", stack: "t", data: chart.done, barMaxWidth: 48 },
      { name: chart.open_label, type: "bar", stack: "t", data: chart.rest, barMaxWidth: 48 }
    ]
  });
  window.addEventListener("resize", function () { plot.resize(); });
}());
