/* The due map: a circle per village with people due, sized by how many (small counts
   are suppressed to "<5" by the server) and red when someone there is overdue by more
   than 7 days; country outlines served by the app, tiles only when MAP_TILE_URL is set. */
(function () {
  "use strict";
  var el = document.getElementById("due-map");
  var data = document.getElementById("due-geometry");
  if (!el || !data || !window.L) { return; }
  var geometry = JSON.parse(data.textContent);
  var map = L.map(el, { scrollWheelZoom: false });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  }
  function radius(count) {
    if (count === null || count === undefined) { return 7; }
    return Math.min(28, 7 + 3 * Math.sqrt(count));
  }
  var layer = L.geoJSON(geometry, {
    pointToLayer: function (feature, latlng) {
      var p = feature.properties;
      return L.circleMarker(latlng, {
        radius: radius(p.count), color: "#fff", weight: 2, fillOpacity: 0.85,
        fillColor: p.overdue > 7 ? "#c53030" : (p.overdue > 0 ? "#dd6b20" : "#2b6cb0")
      });
    },
    onEachFeature: function (feature, layer) {
      var p = feature.properties;
      layer.bindTooltip(p.name + ": " + p.label + " " + (el.dataset.labelDue || "") +
        (p.overdue ? " · " + p.overdue + " " + (el.dataset.labelOverdue || "") : ""));
    }
  }).addTo(map);
  var bounds = layer.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds.pad(0.3), { maxZoom: 11 }); } else { map.setView([39.8, 46.75], 9); }
  if (el.dataset.countriesUrl && window.topojson) {
    fetch(el.dataset.countriesUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (topology) {
        L.geoJSON(topojson.feature(topology, topology.objects.countries), {
          interactive: false, style: { color: "#829ab1", weight: 1, fillColor: "#f0f4f8", fillOpacity: 1 }
        }).addTo(map).bringToBack();
        el.dataset.loaded = "1";
      });
  }
})();
