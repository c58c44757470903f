"""The Python API, for notebooks and scripts: ``import veille``.

Why a module of its own: the command line is one shell over the library, a notebook is
another. These functions take plain arguments (paths, dates), build the one ``Settings``
the stages expect, and give back the records the exports contain — as frozen records, as
dicts, or as pandas DataFrames (pandas is needed only for the last).

    >>> import veille
    >>> report = veille.run(["revue.txt"], db="syria.db", out="dossier")
    >>> with veille.open("syria.db") as archive:
    ...     claims = archive.frame("claims")          # a pandas DataFrame
    ...     for story in archive.stories(): print(story.title)
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any, Iterable

from .pipeline import Report
from .progress import NO_PROGRESS, Progress
from .records import Article, Claim, Contradiction, Event, Outlet, Story
from .settings import Settings

KINDS = ("articles", "claims", "events", "stories", "contradictions")
_SETTING_NAMES = {f.name for f in fields(Settings)}

__all__ = ["run", "ingest", "analyze", "open", "Archive", "read", "frame", "Report", "KINDS"]


def _settings(db: str | Path, **options: Any) -> Settings:
    unknown = sorted(set(options) - _SETTING_NAMES)
    if unknown:
        raise TypeError(f"unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(_SETTING_NAMES - {'db'}))}")
    if "out" in options and options["out"] is not None:
        options["out"] = Path(options["out"])
    if "outlet_files" in options:
        options["outlet_files"] = tuple(Path(p) for p in options["outlet_files"])
    return Settings(db=Path(db), **{k: v for k, v in options.items() if v is not None})


def _progress(progress: bool | Progress) -> Progress:
    if isinstance(progress, Progress):
        return progress
    if progress:
        from .progress import TerminalProgress

        return TerminalProgress()
    return NO_PROGRESS


def run(inputs: str | Path | Iterable[str | Path], *, db: str | Path = "veille.db", out: str | Path = "dossier",
        progress: bool | Progress = False, **options: Any) -> Report:
    """Do the whole job on ``inputs`` (files, folders, URLs, feeds, WARC, JSON Lines): store their
    articles in the archive ``db``, analyse and link them, and write the dossier to ``out``.

    ``options`` are settings such as ``topic``, ``since``/``until`` (ISO dates) or
    ``outlet_files`` (your outlet JSON files). Returns a ``Report``: ``new``, ``updated``,
    ``unchanged``, ``analyzed``, ``errors`` (one line per failed input), ``article_ids``."""
    from .pipeline import run as run_job

    settings = _settings(db, out=out, **options)
    bar = _progress(progress)
    try:
        return run_job(_inputs(inputs), settings, progress=bar)
    finally:
        bar.close()


def ingest(inputs: str | Path | Iterable[str | Path], *, db: str | Path = "veille.db",
           progress: bool | Progress = False, **options: Any) -> Report:
    """Store the articles of ``inputs`` in the archive ``db`` without analysing them."""
    from .pipeline import ingest as ingest_job
    from .store import Store

    settings = _settings(db, **options)
    bar = _progress(progress)
    try:
        with Store(settings.db) as store:
            return ingest_job(_inputs(inputs), settings, store, progress=bar)
    finally:
        bar.close()


def analyze(*, db: str | Path = "veille.db", everything: bool = False, progress: bool | Progress = False,
            **options: Any) -> Report:
    """Analyse what was stored since the last analysis (``everything=True``: all of it), then link stories."""
    from .pipeline import analyze as analyze_job
    from .store import Store

    settings = _settings(db, **options)
    _exists(settings.db)
    bar = _progress(progress)
    try:
        with Store(settings.db) as store:
            return analyze_job(settings, store, everything=everything, progress=bar)
    finally:
        bar.close()


def open(db: str | Path = "veille.db", **options: Any) -> "Archive":  # noqa: A001 (like shelve.open)
    """Open an archive read-only (it can be read while a run adds to it)."""
    return Archive(db, **options)


class Archive:
    """An archive opened read-only: its records as objects, dicts or DataFrames.

    Records are the ones the exports hold: ``Article``, ``Claim``, ``Event``, ``Story``,
    ``Contradiction`` (frozen dataclasses; ``to_dict()`` gives the export's fields)."""

    def __init__(self, db: str | Path = "veille.db", **options: Any):
        from .outlets import load_registry
        from .store import Store

        self.settings = _settings(db, **options)
        _exists(self.settings.db)
        self.registry = load_registry(self.settings.outlet_files)
        self.store = Store(self.settings.db, readonly=True)

    # records -------------------------------------------------------------------------------
    def articles(self, *, since: str | None = None, until: str | None = None) -> list[Article]:
        """Articles, newest first (``since``/``until``: ISO dates, inclusive)."""
        return self.store.articles(since=since, until=until)

    def claims(self, article_id: str | None = None) -> list[Claim]:
        """Figures with their kind, qualifier, subject and who gives them (one article's, or all)."""
        return self.store.claims(article_id)

    def events(self, level: str = "export") -> list[Event]:
        """ACLED-style events. ``level``: "export" (as the exports: merged across outlets per
        story when stories exist), "story" or "article" (one per article that reports it)."""
        from .publish.export import events_for_export

        if level == "export":
            return events_for_export(self.store)
        if level not in ("story", "article"):
            raise ValueError(f"level is 'export', 'story' or 'article', not {level!r}")
        return self.store.events(story_level=level == "story")

    def stories(self) -> list[Story]:
        """Stories (articles about the same thing across outlets, days and languages), latest first."""
        return self.store.stories()

    def contradictions(self) -> list[Contradiction]:
        """Figures that disagree, inside one article or across the outlets of a story."""
        return self.store.contradictions()

    def outlet(self, outlet_id: str | None) -> Outlet | None:
        """The registry's record of an outlet (name, country, ownership, affiliation)."""
        return self.registry.get(outlet_id) if outlet_id else None

    def search(self, query: str, limit: int = 50) -> list[Article]:
        """Full-text search over titles and texts (words are matched as typed, best first)."""
        from .web.search import fts_query

        fts = fts_query(query)
        ids = [aid for aid, _ in self.store.search(fts, limit=limit)] if fts else []
        by_id = {a.id: a for a in self.store.articles(ids=ids)}
        return [by_id[i] for i in ids if i in by_id]

    # dicts and DataFrames ---------------------------------------------------------------------
    def records(self, kind: str) -> list[dict[str, Any]]:
        """The export records of ``kind`` as dicts (articles carry their outlet's registry record)."""
        from .publish.export import records as export_records

        _kind(kind)
        if kind == "events":
            return [e.to_dict() for e in self.events()]
        return export_records(self.store, kind, self.registry)

    def frame(self, kind: str):
        """A pandas DataFrame of ``kind``, one row per record, the export's fields as columns.
        Articles get flat outlet columns (``outlet`` id, ``outlet_name``, ``outlet_country``,
        ``outlet_ownership``, ``outlet_affiliation``) to group by; lists stay lists."""
        pd = _pandas()
        rows = self.records(kind)
        if kind == "articles":
            for r in rows:
                o = r.get("outlet") or {}
                r["outlet"] = o.get("id")
                for key in ("name", "country", "ownership", "affiliation"):
                    r[f"outlet_{key}"] = o.get(key)
        columns = _columns(kind, rows)
        return pd.DataFrame.from_records(rows, columns=columns)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<veille.Archive {self.settings.db} ({self.store.count_articles()} articles)>"


def read(kind: str, db: str | Path = "veille.db", **options: Any) -> list[dict[str, Any]]:
    """The export records of ``kind`` ("articles", "claims", "events", "stories", "contradictions") as dicts."""
    with Archive(db, **options) as archive:
        return archive.records(kind)


def frame(kind: str, db: str | Path = "veille.db", **options: Any):
    """The records of ``kind`` as a pandas DataFrame (see ``Archive.frame``; ``veille.read`` gives dicts)."""
    with Archive(db, **options) as archive:
        return archive.frame(kind)


# ---- helpers --------------------------------------------------------------------------------
def _inputs(inputs: str | Path | Iterable[str | Path]) -> list[str]:
    if isinstance(inputs, (str, Path)):
        return [str(inputs)]
    return [str(i) for i in inputs]


def _exists(db: Path) -> None:
    if not Path(db).exists():
        raise FileNotFoundError(f"{db}: no such archive (veille.run or veille.ingest creates it)")


def _kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind is one of {', '.join(KINDS)}, not {kind!r}")


_RECORD_TYPES = {"articles": Article, "claims": Claim, "events": Event, "stories": Story, "contradictions": Contradiction}


def _columns(kind: str, rows: list[dict[str, Any]]) -> list[str]:
    """The record's fields in their declared order (an empty archive still has its columns)."""
    names = [f.name for f in fields(_RECORD_TYPES[kind])]
    if rows:
        names = list(dict.fromkeys([n for n in names if n in rows[0]] + [k for r in rows for k in r]))
    elif kind == "articles":
        names += ["outlet_name", "outlet_country", "outlet_ownership", "outlet_affiliation"]
    return names


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError("DataFrames need pandas (pip install pandas); records(), articles() and the other "
                          "record lists work without it") from None
    return pandas
