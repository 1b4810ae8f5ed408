/* The enterprise map: points fetched from data-points, coloured by risk tier. */
(function () {
  const el = document.getElementById("enterprise-map");
  const colours = {major: "#d63939", high: "#f76707", general: "#f59f00", low: "#4299e1"};
  const map = L.map(el, {preferCanvas: true, attributionControl: !!el.dataset.tiles}).setView([34.75, 113.66], 11);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, {maxZoom: 19, attribution: el.dataset.attribution}).addTo(map);
  }
  const countLabel = document.getElementById("map-count");
  const showing = el.dataset.showing;
  fetch(el.dataset.points, {credentials: "same-origin"}).then(r => r.json()).then(data => {
    const bounds = [];
    data.points.forEach(([pk, lat, lng, name, risk, key]) => {
      const marker = L.circleMarker([lat, lng], {
        radius: key ? 7 : 5, color: "#fff", weight: 1, fillColor: colours[risk] || "#888", fillOpacity: 0.9,
      }).addTo(map);
      const link = document.createElement("a");
      link.href = el.dataset.detail.replace("/0/", "/" + pk + "/");
      link.textContent = name;
      marker.bindPopup(link);
      marker.bindTooltip(name);
      bounds.push([lat, lng]);
    });
    if (bounds.length) map.fitBounds(bounds, {padding: [24, 24], maxZoom: 15});
    countLabel.textContent = showing.replace("%(shown)s", data.shown).replace("%(total)s", data.total);
    el.dataset.loaded = data.shown;
  });
})();
