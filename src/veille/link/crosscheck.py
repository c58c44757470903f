"""Story-level events, figures outlet by outlet, and contradictions across outlets.

Rules (documented here because the dossier shows their results as facts):

*Story-level events.* Two article events are the same event when they belong to the same
story, have the same ACLED ``event_type`` (or one lacks it), dates within
``EVENT_DAYS`` days (or one lacks a date), and the same place (same location name or
admin1, within ``EVENT_KM`` km, or one lacks a place). The merged ``Event`` lists every
article, outlet and claim; its ``fatalities`` follows ACLED's conservative rule — when
reports differ, the lowest reported figure — and its date the earliest.

*Comparable figures.* Two claims compare when they share ``kind`` and subject (subjects are
mapped to language-independent keys by ``data/link_subjects.json``) and are not cumulative
running totals ("370 000 morts depuis 2011" is not about the event). A claim's figure is an
interval: exact → [min, max]; at least → [min, ∞); at most → [0, max]; about → ±25 %.

*Rising toll vs contradiction.* Two outlets' figures are:
- a **rising toll** when the later figure — published ≥ ``RISE_HOURS`` hours after the
  other — starts above the earlier one (a toll climbs as bodies are found: 5 dead on day 1,
  9 on day 2; "at least 9" then "at least 19" too, though those intervals overlap).
  That is not a contradiction; it is returned by ``figures_by_outlet`` under ``rising``;
- a **contradiction** when their intervals do not overlap and it is not a rising toll
  (same time window, or a later *lower* figure): stored as a
  ``Contradiction`` with ``story_id``, its values listing each outlet's figure and speaker.
Only claims from different outlets are compared here; disagreements inside one article are
the enrich stage's (``story_id`` null).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Iterable

from ..records import Article, Claim, Contradiction, ContradictionValue, Event, stable_id

EVENT_DAYS = 2
EVENT_KM = 50.0
RISE_HOURS = 12.0
ABOUT = 0.25


# ---- subjects ----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _subject_words() -> dict[str, str]:
    data = json.loads(resources.files("veille.data").joinpath("link_subjects.json").read_text(encoding="utf-8"))
    from ..fingerprint import normalise

    return {" ".join(normalise(w)): key for key, words in data.items() if not key.startswith("_") for w in words}


def subject_key(subject: str | None) -> str:
    """A language-independent key for who a figure counts ('US soldiers' = 'soldats américains')."""
    from ..fingerprint import normalise

    words = normalise(subject or "")
    table = _subject_words()
    keys = {table[w] for w in words if w in table}
    if not subject or keys == {"people"} or (not keys and not words):
        return "people"
    keys.discard("people")
    return "+".join(sorted(keys)) if keys else " ".join(words)


def interval(c: Claim) -> tuple[float, float] | None:
    lo = c.min if c.min is not None else c.max
    hi = c.max if c.max is not None else c.min
    if lo is None:
        return None
    if c.qualifier == "at_least":
        return (lo, math.inf)
    if c.qualifier == "at_most":
        return (0.0, hi)
    if c.qualifier == "about":
        return (lo * (1 - ABOUT), hi * (1 + ABOUT))
    return (lo, hi)


def _when(article: Article | None) -> datetime | None:
    if article is None or not article.published_at:
        return None
    try:
        return datetime.fromisoformat(article.published_at[:19])
    except ValueError:
        return None


def _gap_hours(a: Article, b: Article) -> float | None:
    """Hours from a's publication to b's. When either has only a date, whole days count
    (two articles of the same day are simultaneous, whatever the hour of the other)."""
    ta, tb = _when(a), _when(b)
    if ta is None or tb is None:
        return None
    if len(a.published_at or "") <= 10 or len(b.published_at or "") <= 10:
        return (tb.date() - ta.date()).days * 24.0
    return (tb - ta).total_seconds() / 3600


def relation(a: tuple[Claim, Article], b: tuple[Claim, Article]) -> str | None:
    """None (compatible), 'rising-toll' or 'contradiction' between two outlets' figures."""
    ia, ib = interval(a[0]), interval(b[0])
    if ia is None or ib is None:
        return None
    gap = _gap_hours(a[1], b[1])
    if gap is not None and abs(gap) >= RISE_HOURS:
        i_first, i_later = (ia, ib) if gap > 0 else (ib, ia)
        first_top = i_first[1] if math.isfinite(i_first[1]) else i_first[0]
        if i_later[0] > first_top:
            return "rising-toll"
    if ia[0] <= ib[1] and ib[0] <= ia[1]:
        return None
    return "contradiction"


def _value(c: Claim, art: Article | None) -> ContradictionValue:
    return ContradictionValue(c.min, c.max, c.qualifier, art.outlet if art else None, tuple(c.attributed_to), c.article_id, c.id)


def compare_claims(story_id: str, claims: Iterable[Claim], articles: dict[str, Article]) -> tuple[list[Contradiction], list[dict]]:
    """Contradictions and rising tolls among one story's claims (see the module rules)."""
    groups: dict[tuple[str, str], list[tuple[Claim, Article]]] = defaultdict(list)
    for c in claims:
        art = articles.get(c.article_id)
        if art is None or c.cumulative or interval(c) is None:
            continue
        groups[(c.kind, subject_key(c.subject))].append((c, art))
    contradictions, rising = [], []
    for (kind, skey), items in sorted(groups.items()):
        involved: dict[str, tuple[Claim, Article]] = {}
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                a, b = items[i], items[j]
                if a[1].outlet == b[1].outlet:
                    continue
                rel = relation(a, b)
                if rel == "contradiction":
                    involved[a[0].id] = a
                    involved[b[0].id] = b
                elif rel == "rising-toll":
                    first, later = (a, b) if (_gap_hours(a[1], b[1]) or 0) > 0 else (b, a)
                    rising.append({"kind": kind, "subject": skey,
                                   "from": _value(*first).to_dict() | {"published_at": first[1].published_at},
                                   "to": _value(*later).to_dict() | {"published_at": later[1].published_at}})
        if involved:
            values = tuple(_value(c, art) for c, art in sorted(involved.values(), key=lambda x: (x[1].published_at or "", x[0].id)))
            subject = next((c.subject for c, _ in involved.values() if c.subject), skey)
            contradictions.append(Contradiction(stable_id("contradiction", story_id, kind, skey), story_id, kind, subject, values))
    return contradictions, rising


# ---- story-level events --------------------------------------------------------------------
def _km(a: Event, b: Event) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _days_apart(a: str | None, b: str | None) -> float | None:
    if not a or not b:
        return None
    try:
        return abs((datetime.fromisoformat(a[:10]) - datetime.fromisoformat(b[:10])).days)
    except ValueError:
        return None


def same_event(a: Event, b: Event) -> bool:
    if a.event_type and b.event_type and a.event_type != b.event_type:
        return False
    gap = _days_apart(a.event_date, b.event_date)
    if gap is not None and gap > EVENT_DAYS:
        return False
    km = _km(a, b)
    if km is not None:
        return km <= EVENT_KM
    if a.location and b.location:
        return a.location.casefold() == b.location.casefold() or (a.admin1 is not None and a.admin1 == b.admin1)
    return True


def merge_events(story_id: str, events: list[tuple[str, Event]], articles: dict[str, Article]) -> list[Event]:
    """Article events of one story → story-level events (union of 'same event' pairs)."""
    parent = list(range(len(events)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(events)):
        for j in range(i + 1, len(events)):
            if same_event(events[i][1], events[j][1]):
                parent[find(i)] = find(j)
    groups: dict[int, list[tuple[str, Event]]] = defaultdict(list)
    for i, item in enumerate(events):
        groups[find(i)].append(item)
    merged = []
    for members in groups.values():
        evs = [e for _, e in members]
        art_ids = sorted({a for aid, e in members for a in (e.articles or (aid,))})
        # the outlets that told it first, then any other source the article events named
        outlets = sorted({articles[a].outlet for a in art_ids if a in articles and articles[a].outlet})
        outlets += sorted({s for e in evs for s in e.source} - set(outlets))
        best_place = min(evs, key=lambda e: (e.geo_precision or 9, e.location is None))
        dates = sorted(e.event_date for e in evs if e.event_date)
        tolls = [e.fatalities for e in evs if e.fatalities is not None]
        etype = Counter(e.event_type for e in evs if e.event_type).most_common(1)
        sub = Counter(e.sub_event_type for e in evs if e.sub_event_type).most_common(1)
        merged.append(Event(
            event_id=stable_id("story-event", story_id, *sorted(e.event_id for e in evs)),
            event_date=dates[0] if dates else None,
            time_precision=min((e.time_precision for e in evs if e.time_precision), default=None),
            event_type=etype[0][0] if etype else evs[0].event_type,
            sub_event_type=sub[0][0] if sub else evs[0].sub_event_type,
            actor1=next((e.actor1 for e in evs if e.actor1), None),
            actor2=next((e.actor2 for e in evs if e.actor2), None),
            country=best_place.country, admin1=best_place.admin1, location=best_place.location,
            latitude=best_place.latitude, longitude=best_place.longitude, geo_precision=best_place.geo_precision,
            source=tuple(outlets),
            notes=next((e.notes for e in evs if e.notes), None),
            fatalities=min(tolls) if tolls else None,
            claims=tuple(sorted({c for e in evs for c in e.claims})),
            articles=tuple(art_ids),
            inter1=next((e.inter1 for e in evs if e.inter1 is not None), None),
            inter2=next((e.inter2 for e in evs if e.inter2 is not None), None),
        ))
    return sorted(merged, key=lambda e: (e.event_date or "", e.event_id))


# ---- the view the dossier and web UI read ------------------------------------------------------
def figures_by_outlet(store, story_id: str) -> dict:
    """Per story: each outlet's figures, grouped by the speaker it cites, plus rising tolls
    and the story's contradictions — plain data for the dossier and the web UI."""
    ids = [r[0] for r in store.db.execute("SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY article_id", (story_id,))]
    articles = {a.id: a for a in store.articles(ids=ids)} if ids else {}
    claims = [c for aid in ids for c in store.claims(aid)]
    by_outlet: dict[str, dict[str, list[dict]]] = {}
    for c in sorted(claims, key=lambda c: (articles[c.article_id].published_at or "", c.article_id, c.start)):
        art = articles[c.article_id]
        speaker = c.attributed_to[0] if c.attributed_to else "(own voice)"
        by_outlet.setdefault(art.outlet or "unknown", {}).setdefault(speaker, []).append({
            "claim_id": c.id, "article_id": c.article_id, "published_at": art.published_at, "kind": c.kind,
            "subject": c.subject, "subject_key": subject_key(c.subject), "min": c.min, "max": c.max,
            "qualifier": c.qualifier, "attributed_to": list(c.attributed_to), "cumulative": c.cumulative, "text": c.text,
        })
    contradictions, rising = compare_claims(story_id, claims, articles)
    return {"story_id": story_id, "outlets": by_outlet, "rising": rising,
            "contradictions": [c.to_dict() for c in contradictions]}
