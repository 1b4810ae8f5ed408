/* The dashboard's trend chart and map (data from json_script and data- attributes). */
window.addEventListener("DOMContentLoaded", function () {
  const data = JSON.parse(JSON.parse(document.getElementById("trend-data").textContent));
  const el = document.getElementById("trend");
  const chart = echarts.init(el, null, {renderer: "svg"});
  chart.setOption({
    animation: false,
    color: ["#1d3c6e", "#c8102e", "#2fb344", "#f59f00"],
    grid: {left: 36, right: 12, top: 16, bottom: 64},
    tooltip: {trigger: "axis", valueFormatter: v => v == null ? "—" : v + "%"},
    legend: {bottom: 0, itemWidth: 12, textStyle: {fontSize: 11}},
    xAxis: {type: "category", data: data.dates, axisLabel: {fontSize: 10}},
    yAxis: {type: "value", max: 100, axisLabel: {formatter: "{value}%", fontSize: 10}},
    series: data.series.map(s => ({name: s.name, type: "line", data: s.data, showSymbol: false, connectNulls: false})),
  });
  window.addEventListener("resize", () => chart.resize());
  el.dataset.ready = "1";
  const mapEl = document.getElementById("dash-map");
  const map = L.map(mapEl, {preferCanvas: true, attributionControl: false}).setView([34.75, 113.66], 10);
  if (mapEl.dataset.tiles) L.tileLayer(mapEl.dataset.tiles, {maxZoom: 19}).addTo(map);
  fetch(mapEl.dataset.points, {credentials: "same-origin"}).then(r => r.json()).then(d => {
    const bounds = [];
    d.points.forEach(p => {
      L.circleMarker([p.lat, p.lng], {radius: 5, color: "#fff", weight: 1, fillColor: "#d63939", fillOpacity: 0.9}).bindTooltip(p.name).addTo(map);
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length) map.fitBounds(bounds, {padding: [16, 16], maxZoom: 14});
  });
});
