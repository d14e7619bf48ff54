/* The draft plan's map and chart: every vehicle route (solid) and team round (dashed) in
   its own colour with numbered stops, the warehouses, country outlines (served by the
   app), a tile layer only when MAP_TILE_URL is set; the unmet units by reason as a bar
   chart. Data from the page's JSON (``json_script``). */
(function () {
  "use strict";
  var el = document.getElementById("plan-map");
  var data = document.getElementById("plan-map-data");
  if (el && data && window.L) {
    var geo = JSON.parse(data.textContent);
    var map = L.map(el, { zoomControl: true, attributionControl: true, scrollWheelZoom: false });
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
    }
    var group = L.featureGroup().addTo(map);
    geo.features.forEach(function (f) {
      if (f.line.length > 1) {
        L.polyline(f.line, {
          color: f.colour, weight: f.kind === "round" ? 3 : 4, opacity: 0.85,
          dashArray: f.kind === "round" ? "6 6" : null
        }).bindTooltip(f.id).addTo(group);
      }
      f.stops.forEach(function (s) {
        var icon = L.divIcon({
          className: "plan-stop-icon",
          html: '<span style="background:' + f.colour + '">' + s.n + "</span>",
          iconSize: [22, 22], iconAnchor: [11, 11]
        });
        L.marker([s.lat, s.lon], { icon: icon, keyboard: false })
          .bindTooltip(f.id + " · " + s.label, { direction: "top", offset: [0, -10] }).addTo(group);
      });
    });
    geo.depots.forEach(function (d) {
      if (d.lat === null || d.lat === undefined) { return; }
      L.circleMarker([d.lat, d.lon], { radius: 9, color: "#fff", weight: 2, fillColor: "#2f855a", fillOpacity: 1 })
        .bindTooltip(d.name).addTo(group);
    });
    var bounds = group.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds.pad(0.15)); } else { map.setView([40.2, 47.5], 7); }
    el.dataset.ready = "1";
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
  }
  var canvas = document.getElementById("unmet-chart");
  var unmet = document.getElementById("unmet-data");
  if (canvas && unmet && window.Chart) {
    var rows = JSON.parse(unmet.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: rows.map(function (r) { return r.label; }),
        datasets: [{ data: rows.map(function (r) { return r.units; }), backgroundColor: "#dd6b20" }]
      },
      options: {
        indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } }
      }
    });
  }
})();
