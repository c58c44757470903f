"""Alert rules over analysed records, each alert raised once (its key is stored with it).

Rules (``[[alerts]]`` in a watch file):
- ``event``: an event with at least ``min_deaths`` deaths, in ``countries`` / ``places`` when given;
- ``contradiction``: a new contradiction on an article the watch keeps;
- ``story``: a story reaching ``min_outlets`` outlets, or appearing in a second language;
- ``named``: a person or group of ``names`` named in an article the watch keeps.

Why keys and not "new since last run": the analysis re-runs, stories re-cluster and tolls
rise, but an analyst wants one message per fact. The key names the fact (the event, the
figures in contradiction, the story's first article, the article and the name), so a re-run,
a restart or a re-analysis finds it already raised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..enrich.sentences import split_sentences
from ..enrich.textnorm import fold, fold_with_offsets
from ..i18n import Translator, translator
from ..outlets import OutletRegistry, load_registry
from ..publish.crosscheck import outlet_name
from ..publish.review_headline import where
from ..records import Article, Claim, Event, stable_id
from ..store import Store
from .select import keeps
from .spec import AlertRule, WatchSpec
from .state import WatchState


@dataclass
class Found:
    rule: AlertRule
    key: str
    record: dict[str, Any]


def _link(article_id: str, start: int | None = None, end: int | None = None) -> str:
    return f"/article/{article_id}" + (f"#span-{start}-{end}" if start is not None and end is not None else "")


def kept_articles(store: Store, spec: WatchSpec, events_by_article: dict[str, list[Event]]) -> list[Article]:
    if spec.sources:
        ids = WatchState(store).article_ids(spec.name)
        arts = store.articles(ids=ids) if ids else []
    else:
        arts = store.articles()
    return [a for a in arts if keeps(spec.filters, a, events_by_article.get(a.id, []))]


def find_alerts(store: Store, spec: WatchSpec, registry: OutletRegistry | None = None,
                t: Translator | None = None) -> list[Found]:
    """Every alert the rules see now (raised or not: the store's keys tell new from old)."""
    if not spec.alerts:
        return []
    t = t or translator(spec.language)
    registry = registry or load_registry(())
    events_by_article: dict[str, list[Event]] = {}
    for ev in store.events(story_level=False):
        for aid in ev.articles:
            events_by_article.setdefault(aid, []).append(ev)
    arts = kept_articles(store, spec, events_by_article)
    by_id = {a.id: a for a in arts}
    out: list[Found] = []
    claims_cache: dict[str, list[Claim]] = {}

    def claims_of(aid: str) -> list[Claim]:
        if aid not in claims_cache:
            claims_cache[aid] = store.claims(aid)
        return claims_cache[aid]

    for rule in spec.alerts:
        if rule.when == "event":
            out += _event_alerts(rule, arts, events_by_article, claims_of, registry, t)
        elif rule.when == "contradiction":
            out += _contradiction_alerts(rule, store, by_id, registry, t)
        elif rule.when == "story":
            out += _story_alerts(rule, store, by_id, registry, t)
        elif rule.when == "named":
            out += _named_alerts(rule, arts, registry, t)
    return out


def _day(a: Article) -> str | None:
    return a.published_at[:10] if a.published_at else None


def _event_alerts(rule, arts, events_by_article, claims_of, registry, t) -> list[Found]:
    out = []
    seen: set[str] = set()
    for a in arts:
        evs = list(events_by_article.get(a.id, []))
        if a.main_event is not None and all(e.event_id != a.main_event.event_id for e in evs):
            evs.insert(0, a.main_event)
        for ev in evs:
            if ev.event_id in seen or (ev.fatalities or 0) < max(rule.min_deaths, 1):
                continue
            if rule.countries and (ev.country or "").upper() not in rule.countries:
                continue
            if rule.places and not ({fold(p) for p in rule.places} & {fold(x) for x in (ev.location, ev.admin1) if x}):
                continue
            seen.add(ev.event_id)
            killed = [c for c in claims_of(a.id) if c.kind == "killed" and (not ev.claims or c.id in ev.claims)]
            c = next((c for c in killed if c.min == ev.fatalities or c.max == ev.fatalities), killed[0] if killed else None)
            name = outlet_name(registry, a.outlet)
            who = t.speakers(c.attributed_to, name) if c else (name or t("figure.the_outlet"))
            value = t.value(c.min, c.max, c.qualifier) if c else t.number(ev.fatalities)
            title = t("alert.event_deaths", place=where(a, ev, t) or "?", event=t.event_label(ev), value=value, who=who)
            out.append(Found(rule, f"event:{rule.name}:{ev.event_id}", {
                "title": title, "text": c.text if c else (a.title or ""), "figure": value, "speaker": who,
                "fatalities": ev.fatalities, "event_id": ev.event_id, "article_id": a.id, "outlet": a.outlet,
                "span": {"start": c.start, "end": c.end} if c else None,
                "link": _link(a.id, c.start if c else None, c.end if c else None), "url": a.canonical_url or a.url,
                "day": ev.event_date or _day(a)}))
    return out


def _contradiction_alerts(rule, store, by_id, registry, t) -> list[Found]:
    out = []
    stories = {s.id: s for s in store.stories()}
    for c in store.contradictions():
        ids = [v.article_id for v in c.values]
        if not set(ids) & set(by_id):
            continue
        key = stable_id(c.kind, c.subject, *sorted(v.claim_id for v in c.values))
        parts = []
        for v in c.values:
            art = by_id.get(v.article_id) or store.get_article(v.article_id)
            name = outlet_name(registry, v.outlet or (art.outlet if art else None))
            parts.append(f"{t.value(v.min, v.max, v.qualifier)} {t('figure.according_to', who=t.speakers(v.attributed_to, name))}")
        summary = f"{t.kind(c.kind)}{f' ({t.subject(c.subject)})' if c.subject else ''}{t('colon')}" + f" {t('figure.versus')} ".join(parts)
        first = by_id.get(ids[0]) or store.get_article(ids[0])
        story = stories.get(c.story_id) if c.story_id else None
        label = story.title if story else (first.display_title if first else "?")
        claim = next((cl for cl in store.claims(ids[0]) if cl.id == c.values[0].claim_id), None)
        out.append(Found(rule, f"contradiction:{rule.name}:{key}", {
            "title": t("alert.contradiction", story=label, summary=summary), "text": claim.text if claim else summary,
            "figure": " / ".join(t.value(v.min, v.max, v.qualifier) for v in c.values),
            "speaker": " / ".join(t.speakers(v.attributed_to, outlet_name(registry, v.outlet)) for v in c.values),
            "article_id": ids[0], "story_id": c.story_id, "contradiction_id": c.id,
            "span": {"start": claim.start, "end": claim.end} if claim else None,
            "link": _link(ids[0], claim.start if claim else None, claim.end if claim else None),
            "url": (first.canonical_url or first.url) if first else None, "day": _day(first) if first else None}))
    return out


def _story_alerts(rule, store, by_id, registry, t) -> list[Found]:
    out = []
    for s in store.stories():
        if not set(s.articles) & set(by_id):
            continue
        arts = [a for a in store.articles(ids=s.articles)]
        arts.sort(key=lambda a: (a.published_at or "", a.id))
        if not arts:
            continue
        anchor = arts[0].id  # the story's first article: stable when the story grows or re-clusters
        outlets = sorted({a.outlet for a in arts if a.outlet})
        langs = sorted({a.language for a in arts if a.language})
        newest = arts[-1]
        common = {"article_id": newest.id, "story_id": s.id, "outlets": outlets, "languages": langs,
                  "link": f"/story/{s.id}", "url": newest.canonical_url or newest.url, "day": _day(newest),
                  "speaker": ", ".join(outlet_name(registry, o) or o for o in outlets), "span": None}
        if rule.min_outlets and len(outlets) >= rule.min_outlets:
            out.append(Found(rule, f"story:{rule.name}:{anchor}:outlets", {
                **common, "title": t("alert.story_outlets", story=s.title, n=len(outlets), outlets=common["speaker"]),
                "text": s.title, "figure": str(len(outlets))}))
        if rule.second_language and len(langs) >= 2:
            out.append(Found(rule, f"story:{rule.name}:{anchor}:languages", {
                **common, "title": t("alert.story_language", story=s.title, languages=", ".join(t.language(x) for x in langs)),
                "text": s.title, "figure": str(len(langs))}))
    return out


def _named_alerts(rule, arts, registry, t) -> list[Found]:
    out = []
    patterns = [(name, re.compile(rf"(?<!\w){re.escape(fold(name))}(?!\w)")) for name in rule.names]
    for a in arts:
        for field_text in (a.title or "", a.text):
            folded, offsets = fold_with_offsets(field_text)
            hit = None
            for name, rx in patterns:
                m = rx.search(folded)
                if m:
                    hit = (name, m)
                    break
            if hit is None:
                continue
            name, m = hit
            in_text = field_text is a.text
            start = offsets[m.start()] if in_text else None
            end = (offsets[m.end() - 1] + 1) if in_text else None
            sentence = _sentence(a.text, start, end) if in_text else field_text
            out.append(Found(rule, f"named:{rule.name}:{a.id}:{fold(name)}", {
                "title": t("alert.named", name=name, title=a.display_title, outlet=outlet_name(registry, a.outlet) or "?"),
                "text": sentence, "figure": None, "speaker": outlet_name(registry, a.outlet), "article_id": a.id,
                "span": {"start": start, "end": end} if in_text else None, "link": _link(a.id, start, end),
                "url": a.canonical_url or a.url, "day": _day(a)}))
            break
    return out


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence(s) the match sits in, cut by the one splitter the claims stage uses, so an
    alert quotes the same sentence the article page anchors."""
    spans = [(a, b) for a, b in split_sentences(text) if a < end and b > start]
    if not spans:
        return text[max(0, start - 200):end + 200].strip()[:400]
    return text[spans[0][0]:spans[-1][1]].strip()[:400]


def find_alerts_all_languages(store: Store, spec: WatchSpec, registry: OutletRegistry | None = None) -> list[Found]:
    """The alerts in the watch's language, each with its title in every language (``titles``), so a
    review or a page in the other language shows them in its own."""
    from ..i18n import LANGUAGES

    found = find_alerts(store, spec, registry, translator(spec.language))
    titles: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        for f in (found if lang == spec.language else find_alerts(store, spec, registry, translator(lang))):
            titles.setdefault(f.key, {})[lang] = f.record["title"]
    for f in found:
        f.record["titles"] = titles.get(f.key, {})
    return found


def raise_alerts(store: Store, spec: WatchSpec, now: str, registry: OutletRegistry | None = None) -> list[dict[str, Any]]:
    """Store the new alerts (and their outbox rows) in one transaction; returns the new ones."""
    found = find_alerts_all_languages(store, spec, registry)
    state = WatchState(store)
    new = []
    with store.transaction():
        for f in found:
            if state.add_alert(spec.name, f.rule.name, f.rule.when, f.key, f.record, spec.delivery.channels, now):
                new.append(f.record)
    return new
