"""The stages wired together: ingest (acquire + extract + store), analyze, publish.

The CLI and the web UI call these functions; the Spark job calls the per-record pieces
(``extract_raw``, ``analyze_article``) directly. Every input is committed on its own, so
a failure in one never loses another, and a re-run resumes where the last one stopped.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import InputError, InputNotice
from .extract import Context, Extraction, extract
from .outlets import OutletRegistry, load_registry
from .progress import ANALYSE, INGEST, MODELS, NO_PROGRESS, Progress
from .records import Article, RawDoc
from .settings import Settings
from .store import Store


@dataclass
class Report:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0  # exact duplicates (same outlet, same text) refused at ingest
    analyzed: int = 0
    inputs: int = 0
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    stories: int | None = None  # after linking: stories and contradictions in the whole archive
    contradictions: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def merge(self, other: "Report") -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.duplicate += other.duplicate
        self.analyzed += other.analyzed
        self.inputs += other.inputs
        self.errors += other.errors
        self.notices += other.notices
        self.article_ids += other.article_ids
        if other.stories is not None:
            self.stories, self.contradictions = other.stories, other.contradictions


Acquirer = Callable[[str, Settings, "Store | None"], Iterator["RawDoc | InputError"]]


def iter_raw(inputs: Iterable[str], settings: Settings, store: Store | None = None) -> Iterator[RawDoc | InputError]:
    """Expand every input (path, folder, URL, feed, archive…) into raw captures or errors."""
    from .acquire import sources

    for item in inputs:
        yield from sources.acquire(item, settings, store)


def extract_raw(raw: RawDoc, ctx: Context) -> Extraction:
    """Per-record extraction (shared with the Spark job). Errors become problems, never raise."""
    try:
        return extract(raw, ctx).keep_last_per_id()
    except InputError as exc:
        return Extraction(problems=[str(exc)])


def ingest(inputs: Iterable[str], settings: Settings, store: Store, registry: OutletRegistry | None = None,
           progress: Progress | None = None) -> Report:
    """Acquire, extract and store; ``progress`` is told of every capture's articles."""
    registry = registry or load_registry(settings.outlet_files)
    ctx = Context(registry, settings)
    report = Report()
    progress = progress or NO_PROGRESS
    progress.stage(INGEST)
    for raw in iter_raw(inputs, settings, store):
        if isinstance(raw, InputNotice):
            report.notices.append(str(raw))
            continue
        if isinstance(raw, InputError):
            report.errors.append(str(raw))
            continue
        report.inputs += 1
        result = extract_raw(raw, ctx)
        store_raw(store, raw, result, report)
        progress.advance(len(result.articles), item=raw.source)
    return report


def store_raw(store: Store, raw: RawDoc, result: Extraction, report: Report,
              also: Callable[[list[str]], None] | None = None) -> list[str]:
    """Store one capture and its articles in one transaction; ``also(article_ids)`` runs inside it
    (the watch service marks its item taken there, so a kill never separates the two)."""
    report.errors += result.problems
    report.notices += result.notices
    ids: list[str] = []
    with store.transaction():
        sha = store.put_capture(raw)
        for article in result.articles:
            status = store.upsert_article(article, capture=sha)
            setattr(report, status, getattr(report, status) + 1)
            report.article_ids.append(article.id)
            ids.append(article.id)
        store.mark_source(raw.source, sha, "failed" if result.problems and not result.articles else "ok",
                          "; ".join(result.problems)[:500] or None)
        if also is not None:
            also(ids)
    return ids


def analyze(settings: Settings, store: Store, *, everything: bool = False, progress: Progress | None = None) -> Report:
    """Enrich what is new (or everything) on ``settings.workers`` processes, then rebuild the story layer;
    ``progress`` is told of every article.

    The parent is the one writer: workers return analyses, the store is written here, one
    transaction per article (a crash loses nothing already written; a re-run resumes)."""
    from .link import link_store, vector_keeper
    from .workers import analyses

    report = Report()
    progress = progress or NO_PROGRESS
    todo = store.articles(unanalyzed=not everything)
    if todo:  # models load (in this process or the workers) only when there is something to analyse
        progress.stage(MODELS)
    progress.stage(ANALYSE, len(todo))
    keep_vectors = vector_keeper(store) if todo else None
    for article, result, error in analyses(todo, settings, settings.workers, total=len(todo)):
        progress.advance(0, item=article.url or article.title or article.id)
        if error is not None:
            report.errors.append(error)
            progress.advance()
            continue
        with store.transaction():
            store.update_article(result.article)
            store.replace_analysis(result.article.id, mentions=result.mentions, entities=result.entities,
                                   claims=result.claims, events=result.events,
                                   contradictions=result.contradictions)
            if result.story_vector is not None:
                keep_vectors([(result.article.id, *result.story_vector)])
        report.analyzed += 1
        progress.advance()
    with store.transaction():
        linked = link_store(store, settings, progress=progress)
    report.stories = linked.stories
    # in-article contradictions (enrich) and cross-outlet ones (link): all the archive holds
    report.contradictions = store.count_contradictions()
    return report


def run(inputs: Iterable[str], settings: Settings, progress: Progress | None = None) -> Report:
    """ingest → analyze → publish: the whole job on some inputs."""
    from .publish.dossier import write_dossier

    with Store(settings.db) as store:
        report = ingest(inputs, settings, store, progress=progress)
        report.merge(analyze(settings, store, progress=progress))
        write_dossier(store, settings)
    return report


def print_problems(report: Report, stream=sys.stderr) -> None:
    for line in report.notices:
        print(f"note: {line}", file=stream)
    for line in report.errors:
        print(f"error: {line}", file=stream)


def default_db(path: Path | None) -> Path:
    return path or Path("veille.db")
