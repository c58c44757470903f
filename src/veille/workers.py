"""Analysis on every core: articles go to worker processes, results come back to the one writer.

Why processes: the analysis is CPU-bound Python and spaCy (the GIL keeps threads on one core).
Each worker builds the enrichment pipeline once (models loaded once per worker, from the same
``Settings`` as the parent) and runs ``enrich.analyze_article`` — the very per-record function the
single-process path and the Spark job run — so one worker or many give the same records.

Results come back in input order (``Executor.map``), and the store is written by the parent
alone (SQLite has one writer). Inputs are submitted a few at a time through a bounded window, so memory stays flat on a
large archive. A worker that dies (killed, out of memory) fails only the tasks in flight: those articles
are reported and stay unanalysed, so a re-run picks them up; the rest goes on in a fresh pool.
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import replace
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Iterable, Iterator

from .records import Article
from .settings import Settings

TASK = 4  # articles per task sent to a worker
START_METHOD = "forkserver"  # a clean interpreter per worker (no fork of a threaded parent)
WINDOW = 4  # tasks in flight per worker: bounded memory, and no worker waits for the writer
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


def _many(articles: list[Article]) -> list:
    """One task: a few articles analysed in a row (fewer round trips than one task each)."""
    return [_one(a) for a in articles]


def analyses(articles: Iterable[Article], settings: Settings, workers: int | None = None,
             total: int | None = None) -> Iterator[tuple[Article, object, str | None]]:
    """(article, Analysis or None, error or None) for each article, in input order.

    ``workers``: processes to use (default: the cores available); 1, or fewer than ``SMALL``
    articles, analyses in this process.

    Why a sliding window rather than batch after batch: the workers keep analysing the next
    tasks while this process writes the results of the first ones, and a slow article holds up
    only its own task, so no core waits for the slowest article of a batch."""
    workers = workers or available_cores()
    if workers <= 1 or (total is not None and total < SMALL):
        _init(settings)
        for a in articles:
            yield (a, *_one(a))
        return
    import multiprocessing

    context = multiprocessing.get_context(START_METHOD)

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(settings,))

    pool = new_pool()
    pending = iter(articles)
    inflight: deque = deque()
    try:
        while True:
            while len(inflight) < WINDOW * workers:
                task = list(islice(pending, TASK))
                if not task:
                    break
                inflight.append((task, pool.submit(_many, task)))
            if not inflight:
                return
            task, future = inflight.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                # a worker died (killed, out of memory): every task in flight is lost with the pool;
                # those articles are reported (a re-run retries them) and a fresh pool goes on
                lost = [task] + [t for t, _ in inflight]
                inflight.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                for t in lost:
                    for a in t:
                        yield a, None, (f"{_describe(a)}: the analysis worker stopped (killed or out of memory); "
                                        "run again to retry")
                continue
            for a, (analysis, error) in zip(task, results):
                yield a, analysis, error
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
