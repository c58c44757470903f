"""Choosing which place a name means, and turning place mentions into ``Place`` records.

Why context: "Hama" is a city and a governorate, "Seno" a Burkinabe province and a Spanish
village, "Rukban" a camp GeoNames files under Jordan. The rules, in order: a unit phrase
("le gouvernorat d'Idleb", "Sourou province", "Donetsk oblast", "wilaya de X", "محافظة X")
means the admin unit; a place named with its admin units ("Seme (Toeni, Sourou)",
"Kramatorsk, Donetsk oblast") is the one inside them; the curated CSV beats GeoNames; a
candidate in the country the article talks about (its country names, demonyms and
unambiguous places) beats one elsewhere; then the larger population wins. Fuzzy matching (rapidfuzz) only rescues names spaCy marked as
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

_UNIT_BEFORE = (r"gouvernorats?|provinces?|r[ée]gions?|governorates?|oblasts?|states?|[ée]tats?|wilaya[ht]?s?|"
                r"districts?|d[ée]partements?|departments?|counties|county|pr[ée]fectures?|cercles?|raions?|"
                r"muhafazah|rif|reef|campagne|countryside|banlieue|environs|outskirts|cazas?|qadaa?|محافظة|ريف|ولاية|إقليم|اقليم|قضاء|مديرية")
_GOV_BEFORE = re.compile(
    r"(?:" + _UNIT_BEFORE + r")\s*(?:(?:du|de|des|la|le|l['’]|d['’]|of|the|sud|nord|est|ouest|orientale?|occidentale?|"
    r"septentrionale?|m[ée]ridionale?|north(?:ern)?|south(?:ern)?|east(?:ern)?|west(?:ern)?|[a-zé]+-(?:est|ouest)|"
    r"nord-ouest|sud-est)\s*){0,4}$", re.IGNORECASE)
_GOV_AFTER = re.compile(r"^\s*(?:province|governorate|countryside|gouvernorat|region|r[ée]gion|oblast|state|wilaya|"
                        r"district|department|county|prefecture|raion|local government(?: area)?|lga|'s countryside|’s countryside)\b",
                        re.IGNORECASE)


def governorate_phrase(text: str, start: int, end: int) -> bool:
    """The name is an admin unit's: "province de X", "X governorate", "X oblast", "wilaya de X", "محافظة X"."""
    if re.match(r"\s+(?:city|ville)\b", text[end:end + 8], re.IGNORECASE):
        return False  # "outskirts of Deir Ezzor city"
    return bool(_GOV_BEFORE.search(text[max(0, start - 40):start]) or _GOV_AFTER.match(text[end:end + 25]))


ADMIN_KINDS = ("admin1", "admin2")


def context_countries(candidate_lists: list[list[PlaceEntry]], named: Counter | None = None) -> Counter:
    """Countries the article talks about: the countries and demonyms it names (``named``), then
    votes from unambiguous matches — curated ones count fully, a GeoNames name with candidates in
    one country only counts half (many villages share a name across borders)."""
    votes: Counter = Counter(named or {})
    for cands in candidate_lists:
        curated = {c.country for c in cands if c.curated and c.country}
        if len(curated) == 1:
            votes[next(iter(curated))] += 1
            continue
        countries = {c.country for c in cands if c.country}
        if len(countries) == 1:
            votes[next(iter(countries))] += 0.5
    return votes


def _inside(c: PlaceEntry, unit: tuple[str | None, str | None, str | None]) -> bool:
    cc, a1, a2 = unit
    if c.country != cc or not a1 or c.a1 != a1:
        return False
    return not a2 or c.a2 == a2 or (c.kind == "admin1")


def choose(cands: list[PlaceEntry], text: str, start: int, end: int, ctx: Counter,
           within: tuple[tuple[str | None, str | None, str | None], ...] = (), unit: bool = False
           ) -> PlaceEntry | None:
    """The candidate a name means here: an admin unit after a unit word or where the text lists admin
    areas (``unit``: "(Gorgadji, Seno)"); a place inside the admin units named with it ("Seme (Toeni,
    Sourou)", "Kramatorsk, Donetsk oblast"); curated over GeoNames; the article's country; then
    population."""
    if not cands:
        return None
    gov = unit or governorate_phrase(text, start, end)
    top_country = ctx.most_common(1)[0][0] if ctx else None

    def score(c: PlaceEntry) -> float:
        s = 0.0
        if c.kind in ADMIN_KINDS:
            s += 5 if gov else -1
        if c.curated:
            s += 3
        if within and any(_inside(c, u) for u in within):
            s += 6
        if top_country and c.country == top_country:
            s += 2
        elif c.country and ctx.get(c.country):
            s += 1
        s += math.log10((c.population or 0) + 1) / 3
        return s

    return max(sorted(cands, key=lambda c: c.id), key=score)


def as_governorate(g: Gazetteer, entry: PlaceEntry, text: str, start: int, end: int) -> PlaceEntry:
    """'la province d'Idlib' found as the city → the admin unit of that name that holds it."""
    if entry.kind not in ADMIN_KINDS and entry.kind != "country" and governorate_phrase(text, start, end):
        first = fold(entry.name).split()[0] if entry.name.split() else ""
        for unit in (g.admin_unit(entry.country, entry.a1, entry.a2) if entry.a2 else None,
                     g.admin_unit(entry.country, entry.a1)):
            if unit is not None and first and first in fold(unit.name):
                return unit
    return entry


@lru_cache(maxsize=2)
def _curated_keys(g: Gazetteer) -> dict[str, list[str]]:
    """Name keys of the curated places (a few thousand), by first letter."""
    by_first: dict[str, list[str]] = {}
    keys = {" ".join(tokens(fold(a))) for e in g.curated() for a in e.aliases}
    for k in sorted(keys):  # sorted: the same answer whatever the hash seed (Spark workers use 0)
        if len(k) >= 5:
            by_first.setdefault(k[0], []).append(k)
    return by_first


_ARTICLE = re.compile(r"^(?:(?:la|le|les|l|the|al|el|ad|ar|as|at|az|an|ash|ville|village|city|town)\s+)+")


_GLUED = re.compile(r"^([a-z]{4,}?)(?:north|south|east|west|northern|southern|eastern|western|northeast|northwest|"
                    r"southeast|southwest|city|province|countryside|nord|sud|est|ouest)$")


def fuzzy_lookup(name: str, countries: tuple[str, ...] = (), g: Gazetteer | None = None
                 ) -> tuple[list[PlaceEntry], bool]:
    """Exact, then article-stripped, then gated fuzzy lookup of a name spaCy marked as a place.

    Returns the candidates and whether they came from the fuzzy step. The fuzzy step only looks
    at the curated names and at the names of ``countries`` (those the article is about), and the
    caller keeps fuzzy candidates only inside those countries, so "Salma" in Latakia never becomes
    Salmās in Iran. Ties keep every best-scoring key, so the choice is made by context, not by the
    order of an index. ``g``: the pipeline's gazetteer (``Resources.gazetteer``); the default
    index otherwise (tests, one-off calls).
    """
    g = g or gazetteer()
    exact = g.lookup(name, exact_case=True)
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

    choices = list(_curated_keys(g).get(key[0], []))
    for cc in countries[:4]:
        choices += g.fuzzy_keys(cc, key[0])
    choices = sorted(set(choices))
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
                 geonames_id=entry.geonames_id, start=start, end=end, entity_id=entry.id, admin2=entry.admin2,
                 kind=entry.kind)


class PlaceComponent:
    """Doc.places from the place mentions the entity component resolved (coordinates only)."""

    name = "places"
    requires: tuple[str, ...] = ("entities",)
    produces: tuple[str, ...] = ("places",)

    def __init__(self, resources=None):
        self.resources = resources

    def __call__(self, doc: Doc) -> Doc:
        g = self.resources.gazetteer if self.resources is not None else gazetteer()
        places = []
        for m in doc.mentions:
            entry = g.entry(m.entity_id) if m.label == "LOC" and m.entity_id and \
                not m.entity_id.startswith("loc:") else None
            if entry is None or entry.lat is None:
                continue
            places.append(place_record(entry, m.start, m.end, doc.text[m.start:m.end]))
        return replace(doc, places=tuple(places))
