"""Choosing which place a name means, and turning place mentions into ``Place`` records.

Why context: "Hama" is a city and a governorate, "Rukban" is a camp GeoNames files under
Jordan, and a Syrian village list holds names that are also French words. The rules, in
order: a governorate phrase ("le gouvernorat d'Idleb", "Hama countryside", "rif Idlib")
means the governorate; the curated CSV beats GeoNames; a candidate in a country the
article talks about (Syria by default for this corpus) beats one elsewhere; then the
larger population wins. Fuzzy matching (rapidfuzz) only rescues names spaCy marked as
places, with a high, length-aware threshold, so that Salba never becomes Salé.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from ..records import Place
from . import Doc
from .gazetteer import Gazetteer, PlaceEntry, gazetteer
from .textnorm import fold, tokens

_GOV_BEFORE = re.compile(
    r"(?:gouvernorats?|provinces?|r[ée]gions?|governorates?|rif|reef|campagne|countryside|banlieue|environs|"
    r"outskirts|محافظة|ريف)\s*(?:(?:du|de|des|la|le|l['’]|d['’]|of|the|sud|nord|est|ouest|orientale?|occidentale?|septentrionale?|m[ée]ridionale?|north(?:ern)?|south(?:ern)?|"
    r"east(?:ern)?|west(?:ern)?|[a-zé]+-(?:est|ouest)|nord-ouest|sud-est)\s*){0,4}$", re.IGNORECASE)
_GOV_AFTER = re.compile(r"^\s*(?:province|governorate|countryside|gouvernorat|'s countryside|’s countryside)\b",
                        re.IGNORECASE)


def governorate_phrase(text: str, start: int, end: int) -> bool:
    if re.match(r"\s+(?:city|ville)\b", text[end:end + 8], re.IGNORECASE):
        return False  # "outskirts of Deir Ezzor city"
    return bool(_GOV_BEFORE.search(text[max(0, start - 40):start]) or _GOV_AFTER.match(text[end:end + 25]))


def context_countries(candidate_lists: list[list[PlaceEntry]]) -> Counter:
    """Countries the article talks about: votes from unambiguous curated matches."""
    votes: Counter = Counter()
    for cands in candidate_lists:
        curated = {c.country for c in cands if c.curated and c.country}
        if len(curated) == 1:
            votes[next(iter(curated))] += 1
    return votes


def choose(cands: list[PlaceEntry], text: str, start: int, end: int, ctx: Counter) -> PlaceEntry | None:
    if not cands:
        return None
    gov = governorate_phrase(text, start, end)
    top_country = ctx.most_common(1)[0][0] if ctx else "SY"

    def score(c: PlaceEntry) -> float:
        s = 0.0
        if c.kind == "admin1":
            s += 5 if gov else -1
        if c.curated:
            s += 3
        if c.country == top_country:
            s += 2
        elif c.country and ctx.get(c.country):
            s += 1
        s += math.log10(c.population + 1) / 3
        return s

    return max(cands, key=score)


def as_governorate(g: Gazetteer, entry: PlaceEntry, text: str, start: int, end: int) -> PlaceEntry:
    """'la province d'Idlib' found as the city → the governorate with its centroid."""
    if entry.kind != "admin1" and governorate_phrase(text, start, end):
        gov = g.governorate(entry.country, entry.admin1)
        if gov is not None and fold(entry.name).split()[0] in fold(gov.name):
            return gov
    return entry


@lru_cache(maxsize=1)
def _fuzzy_keys() -> dict[str, list[str]]:
    by_first: dict[str, list[str]] = {}
    keys = set()
    for cands in gazetteer().index.values():
        for toks, _ in cands:
            keys.add(" ".join(toks))
    for k in sorted(keys):  # sorted: the same answer whatever the hash seed (Spark workers use 0)
        if len(k) >= 5:
            by_first.setdefault(k[0], []).append(k)
    return by_first


_ARTICLE = re.compile(r"^(?:(?:la|le|les|l|the|al|el|ad|ar|as|at|az|an|ash|ville|village|city|town)\s+)+")


_GLUED = re.compile(r"^([a-z]{4,}?)(?:north|south|east|west|northern|southern|eastern|western|northeast|northwest|"
                    r"southeast|southwest|city|province|countryside|nord|sud|est|ouest)$")


def fuzzy_lookup(name: str) -> tuple[list[PlaceEntry], bool]:
    """Exact, then article-stripped, then gated fuzzy lookup of a name spaCy marked as a place.

    Returns the candidates and whether they came from the fuzzy step: fuzzy candidates are
    only trusted inside the countries the article talks about (the caller's second gate),
    so "Salma" in Latakia never becomes Salmās in Iran. Ties keep every best-scoring key,
    so the choice is made by context, not by the order of an index.
    """
    g = gazetteer()
    exact = g.lookup(name)
    if exact:
        return exact, False
    key = " ".join(tokens(fold(name)))
    bare = _ARTICLE.sub("", key)
    if bare != key and bare:
        exact = g.lookup(bare)
        if exact:
            return exact, False
    glued = _GLUED.match(key)
    if glued:  # "Kobaninorth": punctuation stripped from "Kobani, north Syria" glues the words
        exact = g.lookup(glued.group(1))
        if exact:
            return exact, True
    if len(key) < 5:
        return [], False
    from rapidfuzz import fuzz, process

    choices = _fuzzy_keys().get(key[0], [])
    hits = [h for h in process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=90, limit=8)
            if abs(len(h[0]) - len(key)) <= max(1, len(key) // 8)]
    if not hits:
        return [], True
    top = max(h[1] for h in hits)
    out: list[PlaceEntry] = []
    for k, score, _ in sorted(hits):
        if score == top:
            out.extend(g.lookup(k))
    return out, True


def place_record(entry: PlaceEntry, start: int, end: int, surface: str) -> Place:
    return Place(name=entry.name, lat=entry.lat, lon=entry.lon, country=entry.country, admin1=entry.admin1,
                 geonames_id=entry.geonames_id, start=start, end=end, entity_id=entry.id)


class PlaceComponent:
    """Doc.places from the place mentions the entity component resolved (coordinates only)."""

    name = "places"
    requires: tuple[str, ...] = ("entities",)
    produces: tuple[str, ...] = ("places",)

    def __call__(self, doc: Doc) -> Doc:
        g = gazetteer()
        places = []
        for m in doc.mentions:
            entry = g.by_id.get(m.entity_id or "")
            if entry is None or entry.lat is None:
                continue
            places.append(place_record(entry, m.start, m.end, doc.text[m.start:m.end]))
        return replace(doc, places=tuple(places))
