"""Per-outlet extraction specs (fundus-style), kept as data in ``data/specs/*.json``.

Why data: which box on a page is the body, which is a related-article teaser and how an
outlet prints its dates changes with every redesign; an analyst can fix a spec without
touching code. A spec names the outlet and its domains, XPaths for body/title/date/author/
lead, XPaths of elements to drop inside the body *by kind* (caption, credit, teaser,
share-count, …), line patterns by kind, and ``strptime`` date formats. Users add specs in
``$VEILLE_SPECS`` (a folder); theirs win for the same domain.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import InputError
from ..urls import domain_candidates


@dataclass(frozen=True)
class Spec:
    name: str
    domains: tuple[str, ...]
    body: tuple[str, ...]
    title: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    drop: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lines: tuple[tuple[str, re.Pattern], ...] = ()
    date_formats: tuple[str, ...] = ()

    def line_kind(self, text: str) -> str | None:
        for kind, pattern in self.lines:
            if pattern.search(text):
                return kind
        return None


def spec_from_mapping(data: dict, origin: str) -> Spec:
    if not isinstance(data, dict) or not data.get("domains") or not data.get("body"):
        raise InputError(origin, "an extraction spec needs 'domains' and 'body'")

    def tup(key: str) -> tuple[str, ...]:
        value = data.get(key) or ()
        return (value,) if isinstance(value, str) else tuple(value)

    try:
        lines = tuple((kind, re.compile(p, re.I)) for kind, pats in (data.get("lines") or {}).items() for p in pats)
    except re.error as exc:
        raise InputError(origin, f"bad line pattern: {exc}") from None
    drop = {kind: tuple(xps) for kind, xps in (data.get("drop") or {}).items()}
    return Spec(data.get("outlet") or data["domains"][0], tuple(d.lower() for d in data["domains"]), tup("body"),
                tup("title"), tup("date"), tup("author"), tup("lead"), drop, lines, tup("date_formats"))


@lru_cache(maxsize=4)
def _load(user_dir: str | None) -> dict[str, Spec]:
    by_domain: dict[str, Spec] = {}
    folder = resources.files("veille").joinpath("data/specs")
    items = [(f.name, f.read_text(encoding="utf-8")) for f in sorted(folder.iterdir(), key=lambda f: f.name)
             if f.name.endswith(".json")]
    if user_dir and Path(user_dir).is_dir():
        items += [(str(p), p.read_text(encoding="utf-8")) for p in sorted(Path(user_dir).glob("*.json"))]
    for origin, text in items:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(origin, f"extraction spec is not valid JSON ({exc})") from None
        spec = spec_from_mapping(data, origin)
        for d in spec.domains:
            by_domain[d.removeprefix("www.")] = spec
    return by_domain


def load_specs() -> dict[str, Spec]:
    return _load(os.environ.get("VEILLE_SPECS"))


def spec_for_url(url: str | None) -> Spec | None:
    if not url:
        return None
    specs = load_specs()
    for candidate in domain_candidates(url):
        if candidate in specs:
            return specs[candidate]
    return None
