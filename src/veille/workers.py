"""Analysis on every core: articles go to worker processes, results come back to the one writer.

Why processes: the analysis is CPU-bound Python and spaCy (the GIL keeps threads on one core).
Each worker builds the enrichment pipeline once (models loaded once per worker, from the same
``Settings`` as the parent) and runs ``enrich.analyze_article`` — the very per-record function the
single-process path and the Spark job run — so one worker or many give the same records.

Results come back in input order (``Executor.map``), and the store is written by the parent
alone (SQLite has one writer). Inputs are submitted in bounded batches, so memory stays flat on a
large archive. A worker that dies (killed, out of memory) fails only its batch: those articles
are reported and stay unanalysed, so a re-run picks them up; the rest goes on in a fresh pool.
"""

from __future__ import annotations

import os
from dataclasses import replace
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from .records import Article
from .settings import Settings

BATCH = 32  # articles in flight per worker
SMALL = 24  # below this many articles, starting workers (and loading models in each) costs more than it saves

_NLP = None


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _init(settings: Settings) -> None:
    global _NLP
    from .enrich import load_pipeline

    _NLP = load_pipeline(settings)


def _describe(article: Article) -> str:
    return f"article {article.id} ({article.url or article.title or 'no title'})"


def _one(article: Article):
    """(analysis, None) or (None, error message): one bad article never stops the batch."""
    from .enrich import analyze_article
    from .link.embed import article_vector

    try:
        analysis = analyze_article(article, _NLP)
        return replace(analysis, story_vector=article_vector(analysis.article)), None
    except Exception as exc:  # noqa: BLE001 — reported to the user, never a traceback
        return None, f"{_describe(article)}: analysis failed: {exc.__class__.__name__}: {exc}"


def analyses(articles: Iterable[Article], settings: Settings, workers: int | None = None,
             total: int | None = None) -> Iterator[tuple[Article, object, str | None]]:
    """(article, Analysis or None, error or None) for each article, in input order.

    ``workers``: processes to use (default: the cores available); 1, or fewer than ``SMALL``
    articles, analyses in this process."""
    workers = workers or available_cores()
    if workers <= 1 or (total is not None and total < SMALL):
        _init(settings)
        for a in articles:
            yield (a, *_one(a))
        return
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(settings,))
    try:
        batch: list[Article] = []
        for a in articles:
            batch.append(a)
            if len(batch) >= BATCH * workers:
                pool = yield from _run_batch(pool, batch, settings, workers, context)
                batch = []
        if batch:
            pool = yield from _run_batch(pool, batch, settings, workers, context)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_batch(pool, batch, settings, workers, context):
    try:
        results = list(pool.map(_one, batch, chunksize=max(1, len(batch) // (4 * workers))))
    except BrokenProcessPool:
        for a in batch:
            yield a, None, f"{_describe(a)}: the analysis worker stopped (killed or out of memory); run again to retry"
        pool.shutdown(wait=False, cancel_futures=True)
        return ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(settings,))
    for a, (analysis, error) in zip(batch, results):
        yield a, analysis, error
    return pool
