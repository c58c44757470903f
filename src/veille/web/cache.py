"""Read-side caching for ``veille serve``: what every page needs is computed once per version of
the archive, not once per request.

Why: the map layer (every event, its claims, its articles' outlets) took ~0.3 s of CPU for 600
articles and grows with the archive; the home page and every article page read every story
and contradiction. Under a burst of requests those rebuilds are the whole cost. The archive
only changes when a writer commits, and a commit always touches the database file or its
write-ahead log, so ``(inode, size, mtime)`` of both is a version stamp that costs one
``stat`` per request. Derived values live in a ``Snapshot`` tied to one stamp; a new stamp
gets a fresh snapshot, built lazily, one builder per value (the other requests wait for it
rather than all building it at once).

Connections: one read-only connection per worker thread, kept across requests (opening and
checking a database per request cost more than most queries); a replaced database file
(another inode) gets new ones.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Callable

from ..store import Store

Stamp = tuple


def stamp(db: Path) -> Stamp:
    """The archive's version: changes with every commit (WAL append, checkpoint, replaced file)."""
    parts: list[Any] = []
    for path in (db, Path(str(db) + "-wal")):
        try:
            st = os.stat(path)
            parts += [st.st_ino, st.st_size, st.st_mtime_ns]
        except FileNotFoundError:
            parts += [None, None, None]
    return tuple(parts)


class Snapshot:
    """Values derived from one version of the archive, each computed once on first use."""

    def __init__(self, version: Stamp):
        self.version = version
        self._values: dict[Any, Any] = {}
        self._locks: dict[Any, threading.Lock] = {}
        self._guard = threading.Lock()

    def memo(self, key: Any, build: Callable[[], Any]) -> Any:
        try:
            return self._values[key]
        except KeyError:
            pass
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._values:
                self._values[key] = build()
            return self._values[key]


class ArchiveCache:
    """Per-thread read-only stores and the current snapshot of one archive."""

    def __init__(self, db: Path):
        self.db = Path(db)
        self._local = threading.local()
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self._stores: list[Store] = []

    def store(self) -> Store:
        """This thread's connection (opened, and checked to be a veille archive, once)."""
        inode = stamp(self.db)[0]
        held = getattr(self._local, "store", None)
        if held is not None and self._local.inode == inode:
            return held
        if held is not None:
            held.close()
        store = Store(self.db, readonly=True)
        self._local.store, self._local.inode = store, inode
        with self._lock:
            self._stores.append(store)
        return store

    def snapshot(self) -> Snapshot:
        version = stamp(self.db)
        snap = self._snapshot
        if snap is not None and snap.version == version:
            return snap
        with self._lock:
            if self._snapshot is None or self._snapshot.version != version:
                self._snapshot = Snapshot(version)
            return self._snapshot

    def close(self) -> None:
        with self._lock:
            for store in self._stores:
                try:
                    store.close()
                except Exception:  # a connection of a finished thread: nothing to save
                    pass
            self._stores.clear()


class Index:
    """Stories and contradictions of one archive version, looked up by id, article and story."""

    def __init__(self, store: Store):
        self.stories = store.stories()  # most recent first
        self.story_by_id = {s.id: s for s in self.stories}
        self.story_of = {aid: s for s in reversed(self.stories) for aid in s.articles}  # the most recent wins
        self.contradictions = store.contradictions()
        self.contras_by_story: dict[str | None, list] = {}
        self.contras_by_article: dict[str, list] = {}
        for c in self.contradictions:
            self.contras_by_story.setdefault(c.story_id, []).append(c)
            for aid in dict.fromkeys(v.article_id for v in c.values):
                self.contras_by_article.setdefault(aid, []).append(c)
        self.n_contra = {sid: len(cs) for sid, cs in self.contras_by_story.items()}
        self.total = store.count_articles()
        self.outlet_counts = store.outlet_counts()
        self.languages = store.languages()

    def contradictions_of(self, article_id: str, story_id: str | None) -> list:
        """The contradictions an article's cross-check shows: its own, and its story's (in archive order)."""
        mine = {id(c) for c in self.contras_by_article.get(article_id, [])}
        if story_id is not None:
            mine |= {id(c) for c in self.contras_by_story.get(story_id, [])}
        return [c for c in self.contradictions if id(c) in mine]
