/* The dashboard: Chart.js charts of the report sections (their numbers are in the table
   under each chart) and a Leaflet map with toggleable layers from the GeoJSON views. */
(function () {
  "use strict";
  var PALETTE = ["#2b6cb0", "#dd6b20", "#2f855a", "#6b46c1", "#c53030"];
  var dataEl = document.getElementById("dashboard-charts");
  var charts = dataEl ? JSON.parse(dataEl.textContent) : [];
  if (window.Chart) {
    charts.forEach(function (spec) {
      var canvas = document.getElementById("chart-" + spec.key);
      if (!canvas) { return; }
      var names = Object.keys(spec.series);
      new window.Chart(canvas, {
        type: spec.kind === "line" ? "line" : "bar",
        data: {
          labels: spec.labels,
          datasets: names.map(function (name, i) {
            return { label: name, data: spec.series[name], backgroundColor: spec.colours || PALETTE[i % PALETTE.length],
                     borderColor: PALETTE[i % PALETTE.length], tension: 0.2 };
          })
        },
        options: { indexAxis: spec.kind === "hbar" ? "y" : "x", responsive: true, maintainAspectRatio: false,
                   animation: false, plugins: { legend: { display: names.length > 1 } } }
      });
    });
  }
  var box = document.getElementById("dashboard-map-box");
  if (!box || !window.L) { return; }
  var map = window.L.map(box, { zoomControl: true }).setView([40.1, 47.0], 7);
  if (box.dataset.tileUrl) {
    window.L.tileLayer(box.dataset.tileUrl, { attribution: box.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  }
  function esc(text) { var d = document.createElement("div"); d.textContent = text == null ? "" : String(text); return d.innerHTML; }
  function dot(colour) {
    return function (feature, latlng) {
      return window.L.circleMarker(latlng, { radius: 6, color: "#fff", weight: 1.5, fillOpacity: 0.9,
        fillColor: colour(feature.properties) });
    };
  }
  var layers = {
    areas: { style: function () { return { color: "#486581", weight: 1, fillOpacity: 0.05 }; },
             onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.name)); } },
    requests: { pointToLayer: dot(function (p) { return p.colour; }),
                onEachFeature: function (f, l) { l.bindPopup("<a href='" + esc(f.properties.url) + "'>" + esc(f.properties.reference) + "</a> " + esc(f.properties.where) + "<br>" + esc(f.properties.priority_label)); } },
    heating: { pointToLayer: dot(function (p) { return p.low ? "#c53030" : "#2f855a"; }),
               onEachFeature: function (f, l) { l.bindPopup(esc(f.properties.name) + "<br>" + esc(f.properties.cover_label)); } },
    crossings: { pointToLayer: dot(function () { return "#1a202c"; }),
                 onEachFeature: function (f, l) { l.bindPopup(esc(f.properties.name) + "<br>" + esc(f.properties.outbound_label) + ": " + esc(f.properties.outbound) + " · " + esc(f.properties.inbound_label) + ": " + esc(f.properties.inbound)); } }
  };
  var made = {};
  var bounds = null;
  Object.keys(layers).forEach(function (key) {
    var url = box.dataset[key];
    if (!url) { return; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { type: "FeatureCollection", features: [] }; })
      .then(function (data) {
        made[key] = window.L.geoJSON(data, layers[key]);
        var toggle = document.querySelector("[data-layer='" + key + "']");
        if (!toggle || toggle.checked) { made[key].addTo(map); }
        var b = made[key].getBounds();
        if (b.isValid()) { bounds = bounds ? bounds.extend(b) : b; map.fitBounds(bounds, { maxZoom: 10 }); }
      });
  });
  document.querySelectorAll("[data-layer]").forEach(function (input) {
    input.addEventListener("change", function () {
      var layer = made[input.dataset.layer];
      if (!layer) { return; }
      if (input.checked) { layer.addTo(map); } else { map.removeLayer(layer); }
    });
  });
})();
