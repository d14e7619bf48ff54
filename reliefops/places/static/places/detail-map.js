/* The small map of a place, facility or road page: country outlines (served by the app,
   as on the map page), a tile layer only when MAP_TILE_URL is set, and the record's
   geometry from the page's JSON (``json_script``). */
(function () {
  "use strict";
  var el = document.getElementById("detail-map");
  var data = document.getElementById("detail-geometry");
  if (!el || !data || !window.L) { return; }
  var geometry = JSON.parse(data.textContent);
  var map = L.map(el, { zoomControl: true, attributionControl: true, scrollWheelZoom: false });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  }
  var shape = L.geoJSON(geometry, {
    style: { color: el.dataset.colour || "#0b5394", weight: 5 },
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 8, color: "#fff", weight: 2, fillColor: "#0b5394", fillOpacity: 1 });
    }
  }).addTo(map);
  var bounds = shape.getBounds();
  if (geometry.type === "Point") { map.setView(bounds.getCenter(), 9); } else { map.fitBounds(bounds.pad(0.4)); }
  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); });
  }
  map.createPane("outlines").style.zIndex = 350;
  if (el.dataset.areasUrl) {
    getJson(el.dataset.areasUrl).then(function (collection) {
      L.geoJSON(collection, {
        pane: "outlines", interactive: false,
        style: { color: "#486581", weight: 1, fill: false, dashArray: "4 3" },
        onEachFeature: function (feature, lyr) {
          if (lyr.getBounds().intersects(map.getBounds())) {
            lyr.bindTooltip(feature.properties.name || feature.properties.code,
                            { permanent: true, direction: "center", className: "area-label" });
          }
        }
      }).addTo(map);
    });
  }
  if (el.dataset.countriesUrl && window.topojson) {
    getJson(el.dataset.countriesUrl).then(function (topology) {
        L.geoJSON(topojson.feature(topology, topology.objects.countries), {
          interactive: false, style: { color: "#829ab1", weight: 1, fillColor: "#f0f4f8", fillOpacity: 1 }
        }).addTo(map).bringToBack();
        el.dataset.loaded = "1";
      });
  }
})();
