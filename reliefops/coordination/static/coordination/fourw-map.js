/* The 4W map: level-1 areas shaded by how many organisations (or activities) work there;
   country outlines served by the app, tiles only when MAP_TILE_URL is set. The numbers are
   also in the table under the map. */
(function () {
  "use strict";
  var el = document.getElementById("fourw-map");
  var data = document.getElementById("fourw-geometry");
  if (!el || !data || !window.L) { return; }
  var geometry = JSON.parse(data.textContent);
  var measure = el.dataset.measure === "activities" ? "activities" : "organisations";
  var map = L.map(el, { scrollWheelZoom: false });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  }
  var max = 1;
  geometry.features.forEach(function (f) { max = Math.max(max, f.properties[measure] || 0); });
  var shades = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
  function shade(n) {
    if (!n) { return "#f7fbff"; }
    return shades[Math.min(shades.length - 1, Math.floor((n / max) * (shades.length - 1)))];
  }
  var layer = L.geoJSON(geometry, {
    style: function (f) {
      return { color: "#334e68", weight: 1, fillColor: shade(f.properties[measure]), fillOpacity: 0.8 };
    },
    onEachFeature: function (f, lyr) {
      var p = f.properties;
      lyr.bindTooltip(p.name + ": " + p.organisations + " " + (el.dataset.labelOrganisations || "") +
        " · " + p.activities + " " + (el.dataset.labelActivities || ""));
    }
  }).addTo(map);
  var bounds = layer.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds.pad(0.2), { maxZoom: 10 }); } else { map.setView([40.2, 47.0], 7); }
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
