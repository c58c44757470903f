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

    def keep_last_per_id(self) -> "Extraction":
        """One record per article id: the same id twice in one input is an update, so the later
        record is kept and the earlier one named in a notice (storing both in turn would
        overwrite the analysed record on every re-run and make re-runs non-idempotent)."""
        last: dict[str, int] = {}
        for i, a in enumerate(self.articles):
            last[a.id] = i
        if len(last) == len(self.articles):
            return self
        kept = []
        for i, a in enumerate(self.articles):
            if last[a.id] == i:
                kept.append(a)
                continue
            later = self.articles[last[a.id]]
            self.notices.append(f"{_where(a)}: id {a.id!r} is given again at {_where(later)}; the later record is kept")
        self.articles = kept
        return self


def _where(article: Article) -> str:
    ref = article.input
    if ref is not None and ref.path and ref.line_start:
        return f"{ref.path}: line {ref.line_start}"
    return (ref.url if ref is not None and ref.url else None) or article.url or article.id


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
