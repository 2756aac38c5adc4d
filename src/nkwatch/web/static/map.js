// The map page: country outlines as the base layer, entities as circle markers.
// Data comes from the URLs in the map element's data-* attributes (data-center, if set,
// centres it on one point); names are
// only ever set as text, never parsed as HTML.
(function () {
  "use strict";

  var BOUNDS = [[33, 119], [45.5, 135]];       // what outline.geojson covers
  var NORTH_KOREA = [[37.6, 124.2], [43.0, 130.7]];
  var TYPES = ["facility", "organization", "place", "person", "outlet", "product"];

  function getJSON(url) {
    return fetch(url, {headers: {Accept: "application/json"}}).then(function (r) {
      if (!r.ok) { throw new Error(url + " answered " + r.status); }
      return r.json();
    });
  }

  function kind(type) {
    return TYPES.indexOf(type) >= 0 ? type : "other";
  }

  function radius(mentions) {
    var n = Number(mentions) || 0;
    return Math.min(5 + 2 * Math.sqrt(n), 18);
  }

  function localUrl(props) {
    var url = props.url;
    if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" && url.indexOf("\\") < 0) {
      return url;
    }
    return "/entities/" + encodeURIComponent(String(props.id));
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function popup(props) {
    var box = element("div");
    var link = element("a", "popup-name", String(props.name));
    link.href = localUrl(props);
    box.appendChild(link);
    var n = Number(props.mentions) || 0;
    box.appendChild(element("p", "popup-meta", kind(props.type) + " · " + n + (n === 1 ? " mention" : " mentions")));
    return box;
  }

  function showProblem(container, message) {
    var note = element("p", "error", message);
    container.parentNode.insertBefore(note, container);
  }

  function start(container) {
    var bounds = L.latLngBounds(BOUNDS);
    var map = L.map(container, {
      maxBounds: bounds, maxBoundsViscosity: 1.0, zoomSnap: 0.25, maxZoom: 12,
      attributionControl: false
    });
    function fitMinZoom() { map.setMinZoom(map.getBoundsZoom(bounds, true)); }
    var center = (container.getAttribute("data-center") || "").split(",").map(Number);
    if (center.length === 2 && isFinite(center[0]) && isFinite(center[1])) {
      map.setView(center, 7);        // one entity's page: its point, with the region around
    } else {
      map.fitBounds(NORTH_KOREA);
    }
    fitMinZoom();
    map.on("resize", fitMinZoom);
    L.control.attribution({prefix: false}).addAttribution("Leaflet · outlines: Natural Earth").addTo(map);
    L.control.scale({imperial: false}).addTo(map);
    map.createPane("land").classList.add("land-pane");
    map.getPane("land").style.zIndex = 350;

    getJSON(container.getAttribute("data-outline")).then(function (data) {
      L.geoJSON(data, {
        pane: "land", interactive: false,
        style: function (f) { return {className: f.properties && f.properties.focus ? "land land-focus" : "land"}; }
      }).addTo(map);
    }).catch(function (e) { showProblem(container, "Outlines could not be loaded: " + e.message); });

    getJSON(container.getAttribute("data-features")).then(function (data) {
      L.geoJSON(data, {
        pointToLayer: function (f, latlng) {
          var props = f.properties || {};
          return L.circleMarker(latlng, {
            radius: radius(props.mentions), className: "marker type-" + kind(props.type)
          });
        },
        onEachFeature: function (f, layer) {
          var props = f.properties || {};
          layer.bindPopup(popup(props));
          layer.bindTooltip(element("span", "", String(props.name)), {direction: "top"});
          layer.on("popupopen", function () { layer.closeTooltip(); });
        }
      }).addTo(map);
    }).catch(function (e) { showProblem(container, "Markers could not be loaded: " + e.message); });
  }

  var container = document.getElementById("map");
  if (container && window.L) { start(container); }
}());
