"""Everything the enrich components read that is not the article, built once from ``Settings``.

Why one object: wave 1's components each loaded the outlet registry, the alias table and the
gazetteer themselves — without the user's outlet files, so a user's "Radio Foozal" was known to
extraction but not to attribution. Like spaCy's factories receiving their config, every component
is now built with the one ``Resources`` of its pipeline and reads what it needs from it. Each
member is built lazily on first use (a pipeline without the claim stages never builds the name
resolver), then kept for the life of the pipeline.

``key`` says what the resources were built from (the user's outlet files with their size and
modification time, the settings that change what components do), so ``load_pipeline`` rebuilds
when, and only when, one of those changes.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from ..settings import Settings


def _file_stamp(path: Path) -> tuple[str, int, int]:
    try:
        st = Path(path).stat()
        return str(path), st.st_size, st.st_mtime_ns
    except OSError:
        return str(path), -1, -1


class Resources:
    """The shared, read-only data of one pipeline: registry, name resolver, alias matcher, gazetteer,
    lexicons and models. Not a record: it holds live indexes and is never serialised."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()

    @staticmethod
    def key_of(settings: Settings) -> tuple:
        """What a pipeline built from ``settings`` depends on."""
        return (tuple(_file_stamp(p) for p in settings.outlet_files), bool(settings.parse))

    @property
    def key(self) -> tuple:
        return self.key_of(self.settings)

    @cached_property
    def registry(self):
        """The outlet registry: shipped outlets plus the user's outlet files."""
        from ..outlets import load_registry

        return load_registry(self.settings.outlet_files)

    @cached_property
    def resolver(self):
        """Speaker and actor names → registry outlets, actors table entries, else the phrase."""
        from .lexicon import NameResolver

        return NameResolver(self.registry)

    @cached_property
    def gazetteer(self):
        """The world gazetteer of this pipeline: its own connection to the on-disk index
        (``$VEILLE_GAZETTEER`` or the cache directory), built there at first use if missing."""
        from .gazetteer import Gazetteer

        return Gazetteer()

    @cached_property
    def aliases(self):
        """One alias matcher over actors and the registry's outlets (user files included)."""
        from .aliases import AliasMatcher, load_actors

        return AliasMatcher(load_actors(), list(self.registry), [])  # places come from the on-disk gazetteer

    @cached_property
    def lexicon(self) -> dict:
        from .lexicon import lexicon

        return lexicon()

    @cached_property
    def encoder(self):
        """The multilingual sentence encoder (USE), one per process (``link.embed.Embedder.shared``):
        its 65 MB table is loaded once, at first use, whoever asks first (event typing, stories)."""
        from ..link.embed import Embedder

        return Embedder.shared()

    @cached_property
    def event_typer(self):
        """The event-type model (ACLED sub-types from codebook concepts + sentence vectors; event_types.py),
        encoding with this pipeline's ``encoder``."""
        from .event_types import EventTyper

        return EventTyper.load(encoder=self.encoder)

    def nlp(self, lang: str):
        """The spaCy pipeline of a language (shared per process: models are the costly part)."""
        from .syntax import load_model

        return load_model(lang)
