"""What the dossier and the web UI show next to an article: the cross-check.

Why shared: "other outlets on the story, figures side by side with their speakers,
contradictions" must read the same in the offline dossier and in the served UI, so both
build their view from these functions over store records.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..outlets import OutletRegistry
from ..records import Article, Claim, Contradiction, Event, Story


KIND_LABELS = {"killed": "tués", "wounded": "blessés", "arrested": "arrêtés", "displaced": "déplacés",
               "deployed": "déployés", "surrendered": "redditions", "detained": "détenus", "missing": "disparus",
               "kidnapped": "enlevés", "evacuated": "évacués"}


def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", kind or "")


def fmt_value(vmin: float | None, vmax: float | None, qualifier: str | None = None) -> str:
    """"au moins 9", "2–9", "environ 20": a figure as a reader says it."""
    def num(x: float | None) -> str:
        if x is None:
            return "?"
        return str(int(x)) if float(x).is_integer() else f"{x:g}"

    core = num(vmin) if vmin == vmax or vmax is None else f"{num(vmin)}–{num(vmax)}"
    prefix = {"at_least": "au moins ", "at_most": "au plus ", "about": "environ "}.get(qualifier or "", "")
    return prefix + core


def speakers(chain: Iterable[str], outlet_name: str | None) -> str:
    """The attribution chain as read aloud: 'Al Jazeera ← une source sur place (via Sputnik)'."""
    chain = [c for c in chain if c]
    if not chain:
        return outlet_name or "le média"
    return " ← ".join(chain) + (f" (via {outlet_name})" if outlet_name else "")


@dataclass
class Figure:
    claim: Claim
    outlet: str | None
    outlet_name: str | None
    value: str
    said_by: str


@dataclass
class FigureRow:
    """All figures of one kind about one subject in a story, side by side."""

    kind: str
    subject: str | None
    figures: list[Figure] = field(default_factory=list)
    contradicted: bool = False


def outlet_name(registry: OutletRegistry, outlet_id: str | None) -> str | None:
    o = registry.get(outlet_id)
    return o.name if o else outlet_id


def _says(t):
    """(figure formatter, speakers formatter): the translator's when a page asks for a language."""
    return (t.value, t.speakers) if t is not None else (fmt_value, speakers)


def figure_rows(claims: Iterable[Claim], articles: dict[str, Article], registry: OutletRegistry,
                contradictions: Iterable[Contradiction] = (), t=None) -> list[FigureRow]:
    """``t``: a ``veille.i18n`` translator (None: French, as the dossier has always said it)."""
    value_of, said_by = _says(t)
    rows: "OrderedDict[tuple[str, str], FigureRow]" = OrderedDict()
    contested = {(c.kind, (c.subject or "").casefold()) for c in contradictions}
    contested_claims = {v.claim_id for c in contradictions for v in c.values}
    for c in claims:
        key = (c.kind, (c.subject or "").casefold())
        row = rows.setdefault(key, FigureRow(c.kind, c.subject))
        art = articles.get(c.article_id)
        oid = art.outlet if art else None
        name = outlet_name(registry, oid)
        row.figures.append(Figure(c, oid, name, value_of(c.min, c.max, c.qualifier), said_by(c.attributed_to, name)))
        if key in contested or c.id in contested_claims:
            row.contradicted = True
    return list(rows.values())


@dataclass
class ContradictionView:
    contradiction: Contradiction
    values: list[tuple[str, str]]  # (figure, who says it)
    t: Any = None  # the page's translator, if any

    @property
    def summary(self) -> str:
        if self.t is not None:
            return f" {self.t('figure.versus')} ".join(f"{v} {self.t('figure.according_to', who=who)}" for v, who in self.values)
        return " contre ".join(f"{v} selon {who}" for v, who in self.values)


def contradiction_views(contradictions: Iterable[Contradiction], articles: dict[str, Article],
                        registry: OutletRegistry, t=None) -> list[ContradictionView]:
    value_of, said_by = _says(t)
    views = []
    for c in contradictions:
        vals = []
        for v in c.values:
            art = articles.get(v.article_id)
            oid = v.outlet or (art.outlet if art else None)
            vals.append((value_of(v.min, v.max, v.qualifier), said_by(v.attributed_to, outlet_name(registry, oid))))
        views.append(ContradictionView(c, vals, t))
    return views


def map_events(events: Iterable[Event], claims_by_id: dict[str, Claim], articles: dict[str, Article],
               registry: OutletRegistry, link, t=None) -> list[dict]:
    """Plain data for map.js: one dict per located event; ``link(article)`` gives an href; ``t``
    (a translator) gives figures, speakers and ACLED categories in the page's language."""
    value_of, said_by = _says(t)
    out = []
    for e in events:
        if e.latitude is None or e.longitude is None:
            continue
        cl = []
        for cid in e.claims:
            c = claims_by_id.get(cid)
            if c is None:
                continue
            art = articles.get(c.article_id)
            name = outlet_name(registry, art.outlet if art else None)
            cl.append({"text": c.text, "value": value_of(c.min, c.max, c.qualifier), "outlet": name,
                       "speakers": said_by(c.attributed_to, name)})
        links = []
        for aid in e.articles:
            art = articles.get(aid)
            if art is not None:
                links.append({"href": link(art), "label": outlet_name(registry, art.outlet) or "article"})
        out.append({"id": e.event_id, "lat": float(e.latitude), "lon": float(e.longitude), "date": e.event_date,
                    "type": (t.event_label(e) if t is not None else e.sub_event_type or e.event_type), "location": e.location, "fatalities": e.fatalities,
                    "claims": cl[:5], "links": links[:8]})
    return out


@dataclass
class Day:
    date: str
    articles: list[Article]
    events: list[Event]
    fatalities: int


def timeline(articles: Iterable[Article], events: Iterable[Event]) -> list[Day]:
    """Articles and events by day, oldest first (time reads left to right)."""
    days: dict[str, Day] = {}
    for a in articles:
        if a.published_at:
            d = a.published_at[:10]
            days.setdefault(d, Day(d, [], [], 0)).articles.append(a)
    for e in events:
        if e.event_date:
            d = e.event_date[:10]
            day = days.setdefault(d, Day(d, [], [], 0))
            day.events.append(e)
            day.fatalities += e.fatalities or 0
    return [days[k] for k in sorted(days)]


def story_outlets(story: Story | None, articles: dict[str, Article], registry: OutletRegistry,
                  exclude: str | None = None) -> list[tuple[Article, str | None, str]]:
    """(article, outlet name, outlet label) of the other articles of the story."""
    out = []
    for aid in (story.articles if story else ()):
        art = articles.get(aid)
        if art is None or art.id == exclude:
            continue
        o = registry.get(art.outlet)
        out.append((art, o.name if o else art.outlet, o.label if o else ""))
    return out
