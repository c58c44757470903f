"""The dossier: index.html (self-contained), digest.md (shaped like a press review) and the
export files, all from the store.

Why it is shaped like the analyst's own review: the reader already knows that document —
section, the reviewer's headline, the outlet's title, outlet and date, text, source link —
and veille adds what a hand-made review lacks (labels, cross-checks, a map, a timeline).

Why self-contained: analysts read and forward it offline. Leaflet, the country borders and
the data are inlined; the page's CSP allows exactly those inline scripts (by hash), so text
that slipped through as markup still could not run. (A <meta> CSP cannot carry
frame-ancestors; a file opened from disk has no HTTP headers to carry it.)
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, MutableMapping

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from ..outlets import OutletRegistry, load_registry
from ..records import Article, Claim, Contradiction, Event, Outlet, Story
from ..settings import Settings
from ..store import Store
from . import assets
from .crosscheck import (ContradictionView, Day, FigureRow, contradiction_views, evolution_views, figure_rows, fmt_value, kind_label,
                         map_events, speakers, story_outlets, timeline)
from .export import write_all
from .safe import csp_hash, isolate_bidi, json_for_script, safe_url


@dataclass
class Entry:
    article: Article
    outlet: Outlet | None
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    story: Story | None = None
    related: list[Article] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    others: list[tuple[Article, str | None, str]] = field(default_factory=list)  # other outlets on the story
    figures: list[FigureRow] = field(default_factory=list)  # the story's figures, side by side
    contradiction_views: list[ContradictionView] = field(default_factory=list)
    evolution: list[dict] = field(default_factory=list)  # each toll's evolution on the story (publish.crosscheck.evolution_views)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.article.text.split("\n\n") if p.strip()]

    @property
    def has_crosscheck(self) -> bool:
        return bool(self.others or self.figures or self.contradiction_views or self.evolution or self.article.main_event)


@dataclass
class DossierData:
    title: str
    sections: "OrderedDict[str, list[Entry]]"
    entries: list[Entry]
    events: list[Event]
    stories: list[Story]
    contradictions: list[Contradiction]
    registry: OutletRegistry
    extra: dict[str, Any] = field(default_factory=dict)
    days: list[Day] = field(default_factory=list)
    map_data: list[dict] = field(default_factory=list)
    contradiction_summary: list[tuple[Article, ContradictionView]] = field(default_factory=list)  # top of the page
    lang: str = "fr"  # the labels' language (settings.lang)


def environment(lang: str | None = "fr") -> Environment:
    """The Jinja environment of the dossier; the web UI adds its own globals to one of these.
    ``lang``: the language of the labels (``t`` and its filters, from ``veille.i18n``)."""
    env = Environment(loader=PackageLoader("veille", "templates"), autoescape=lambda name: bool(name) and ".html" in name,
                      trim_blocks=True, lstrip_blocks=True, finalize=isolate_bidi)
    env.filters["date"] = lambda value: (value or "")[:16].replace("T", " ")
    env.filters["safe_url"] = safe_url
    env.filters["value"] = lambda c: fmt_value(c.min, c.max, c.qualifier)
    env.filters["speakers"] = speakers
    env.filters["kind"] = kind_label
    # Markdown readers render inline HTML: neutralise tags in untrusted text, keep the prose readable
    env.filters["md"] = lambda value: "" if value is None else str(value).replace("<", "&lt;").replace(">", "&gt;")
    from ..i18n import install

    t = install(env, lang)
    env.filters["value"] = lambda c: t.value(c.min, c.max, c.qualifier)
    env.filters["speakers"] = t.speakers
    env.filters["date"] = lambda value: (value or "")[:16].replace("T", " ")  # ISO, as the records say it
    env.globals["outlet_label"] = lambda o: outlet_label(o, t)
    return env


def outlet_label(o, t) -> str:
    """An outlet's label in the reader's language: status, country — affiliation (as in the registry)."""
    if o is None:
        return ""
    bits = [b for b in (t.ownership(o.ownership) if o.ownership != "unknown" else None,
                        t.country(o.country) if o.country else None) if b]
    text = ", ".join(bits)
    return f"{text} — {o.affiliation}" if o.affiliation and text else (o.affiliation or text)


def _matches_topic(article: Article, topic: str | None) -> bool:
    if not topic:
        return True
    needle = topic.casefold()
    return any(needle in (s or "").casefold() for s in (article.section, article.headline, article.title, article.text))


def make_entry(a: Article, story: Story | None, by_id: dict[str, Article], claims_by_article: dict[str, list[Claim]],
               events_by_article: dict[str, list[Event]], contradictions: list[Contradiction],
               registry: OutletRegistry, t=None, evolution_cache: dict | None = None,
               views_cache: MutableMapping | None = None) -> Entry:
    """One article with its cross-check (shared by the dossier and the web UI's article page);
    ``t``: the page's translator (None: French); ``evolution_cache``: per story, its tolls' evolution;
    ``views_cache``: the story-wide views (figures side by side, the flags) per story, language and
    set of flags — every article of a story shows the same ones, and a story of 150 articles has
    hundreds of figures to lay out."""
    related = [by_id[x] for x in (story.articles if story else ()) if x != a.id and x in by_id]
    contras = [c for c in contradictions
               if a.id in {v.article_id for v in c.values} or (story is not None and c.story_id == story.id)]
    evolution = []
    if story is not None and len(story.articles) > 1:
        cache = evolution_cache if evolution_cache is not None else {}
        if story.id not in cache:
            from ..link.crosscheck import crosscheck_story

            members = {x: by_id[x] for x in story.articles if x in by_id}
            cc = crosscheck_story(story.id, [c for x in members for c in claims_by_article.get(x, [])], members,
                                  [e for x in members for e in events_by_article.get(x, [])])
            cache[story.id] = evolution_views(cc.evolution, by_id, registry, t)
        evolution = cache[story.id]

    def views() -> tuple[list[FigureRow], list[ContradictionView]]:
        story_claims = [c for aid in (story.articles if story else (a.id,)) for c in claims_by_article.get(aid, [])]
        return (figure_rows(story_claims, by_id, registry, contras, t), contradiction_views(contras, by_id, registry, t))

    if story is None or views_cache is None:
        figures, flags = views()
    else:
        key = ("views", story.id, getattr(t, "lang", None), tuple(c.id for c in contras))
        if key not in views_cache:
            views_cache[key] = views()
        figures, flags = views_cache[key]
    return Entry(a, registry.get(a.outlet), claims_by_article.get(a.id, []), events_by_article.get(a.id, []),
                 story, related, contras, story_outlets(story, by_id, registry, exclude=a.id), figures, flags, evolution)


def collect(store: Store, settings: Settings, registry: OutletRegistry | None = None) -> DossierData:
    from ..i18n import translator

    registry = registry or load_registry(settings.outlet_files)
    t = translator(settings.lang)
    articles = [a for a in store.articles(since=settings.since, until=settings.until) if _matches_topic(a, settings.topic)]
    by_id = {a.id: a for a in articles}
    stories = store.stories()
    story_of = {aid: s for s in stories for aid in s.articles}
    contradictions = store.contradictions()
    all_claims = store.claims()
    claims_by_id = {c.id: c for c in all_claims}
    claims_by_article: dict[str, list[Claim]] = {}
    for c in all_claims:
        claims_by_article.setdefault(c.article_id, []).append(c)
    events_by_article: dict[str, list[Event]] = {}
    for e in store.events(story_level=False):
        for aid in e.articles:
            events_by_article.setdefault(aid, []).append(e)
    cache: dict = {}
    entries = [make_entry(a, story_of.get(a.id), by_id, claims_by_article, events_by_article, contradictions, registry, t,
                          cache, cache)
               for a in articles]  # newest first (store order)
    sections: OrderedDict[str, list[Entry]] = OrderedDict()
    for e in entries:
        sections.setdefault(e.article.section or "Articles", []).append(e)
    title = settings.topic or (next(iter(sections)) if len(sections) == 1 else t("dossier.default_title"))
    events = map_layer_events(store)
    events = [e for e in events if not e.articles or set(e.articles) & set(by_id)]
    data = DossierData(title, sections, entries, events, stories, contradictions, registry, lang=t.lang)
    data.days = timeline(articles, events)
    seen: set[str] = set()
    for e in entries:  # each contradiction once, at the first (newest) entry it concerns
        for cv in e.contradiction_views:
            if cv.contradiction.id not in seen:
                seen.add(cv.contradiction.id)
                data.contradiction_summary.append((e.article, cv))
    data.map_data = map_events(events, claims_by_id, by_id, registry, lambda art: f"#a-{art.id}", t)
    data.extra["map_labels"] = {"unknown_date": t("entry.unknown_date"), "deaths": t("timeline.deaths", n="{n}"),
                                "borders": t("web.map.borders")}
    return data


def map_layer_events(store: Store) -> list[Event]:
    """Story-level events (merged across outlets), plus the per-article events no story covers."""
    story_events = store.events(story_level=True)
    covered = {aid for e in story_events for aid in e.articles}
    return story_events + [e for e in store.events(story_level=False) if not set(e.articles) & covered]


def render_markdown(data: DossierData) -> str:
    return environment(data.lang).get_template("digest.md.j2").render(d=data)


def render_html(data: DossierData) -> str:
    """The page, with its inline scripts allowed one by one by their hashes in the CSP."""
    scripts = [assets.read_static("vendor/leaflet.js"), assets.read_static("map.js")]
    for s in scripts:
        if "</script" in s.lower():  # would end the element early; never true of the vendored files
            raise ValueError("an inline script contains '</script'")
    csp = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
           "script-src " + " ".join(csp_hash(s) for s in scripts))
    return environment(data.lang).get_template("index.html.j2").render(
        d=data, csp=csp, href=lambda art: f"#a-{art.id}", css=Markup(assets.read_static("veille.css")), scripts=[Markup(s) for s in scripts], leaflet_css=Markup(assets.leaflet_css_inline()),
        map_json=json_for_script({"events": data.map_data, "labels": data.extra.get("map_labels", {})}),
        # the borders of the events' countries and their neighbours only (not the world's 1.5 MB)
        basemap_json=Markup(json.dumps(assets.borders_near((e["lat"], e["lon"]) for e in data.map_data),
                                       ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")),
    )


def write_dossier(store: Store, settings: Settings, registry: OutletRegistry | None = None) -> Path:
    """Write the dossier's files into ``settings.out``, each one atomically.

    Why atomic: an analyst may have the dossier open, or a crash (kill -9, disk full) may come
    mid-write; every file is written beside its final name and renamed over it only when
    complete, so each file is either the old one or the new one, never half of either."""
    import shutil
    import tempfile

    registry = registry or load_registry(settings.outlet_files)
    data = collect(store, settings, registry)
    out = Path(settings.out)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".veille-tmp-", dir=out))
    try:
        (staging / "digest.md").write_text(render_markdown(data), encoding="utf-8")
        (staging / "index.html").write_text(render_html(data), encoding="utf-8")
        write_all(store, staging, registry, since=settings.since, until=settings.until,
                  article_ids={e.article.id for e in data.entries})
        for f in sorted(staging.iterdir()):
            _fsync(f)
            os.replace(f, out / f.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def write_atomic(path: Path, text: str) -> None:
    """One text file written beside its final name, flushed, then renamed over it."""
    import tempfile

    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _fsync(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())
