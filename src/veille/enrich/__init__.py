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
from .resources import Resources


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
    tokens: tuple[Any, ...] = ()  # syntax.Token: the spaCy parse (French, English), offsets into text
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


def default_components(resources: Resources | Settings | None = None) -> list[Component]:
    """The built-in components, in order, each built with the pipeline's one ``Resources``.

    The list is declared here once (no stage imports another stage to find its place)."""
    from .claims import ClaimsComponent
    from .contradictions import ContradictionsComponent
    from .entities import EntityComponent
    from .events import EventsComponent
    from .language import LanguageCheckComponent
    from .places import PlaceComponent
    from .sentences import SentenceComponent
    from .syntax import SyntaxComponent
    from .timex import TimeComponent

    if not isinstance(resources, Resources):
        resources = Resources(resources)
    language, check, sentences = LanguageComponent(), LanguageCheckComponent(), SentenceComponent()
    entities, places = EntityComponent(resources), PlaceComponent(resources)
    title_stages = Pipeline((language, sentences, entities, places))

    def title_doc(article: Article) -> Doc:
        """The place stages on a headline/title alone (events read the title's places)."""
        return title_stages(Doc(article=article))

    return [language, check, sentences, SyntaxComponent(resources), entities, places, TimeComponent(),
            ClaimsComponent(resources), EventsComponent(resources, title_doc), ContradictionsComponent()]


_CACHE: dict[tuple, Pipeline] = {}


def load_pipeline(settings: Settings | None = None) -> Pipeline:
    """Build the enrichment pipeline once per process and per what it is built from.

    The cache key is ``Resources.key_of(settings)``: the user's outlet files (with size and
    modification time) and the settings that change what the components do. Models are loaded
    once per process whatever the key."""
    settings = settings or Settings()
    key = Resources.key_of(settings)
    if key not in _CACHE:
        _CACHE.clear()  # one pipeline per process: its indexes are the costly part
        _CACHE[key] = Pipeline(tuple(default_components(Resources(settings))))
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
    # (text key, unit vector) of the article's story text, computed beside the analysis (workers) so
    # the one-writer story stage does not embed every article on one core; None when not computed
    story_vector: Any = None


def analyze_article(article: Article, nlp: Pipeline) -> Analysis:
    """Per-record analysis (shared by the CLI, the web UI and the Spark job)."""
    from .segments import SEGMENT_CHARS, analyze_in_segments

    if len(article.text) > SEGMENT_CHARS:  # a book-length text: segment by segment, in bounded memory
        return analyze_in_segments(article, nlp)
    doc = nlp(Doc(article=article))
    main_event = doc.extra.get("main_event")
    updated = replace(article, language=doc.language, places=doc.places or article.places,
                      main_event=main_event if main_event is not None else article.main_event)
    return Analysis(updated, doc.mentions, doc.entities, doc.claims, doc.events, doc.notes,
                    tuple(doc.extra.get("contradictions", ())))
