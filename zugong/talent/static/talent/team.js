// The team's structure: age, education and years in post as three small bar charts (no
// inline script under the CSP; the figures come from a json_script element).
(function () {
  var data = document.getElementById("team-chart-data");
  if (!data || typeof echarts === "undefined") { return; }
  var chart = JSON.parse(data.textContent);
  function bars(id, rows, name) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var plot = echarts.init(el, null, { renderer: "canvas" });
    plot.setOption({
      color: ["#B71C1C"],
      tooltip: { trigger: "axis" },
      grid: { left: 32, right: 12, top: 16, bottom: 28 },
      xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }),
               axisLabel: { interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: name, type: "bar", data: rows.map(function (r) { return r[1]; }),
                 barMaxWidth: 40 }]
    });
    window.addEventListener("resize", function () { plot.resize(); });
  }
  bars("age-chart", chart.ages, chart.age_label);
  bars("education-chart", chart.education, chart.education_label);
  bars("post-chart", chart.posts, chart.post_label);
}());
