"""Per-partition functions run on the executors, and their per-process cache.

Why a module-level cache: a PySpark Python worker lives across tasks
(``spark.python.worker.reuse``), so the outlet registry and the enrichment pipeline (spaCy
models: hundreds of MiB, seconds to load) load once per worker process, not per task or
per record. ``enrich.load_pipeline`` caches per process already; the registry is cached here.

Every function here only wraps what the CLI calls: ``pipeline.iter_raw`` and
``pipeline.extract_raw`` (acquire + extract), ``enrich.analyze_article`` (enrich),
``publish.export.article_record`` (exports). Records travel between stages as JSON
strings of ``to_dict()`` — the same round trip the SQLite store makes, so the analysis sees
exactly the ``Article`` the CLI's analysis reads back from the store.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator, NamedTuple

from ..settings import Settings

_CACHE: dict[str, Any] = {}


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def context(settings: Settings):
    """The extraction context (outlet registry), built once per worker process."""
    key = f"ctx:{settings.outlet_files}"
    if key not in _CACHE:
        from ..extract import Context
        from ..outlets import load_registry

        _CACHE[key] = Context(load_registry(settings.outlet_files), settings)
    return _CACHE[key]


def registry(settings: Settings):
    return context(settings).registry


def nlp(settings: Settings):
    """The enrichment pipeline (models), loaded once per worker process."""
    from ..enrich import load_pipeline

    return load_pipeline(settings)


# Rows out of extraction: ("article", unit_index, position, article_json)
#                         ("error", unit_index, position, message) / ("notice", …)
def extract_units(rows: Iterable[tuple[int, str]], settings: Settings) -> Iterator[tuple[str, int, int, str]]:
    """acquire + extract, per unit, exactly as ``pipeline.ingest`` does it."""
    from ..errors import InputNotice
    from ..errors import InputError
    from ..pipeline import extract_raw, iter_raw

    ctx = context(settings)
    for index, unit in rows:
        pos = 0
        for raw in iter_raw([unit], settings):
            if isinstance(raw, InputNotice):
                yield ("notice", index, pos, str(raw))
                continue
            if isinstance(raw, InputError):
                yield ("error", index, pos, str(raw))
                continue
            try:
                result = extract_raw(raw, ctx)
            except Exception as exc:  # a crash in one capture never stops the partition
                yield ("error", index, pos, f"{raw.source}: extraction failed: {exc}")
                continue
            for line in result.problems:
                yield ("error", index, pos, line)
            for line in result.notices:
                yield ("notice", index, pos, line)
            for article in result.articles:
                yield ("article", index, pos, _dumps(article.to_dict()))
                pos += 1


class Analysed(NamedTuple):
    """One article out of analysis: JSON of its records, as ``pipeline.analyze`` stores them."""

    article: str
    mentions: str
    entities: str
    claims: str
    events: str
    contradictions: str  # in-article ones (story_id None), as ``Store.replace_analysis`` keeps them
    error: str | None


def analyze_articles(rows: Iterable[str], settings: Settings) -> Iterator[Analysed]:
    """enrich, per article, exactly as ``pipeline.analyze`` does it."""
    from ..enrich import analyze_article
    from ..records import Article

    pipeline = nlp(settings)
    for record in rows:
        article = Article.from_dict(json.loads(record))
        try:
            result = analyze_article(article, pipeline)
        except Exception as exc:  # one bad article never stops the batch (as in pipeline.analyze)
            yield Analysed(record, "[]", "[]", "[]", "[]", "[]",
                           f"article {article.id} ({article.url or article.title}): analysis failed: {exc}")
            continue
        yield Analysed(_dumps(result.article.to_dict()),
                       _dumps([m.to_dict() for m in result.mentions]),
                       _dumps([e.to_dict() for e in result.entities]),
                       _dumps([c.to_dict() for c in result.claims]),
                       _dumps([e.to_dict() for e in result.events]),
                       _dumps([c.to_dict() for c in result.contradictions]),
                       None)


def article_export_lines(records: Iterable[str], settings: Settings) -> Iterator[str]:
    """Article JSON → the articles.jsonl line ``veille run`` writes (outlet expanded)."""
    from ..publish.export import article_record
    from ..records import Article

    reg = registry(settings)
    for record in records:
        yield json.dumps(article_record(Article.from_dict(json.loads(record)), reg), ensure_ascii=False)
