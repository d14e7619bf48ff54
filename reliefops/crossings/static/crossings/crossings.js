/* Crossings pages: the map of crossing points (a circle each, sized by the persons counted
   in both directions) and the flow charts (per crossing point and direction: persons per
   day as bars, the running total as a line on its own axis). Data come from json_script
   blocks (no inline script: the CSP allows only 'self'); every chart's figures are in the
   table under it. Country outlines are served by the app; tiles only when MAP_TILE_URL
   is set. */
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var labels = (document.getElementById("crossings-labels") || { dataset: {} }).dataset;

  var charts = data("crossings-charts") || [];
  if (window.Chart) {
    charts.forEach(function (c) {
      var canvas = document.querySelector('canvas[data-chart="' + c.id + '"]');
      if (!canvas) { return; }
      var colour = c.direction === "inbound" ? "#2f855a" : "#2b6cb0";
      new Chart(canvas, {
        data: {
          labels: c.labels.map(function (d) { return d.slice(5); }),
          datasets: [
            { type: "bar", label: labels.daily || "", data: c.daily, backgroundColor: colour, yAxisID: "y", order: 2 },
            { type: "line", label: labels.cumulative || "", data: c.cumulative, borderColor: "#c05621", backgroundColor: "#c05621",
              pointRadius: 2, tension: 0.2, yAxisID: "y2", order: 1 }
          ]
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          interaction: { mode: "index", intersect: false },
          scales: {
            y: { beginAtZero: true, position: "left", title: { display: true, text: labels.daily || "" } },
            y2: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: labels.cumulative || "" } }
          },
          plugins: { legend: { position: "bottom" } }
        }
      });
      canvas.dataset.ready = "1";
    });
  }

  var el = document.getElementById("crossings-map");
  var geometry = data("crossings-geojson");
  if (!el || !geometry || !window.L) { return; }
  var map = L.map(el, { scrollWheelZoom: false });
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  }
  var largest = geometry.features.reduce(function (m, f) { return Math.max(m, f.properties.total || 0); }, 0);
  function radius(total) {
    if (!total || !largest) { return 6; }
    return 8 + 26 * Math.sqrt(total / largest);
  }
  function fmt(n) { return (n || 0).toLocaleString(document.documentElement.lang || undefined); }
  var layer = L.geoJSON(geometry, {
    pointToLayer: function (feature, latlng) {
      var p = feature.properties;
      return L.circleMarker(latlng, {
        radius: radius(p.total), color: "#fff", weight: 2, fillOpacity: 0.8,
        fillColor: p.total ? "#2b6cb0" : "#a0aec0"
      });
    },
    onEachFeature: function (feature, layer) {
      var p = feature.properties;
      layer.bindTooltip(p.name + ": " + p.outbound_label + " " + fmt(p.outbound) + ", " +
        p.inbound_label + " " + fmt(p.inbound) + " " + (el.dataset.labelPersons || ""));
    }
  }).addTo(map);
  var bounds = layer.getBounds();
  if (bounds.isValid()) { map.fitBounds(bounds.pad(0.6), { maxZoom: 8 }); } else { map.setView([39.8, 46.75], 8); }
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
