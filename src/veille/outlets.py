"""The outlet registry: outlets and agencies as data, extensible by the user.

Why data, not code: an outlet's label (who owns it, where the label comes from) must be
reviewable and correctable by analysts without touching code. The package ships
``data/outlets.json``; users add their own JSON files (same fields) through
``Settings.outlet_files`` (``$VEILLE_OUTLETS``, ``~/.config/veille/outlets.json``). A user
record with an existing id replaces the shipped one.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

from .enrich.textnorm import fold_key as fold  # one folding for the whole tool (issue 17 §5)
from .errors import InputError
from .records import Outlet
from .urls import domain_candidates

FIELDS = ("id", "name", "domains", "country", "languages", "ownership", "affiliation", "label_source", "aliases", "kind")
OWNERSHIP = {"state", "public", "private", "party", "armed-group", "ngo", "unknown"}


def outlet_from_mapping(data: dict, origin: str) -> Outlet:
    if not isinstance(data, dict) or not data.get("id") or not data.get("name"):
        raise InputError(origin, f"outlet record needs 'id' and 'name': {str(data)[:80]}")
    ownership = data.get("ownership") or "unknown"
    if ownership not in OWNERSHIP:
        raise InputError(origin, f"outlet {data['id']!r}: ownership must be one of {sorted(OWNERSHIP)}")
    values = {k: data.get(k) for k in FIELDS if k in data}
    for key in ("domains", "languages", "aliases"):
        values[key] = tuple(values.get(key) or ())
    values["ownership"] = ownership
    return Outlet(**values)


class OutletRegistry:
    """Look outlets up by id, name/alias or URL domain."""

    def __init__(self, outlets: Iterable[Outlet]):
        self._by_id: dict[str, Outlet] = {}
        for outlet in outlets:
            self._by_id[outlet.id] = outlet
        self._by_domain: dict[str, str] = {}
        self._by_name: dict[str, str] = {}
        for outlet in self._by_id.values():
            for d in outlet.domains:
                self._by_domain[d.lower().removeprefix("www.")] = outlet.id
            for name in (outlet.id, outlet.name, *outlet.aliases):
                key = fold(name)
                if key:
                    self._by_name.setdefault(key, outlet.id)

    def __iter__(self):
        return iter(sorted(self._by_id.values(), key=lambda o: o.id))

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, outlet_id: str | None) -> Outlet | None:
        return self._by_id.get(outlet_id) if outlet_id else None

    def by_url(self, url: str | None) -> Outlet | None:
        if not url:
            return None
        for candidate in domain_candidates(url):
            if candidate in self._by_domain:
                return self._by_id[self._by_domain[candidate]]
        return None

    def by_name(self, name: str | None) -> Outlet | None:
        """Exact alias match after folding; also strips articles like 'la chaîne', 'le journal'."""
        if not name:
            return None
        key = fold(name)
        if key in self._by_name:
            return self._by_id[self._by_name[key]]
        stripped = re.sub(r"^(?:l |la |le |les |the |al |agence |l agence |la chaine |le journal |le site |le reseau )+", "", key)
        if stripped in self._by_name:
            return self._by_id[self._by_name[stripped]]
        return None

    def names(self) -> dict[str, str]:
        """Folded alias → outlet id (for text scanners)."""
        return dict(self._by_name)


def _load_file(path: Path) -> list[Outlet]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), f"cannot read outlet file ({exc.__class__.__name__}: {exc})") from None
    if isinstance(data, dict):
        data = data.get("outlets", [data])
    return [outlet_from_mapping(item, str(path)) for item in data]


@lru_cache(maxsize=1)
def shipped_outlets() -> tuple[Outlet, ...]:
    text = resources.files("veille").joinpath("data/outlets.json").read_text(encoding="utf-8")
    return tuple(outlet_from_mapping(item, "veille/data/outlets.json") for item in json.loads(text))


def load_registry(extra_files: Iterable[Path] = ()) -> OutletRegistry:
    outlets = list(shipped_outlets())
    for path in extra_files:
        if Path(path).exists():
            outlets.extend(_load_file(Path(path)))
    return OutletRegistry(outlets)


def add_outlet(path: Path, outlet: Outlet) -> None:
    """Add or replace an outlet in a user file (created if needed)."""
    items = []
    if path.exists():
        items = [o.to_dict() for o in _load_file(path) if o.id != outlet.id]
    items.append(outlet.to_dict())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sorted(items, key=lambda o: o["id"]), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
