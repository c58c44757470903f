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
from collections import OrderedDict
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
        self._recent: dict[str, OrderedDict] = {}

    def recent(self, group: str, key: Any, build: Callable[[], Any], limit: int = 256) -> Any:
        """Like ``memo``, for values asked of many keys (one per story): only the ``limit`` most
        recently used of a group are kept, so a reader walking the whole archive does not hold it
        all in memory. One builder per key; the others wait for its value."""
        with self._guard:
            table = self._recent.setdefault(group, OrderedDict())
            if key in table:
                table.move_to_end(key)
                return table[key]
            lock = self._locks.setdefault((group, key), threading.Lock())
        with lock:
            with self._guard:
                if key in table:
                    table.move_to_end(key)
                    return table[key]
            value = build()
            with self._guard:
                table[key] = value
                while len(table) > limit:
                    table.popitem(last=False)
                self._locks.pop((group, key), None)  # later askers find the value; locks do not pile up
            return value

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


class ResponseCache:
    """ASGI middleware: a GET answered once per archive version is answered again from memory.

    Every page of ``veille serve`` is a function of the archive version, the URL and the reader's
    language (the ``ui`` cookie or Accept-Language), so those are the key; only complete 200
    answers are kept, in a least-recently-used store bounded in bytes (``max_bytes``, one answer
    at most ``max_entry``), emptied when the archive changes. Static files are not its business.
    What the first request of a page costs is measured apart (bench/serve_load.py, "cold")."""

    def __init__(self, app, db: Path, max_bytes: int = 64 * 1024 * 1024, max_entry: int = 8 * 1024 * 1024):
        from collections import OrderedDict

        self.app = app
        self.db = Path(db)
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self._entries: "OrderedDict[tuple, tuple[int, list, bytes]]" = OrderedDict()
        self._size = 0
        self._version: Stamp | None = None
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @staticmethod
    def _key(scope) -> tuple:
        headers = dict(scope.get("headers") or ())
        return (scope.get("path"), scope.get("query_string"), headers.get(b"cookie"), headers.get(b"accept-language"))

    def _get(self, version: Stamp, key: tuple):
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._size = 0
                self._version = version
                return None
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
            return hit

    def _put(self, version: Stamp, key: tuple, value: tuple[int, list, bytes]) -> None:
        size = len(value[2])
        if size > self.max_entry:
            return
        with self._lock:
            if version != self._version:
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old[2])
            self._entries[key] = value
            self._size += size
            while self._size > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped[2])

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith("/static/"):
            return await self.app(scope, receive, send)
        version = stamp(self.db)
        key = self._key(scope)
        hit = self._get(version, key)
        if hit is not None:
            self.hits += 1
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        self.misses += 1
        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200:
                    self._put(version, key, (200, list(start.get("headers") or ()), b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, capture)
