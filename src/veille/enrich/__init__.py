"""enrich: one central document (``Doc``) flows through components.

Like spaCy's pipeline, each component declares what it ``requires`` and ``produces``; the
pipeline checks the order once at load time, so a missing step is a start-up error, not a
silent gap in the output. Components are pure: ``Doc`` in, new ``Doc`` out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Protocol, Sequence

from ..records import Article, Claim, Entity, Event, Mention, Place
from ..settings import Settings


@dataclass(frozen=True)
class TimeExpr:
    """A temporal expression resolved against the publication date."""

    text: str
    start: int
    end: int
    value: str  # ISO date (or yyyy-mm for month precision)
    precision: str  # day | week | month | year | minute
    end_value: str | None = None  # for ranges ("cette semaine")


@dataclass(frozen=True)
class Doc:
    article: Article
    language: str | None = None
    sentences: tuple[tuple[int, int], ...] = ()
    mentions: tuple[Mention, ...] = ()
    entities: tuple[Entity, ...] = ()
    places: tuple[Place, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    claims: tuple[Claim, ...] = ()
    events: tuple[Event, ...] = ()
    notes: tuple[str, ...] = ()  # what the components want the user to know (unsupported language…)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.article.text


class Component(Protocol):
    name: str
    requires: tuple[str, ...]
    produces: tuple[str, ...]

    def __call__(self, doc: Doc) -> Doc: ...


class PipelineError(Exception):
    pass


@dataclass(frozen=True)
class Pipeline:
    components: tuple[Component, ...]

    def __post_init__(self) -> None:
        have = {"article"}
        for c in self.components:
            missing = [r for r in c.requires if r not in have]
            if missing:
                raise PipelineError(f"component {c.name!r} requires {missing}, which no earlier component produces")
            have.update(c.produces)

    def __call__(self, doc: Doc) -> Doc:
        for c in self.components:
            doc = c(doc)
        return doc

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.components]


class LanguageComponent:
    name = "language"
    requires: tuple[str, ...] = ("article",)
    produces: tuple[str, ...] = ("language",)

    def __call__(self, doc: Doc) -> Doc:
        from ..lang import SUPPORTED, detect_language

        lang = doc.article.language or detect_language(doc.text, restrict=len(doc.text) < 200)
        notes = doc.notes
        if lang not in SUPPORTED:
            notes += (f"language {lang or 'unknown'} is not analysed (supported: {', '.join(SUPPORTED)})",)
        return replace(doc, language=lang, notes=notes)


def default_components(settings: Settings) -> list[Component]:
    """The built-in components, in order. Later stages append theirs here."""
    from .entities import EntityComponent
    from .language import LanguageCheckComponent
    from .places import PlaceComponent
    from .sentences import SentenceComponent
    from .timex import TimeComponent

    from .claims import claim_stages

    return [LanguageComponent(), LanguageCheckComponent(), SentenceComponent(), EntityComponent(), PlaceComponent(), TimeComponent()] + claim_stages()


_CACHE: dict[int, Pipeline] = {}


def load_pipeline(settings: Settings | None = None) -> Pipeline:
    """Build (once per process) the enrichment pipeline; models load here, not per article."""
    settings = settings or Settings()
    key = 0
    if key not in _CACHE:
        _CACHE[key] = Pipeline(tuple(default_components(settings)))
    return _CACHE[key]


@dataclass(frozen=True)
class Analysis:
    article: Article
    mentions: Sequence[Mention] = ()
    entities: Sequence[Entity] = ()
    claims: Sequence[Claim] = ()
    events: Sequence[Event] = ()
    notes: Sequence[str] = ()
    contradictions: Sequence[Any] = ()  # in-article Contradiction records (story_id None), issue 5


def analyze_article(article: Article, nlp: Pipeline) -> Analysis:
    """Per-record analysis (shared by the CLI, the web UI and the Spark job)."""
    doc = nlp(Doc(article=article))
    main_event = doc.extra.get("main_event")
    updated = replace(article, language=doc.language, places=doc.places or article.places,
                      main_event=main_event if main_event is not None else article.main_event)
    return Analysis(updated, doc.mentions, doc.entities, doc.claims, doc.events, doc.notes,
                    tuple(doc.extra.get("contradictions", ())))
