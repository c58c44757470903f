"""extract: raw captures → ``Article`` records, dispatched on the capture's media type.

Each extractor is ``(raw, context) -> Extraction``; new input kinds register here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..errors import InputError
from ..outlets import OutletRegistry
from ..records import Article, RawDoc
from ..settings import Settings


@dataclass(frozen=True)
class Context:
    registry: OutletRegistry
    settings: Settings


@dataclass
class Extraction:
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each: failed parts of the input
    notices: list[str] = field(default_factory=list)  # one line each: nothing failed


Extractor = Callable[[RawDoc, Context], Extraction]
EXTRACTORS: dict[str, Extractor] = {}


def register(*media_types: str):
    def deco(fn: Extractor) -> Extractor:
        for media in media_types:
            EXTRACTORS[media] = fn
        return fn

    return deco


def extract(raw: RawDoc, ctx: Context) -> Extraction:
    from . import review  # noqa: F401  (registers the built-in extractors)
    from . import html, jsonl, warc  # noqa: F401  (web inputs: HTML pages, JSON Lines, WARC)

    fn = EXTRACTORS.get(raw.media_type or "")
    if fn is None:
        raise InputError(raw.source, f"no extractor for {raw.media_type or 'unknown content type'}")
    return fn(raw, ctx)
