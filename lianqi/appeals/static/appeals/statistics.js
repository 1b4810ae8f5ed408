/* The heat map of difficulties by type and district (data from json_script). */
(function () {
  var heat = JSON.parse(document.getElementById("heat-data").textContent);
  var chart = echarts.init(document.getElementById("heat"));
  chart.setOption({
    tooltip: {position: "top"},
    grid: {left: 110, right: 20, top: 10, bottom: 90},
    xAxis: {type: "category", data: heat.x, axisLabel: {rotate: 40, interval: 0}, splitArea: {show: true}},
    yAxis: {type: "category", data: heat.y, splitArea: {show: true}},
    visualMap: {min: 0, max: heat.max, calculable: true, orient: "horizontal", left: "center", bottom: 0, inRange: {color: ["#f1f5f9", "#f59f00", "#d63939"]}},
    series: [{type: "heatmap", data: heat.data.map(function (d) { return [d[0], d[1], d[2]]; }), label: {show: true}}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
