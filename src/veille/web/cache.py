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

import asyncio
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, MutableMapping

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


class Bounded(MutableMapping):
    """A thread-safe mapping that keeps its ``limit`` most recently used keys (the per-story views
    of ``dossier.make_entry`` in the web UI: one per story, language and set of flags)."""

    def __init__(self, limit: int = 256):
        self.limit = limit
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def __getitem__(self, key):
        with self._lock:
            value = self._data[key]
            self._data.move_to_end(key)
            return value

    def __setitem__(self, key, value) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.limit:
                self._data.popitem(last=False)

    def __delitem__(self, key) -> None:
        with self._lock:
            del self._data[key]

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._data

    def __iter__(self):
        with self._lock:
            return iter(list(self._data))

    def __len__(self) -> int:
        return len(self._data)


class ArchiveCache:
    """Per-thread read-only stores and the current snapshot of one archive."""

    def __init__(self, db: Path):
        self.db = Path(db)
        self._local = threading.local()
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        self._stores: list[Store] = []

    def store(self, inode: Any = ...) -> Store:
        """This thread's connection (opened, and checked to be a veille archive, once). ``inode``:
        the database file's, when the caller has just read the archive's stamp."""
        inode = stamp(self.db)[0] if inode is ... else inode
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

    def snapshot(self, version: Stamp | None = None) -> Snapshot:
        """The snapshot of the archive's current version (``version``: a stamp just read)."""
        version = stamp(self.db) if version is None else version
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


VERSION = "veille.version"  # the scope key where ResponseCache leaves the stamp it read
CHUNK = 256 * 1024  # a body leaves in pieces of this size: the server waits for each to drain
GZIP_MIN = 1024  # smaller answers are sent as they are
GZIP_INLINE = 128 * 1024  # larger ones are compressed in a worker thread (zlib lets go of the interpreter)
COMPRESSIBLE = (b"text/", b"application/json", b"application/geo+json", b"application/javascript")


class Entry:
    """One cached answer: status, headers, body, and its gzip form once a reader has asked for it."""

    __slots__ = ("status", "headers", "body", "gzipped")

    def __init__(self, status: int, headers: list, body: bytes):
        self.status, self.headers, self.body = status, headers, body
        self.gzipped: bytes | None = None

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"")


def _header(headers: list, name: bytes) -> bytes | None:
    return next((v for k, v in headers if k.lower() == name), None)


def _compressible(status: int, headers: list, body: bytes) -> bool:
    kind = (_header(headers, b"content-type") or b"").lower()
    return (status == 200 and len(body) >= GZIP_MIN and kind.startswith(COMPRESSIBLE)
            and _header(headers, b"content-encoding") is None)


def _with_vary(headers: list) -> list:
    """The headers, saying the answer depends on Accept-Encoding (kept in Vary with what is there)."""
    out = [(k, v) for k, v in headers if k.lower() != b"vary"]
    vary = _header(headers, b"vary")
    out.append((b"vary", vary + b", Accept-Encoding" if vary else b"Accept-Encoding"))
    return out


def _encoded(headers: list, body: bytes, encoding: bytes | None) -> list:
    out = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    out.append((b"content-length", str(len(body)).encode("ascii")))
    if encoding:
        out.append((b"content-encoding", encoding))
    return out


def accepts_gzip(scope) -> bool:
    for k, v in scope.get("headers") or ():
        if k == b"accept-encoding":
            for part in v.lower().split(b","):
                bits = part.strip().split(b";")
                if bits[0].strip() in (b"gzip", b"*"):
                    q = next((b.strip()[2:] for b in bits[1:] if b.strip().startswith(b"q=")), b"1")
                    try:
                        return float(q) > 0
                    except ValueError:
                        return False
    return False


def gzip_bytes(body: bytes) -> bytes:
    """Deterministic gzip (no time stamp, no name): the same answer compresses to the same bytes.
    zlib lets go of the interpreter while it works, so another thread serves meanwhile."""
    import gzip

    return gzip.compress(body, compresslevel=6, mtime=0)


class ResponseCache:
    """ASGI middleware: a GET answered once per archive version is answered again from memory.

    Every page of ``veille serve`` is a function of the archive version, the URL and the reader's
    language (the ``ui`` cookie or Accept-Language), so those are the key; only complete 200
    answers are kept, in a least-recently-used store bounded in bytes (``max_bytes``, one answer
    at most ``max_entry``), emptied when the archive changes. Static files are not its business.
    What the first request of a page costs is measured apart (bench/serve_load.py, "cold").
    Requests for a page already being made wait for it and replay it (a burst's first seconds ask
    for the same search twenty times at once: made once, not twenty times in parallel).

    A reader that accepts gzip gets the answer compressed (text over 1 KB), compressed once per
    entry in a worker thread (the map page and the events layer of a large archive are megabytes);
    every body is sent in pieces of ``CHUNK`` bytes, each after the previous one drained, so a slow
    reader of a large answer holds one piece in memory, not a copy of the answer."""

    def __init__(self, app, db: Path, max_bytes: int = 96 * 1024 * 1024, max_entry: int = 32 * 1024 * 1024):
        self.app = app
        self.db = Path(db)
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self._entries: "OrderedDict[tuple, Entry]" = OrderedDict()
        self._size = 0
        self._version: Stamp | None = None
        self._lock = threading.Lock()
        self._inflight: dict[tuple, "asyncio.Future"] = {}  # pages being made: later askers wait, then replay
        self.hits = self.misses = 0

    @staticmethod
    def _key(scope) -> tuple:
        headers = dict(scope.get("headers") or ())
        return (scope.get("path"), scope.get("query_string"), headers.get(b"cookie"), headers.get(b"accept-language"))

    def _get(self, version: Stamp, key: tuple) -> Entry | None:
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

    def _put(self, version: Stamp, key: tuple, entry: Entry) -> None:
        if entry.size > self.max_entry:
            return
        with self._lock:
            if version != self._version:
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old.size
            self._entries[key] = entry
            self._size += entry.size
            self._trim()

    def _trim(self) -> None:
        while self._size > self.max_bytes and self._entries:
            _, dropped = self._entries.popitem(last=False)
            self._size -= dropped.size

    async def _gzipped(self, entry: Entry, cached: bool) -> bytes:
        if entry.gzipped is None:
            if len(entry.body) <= GZIP_INLINE:  # a page: compressed here (a thread would cost more)
                gz = gzip_bytes(entry.body)
            else:
                import anyio

                gz = await anyio.to_thread.run_sync(gzip_bytes, entry.body)
            with self._lock:
                if entry.gzipped is None:
                    entry.gzipped = gz
                    if cached and any(e is entry for e in self._entries.values()):
                        self._size += len(gz)
                        self._trim()
        return entry.gzipped

    async def _send(self, scope, send, entry: Entry, cached: bool) -> None:
        headers, body = entry.headers, entry.body
        if _compressible(entry.status, headers, body):
            headers = _with_vary(headers)
            if accepts_gzip(scope):
                body = await self._gzipped(entry, cached)
                headers = _encoded(headers, body, b"gzip")
        await send({"type": "http.response.start", "status": entry.status, "headers": headers})
        view = memoryview(body)
        for i in range(0, max(len(body), 1), CHUNK):
            last = i + CHUNK >= len(body)
            await send({"type": "http.response.body", "body": bytes(view[i:i + CHUNK]), "more_body": not last})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith("/static/"):
            return await self.app(scope, receive, send)
        version = stamp(self.db)
        scope[VERSION] = version  # one stat of the archive per request: the pages read it from here
        key = self._key(scope)
        hit = self._get(version, key)
        if hit is None and (version, key) in self._inflight:  # the same page is being made: wait for it
            await asyncio.shield(self._inflight[(version, key)])
            hit = self._get(version, key)
        if hit is not None:
            self.hits += 1
            return await self._send(scope, send, hit, True)
        self.misses += 1
        made = asyncio.get_running_loop().create_future()
        first = (version, key) not in self._inflight
        if first:
            self._inflight[(version, key)] = made
        try:
            await self._make(scope, receive, send, version, key)
        finally:
            if first:
                del self._inflight[(version, key)]
            made.set_result(None)

    async def _make(self, scope, receive, send, version: Stamp, key: tuple) -> None:
        start: dict = {}
        chunks: list[bytes] = []
        streamed = False

        async def capture(message):
            nonlocal streamed
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body"):  # a streamed answer (none of ours): passed on as it comes
                    if not streamed:
                        streamed = True
                        await send(dict(start))
                    for part in chunks:
                        await send({"type": "http.response.body", "body": part, "more_body": True})
                    chunks.clear()
            else:
                await send(message)

        await self.app(scope, receive, capture)
        if streamed:
            await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": False})
            return
        if not start:
            return
        entry = Entry(start.get("status", 200), list(start.get("headers") or ()), b"".join(chunks))
        if entry.status == 200:
            self._put(version, key, entry)
        await self._send(scope, send, entry, entry.status == 200)
