/* Gap page: a bar chart per item (Chart.js) and areas shaded by the coverage of the item
   picked (Leaflet). Data comes from json_script blocks; no inline script (the CSP allows
   only 'self'). Picking another item reloads the page with ?item= (the server colours). */
(function () {
  "use strict";
  var picker = document.getElementById("gap-item");
  if (picker && picker.form) {
    picker.addEventListener("change", function () { picker.form.submit(); });
  }
  var labels = document.getElementById("gap-labels").dataset;
  var chartData = JSON.parse(document.getElementById("gap-chart-data").textContent);
  var canvas = document.getElementById("gap-chart");
  if (canvas && window.Chart) {
    // One bar of about 24 px per item, whatever the width (a phone keeps every label).
    canvas.parentNode.style.height = Math.max(160, chartData.labels.length * 24 + 70) + "px";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chartData.labels,
        datasets: [
          { label: labels.stock, data: chartData.stock, backgroundColor: "#2b6cb0" },
          { label: labels.pipeline, data: chartData.pipeline, backgroundColor: "#90cdf4" },
          { label: labels.planned, data: chartData.planned, backgroundColor: "#38a169" },
          { label: labels.gap, data: chartData.gap, backgroundColor: "#c53030" }
        ]
      },
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true, min: 0, max: 100, title: { display: true, text: labels.axis } },
                  y: { stacked: true } },
        plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + c.parsed.x + " %"; } } } }
      }
    });
    canvas.dataset.ready = "1";
  }

  function colour(coverage) {
    if (coverage === null || coverage === undefined) { return "#a0aec0"; }
    if (coverage < 0.25) { return "#c53030"; }
    if (coverage < 0.5) { return "#dd6b20"; }
    if (coverage < 0.75) { return "#d69e2e"; }
    return "#38a169";
  }
  var el = document.getElementById("gap-map");
  if (!el || !window.L) { return; }
  var map = L.map(el).setView([40.0, 46.8], 8);
  if (labels.tileUrl) { L.tileLayer(labels.tileUrl, { maxZoom: 18 }).addTo(map); }
  if (el.dataset.outlinesUrl) {
    fetch(el.dataset.outlinesUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (outlines) {
        L.geoJSON(outlines, { interactive: false,
          style: { color: "#829ab1", weight: 1, fillColor: "#f0f4f8", fillOpacity: 0.6 } })
          .addTo(map).bringToBack();
      });
  }
  var collection = JSON.parse(document.getElementById("gap-geojson").textContent);
  var layer = L.geoJSON(collection, {
    style: function (f) {
      return { color: "#243b53", weight: 1, fillColor: colour(f.properties.coverage), fillOpacity: 0.65 };
    },
    onEachFeature: function (f, lyr) {
      var pct = f.properties.coverage === null ? "–" : Math.round(f.properties.coverage * 100) + " %";
      var text = document.createElement("div");
      text.textContent = f.properties.name + " · " + labels.coverage + " " + pct;
      lyr.bindTooltip(text, { sticky: true });
    }
  }).addTo(map);
  if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { padding: [10, 10] }); }
  el.dataset.areas = String(layer.getLayers().length);
})();
