"""The vendored web assets (Leaflet, the country-borders basemap, map.js), read from the package.

Why from the package folder only: the dossier inlines them so that no request leaves the
file, and the web UI serves them from its own static route — neither ever reaches a CDN.
Re-create them with scripts/vendor-assets.sh.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path


def static_dir() -> Path:
    return Path(str(resources.files("veille") / "static")).resolve()


@lru_cache(maxsize=None)
def read_static(name: str) -> str:
    path = (static_dir() / name).resolve()
    if static_dir() not in path.parents:
        raise ValueError(f"{name}: not a packaged asset")
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def leaflet_css_inline() -> str:
    """Leaflet's CSS without its image references: the dossier loads nothing, not even icons."""
    return re.sub(r"url\([^)]*\)", "none", read_static("vendor/leaflet.css"))


@lru_cache(maxsize=1)
def _world_borders() -> tuple[tuple[dict, tuple[tuple[float, float, float, float], ...]], ...]:
    """Every country of vendor/world-borders.geojson with the bounding box of each of its polygons
    (per polygon, not per country: Russia's or France's overseas parts must not stretch a box)."""
    out = []
    for f in json.loads(read_static("vendor/world-borders.geojson"))["features"]:
        boxes = []
        for poly in f["geometry"]["coordinates"]:
            xs = [p[0] for p in poly[0]]
            ys = [p[1] for p in poly[0]]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
        out.append((f, tuple(boxes)))
    return tuple(out)


def borders_near(points: Iterable[tuple[float, float]], pad: float = 5.0) -> dict:
    """The country borders a map of ``points`` (lat, lon) needs: every country with a polygon in
    the points' bounding box widened by ``pad`` degrees — the events' countries and their
    neighbours, not the world. No points → an empty collection."""
    pts = [(float(la), float(lo)) for la, lo in points
           if la is not None and lo is not None and math.isfinite(float(la)) and math.isfinite(float(lo))]
    features: list[dict] = []
    if pts:
        s, n = min(p[0] for p in pts) - pad, max(p[0] for p in pts) + pad
        w, e = min(p[1] for p in pts) - pad, max(p[1] for p in pts) + pad
        for f, boxes in _world_borders():
            if any(b[0] <= e and b[2] >= w and b[1] <= n and b[3] >= s for b in boxes):
                features.append(f)
    return {"type": "FeatureCollection", "attribution": "Natural Earth via world-atlas 2.0.2 (ISC)",
            "features": features}
