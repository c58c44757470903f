/* veille — the events map (dossier and web UI share this file).
 *
 * Why it reads JSON data blocks and builds popups with textContent: every string here
 * comes from article text, which is untrusted. Nothing is ever parsed as HTML, so a
 * hostile title stays inert even if the page's CSP were missing.
 * Basemap: country borders (Natural Earth via world-atlas) — no tile server, no network.
 */
(function () {
  "use strict";
  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  // labels in the page's language, handed over with the data (French when absent: the dossier)
  var labels = { unknown_date: "date inconnue", deaths: "{n} mort(s)", borders: "Frontières : Natural Earth" };
  function popup(ev) {
    var box = el("div", "popup");
    box.appendChild(el("strong", null, (ev.location || "?") + " — " + (ev.date || labels.unknown_date)));
    box.appendChild(el("div", null, ev.type + (ev.fatalities !== null ? " · " + labels.deaths.replace("{n}", ev.fatalities) : "")));
    (ev.claims || []).forEach(function (c) {
      var p = el("p", "claim");
      p.appendChild(el("q", null, c.text));
      p.appendChild(el("span", "speaker", " — " + (c.speakers || c.outlet || "")));
      box.appendChild(p);
    });
    (ev.links || []).forEach(function (l) {
      var a = el("a", null, l.label);
      // only same-document anchors or site-relative paths: built by the server, never a URL from the article
      if (/^(#|\/)[^\/\\]/.test(l.href)) a.setAttribute("href", l.href);
      box.appendChild(a);
      box.appendChild(document.createTextNode(" "));
    });
    return box;
  }
  function draw(container, data, basemap) {
    var map = L.map(container, { zoomSnap: 0.5, attributionControl: true, worldCopyJump: false });
    map.attributionControl.setPrefix(false);
    map.setView([34.5, 38.5], 5); // a view must exist before vector layers are added
    if (basemap) {
      L.geoJSON(basemap, {
        style: { color: "#8a8a8a", weight: 1, fillColor: "#efeadf", fillOpacity: 1 },
        interactive: false
      }).addTo(map);
      map.attributionControl.addAttribution(labels.borders);
    }
    var bounds = [];
    (data.events || []).forEach(function (ev) {
      if (typeof ev.lat !== "number" || typeof ev.lon !== "number") return;
      var radius = 5 + 3 * Math.sqrt(Math.max(0, ev.fatalities || 0));
      var m = L.circleMarker([ev.lat, ev.lon], {
        radius: Math.min(radius, 30), color: "#7a1010", weight: 1.5,
        fillColor: ev.fatalities ? "#c0392b" : "#1f5f9e", fillOpacity: 0.7, className: "event-marker"
      }).addTo(map);
      m.bindPopup(popup(ev));
      // a string here would be parsed as HTML by Leaflet: hand it a text node instead
      m.bindTooltip(el("span", null, (ev.location || "?") + (ev.fatalities ? " (" + ev.fatalities + ")" : "")));
      bounds.push([ev.lat, ev.lon]);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [40, 40], maxZoom: 7, animate: false });
    container.setAttribute("data-markers", String(bounds.length));
    return map;
  }
  function start() {
    var container = document.getElementById("map");
    if (!container || typeof L === "undefined") return;
    var data = readJSON("veille-map-data") || { events: [] };
    if (data.labels) Object.keys(labels).forEach(function (k) { if (data.labels[k]) labels[k] = data.labels[k]; });
    var basemap = readJSON("veille-basemap");
    if (basemap || !container.dataset.basemap) { draw(container, data, basemap); return; }
    fetch(container.dataset.basemap, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; })
      .then(function (geo) { draw(container, data, geo); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
