"""Typed, frozen records that flow between stages (DESIGN §2).

Why frozen: every stage is a function records-in → records-out, so the CLI, the web UI
and the Spark job can share code and re-run any stage without hidden mutation. A stage
that adds information returns a copy (``dataclasses.replace``).

Field names are the contract of the JSONL exports: ``to_dict`` gives exactly them.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any, Mapping


_SCALARS = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_FIELD_SETS: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """A record type's field names, in order (``dataclasses.fields`` once per type: it is slow, and
    the web UI and the exports turn tens of thousands of records into dicts and back)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _plain(value: Any) -> Any:
    """Turn records, tuples and mappings into JSON-ready plain values."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if hasattr(kind, "__dataclass_fields__"):  # a record instance (a record class is a ``type``: not here)
        return {name: _plain(getattr(value, name)) for name in _field_names(kind)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if kind is dict or isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Record:
    """Mixin: plain-dict round trip for every record type."""

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]):
        names = _FIELD_SETS.get(cls)
        if names is None:
            names = _FIELD_SETS[cls] = frozenset(_field_names(cls))
        kwargs = {}
        for key, value in data.items():
            if key not in names:
                continue
            sub = _NESTED.get((cls.__name__, key))
            if sub is not None and value is not None:
                if isinstance(value, list):
                    value = tuple(sub.from_dict(v) if type(v) is dict or isinstance(v, Mapping) else v for v in value)
                elif type(value) is dict or isinstance(value, Mapping):
                    value = sub.from_dict(value)
            elif isinstance(value, list):
                value = tuple(value)
            kwargs[key] = value
        return cls(**kwargs)


def stable_id(*parts: object, length: int = 16) -> str:
    """A short, stable hash of the given parts (None-safe)."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class Outlet(Record):
    id: str
    name: str
    domains: tuple[str, ...] = ()
    country: str | None = None
    languages: tuple[str, ...] = ()
    ownership: str = "unknown"  # state | public | private | party | armed-group | ngo | unknown
    affiliation: str | None = None
    label_source: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str | None = None

    @property
    def label(self) -> str:
        """Short human label shown next to the outlet's name."""
        bits = [b for b in (self.ownership if self.ownership != "unknown" else None, self.country) if b]
        text = ", ".join(bits)
        if self.affiliation:
            text = f"{text} — {self.affiliation}" if text else self.affiliation
        return text


@dataclass(frozen=True)
class RawDoc(Record):
    """One raw capture: the bytes and where they came from. Stored content-addressed."""

    content: bytes
    source: str  # path or URL
    media_type: str | None = None
    fetched_at: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    fallback: Mapping[str, Any] | None = None  # metadata from a feed/sitemap entry

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class InputRef(Record):
    """Where an article came from: a file span or a fetched URL."""

    path: str | None = None
    line_start: int | None = None
    line_end: int | None = None
    url: str | None = None
    fetched_at: str | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class Boilerplate(Record):
    """A line removed from the text, kept with what it is."""

    kind: str  # caption | credit | rubric | short-url | share-count | read-also | teaser | teaser-blurb | image-file | byline | source | date | ...
    text: str
    line: int | None = None


@dataclass(frozen=True)
class Place(Record):
    name: str
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    geonames_id: int | None = None
    start: int | None = None
    end: int | None = None
    entity_id: str | None = None
    admin2: str | None = None
    kind: str | None = None  # country | admin1 | admin2 | populated | city | base | camp | region | …


@dataclass(frozen=True)
class Mention(Record):
    article_id: str
    start: int
    end: int
    label: str
    entity_id: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Entity(Record):
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    country: str | None = None
    admin1: str | None = None
    geonames_id: int | None = None
    acled_class: str | None = None
    acled_inter: int | None = None


@dataclass(frozen=True)
class Claim(Record):
    id: str
    article_id: str
    kind: str
    min: float | None
    max: float | None
    qualifier: str  # exact | at_least | at_most | about
    subject: str | None
    text: str
    start: int
    end: int
    attributed_to: tuple[str, ...] = ()
    event_id: str | None = None
    cumulative: bool = False
    number_text: str | None = None
    number_start: int | None = None
    number_end: int | None = None
    # issue 14 (docs/claims.md): how the figure relates to the others of its article
    part_of: str | None = None  # id of the claim whose figure this one is a part of ("dont 50 enfants")
    adds_to: str | None = None  # id of the claim this figure adds to ("two men and a woman were killed")
    predicate: str | None = None  # the word that makes it a count of its kind ("killed", "died", "dead", "toll")
    implicit: bool = False  # counted from a noun phrase with no figure ("a man was killed": 1)


@dataclass(frozen=True)
class Event(Record):
    event_id: str
    event_date: str | None
    time_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str | None = None
    actor2: str | None = None
    country: str | None = None
    admin1: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    source: tuple[str, ...] = ()
    notes: str | None = None
    fatalities: int | None = None
    claims: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    start: int | None = None
    end: int | None = None
    inter1: int | None = None
    inter2: int | None = None
    admin2: str | None = None
    # issue 14 (docs/claims.md): the injured toll read like the fatalities, and the claims each toll came from
    injured: int | None = None
    fatalities_claims: tuple[str, ...] = ()
    injured_claims: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article(Record):
    id: str
    text: str
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None  # outlet id; exports expand it to the Outlet record
    section: str | None = None
    headline: str | None = None
    title: str | None = None
    published_at: str | None = None
    date_precision: str | None = None  # minute | day | month
    language: str | None = None
    authors: tuple[str, ...] = ()
    lead: str | None = None
    boilerplate: tuple[Boilerplate, ...] = ()
    cited_sources: tuple[str, ...] = ()
    republished_from: str | None = None
    input: InputRef | None = None
    places: tuple[Place, ...] = ()
    main_event: Event | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def display_title(self) -> str:
        return self.headline or self.title or (self.text[:80] + "…" if len(self.text) > 80 else self.text)


@dataclass(frozen=True)
class Story(Record):
    id: str
    title: str
    first_seen: str | None
    last_seen: str | None
    articles: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    # exact copies refused at ingest (same outlet, same text, another URL or id): listed with
    # the story of the article they copy, so none is lost from the story layer
    copies: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContradictionValue(Record):
    min: float | None
    max: float | None
    qualifier: str
    outlet: str | None
    attributed_to: tuple[str, ...]
    article_id: str
    claim_id: str
    # issue 20: each value explains itself (the figure's words, its span, when it was published)
    subject: str | None = None
    text: str | None = None  # the sentence
    start: int | None = None  # the sentence's offsets in the article text
    end: int | None = None
    number_text: str | None = None
    number_start: int | None = None
    number_end: int | None = None
    published_at: str | None = None


@dataclass(frozen=True)
class Contradiction(Record):
    id: str
    story_id: str | None
    kind: str
    subject: str | None
    values: tuple[ContradictionValue, ...] = ()
    # issue 20: why the values are the same quantity and how far apart they are
    scope: str | None = None  # article (one article's speakers) | story (outlets on one event)
    group: str | None = None  # the victim group, language-independent ("soldiers+us", "civilians", "people")
    event: Mapping[str, Any] | None = None  # the shared event: event_id, date, type, sub_type, location, admin1, country
    why: tuple[Mapping[str, Any], ...] = ()  # the checks passed, each {"check": kind|group|incident_tolls|event|speakers|values, …}
    spread: Mapping[str, Any] | None = None  # low, high, difference, ratio (the nearest ends of the intervals)


_NESTED: dict[tuple[str, str], type] = {
    ("Article", "boilerplate"): Boilerplate,
    ("Article", "input"): InputRef,
    ("Article", "places"): Place,
    ("Article", "main_event"): Event,
    ("Contradiction", "values"): ContradictionValue,
}
