"""The daily review of a watch: one day's articles, shaped like the analyst's own press review
(sections by country or topic, entries newest first, each opened by a reviewer-style headline),
in the review's language, with the cross-check box, the day's map and timeline. HTML
(self-contained), Markdown, and an Atom feed per watch.

Why every label goes through ``i18n``: the reader of a French review must not meet "killed
people at least 9" or "Other in Aleppo"; ACLED's English names stay in events.csv only. The
cross-check content (others on the story, figures side by side, contradictions) is the one
publish/crosscheck.py builds for the dossier; this module only says it in the review's language.

Writes are atomic (temporary file + rename): a full disk leaves the previous review whole and
raises ``ReviewWriteError`` with one line naming the file.
"""

from __future__ import annotations

import errno
import json
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

from ..i18n import Translator, install, translator
from ..outlets import OutletRegistry, load_registry
from ..records import Article, Claim, Event, Story
from ..store import Store
from . import assets
from .crosscheck import map_events, outlet_name, timeline
from .dossier import Entry, environment, make_entry, map_layer_events
from .review_headline import headline, main_country
from .safe import csp_hash, json_for_script, safe_url


class ReviewWriteError(Exception):
    """A review could not be written (disk full, no permission): one line, the old file kept."""


@dataclass
class ReviewEntry:
    entry: Entry
    headline: str
    country: str | None

    @property
    def article(self) -> Article:
        return self.entry.article


@dataclass
class ReviewData:
    name: str
    title: str
    day: str
    lang: str
    t: Translator
    sections: "OrderedDict[str, list[ReviewEntry]]"
    entries: list[ReviewEntry]
    events: list[Event]
    map_data: list[dict] = field(default_factory=list)
    days: list = field(default_factory=list)
    alerts: list[dict] = field(default_factory=list)
    generated_at: str = ""
    registry: OutletRegistry | None = None

    @property
    def outlets(self) -> list[str]:
        return sorted({e.article.outlet for e in self.entries if e.article.outlet})


def _published_on(article: Article, day: str) -> bool:
    return bool(article.published_at) and article.published_at[:10] == day


def _country_of(article: Article) -> str | None:
    ev = article.main_event
    if ev is not None and ev.country:
        return ev.country.upper()
    return main_country(article)


def collect_review(store: Store, spec, day: str, lang: str | None = None, registry: OutletRegistry | None = None,
                   now: str | None = None) -> ReviewData:
    """The review of ``spec`` (a WatchSpec) for ``day`` (YYYY-MM-DD) in ``lang`` (default: the watch's)."""
    from ..watch.select import keeps
    from ..watch.state import WatchState

    t = translator(lang or spec.language)
    registry = registry or load_registry(())
    articles = [a for a in store.articles(since=day, until=day) if _published_on(a, day)]
    if spec.sources:  # a watch with sources reviews what it took; one without reviews the whole store
        own = WatchState(store).article_ids(spec.name)
        articles = [a for a in articles if a.id in own]
    events_by_article: dict[str, list[Event]] = {}
    for ev in store.events(story_level=False):
        for aid in ev.articles:
            events_by_article.setdefault(aid, []).append(ev)
    articles = [a for a in articles if keeps(spec.filters, a, events_by_article.get(a.id, []))]
    stories = store.stories()
    story_of = {aid: s for s in stories for aid in s.articles}
    related_ids = {x for a in articles for x in (story_of[a.id].articles if a.id in story_of else ())}
    by_id = {a.id: a for a in store.articles(ids=related_ids | {a.id for a in articles})} if articles else {}
    claims_by_article: dict[str, list[Claim]] = {}
    for aid in by_id:
        claims_by_article[aid] = store.claims(aid)
    contradictions = store.contradictions()
    outlet_of = {aid: outlet_name(registry, a.outlet) for aid, a in by_id.items()}
    entries = []
    for a in articles:  # the store gives newest first
        story = story_of.get(a.id)
        e = make_entry(a, story, by_id, claims_by_article, events_by_article, contradictions, registry, t)
        story_claims = [c for aid in (story.articles if story else (a.id,)) for c in claims_by_article.get(aid, [])]
        entries.append(ReviewEntry(e, headline(a, story_claims, t, outlet_of), _country_of(a)))
    sections: OrderedDict[str, list[ReviewEntry]] = OrderedDict()
    if spec.sections == "country":
        groups: dict[str, list[ReviewEntry]] = {}
        for re_ in entries:
            groups.setdefault(t.country(re_.country).upper() if re_.country else t("review.other_sections").upper(), []).append(re_)
        other = t("review.other_sections").upper()
        for key in sorted(groups, key=lambda k: (k == other, -len(groups[k]), k)):
            sections[key] = groups[key]
    elif spec.sections == "section":
        for re_ in entries:
            sections.setdefault((re_.article.section or t("review.other_sections")).upper(), []).append(re_)
    else:
        sections[spec.title] = entries
    ids = {a.id for a in articles}
    events = [e for e in map_layer_events(store) if set(e.articles) & ids]
    claims_by_id = {c.id: c for cs in claims_by_article.values() for c in cs}
    data = ReviewData(spec.name, spec.title, day, t.lang, t, sections, entries, events, registry=registry,
                      generated_at=now or datetime.now(timezone.utc).replace(microsecond=0).isoformat())
    data.map_data = _translated_map(events, claims_by_id, by_id, registry, t)
    data.days = timeline(articles, events)
    alerts = []
    from ..watch.state import WatchState as _WS

    for al in _WS(store).alerts(spec.name):
        if (al.get("day") or al.get("raised_at", ""))[:10] == day:
            alerts.append(al)
    data.alerts = alerts
    return data


def _translated_map(events: list[Event], claims_by_id: dict[str, Claim], by_id: dict[str, Article],
                    registry: OutletRegistry, t: Translator) -> list[dict]:
    """map.js data with the labels in the review's language (the shared builder writes French)."""
    out = map_events(events, claims_by_id, by_id, registry, lambda art: f"#a-{art.id}")
    by_event = {e.event_id: e for e in events}
    for item in out:
        ev = by_event[item["id"]]
        item["type"] = t.event_label(ev)
        item["date"] = t.date(ev.event_date) if ev.event_date else None
        fixed = []
        for cid in ev.claims:
            c = claims_by_id.get(cid)
            if c is None:
                continue
            art = by_id.get(c.article_id)
            name = outlet_name(registry, art.outlet if art else None)
            fixed.append({"text": c.text, "value": t.value(c.min, c.max, c.qualifier), "outlet": name,
                          "speakers": t.speakers(c.attributed_to, name)})
        item["claims"] = fixed[:5]
    return out


def _env(data: ReviewData):
    env = environment()
    install(env, data.lang)
    registry = data.registry or load_registry(())
    env.globals["outlet_name"] = lambda oid: outlet_name(registry, oid)
    return env


def render_review_markdown(data: ReviewData) -> str:
    return _env(data).get_template("review.md.j2").render(d=data, t=data.t)


def render_review_html(data: ReviewData) -> str:
    scripts = [assets.read_static("vendor/leaflet.js"), assets.read_static("map.js")]
    csp = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
           "script-src " + " ".join(csp_hash(s) for s in scripts))
    return _env(data).get_template("review.html.j2").render(
        d=data, t=data.t, csp=csp, href=lambda art: f"#a-{art.id}", css=Markup(assets.read_static("veille.css")),
        scripts=[Markup(s) for s in scripts], leaflet_css=Markup(assets.leaflet_css_inline()),
        map_json=json_for_script({"events": data.map_data}),
        # the borders of the events' countries and their neighbours only (the dossier's choice)
        basemap_json=Markup(json.dumps(assets.borders_near((e["lat"], e["lon"]) for e in data.map_data),
                                       ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")))


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise ReviewWriteError(f"{path}: cannot write the review ({reason}); the previous file is kept") from None


def review_paths(out_dir: Path, day: str, lang: str) -> dict[str, Path]:
    stem = f"{day}.{lang}"
    return {"html": out_dir / f"{stem}.html", "md": out_dir / f"{stem}.md"}


def write_review(store: Store, spec, day: str, lang: str | None = None, out_dir: Path | None = None,
                 registry: OutletRegistry | None = None, now: str | None = None, record: bool = True) -> tuple[ReviewData, dict[str, Path]]:
    """Write the HTML and Markdown review and refresh the watch's Atom feed; record it in the store."""
    from ..watch.state import WatchState

    data = collect_review(store, spec, day, lang, registry, now)
    out_dir = Path(out_dir) if out_dir else spec.out_dir()
    paths = review_paths(out_dir, day, data.lang)
    atomic_write(paths["md"], render_review_markdown(data))
    atomic_write(paths["html"], render_review_html(data))
    if record and not store.readonly:
        state = WatchState(store)
        with store.transaction():
            state.add_review(spec.name, day, data.lang, data.generated_at, str(paths["html"]), len(data.entries),
                             [e.headline for e in data.entries])
        paths["atom"] = write_feed(store, spec, out_dir, now=data.generated_at)
    return data, paths


def render_feed(spec, reviews: list[dict[str, Any]], alerts: list[dict[str, Any]], now: str, lang: str | None = None) -> str:
    """The watch's Atom feed: one entry per review written and per alert raised, newest first."""
    t = translator(lang or spec.language)
    items = []
    for r in reviews:
        summary = "\n".join(r.get("headlines") or []) or t("review.empty")
        items.append((r["written_at"], f"urn:veille:{spec.name}:review:{r['day']}:{r['lang']}",
                      t("review.of_day", day=t.date(r["day"], "weekday")), summary, Path(r["path"]).resolve().as_uri() if r.get("path") else None))
    for a in alerts:
        items.append((a["raised_at"], f"urn:veille:{spec.name}:alert:{a['id']}", a.get("title") or a["kind"],
                      a.get("text") or "", a.get("url")))
    items.sort(key=lambda x: (x[0], x[1]), reverse=True)
    updated = items[0][0] if items else now
    parts = ['<?xml version="1.0" encoding="utf-8"?>', f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{t.lang}">',
             f"<id>urn:veille:{xml_escape(spec.name)}</id>", f"<title>{xml_escape(t('review.feed_title', watch=spec.title))}</title>",
             f"<updated>{xml_escape(_rfc3339(updated))}</updated>", "<generator>veille</generator>"]
    for when, uid, title, summary, link in items[:200]:
        parts.append("<entry>")
        parts.append(f"<id>{xml_escape(uid)}</id><title>{xml_escape(title)}</title><updated>{xml_escape(_rfc3339(when))}</updated>")
        if link and (link.startswith("file:") or safe_url(link) != "#"):
            parts.append(f'<link href="{xml_escape(link, {chr(34): "&quot;"})}"/>')
        parts.append(f"<summary>{xml_escape(summary)}</summary>")
        parts.append("</entry>")
    parts.append("</feed>")
    return "\n".join(parts) + "\n"


def _rfc3339(value: str) -> str:
    v = value if "T" in value else value + "T00:00:00"
    return v if v.endswith("Z") or "+" in v[10:] else v + "Z"


def write_feed(store: Store, spec, out_dir: Path | None = None, now: str | None = None) -> Path:
    from ..watch.state import WatchState

    state = WatchState(store)
    out_dir = Path(out_dir) if out_dir else spec.out_dir()
    path = out_dir / f"{spec.name}.atom"
    now = now or datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    atomic_write(path, render_feed(spec, state.reviews(spec.name), state.alerts(spec.name), now))
    return path
