/* ReliefOps map: country outlines, admin areas, roads coloured by status, places,
   facilities by kind, crossing points. Everything is served by the app (no external
   URLs; a tile layer only when MAP_TILE_URL is configured). Details, search and the
   road-status form are HTMX fragments swapped into #map-info. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el) { return; }
  var SCENARIO = L.latLngBounds([39.45, 46.25], [40.65, 47.35]);
  var map = L.map(el, { zoomControl: true, attributionControl: true })
    .fitBounds(SCENARIO);
  window.reliefopsMap = map;
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  }
  var info = document.getElementById("map-info");
  var state = { area: "", placeKind: "", facilityKinds: null };
  var layers = { areas: null, roads: null, places: null, facilities: null };
  var areaBounds = {};
  var placeMarkers = {};

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function detailUrl(template, code) { return template.replace("CODE", encodeURIComponent(code)); }

  function showDetail(url) {
    if (window.htmx) { window.htmx.ajax("GET", url, { target: "#map-info", swap: "innerHTML" }); }
  }

  function withParams(url, params) {
    var query = Object.keys(params).filter(function (k) { return params[k]; })
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]); }).join("&");
    return query ? url + (url.indexOf("?") < 0 ? "?" : "&") + query : url;
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); });
  }

  function showArea(props) {
    var rows = Object.keys(props.names || {}).map(function (lang) {
      return "<dt>" + escapeHtml(lang) + "</dt><dd>" + escapeHtml(props.names[lang]) + "</dd>";
    }).join("");
    info.innerHTML = "<h2>" + escapeHtml(props.name) + "</h2>" +
      "<dl><dt>" + escapeHtml(el.dataset.labelCode) + "</dt><dd>" + escapeHtml(props.code) + "</dd></dl>" +
      "<h3 class=\"small\">" + escapeHtml(el.dataset.labelNames) + "</h3><dl>" + rows + "</dl>";
  }

  ["countries", "areas", "roads", "places", "facilities"].forEach(function (name, i) {
    map.createPane(name).style.zIndex = 250 + i * 50;
  });

  getJson(el.dataset.countriesUrl).then(function (topology) {
    var countries = topojson.feature(topology, topology.objects.countries);
    L.geoJSON(countries, {
      pane: "countries", interactive: false,
      style: { color: "#829ab1", weight: 1, fillColor: "#f0f4f8", fillOpacity: 1 }
    }).addTo(map);
  });

  getJson(el.dataset.countryAreasUrl).then(function (collection) {
    L.geoJSON(collection, { pane: "areas", interactive: false,
                            style: { color: "#243b53", weight: 2.5, fill: false } }).addTo(map);
  });

  getJson(el.dataset.areasUrl).then(function (collection) {
    layers.areas = L.geoJSON(collection, {
      pane: "areas",
      style: function (feature) {
        var inScope = feature.properties.in_scope;
        return { color: "#486581", weight: 1, fillColor: inScope ? "#0b5394" : "#9fb3c8",
                 fillOpacity: inScope ? 0.12 : 0.08 };
      },
      onEachFeature: function (feature, lyr) {
        areaBounds[feature.properties.code] = lyr.getBounds();
        lyr.on("click", function () { showArea(feature.properties); });
      }
    }).addTo(map);
    el.dataset.loaded = String(layers.areas.getLayers().length);
    el.dispatchEvent(new CustomEvent("reliefops:areas-loaded"));
  });

  function loadRoads() {
    return getJson(el.dataset.roadsUrl).then(function (collection) {
      if (layers.roads) { map.removeLayer(layers.roads); }
      layers.roads = L.geoJSON(collection, {
        pane: "roads",
        style: function (feature) {
          var p = feature.properties;
          return { color: p.colour, weight: p.status === "open" ? 4 : 5, opacity: 0.9,
                   dashArray: p.status === "closed" ? "8 6" : null };
        },
        onEachFeature: function (feature, lyr) {
          var p = feature.properties;
          lyr.bindTooltip(escapeHtml(p.name || p.code) + " · " + escapeHtml(p.status_label), { sticky: true });
          lyr.on("click", function () { showDetail(detailUrl(el.dataset.roadUrl, p.code)); });
        }
      }).addTo(map);
      el.dataset.roads = String(collection.features.length);
      el.dataset.roadsClosed = String(collection.features.filter(function (f) {
        return f.properties.status === "closed"; }).length);
    });
  }

  var RADIUS = { city: 7, town: 5.5, village: 3.5, settlement: 3, site: 4.5 };

  function loadPlaces() {
    if (layers.places) { map.removeLayer(layers.places); layers.places = null; }
    placeMarkers = {};
    if (state.placeKind === "none") { return Promise.resolve(); }
    var url = withParams(el.dataset.placesUrl, { kind: state.placeKind, area: state.area });
    return getJson(url).then(function (collection) {
      layers.places = L.geoJSON(collection, {
        pane: "places",
        pointToLayer: function (feature, latlng) {
          var p = feature.properties;
          var marker = L.circleMarker(latlng, {
            pane: "places", radius: RADIUS[p.kind] || 3, color: "#243b53", weight: 1.5,
            fillColor: "#ffffff", fillOpacity: 1
          });
          var prominent = (p.kind === "city" || p.kind === "town") && SCENARIO.contains(latlng);
          marker.bindTooltip(escapeHtml(p.name), prominent
            ? { permanent: true, direction: "right", offset: [6, 0], className: "place-label" }
            : { direction: "top" });
          marker.on("click", function () { showDetail(detailUrl(el.dataset.placeUrl, p.code)); });
          placeMarkers[p.code] = marker;
          return marker;
        }
      }).addTo(map);
      el.dataset.places = String(collection.features.length);
    });
  }

  function facilityVisible(kind) {
    return !state.facilityKinds || state.facilityKinds.indexOf(kind) >= 0;
  }

  function loadFacilities() {
    if (layers.facilities) { map.removeLayer(layers.facilities); }
    var url = withParams(el.dataset.facilitiesUrl, { area: state.area });
    return getJson(url).then(function (collection) {
      var shown = collection.features.filter(function (f) { return facilityVisible(f.properties.kind); });
      layers.facilities = L.geoJSON({ type: "FeatureCollection", features: shown }, {
        pane: "facilities",
        pointToLayer: function (feature, latlng) {
          var p = feature.properties;
          var marker;
          if (p.kind === "crossing_point") {
            marker = L.marker(latlng, { pane: "facilities", icon: L.divIcon({
              className: "crossing-icon", iconSize: [14, 14] }) });
          } else {
            marker = L.circleMarker(latlng, {
              pane: "facilities", radius: 6, color: "#ffffff", weight: 1.5,
              fillColor: p.colour || "#718096", fillOpacity: p.status === "operating" ? 0.95 : 0.45,
              dashArray: p.status === "operating" ? null : "2 2"
            });
          }
          marker.bindTooltip(escapeHtml(p.name) + " · " + escapeHtml(p.kind_label) +
                             (p.status !== "operating" ? " · " + escapeHtml(p.status_label) : ""));
          marker.on("click", function () { showDetail(detailUrl(el.dataset.facilityUrl, p.code)); });
          return marker;
        }
      }).addTo(map);
      el.dataset.facilities = String(shown.length);
    });
  }

  Promise.all([loadRoads(), loadPlaces(), loadFacilities()]).then(function () {
    el.dataset.layersLoaded = "true";
    el.dispatchEvent(new CustomEvent("reliefops:layers-loaded"));
  });

  /* Filters (the panel arrives by HTMX: listen on the document). */
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.id === "filter-area") {
      state.area = target.value;
      if (state.area && areaBounds[state.area]) { map.fitBounds(areaBounds[state.area]); }
      loadPlaces();
      loadFacilities();
    } else if (target.id === "filter-place-kind") {
      state.placeKind = target.value;
      loadPlaces();
    } else if (target.name === "facility_kind") {
      state.facilityKinds = Array.prototype.map.call(
        document.querySelectorAll("input[name=facility_kind]:checked"), function (i) { return i.value; });
      loadFacilities();
    }
  });

  /* A road status changed (HX-Trigger from the status form): recolour the roads. */
  document.body.addEventListener("road-status-changed", function () { loadRoads(); });

  /* A detail or search result arrived: centre the map on it and highlight the place. */
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail || !event.detail.target || event.detail.target.id !== "map-info") { return; }
    var found = info.querySelector("[data-lat][data-lon]");
    if (!found) { return; }
    var latlng = L.latLng(parseFloat(found.dataset.lat), parseFloat(found.dataset.lon));
    map.flyTo(latlng, Math.max(map.getZoom(), 11), { duration: 0.6 });
    var marker = found.classList.contains("place-detail") ? placeMarkers[found.dataset.code] : null;
    if (marker) {
      marker.setStyle({ color: "#c53030", weight: 3, fillColor: "#fed7d7" });
      marker.bringToFront();
    }
  });
})();
