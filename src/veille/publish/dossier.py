"""The dossier: index.html (self-contained), digest.md (shaped like a press review) and the
export files, all from the store.

Why it is shaped like the analyst's own review: the reader already knows that document —
section, the reviewer's headline, the outlet's title, outlet and date, text, source link —
and veille adds what a hand-made review lacks (labels, cross-checks, a map, a timeline).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader

from ..outlets import OutletRegistry, load_registry
from ..records import Article, Claim, Contradiction, Event, Outlet, Story
from ..settings import Settings
from ..store import Store
from .export import write_all


@dataclass
class Entry:
    article: Article
    outlet: Outlet | None
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    story: Story | None = None
    related: list[Article] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.article.text.split("\n\n") if p.strip()]


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


def _env() -> Environment:
    env = Environment(loader=PackageLoader("veille", "templates"), autoescape=lambda name: bool(name) and ".html" in name,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["date"] = lambda value: (value or "")[:16].replace("T", " ")
    env.filters["safe_url"] = safe_url
    # Markdown readers render inline HTML: neutralise tags in untrusted text, keep the prose readable
    env.filters["md"] = lambda value: "" if value is None else str(value).replace("<", "&lt;").replace(">", "&gt;")
    return env


def safe_url(url: str | None) -> str:
    """Only http(s) links leave the dossier: article data is untrusted (no javascript: URLs)."""
    return url if url and url.lower().startswith(("http://", "https://")) else "#"


def _matches_topic(article: Article, topic: str | None) -> bool:
    if not topic:
        return True
    needle = topic.casefold()
    return any(needle in (s or "").casefold() for s in (article.section, article.headline, article.title, article.text))


def collect(store: Store, settings: Settings, registry: OutletRegistry | None = None) -> DossierData:
    registry = registry or load_registry(settings.outlet_files)
    articles = [a for a in store.articles(since=settings.since, until=settings.until) if _matches_topic(a, settings.topic)]
    by_id = {a.id: a for a in articles}
    stories = store.stories()
    story_of = {aid: s for s in stories for aid in s.articles}
    contradictions = store.contradictions()
    claims_by_article: dict[str, list[Claim]] = {}
    for c in store.claims():
        claims_by_article.setdefault(c.article_id, []).append(c)
    events = [e for e in store.events(story_level=None) if not e.articles or set(e.articles) & set(by_id)]
    events_by_article: dict[str, list[Event]] = {}
    for e in store.events(story_level=False):
        for aid in e.articles:
            events_by_article.setdefault(aid, []).append(e)
    entries = []
    for a in articles:  # newest first (store order)
        story = story_of.get(a.id)
        related = [by_id[x] for x in (story.articles if story else ()) if x != a.id and x in by_id]
        contras = [c for c in contradictions if a.id in {v.article_id for v in c.values}]
        entries.append(Entry(a, registry.get(a.outlet), claims_by_article.get(a.id, []), events_by_article.get(a.id, []),
                             story, related, contras))
    sections: OrderedDict[str, list[Entry]] = OrderedDict()
    for e in entries:
        sections.setdefault(e.article.section or "Articles", []).append(e)
    title = settings.topic or (next(iter(sections)) if len(sections) == 1 else "Revue de presse")
    return DossierData(title, sections, entries, store.events(story_level=True) or store.events(story_level=False),
                       stories, contradictions, registry)


def render_markdown(data: DossierData) -> str:
    return _env().get_template("digest.md.j2").render(d=data)


def render_html(data: DossierData) -> str:
    return _env().get_template("index.html.j2").render(d=data)


def write_dossier(store: Store, settings: Settings, registry: OutletRegistry | None = None) -> Path:
    registry = registry or load_registry(settings.outlet_files)
    data = collect(store, settings, registry)
    out = Path(settings.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "digest.md").write_text(render_markdown(data), encoding="utf-8")
    (out / "index.html").write_text(render_html(data), encoding="utf-8")
    write_all(store, out, registry, since=settings.since, until=settings.until,
              article_ids={e.article.id for e in data.entries})
    return out
