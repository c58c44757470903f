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
class ValueView:
    """One side of a flag, as a reader checks it: the figure, who says it, when, and the words."""

    figure: str  # "2", "au moins 9"
    who: str  # "Kurdistan 24 (via Sputnik)"
    outlet: str | None
    when: str  # the publication date, in the reader's language ("" when unknown)
    quote: str  # the sentence
    number: tuple[int, int] | None  # the figure's span inside ``quote``
    article_id: str
    claim_id: str


@dataclass
class ContradictionView:
    """A flag that explains itself (issue 20): each value with its qualifier, speaker chain, date and
    sentence; the shared event; why the figures are one quantity; how far apart they are."""

    contradiction: Contradiction
    values: list[tuple[str, str]]  # (figure, who says it)
    t: Any = None  # the page's translator (veille.i18n); None: French
    items: list[ValueView] = field(default_factory=list)
    title: str = ""  # "Contradiction — tués (soldats américains), entre médias"
    event: str = ""  # "Engin explosif improvisé à Manbij (Alep), 16 janvier 2019"
    why: list[str] = field(default_factory=list)  # the checks passed, one line each
    gap: str = ""  # "2 contre 5 : écart de 3 (×2,5)"

    def _t(self):
        from ..i18n import translator

        return self.t if self.t is not None else translator("fr")

    @property
    def summary(self) -> str:
        t = self._t()
        return f" {t('figure.versus')} ".join(f"{v} {t('figure.according_to', who=who)}" for v, who in self.values)

    @property
    def why_label(self) -> str:
        return self._t()("crosscheck.explain")

    @property
    def explanation(self) -> list[str]:
        """Every line a reader needs to judge the flag, in order."""
        return [x for x in [self.event, *self.why, self.gap] if x]


def _event_text(t, ev: dict | None) -> str:
    if not ev:
        return ""
    bits = [t.event_label(ev) or ""]
    place = ev.get("location") or ev.get("admin1")
    if place:
        where = place if not ev.get("admin1") or ev.get("admin1") == place else f"{place} ({ev['admin1']})"
        bits.append(t("crosscheck.at_place", place=where))
    text = " ".join(b for b in bits if b)
    if ev.get("date"):
        text = f"{text}, {t.date(ev['date'])}" if text else t.date(ev["date"])
    return text


def _why_lines(t, c: Contradiction) -> list[str]:
    out = []
    for w in c.why or ():
        check = w.get("check")
        if check == "kind":
            out.append(t("crosscheck.why.kind", kind=t.kind(w.get("kind"))))
        elif check == "group":
            subject = next((s for s in w.get("subjects") or () if s), None) or c.subject
            out.append(t("crosscheck.why.group", group=t.subject(subject) if subject else w.get("group", "")))
            if w.get("part"):  # 'four civilians' against 'two people': a part set against its whole
                out.append(t("crosscheck.why.part", part=t.subject(w["part"]), whole=t.subject(w.get("group") or "")))
            if w.get("place_part"):  # a neighbourhood's figure against its city's, a town's against its province's
                out.append(t("crosscheck.why.place_part", part=", ".join(w["place_part"]),
                             whole=", ".join(w.get("place_whole") or ())))
        elif check == "incident_tolls":
            out.append(t("crosscheck.why.incident_tolls"))
        elif check == "headline_tolls":  # across articles: each its article's toll of the incident
            out.append(t("crosscheck.why.headline_tolls"))
        elif check == "event":
            ev = _event_text(t, w.get("event"))
            out.append(t("crosscheck.why.event", event=ev) if ev else t("crosscheck.why.event_unknown"))
        elif check == "speakers":
            who = [" ← ".join(chain) if chain else "?" for chain in (w.get("speakers") or ())]
            out.append(t("crosscheck.why.speakers", speakers=" / ".join(dict.fromkeys(who))))
    return out


def _gap_text(t, c: Contradiction) -> str:
    g = c.spread or {}
    if g.get("low") is None or g.get("high") is None:
        return ""
    ratio = g.get("ratio")
    return t("crosscheck.gap", low=t.number(g["low"]), high=t.number(g["high"]), difference=t.number(g.get("difference", 0)),
             ratio=t.number(ratio) if ratio else "—")


def contradiction_views(contradictions: Iterable[Contradiction], articles: dict[str, Article],
                        registry: OutletRegistry, t=None, lang: str | None = None) -> list[ContradictionView]:
    """The flags as the cross-check box shows them (dossier, daily review, web UI): ``t`` the page's
    translator (else one for ``lang``, French by default)."""
    from ..i18n import translator

    t = t if t is not None else translator(lang or "fr")
    views = []
    for c in contradictions:
        vals, items = [], []
        for v in c.values:
            art = articles.get(v.article_id)
            oid = v.outlet or (art.outlet if art else None)
            name = outlet_name(registry, oid)
            figure, who = t.value(v.min, v.max, v.qualifier), t.speakers(v.attributed_to, name)
            vals.append((figure, who))
            quote = v.text or ""
            span = None
            if v.number_start is not None and v.start is not None and v.number_end is not None:
                span = (v.number_start - v.start, v.number_end - v.start)
                if not (0 <= span[0] < span[1] <= len(quote)):
                    span = None
            when = v.published_at or (art.published_at if art else None)
            items.append(ValueView(figure, who, name, t.date(when) if when else "", quote, span, v.article_id, v.claim_id))
        scope = c.scope or ("story" if c.story_id else "article")
        subject = f" ({t.subject(c.subject)})" if c.subject else ""
        title = f"{t('crosscheck.contradiction')} — {t.kind(c.kind)}{subject}, {t('crosscheck.scope.' + scope)}"
        views.append(ContradictionView(c, vals, t, items, title, _event_text(t, c.event), _why_lines(t, c), _gap_text(t, c)))
    return views


def evolution_views(evolution: Iterable[dict], articles: dict[str, Article], registry: OutletRegistry,
                    t=None, lang: str | None = None) -> list[dict]:
    """Each toll's evolution (``link.crosscheck.CrossCheck.evolution``) as lines to show: when, the
    figure, who says it — not a contradiction, the toll rising as reports come in."""
    from ..i18n import translator

    t = t if t is not None else translator(lang or "fr")
    out = []
    for ev in evolution:
        points = []
        for p in ev.get("points", ()):
            art = articles.get(p.get("article_id"))
            name = outlet_name(registry, p.get("outlet") or (art.outlet if art else None))
            when = p.get("published_at") or (art.published_at if art else None)
            points.append({"when": t.datetime(when) if when else "", "figure": t.value(p.get("min"), p.get("max"), p.get("qualifier")),
                           "who": t.speakers(p.get("attributed_to") or (), name), "quote": p.get("text") or "",
                           "article_id": p.get("article_id")})
        subject = next((p.get("subject") for p in ev.get("points", ()) if p.get("subject")), None)
        out.append({"title": f"{t('crosscheck.evolution')} — {t.kind(ev.get('kind'))}" + (f" ({t.subject(subject)})" if subject else ""),
                    "event": _event_text(t, ev.get("event")), "points": points})
    return out


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
