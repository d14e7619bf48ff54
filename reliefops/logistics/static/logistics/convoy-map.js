/* The convoy page's map: country outlines (served by the app), a tile layer only when
   MAP_TILE_URL is set, the route line and markers for the origin, the stops and the
   crossing points, from the page's JSON (``json_script``). */
(function () {
  "use strict";
  var el = document.getElementById("convoy-map");
  var data = document.getElementById("convoy-geometry");
  if (!el || !data || !window.L) { return; }
  var geometry = JSON.parse(data.textContent);
  var map = L.map(el, { zoomControl: true, attributionControl: true, scrollWheelZoom: false });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  }
  var colours = {
    origin: "#2f855a", stop: "#0b5394", "crossing-open": "#dd6b20", "crossing-closed": "#c53030"
  };
  var shape = L.geoJSON(geometry, {
    style: { color: "#3182ce", weight: 5, opacity: 0.85 },
    pointToLayer: function (feature, latlng) {
      var kind = feature.properties.kind;
      var crossing = kind.indexOf("crossing") === 0;
      return L.circleMarker(latlng, {
        radius: crossing ? 7 : 9, color: "#fff", weight: 2,
        fillColor: colours[kind] || "#0b5394", fillOpacity: 1
      });
    },
    onEachFeature: function (feature, layer) {
      if (feature.properties.label) {
        layer.bindTooltip(feature.properties.label, { direction: "top", offset: [0, -6] });
      }
    }
  }).addTo(map);
  var bounds = shape.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds.pad(0.25)); } else { map.setView([40.2, 47.5], 7); }
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
