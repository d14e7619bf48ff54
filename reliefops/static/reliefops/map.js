/* ReliefOps map: country outlines, admin areas, roads coloured by status, places,
   facilities by kind (clustered), crossing points, open requests by priority and the
   travel-time route. Labels are decluttered after every zoom: a label that would overlap
   one of higher rank (city > town > area > facility) is hidden; area labels show only
   where the area is wide enough on screen, facility labels only from FACILITY_LABEL_ZOOM.
   On phones the side panel is a drawer over the map. Everything is served by the app (no external
   URLs; a tile layer only when MAP_TILE_URL is configured). Details, search and the
   road-status form are HTMX fragments swapped into #map-info. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el) { return; }
  var SCENARIO = L.latLngBounds([39.45, 46.25], [40.65, 47.35]);
  var map = L.map(el, { zoomControl: true, attributionControl: true, maxZoom: 18 })
    .fitBounds(SCENARIO);
  window.reliefopsMap = map;
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 18 }).addTo(map);
  }
  var info = document.getElementById("map-info");
  var state = { area: "", placeKind: "", facilityKinds: null, requests: true, priorities: null };
  var layers = { areas: null, roads: null, places: null, facilities: null, requests: null,
                 route: null, areaLabels: null };
  var FACILITY_LABEL_ZOOM = 14;
  var RANK = { city: 1, town: 2, area: 3, facility: 4 };
  var labels = [];
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
    revealInfo();
  }

  /* Bring the detail box into view in the panel (on phones: open the drawer first). */
  function revealInfo() {
    if (isPhone()) { setDrawer(true); }
    var body = document.getElementById("map-panel-body");
    if (body && info.offsetParent === body.offsetParent) {
      body.scrollTop = Math.max(0, info.offsetTop - body.offsetTop - 8);
    }
  }

  ["countries", "areas", "roads", "route", "places", "facilities", "requests"].forEach(function (name, i) {
    map.createPane(name).style.zIndex = 250 + i * 40;
  });

  /* ---- layout: the map fills the window below the header; the drawer on phones ---- */
  var layout = el.parentElement;
  var panel = document.getElementById("map-panel");
  var toggle = panel ? panel.querySelector(".drawer-toggle") : null;

  function fitLayout() {
    var top = layout.getBoundingClientRect().top + window.scrollY;
    layout.style.height = Math.max(320, window.innerHeight - top) + "px";
    map.invalidateSize();
  }

  function setDrawer(open) {
    if (!panel || !toggle) { return; }
    panel.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function isPhone() { return !!toggle && getComputedStyle(toggle).display !== "none"; }

  if (toggle) {
    toggle.addEventListener("click", function () { setDrawer(!panel.classList.contains("open")); });
  }
  window.addEventListener("resize", fitLayout);
  fitLayout();

  /* ---- labels: shown where they fit, hidden where they would overlap ---- */
  function labelElement(item) {
    var tip = item.layer.getTooltip && item.layer.getTooltip();
    if (!tip || !tip.getElement) { return null; }
    var node = tip.getElement();
    if (node && !tip.options.permanent) { node.classList.remove("label-hidden"); return null; }
    return node;
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function declutter() {
    var zoom = map.getZoom();
    var placed = [];
    labels.sort(function (a, b) { return a.rank - b.rank || a.order - b.order; });
    var shown = 0;
    labels.forEach(function (item) {
      var node = labelElement(item);
      if (!node || !map.hasLayer(item.layer)) { return; }
      var wanted = zoom >= (item.minZoom || 0) && (!item.fits || item.fits(zoom));
      node.classList.remove("label-hidden");
      if (!wanted) { node.classList.add("label-hidden"); return; }
      var r = node.getBoundingClientRect();
      var box = { left: r.left - 2, right: r.right + 2, top: r.top - 1, bottom: r.bottom + 1 };
      if (placed.some(function (other) { return overlaps(box, other); })) {
        node.classList.add("label-hidden");
        return;
      }
      placed.push(box);
      shown += 1;
    });
    el.dataset.labelsShown = String(shown);
    el.dataset.labelsTotal = String(labels.length);
  }

  var declutterTimer = null;
  function scheduleDeclutter() {
    if (declutterTimer) { window.clearTimeout(declutterTimer); }
    declutterTimer = window.setTimeout(function () { declutterTimer = null; declutter(); }, 30);
  }
  map.on("zoomend moveend", scheduleDeclutter);

  function addLabel(layer, rank, extra) {
    var item = { layer: layer, rank: rank, order: labels.length };
    Object.keys(extra || {}).forEach(function (k) { item[k] = extra[k]; });
    labels.push(item);
    return item;
  }

  function dropLabels(predicate) {
    labels = labels.filter(function (item) { return !predicate(item); });
  }

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
    layers.areaLabels = L.layerGroup().addTo(map);
    collection.features.forEach(function (feature) {
      var bounds = areaBounds[feature.properties.code];
      if (!bounds || !bounds.isValid()) { return; }
      var name = feature.properties.name;
      var anchor = L.circleMarker(bounds.getCenter(), { radius: 0, opacity: 0, fillOpacity: 0,
                                                        interactive: false, pane: "areas" });
      anchor.bindTooltip(escapeHtml(name), { permanent: true, direction: "center", className: "area-label" });
      layers.areaLabels.addLayer(anchor);
      addLabel(anchor, RANK.area, { fits: function (zoom) {
        /* The label fits when the area is wider on screen than the text, and tall enough. */
        var nw = map.project(bounds.getNorthWest(), zoom), se = map.project(bounds.getSouthEast(), zoom);
        return (se.x - nw.x) > name.length * 7.5 + 8 && (se.y - nw.y) > 22;
      } });
    });
    scheduleDeclutter();
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
    dropLabels(function (item) { return item.kind === "place"; });
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
          if (prominent) { addLabel(marker, RANK[p.kind], { kind: "place" }); }
          marker.on("click", function () { showDetail(detailUrl(el.dataset.placeUrl, p.code)); });
          placeMarkers[p.code] = marker;
          return marker;
        }
      }).addTo(map);
      el.dataset.places = String(collection.features.length);
      scheduleDeclutter();
    });
  }

  function facilityVisible(kind) {
    return !state.facilityKinds || state.facilityKinds.indexOf(kind) >= 0;
  }

  function facilityTooltip(marker, labelled) {
    var p = marker.feature.properties;
    marker.unbindTooltip();
    if (labelled) {
      marker.bindTooltip(escapeHtml(p.name), { permanent: true, direction: "right", offset: [7, 0],
                                               className: "facility-label" });
    } else {
      marker.bindTooltip(escapeHtml(p.name) + " · " + escapeHtml(p.kind_label) +
                         (p.status !== "operating" ? " · " + escapeHtml(p.status_label) : ""));
    }
  }

  var facilityLabelled = false;
  function updateFacilityLabels(force) {
    var want = map.getZoom() >= FACILITY_LABEL_ZOOM;
    if (!layers.facilities || (want === facilityLabelled && !force)) { return; }
    facilityLabelled = want;
    layers.facilities.eachLayer(function (marker) { facilityTooltip(marker, want); });
  }
  map.on("zoomend", function () { updateFacilityLabels(false); });

  function loadFacilities() {
    if (layers.facilities) { map.removeLayer(layers.facilities); }
    dropLabels(function (item) { return item.kind === "facility"; });
    var url = withParams(el.dataset.facilitiesUrl, { area: state.area });
    return getJson(url).then(function (collection) {
      var shown = collection.features.filter(function (f) { return facilityVisible(f.properties.kind); });
      var cluster = L.markerClusterGroup({
        clusterPane: "facilities", showCoverageOnHover: false, maxClusterRadius: 45,
        disableClusteringAtZoom: FACILITY_LABEL_ZOOM, spiderfyOnMaxZoom: false, chunkedLoading: true
      });
      L.geoJSON({ type: "FeatureCollection", features: shown }, {
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
          marker.feature = feature;
          marker.on("click", function () { showDetail(detailUrl(el.dataset.facilityUrl, p.code)); });
          cluster.addLayer(marker);
          addLabel(marker, RANK.facility, { kind: "facility", minZoom: FACILITY_LABEL_ZOOM });
          return marker;
        }
      });
      layers.facilities = cluster;
      facilityLabelled = map.getZoom() >= FACILITY_LABEL_ZOOM;
      cluster.eachLayer(function (marker) { facilityTooltip(marker, facilityLabelled); });
      cluster.on("animationend", scheduleDeclutter);
      cluster.addTo(map);
      el.dataset.facilities = String(shown.length);
      scheduleDeclutter();
    });
  }

  /* ---- open requests by priority: one marker per location, the most urgent colour ---- */
  var PRIORITY_ORDER = ["life_saving", "urgent", "routine"];

  function requestPopup(features) {
    return "<div class=\"request-popup\">" + features.map(function (f) {
      var p = f.properties;
      var items = (p.lines || []).map(function (line) {
        return "<li>" + escapeHtml(line.name) + " · " + escapeHtml(line.quantity) + "</li>";
      }).join("");
      return "<div class=\"req\"><a href=\"" + escapeHtml(p.url) + "\"><strong>" + escapeHtml(p.reference) +
        "</strong></a> <span class=\"prio\" style=\"background:" + escapeHtml(p.colour) + "\">" +
        escapeHtml(p.priority_label) + "</span><br>" + escapeHtml(p.where) + " · " + escapeHtml(p.status_label) +
        (items ? "<ul>" + items + "</ul>" : "") +
        escapeHtml(el.dataset.labelNeededBy) + ": " + escapeHtml(p.needed_by_label) +
        (p.overdue ? " <span class=\"overdue\">" + escapeHtml(el.dataset.labelOverdue) + "</span>" : "") + "</div>";
    }).join("") + "</div>";
  }

  var requestData = null;
  function drawRequests() {
    if (layers.requests) { map.removeLayer(layers.requests); layers.requests = null; }
    if (!requestData || !state.requests) { el.dataset.requests = "0"; return; }
    var groups = {};
    var order = [];
    requestData.features.forEach(function (f) {
      if (state.priorities && state.priorities.indexOf(f.properties.priority) < 0) { return; }
      var key = f.geometry.coordinates.join(",");
      if (!groups[key]) { groups[key] = []; order.push(key); }
      groups[key].push(f);
    });
    layers.requests = L.layerGroup();
    var count = 0;
    order.forEach(function (key) {
      var features = groups[key].sort(function (a, b) {
        return PRIORITY_ORDER.indexOf(a.properties.priority) - PRIORITY_ORDER.indexOf(b.properties.priority);
      });
      var top = features[0].properties;
      var c = features[0].geometry.coordinates;
      /* A pin (not a dot, which is a facility): its tip sits on the location. */
      var marker = L.marker([c[1], c[0]], { pane: "requests", keyboard: true, title: top.reference,
        icon: L.divIcon({ className: "request-icon request-" + top.priority, iconSize: [20, 20],
          iconAnchor: [10, 27], popupAnchor: [0, -26], tooltipAnchor: [10, -16],
          html: "<span style=\"background:" + escapeHtml(top.colour) + "\"><b>" +
                (features.length > 1 ? features.length : "!") + "</b></span>" }) });
      marker.bindPopup(requestPopup(features), { maxWidth: 280 });
      marker.bindTooltip(escapeHtml(top.where) + " · " + features.length + " " + escapeHtml(el.dataset.labelRequests));
      layers.requests.addLayer(marker);
      count += features.length;
    });
    layers.requests.addTo(map);
    el.dataset.requests = String(count);
    el.dataset.requestMarkers = String(order.length);
  }

  function loadRequests() {
    if (!el.dataset.requestsUrl) { return Promise.resolve(); }
    return getJson(el.dataset.requestsUrl).then(function (collection) {
      requestData = collection;
      drawRequests();
    });
  }

  /* ---- the travel-time route (arrives with the travel box's HTMX answer) ---- */
  var routeText = null;
  function clearRoute() {
    if (layers.route) { map.removeLayer(layers.route); layers.route = null; }
    routeText = null;
    delete el.dataset.routePoints;
  }

  function drawRoute() {
    var script = document.getElementById("travel-route");
    if (!script) {
      if (!document.querySelector("#travel-result .travel-minutes")) { clearRoute(); }
      return;
    }
    if (script.textContent === routeText) { return; }
    clearRoute();
    routeText = script.textContent;
    var feature = JSON.parse(routeText);
    var labelNode = document.querySelector("#travel-result .travel-route-label");
    var casing = L.geoJSON(feature, { pane: "route", interactive: false,
                                      style: { color: "#ffffff", weight: 9, opacity: 0.9 } });
    var line = L.geoJSON(feature, { pane: "route", interactive: false, style: {
      color: "#6b46c1", weight: 5, opacity: 0.95, dashArray: feature.properties.estimated ? "6 8" : null } });
    layers.route = L.featureGroup([casing, line]).addTo(map);
    var path = line.getLayers()[0];
    if (labelNode && path) {
      path.bindTooltip(escapeHtml(labelNode.textContent.trim()), { permanent: true, direction: "center",
                                                                   className: "route-label" }).openTooltip();
    }
    el.dataset.routePoints = String(feature.geometry.coordinates.length);
    if (isPhone()) { setDrawer(false); }
    map.fitBounds(layers.route.getBounds(), { padding: [30, 30], maxZoom: 12 });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("[data-route-clear]")) {
      clearRoute();
      var result = document.getElementById("travel-result");
      if (result) { result.innerHTML = ""; }
    }
  });

  Promise.all([loadRoads(), loadPlaces(), loadFacilities(), loadRequests()]).then(function () {
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
    } else if (target.id === "layer-requests") {
      state.requests = target.checked;
      drawRequests();
    } else if (target.name === "request_priority") {
      state.priorities = Array.prototype.map.call(
        document.querySelectorAll("input[name=request_priority]:checked"), function (i) { return i.value; });
      drawRequests();
    }
  });

  /* A road status changed (HX-Trigger from the status form): recolour the roads. */
  document.body.addEventListener("road-status-changed", function () { loadRoads(); });

  /* A detail or search result arrived: centre the map on it and highlight the place. */
  document.body.addEventListener("htmx:afterSwap", function (event) {
    drawRoute();
    if (!event.detail || !event.detail.target || event.detail.target.id !== "map-info") { return; }
    var found = info.querySelector("[data-lat][data-lon]");
    if (!found) { return; }
    var latlng = L.latLng(parseFloat(found.dataset.lat), parseFloat(found.dataset.lon));
    var zoom = Math.max(map.getZoom(), 11);
    var centre = latlng;
    revealInfo();
    if (isPhone()) {
      /* The detail is in the drawer: keep the place above it, not under it. */
      var shift = panel.getBoundingClientRect().height / 2;
      centre = map.unproject(map.project(latlng, zoom).add([0, shift]), zoom);
    }
    map.flyTo(centre, zoom, { duration: 0.6 });
    var marker = found.classList.contains("place-detail") ? placeMarkers[found.dataset.code] : null;
    if (marker) {
      marker.setStyle({ color: "#c53030", weight: 3, fillColor: "#fed7d7" });
      marker.bringToFront();
    }
  });
})();
