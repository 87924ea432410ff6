// The portrait's charts: the 五看五比 radar and the trend by year, or several cadres'
// radars over each other on the compare page. No inline script under the CSP: the
// figures come from json_script elements. House palette: the red first, then greys.
(function () {
  if (typeof echarts === "undefined") { return; }
  var PALETTE = ["#B71C1C", "#616161", "#9E9E9E", "#424242", "#BDBDBD", "#757575"];
  function read(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var plot = echarts.init(el, null, { renderer: "canvas" });
    plot.setOption(option);
    window.addEventListener("resize", function () { plot.resize(); });
  }
  function radar(dimensions, series) {
    return {
      color: PALETTE,
      tooltip: {},
      legend: { bottom: 0, show: series.length > 1 },
      radar: { indicator: dimensions.map(function (d) { return { name: d, max: 100 }; }),
               radius: "62%" },
      series: [{ type: "radar", areaStyle: { opacity: 0.15 },
                 data: series.map(function (s) {
                   return { name: s.name, value: s.scores.map(function (v) { return v === null ? 0 : v; }) };
                 }) }]
    };
  }
  var one = read("portrait-chart-data");
  if (one) {
    draw("portrait-radar", radar(one.dimensions, [{ name: one.name, scores: one.scores }]));
    draw("portrait-trend", {
      color: PALETTE,
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 36, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: one.years.map(String) },
      yAxis: { type: "value", min: 0, max: 100 },
      series: one.trend.map(function (t) {
        return { name: t.name, type: "line", data: t.data, connectNulls: false };
      })
    });
  }
  var many = read("compare-chart-data");
  if (many) { draw("compare-radar", radar(many.dimensions, many.people)); }
}());
