"""The vendored web assets (Leaflet, the country-borders basemap, map.js), read from the package.

Why from the package folder only: the dossier inlines them so that no request leaves the
file, and the web UI serves them from its own static route — neither ever reaches a CDN.
Re-create them with scripts/vendor-assets.sh.
"""

from __future__ import annotations

import re
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
