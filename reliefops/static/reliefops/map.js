/* ReliefOps map: country outlines and admin areas, served entirely by the app.
   No external URLs: a tile layer is added only when MAP_TILE_URL is configured. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el) { return; }
  var map = L.map(el, { zoomControl: true, attributionControl: true }).setView([40.2, 46.8], 7);
  window.reliefopsMap = map;
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  }
  var info = document.getElementById("map-info");

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function showArea(props) {
    var rows = Object.keys(props.names || {}).map(function (lang) {
      return "<dt>" + escapeHtml(lang) + "</dt><dd>" + escapeHtml(props.names[lang]) + "</dd>";
    }).join("");
    info.innerHTML = "<h2>" + escapeHtml(props.name) + "</h2>" +
      "<dl><dt>" + escapeHtml(el.dataset.labelCode) + "</dt><dd>" + escapeHtml(props.code) + "</dd></dl>" +
      "<h3 class=\"small\">" + escapeHtml(el.dataset.labelNames) + "</h3><dl>" + rows + "</dl>";
  }

  var countryPane = map.createPane("countries");
  countryPane.style.zIndex = 250;
  fetch(el.dataset.countriesUrl).then(function (r) { return r.json(); }).then(function (topology) {
    var countries = topojson.feature(topology, topology.objects.countries);
    L.geoJSON(countries, {
      pane: "countries", interactive: false,
      style: { color: "#829ab1", weight: 1, fillColor: "#f0f4f8", fillOpacity: 1 }
    }).addTo(map);
  });

  fetch(el.dataset.countryAreasUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
    .then(function (collection) {
      L.geoJSON(collection, { interactive: false, style: { color: "#243b53", weight: 2.5, fill: false } })
        .addTo(map);
    });

  fetch(el.dataset.areasUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        style: function (feature) {
          var inScope = feature.properties.in_scope;
          return { color: "#486581", weight: 1, fillColor: inScope ? "#0b5394" : "#9fb3c8",
                   fillOpacity: inScope ? 0.35 : 0.2 };
        },
        onEachFeature: function (feature, lyr) {
          lyr.bindTooltip(feature.properties.name, { permanent: false, className: "area-label", direction: "center" });
          lyr.on("click", function () { showArea(feature.properties); });
        }
      }).addTo(map);
      if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { padding: [10, 10] }); }
      el.dataset.loaded = String(layer.getLayers().length);
      el.dispatchEvent(new CustomEvent("reliefops:areas-loaded"));
    });
})();
