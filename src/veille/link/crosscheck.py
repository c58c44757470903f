"""Story-level events, figures outlet by outlet, and contradictions across outlets.

Rules (documented here because the dossier shows their results as facts):

*Story-level events.* Two article events are the same event when they belong to the same
story, have the same ACLED ``event_type`` (or one lacks it), dates within
``EVENT_DAYS`` days (or one lacks a date), and the same place (same location name or
admin1, within ``EVENT_KM`` km, or one lacks a place). The merged ``Event`` lists every
article, outlet and claim; its ``fatalities`` follows ACLED's conservative rule — when
reports differ, the lowest reported figure — and its date the earliest.

*Contradictions across articles* (``crosscheck_story``): the checks of
``enrich/contradictions.py`` (sound incident tolls, same kind and victim group, different
speakers, no update, same order of magnitude, intervals that do not overlap) plus the event
link: both claims' events must be one incident (``same_incident``: same ACLED type, dates within
``INCIDENT_DAYS``, the same place; a date or place one side lacks is not assumed to match), and
the two articles come from different outlets. Each flag names every outlet and speaker, the
shared event, why the figures are one quantity and how far apart they are.

*The toll's evolution.* Figures of one incident, kind and group that differ because time
passed — a later report (published ≥ ``RISE_HOURS`` later, or on a later day) with a higher
figure, one speaker's update, a sentence saying the toll rose — are not flagged; they are
listed in publication order with their speakers (``CrossCheck.evolution``; the pairs of a
later, higher report under ``rising``). A later *lower* figure from another outlet stays a
contradiction. Disagreements inside one article are the enrich stage's (``story_id`` null).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Iterable

from ..enrich.contradictions import (NEAR_KM, RISE_HOURS, Reading, _fold, compare, group_flags, group_key, km,
                                     make_contradiction, places_near, read, value_of, with_rises)
from ..enrich.contradictions import interval as _interval
from ..records import Article, Claim, Contradiction, Event, Place, stable_id

EVENT_DAYS = 2
EVENT_KM = 50.0
INCIDENT_DAYS = 1


# ---- subjects ----------------------------------------------------------------------------
def subject_key(subject: str | None) -> str:
    """A language-independent key for who a figure counts ('US soldiers' = 'soldats américains')."""
    return group_key(subject)


def interval(c: Claim) -> tuple[float, float] | None:
    return _interval(c)


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
    """The values-and-time part of the comparison alone: None (compatible), 'rising-toll' or
    'contradiction' between two outlets' figures (the full check is ``compare_claims``)."""
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


# ---- the same incident across articles -------------------------------------------------------
def same_incident(a: Event | None, b: Event | None) -> str | None:
    """None when two articles' events are one incident, else why not (a code).

    Stricter than ``same_event`` (which merges a story's tellings for the map): a flag needs
    both events known, of one ACLED type, dated within ``INCIDENT_DAYS`` of each other, and at
    one place — the same location name, or two town-level places within ``NEAR_KM``. A place
    or date one side lacks is not assumed to match."""
    if a is None or b is None:
        return "no_event"
    if a.event_id == b.event_id:
        return None
    if a.event_type and b.event_type and a.event_type != b.event_type:
        return "event_type"
    gap = _days_apart(a.event_date, b.event_date)
    if gap is None:
        return "event_date_unknown"
    if gap > INCIDENT_DAYS:
        return "event_date"
    if not a.location or not b.location:
        return "event_place_unknown"
    if _fold(a.location) == _fold(b.location):
        return None
    pa, pb = event_place(a), event_place(b)
    if pa.kind and pb.kind:
        return None if places_near(pa, pb) else "event_place"
    d = km(a.latitude, a.longitude, b.latitude, b.longitude)
    if d is not None and d <= NEAR_KM and (a.geo_precision or 3) <= 2 and (b.geo_precision or 3) <= 2:
        return None
    return "event_place"


def event_place(e: Event) -> Place:
    """An event's place as a ``Place`` for the containment check: its governorate or district when its
    location is that unit, a town when it is a point (ACLED precision 1–2); no kind when unsure."""
    loc = _fold(e.location)
    if loc and loc in (_fold(e.admin1), _fold(e.admin1) + " governorate", _fold(e.admin1) + " province"):
        kind = "admin1"
    elif loc and loc == _fold(e.admin2):
        kind = "admin2"
    elif e.geo_precision in (1, 2) and e.latitude is not None:
        kind = "populated"
    else:
        kind = None
    return Place(name=e.location or "", lat=e.latitude, lon=e.longitude, country=e.country, admin1=e.admin1,
                 admin2=e.admin2, kind=kind)


def _shared_event(a: Event | None, b: Event | None) -> dict | None:
    evs = [e for e in (a, b) if e is not None]
    if not evs:
        return None
    best = min(evs, key=lambda e: (e.geo_precision or 9, e.location is None))
    dates = sorted(e.event_date for e in evs if e.event_date)
    return {"event_id": best.event_id, "event_ids": sorted({e.event_id for e in evs}), "date": dates[0] if dates else None,
            "type": best.event_type, "sub_type": best.sub_event_type, "location": best.location,
            "admin1": best.admin1, "country": best.country}


def _readings(claims: list[Claim], articles: dict[str, Article], events: dict[str, Event]) -> list[Reading]:
    from ..enrich.timex import find_times

    by_article: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_article[c.article_id].append(c)
    out = []
    for aid, cs in by_article.items():
        art = articles.get(aid)
        if art is None:
            continue
        times = []
        for start in sorted({c.start for c in cs}):
            c0 = next(c for c in cs if c.start == start)
            sentence = art.text[c0.start:c0.end] if 0 <= c0.start < c0.end <= len(art.text) else ""
            try:
                found = find_times(sentence, art.published_at, art.language or "en")
            except Exception:  # a date the rules cannot read is no date, never a failure
                found = ()
            times += [replace(t, start=t.start + start, end=t.end + start) for t in found]
        out += with_rises([read(c, art, places=art.places, times=times, siblings=cs, event=events.get(c.event_id or ""))
                           for c in cs])
    return out


@dataclass
class CrossCheck:
    """One story's cross-check: flags, later reports raising a toll (pairs) and each toll's
    evolution (the figures of one event, kind and group in publication order, with speakers)."""

    contradictions: list[Contradiction] = field(default_factory=list)
    rising: list[dict] = field(default_factory=list)
    evolution: list[dict] = field(default_factory=list)


def _told_inside(members: list[Reading], inside: Iterable[Contradiction]) -> bool:
    """Does one article's own flag already set these figures against each other?"""
    arts = {r.claim.article_id for r in members}
    for f in inside:
        if f.story_id is not None or f.kind != members[0].claim.kind or not arts & {v.article_id for v in f.values}:
            continue
        if f.group not in {r.group for r in members}:
            continue
        told = {(v.min, v.max) for v in f.values}
        if {(r.claim.min, r.claim.max) for r in members} <= told:
            return True
    return False


def compare_claims(story_id: str, claims: Iterable[Claim], articles: dict[str, Article],
                   events: Iterable[Event] | dict | None = None,
                   inside: Iterable[Contradiction] = ()) -> tuple[list[Contradiction], list[dict]]:
    """(contradictions, rising tolls) of one story (see ``crosscheck_story``)."""
    cc = crosscheck_story(story_id, claims, articles, events, inside)
    return cc.contradictions, cc.rising


def crosscheck_story(story_id: str, claims: Iterable[Claim], articles: dict[str, Article],
                     events: Iterable[Event] | dict | None = None,
                     inside: Iterable[Contradiction] = ()) -> CrossCheck:
    """Contradictions and the toll's evolution among one story's claims from different articles.

    ``events``: the articles' own events (a list, or event_id → Event); without them no pair can be
    shown to be about one incident, so nothing is flagged. ``inside``: the articles' own flags
    (``story_id`` null): a disagreement one article already tells (the same kind, victims and
    figures) is not flagged again across the story."""
    if isinstance(events, dict):
        ev_by_id = dict(events)
    else:
        ev_by_id = {e.event_id: e for e in (events or ())}
    # a claim's event: its own link, else the event that lists it (records built by other tools)
    listed = {cid: e for e in ev_by_id.values() for cid in e.claims}
    claims = sorted((c if c.event_id in ev_by_id or c.id not in listed else replace(c, event_id=listed[c.id].event_id)
                     for c in claims if c.article_id in articles), key=lambda c: (c.article_id, c.start, c.id))
    readings = [r for r in _readings(claims, articles, ev_by_id) if r.refusal is None]
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(readings):
        groups[r.claim.kind].append(i)  # groups are compared inside a kind (a part meets its whole)
    contradictions, rising, evolution = [], [], []
    for kind, idx in sorted(groups.items()):
        pairs, links = [], []
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                a, b = readings[idx[x]], readings[idx[y]]
                if a.claim.article_id == b.claim.article_id:
                    continue
                why_not = same_incident(a.event, b.event)
                v = compare(a, b, same_event=why_not is None, across=True)
                if v.relation == "contradiction":
                    pairs.append((x, y, v))
                if v.relation in ("evolution", "agree", "contradiction") and a.group == b.group:
                    links.append((x, y, v))
                if v.relation == "evolution" and v.reason == "later_report":
                    first, later = (a, b) if v.detail["from"] == a.claim.id else (b, a)
                    rising.append({"kind": kind, "subject": a.group,
                                   "from": value_of(first).to_dict(), "to": value_of(later).to_dict()})
        local = [readings[i] for i in idx]
        for members, verdicts in group_flags(local, pairs):
            if _told_inside(members, inside):
                continue
            ev = _shared_event(members[0].event, members[1].event)
            contradictions.append(make_contradiction(story_id, members, verdicts, event=ev))
        for members, verdicts in group_flags(local, links):
            if any(v.relation == "evolution" for v in verdicts) and len({interval(r.claim) for r in members}) > 1:
                points = sorted(members, key=lambda r: (r.published_at or "", r.claim.article_id, r.claim.start))
                evolution.append({"kind": kind, "group": members[0].group, "event": _shared_event(points[0].event, points[-1].event),
                                  "points": [value_of(r).to_dict() for r in points]})
    return CrossCheck(contradictions, rising, evolution)


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
    """Per story: each outlet's figures, grouped by the speaker it cites, plus rising tolls, each
    toll's evolution and the story's contradictions — plain data for the dossier and the web UI."""
    ids = store.story_article_ids(story_id)
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
    events = [e for aid in ids for e in store.events(aid, story_level=False)]
    cc = crosscheck_story(story_id, claims, articles, events)
    return {"story_id": story_id, "outlets": by_outlet, "rising": cc.rising, "evolution": cc.evolution,
            "contradictions": [c.to_dict() for c in cc.contradictions]}
