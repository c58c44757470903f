#!/usr/bin/env bash
# Re-create the vendored web assets in src/veille/static/vendor/ from npm packages.
#
# Why vendored and committed: the dossier must open offline with no request leaving the
# file, and the build must not need the network. Run this only to upgrade the assets; the
# results are committed. Needs npm + node (network for `npm pack` only).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/src/veille/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent leaflet@1.9.4 world-atlas@2.0.2 topojson-client@3.1.0 >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
mkdir -p "$dest"
# the source-map comment is dropped: the map file is not shipped and nothing should ask for it
sed '/^\/\/# sourceMappingURL=/d' leaflet-1.9.4/package/dist/leaflet.js > "$dest/leaflet.js"
cp leaflet-1.9.4/package/dist/leaflet.css "$dest/"
cp leaflet-1.9.4/package/LICENSE "$dest/LICENSE.leaflet"
cp world-atlas-2.0.2/package/LICENSE "$dest/LICENSE.world-atlas"
# Every country's borders, from Natural Earth 1:50m via world-atlas, as GeoJSON with coordinates
# rounded to 0.01° (~1 km). Each feature keeps its name and ISO 3166-1 numeric code ("iso"):
# the dossier inlines only the countries its events are in (and their neighbours), looked up
# by that code (publish/assets.py), so a dossier on Burkina Faso carries the Sahel, not the world.
node - "$work" "$dest/world-borders.geojson" <<'JS'
const [work, out] = process.argv.slice(2);
const topojson = require(work + "/topojson-client-3.1.0/package/dist/topojson-client.js");
const topo = require(work + "/world-atlas-2.0.2/package/countries-50m.json");
const all = topojson.feature(topo, topo.objects.countries).features;
const round = (c) => Array.isArray(c[0]) ? c.map(round) : [Math.round(c[0] * 100) / 100, Math.round(c[1] * 100) / 100];
const dedupe = (ring) => ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
const features = [];
for (const f of all) {
  if (!f.geometry) continue;
  const g = f.geometry;
  const polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const kept = polys.map((p) => p.map((r) => dedupe(round(r))).filter((r) => r.length >= 4)).filter((p) => p.length);
  if (!kept.length) continue;
  features.push({ type: "Feature", properties: { name: f.properties.name, iso: f.id === undefined ? null : f.id },
    geometry: { type: "MultiPolygon", coordinates: kept } });
}
features.sort((a, b) => (a.properties.iso || "~" + a.properties.name).localeCompare(b.properties.iso || "~" + b.properties.name));
require("fs").writeFileSync(out, JSON.stringify({ type: "FeatureCollection",
  attribution: "Natural Earth via world-atlas 2.0.2 (ISC)", features }));
console.error(`${features.length} countries -> ${out}`);
JS
rm -f "$dest/middle-east.geojson"  # superseded by world-borders.geojson
echo "vendored into $dest" >&2
