"""SQLite store: WAL, named migrations, FTS5, one writer, idempotent upserts.

Why SQLite: one file an analyst can copy, query and share; FTS5 gives search for free.
Records are stored whole as JSON (the export contract) next to the few columns we filter
and sort on, so adding a field to a record never needs a migration.

One writer: a ``Store`` opened for writing takes an exclusive lock file next to the
database; readers (the web UI) open it read-only and never block the writer (WAL).
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from .errors import UsageError
from .records import Article, Claim, Contradiction, Entity, Event, Mention, Place, RawDoc, Story

if TYPE_CHECKING:
    from . import ingest_policy as policy

# A migration is SQL (run as one script) or a function of the connection; either runs in
# one transaction together with its entry in schema_migrations.
Migration = "str | Callable[[sqlite3.Connection], None]"


_M001_INITIAL = """
        CREATE TABLE captures (
            sha256 TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            media_type TEXT,
            fetched_at TEXT,
            size INTEGER NOT NULL,
            headers TEXT,
            content BLOB NOT NULL          -- zlib-compressed raw bytes
        );
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            canonical_url TEXT,
            outlet TEXT,
            published_at TEXT,
            language TEXT,
            section TEXT,
            title TEXT,
            capture TEXT REFERENCES captures(sha256),
            record TEXT NOT NULL,          -- the Article as JSON (export contract)
            content_hash TEXT NOT NULL,    -- hash of record: an unchanged upsert is a no-op
            ingested_at TEXT NOT NULL,
            analyzed_hash TEXT             -- content_hash at the last analysis; NULL = to analyse
        );
        CREATE INDEX articles_published ON articles(published_at);
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE UNIQUE INDEX articles_canonical ON articles(canonical_url) WHERE canonical_url IS NOT NULL;
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            article_id UNINDEXED, title, headline, text, tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TABLE sources_seen (      -- inputs already ingested, for resumable re-runs
            source TEXT PRIMARY KEY,
            sha256 TEXT,
            seen_at TEXT NOT NULL,
            status TEXT NOT NULL,
            detail TEXT
        );
        CREATE TABLE entities (id TEXT PRIMARY KEY, type TEXT, name TEXT, record TEXT NOT NULL);
        CREATE TABLE mentions (
            article_id TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
            label TEXT, entity_id TEXT, record TEXT NOT NULL,
            PRIMARY KEY (article_id, start, end)
        );
        CREATE INDEX mentions_entity ON mentions(entity_id);
        CREATE TABLE claims (id TEXT PRIMARY KEY, article_id TEXT NOT NULL, kind TEXT, event_id TEXT, record TEXT NOT NULL);
        CREATE INDEX claims_article ON claims(article_id);
        CREATE TABLE events (event_id TEXT PRIMARY KEY, event_date TEXT, article_id TEXT, story_id TEXT, record TEXT NOT NULL);
        CREATE INDEX events_article ON events(article_id);
        CREATE TABLE stories (id TEXT PRIMARY KEY, first_seen TEXT, last_seen TEXT, record TEXT NOT NULL);
        CREATE TABLE story_articles (story_id TEXT NOT NULL, article_id TEXT PRIMARY KEY);
        CREATE TABLE contradictions (id TEXT PRIMARY KEY, story_id TEXT, record TEXT NOT NULL);
"""


# Named migrations, applied in order, each once. Later stages append theirs here.
MIGRATIONS: list[tuple[str, Any]] = [
    ("001_initial", _M001_INITIAL),
    # conditional GET: the validators of the last 200 response per URL (acquire/fetch.py)
    ("002_http_cache", """
        CREATE TABLE IF NOT EXISTS http_cache (
            url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, sha256 TEXT, final_url TEXT, fetched_at TEXT
        );
    """),
    # exact duplicates refused at ingest: the normalised text's hash per article, and the
    # copies refused (named "link_state" when the link stage's tables were created here too;
    # those now belong to veille.link.state.LinkState, with their own named migrations)
    ("link_state", """
        CREATE TABLE IF NOT EXISTS text_hashes (article_id TEXT PRIMARY KEY, outlet TEXT, hash TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS text_hashes_hash ON text_hashes(hash);
        CREATE TABLE IF NOT EXISTS duplicates (source TEXT NOT NULL, article_id TEXT NOT NULL, of_article_id TEXT NOT NULL,
            seen_at TEXT NOT NULL, PRIMARY KEY (source, article_id));
    """),
    # standing watches (watch/state.py owns these tables): the watch files, each source's
    # schedule and back-off, the items already taken (no duplicate, no miss after a kill),
    # reviews written, alerts raised once, and the delivery outbox (never lost while an
    # endpoint is down)
    ("watch_state", """
        CREATE TABLE IF NOT EXISTS watches (name TEXT PRIMARY KEY, spec TEXT NOT NULL, path TEXT, added_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS watch_sources (watch TEXT NOT NULL, source TEXT NOT NULL, next_at TEXT, failures INTEGER NOT NULL DEFAULT 0,
            last_ok TEXT, last_error TEXT, items INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (watch, source));
        CREATE TABLE IF NOT EXISTS watch_items (watch TEXT NOT NULL, item TEXT NOT NULL, source TEXT NOT NULL, article_id TEXT,
            status TEXT NOT NULL, tries INTEGER NOT NULL DEFAULT 0, seen_at TEXT NOT NULL, PRIMARY KEY (watch, item));
        CREATE TABLE IF NOT EXISTS watch_articles (watch TEXT NOT NULL, article_id TEXT NOT NULL, item TEXT NOT NULL,
            PRIMARY KEY (watch, article_id));
        CREATE TABLE IF NOT EXISTS watch_reviews (watch TEXT NOT NULL, day TEXT NOT NULL, lang TEXT NOT NULL, written_at TEXT NOT NULL,
            path TEXT, articles INTEGER NOT NULL, headlines TEXT, PRIMARY KEY (watch, day, lang));
        CREATE TABLE IF NOT EXISTS watch_alerts (id TEXT PRIMARY KEY, watch TEXT NOT NULL, rule TEXT NOT NULL, kind TEXT NOT NULL,
            key TEXT NOT NULL, raised_at TEXT NOT NULL, record TEXT NOT NULL, UNIQUE (watch, key));
        CREATE TABLE IF NOT EXISTS watch_outbox (alert_id TEXT NOT NULL, channel TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
            next_at TEXT NOT NULL, delivered_at TEXT, last_error TEXT, PRIMARY KEY (alert_id, channel));
        CREATE INDEX IF NOT EXISTS watch_outbox_due ON watch_outbox(delivered_at, next_at);
    """),
    # the text fingerprint now folds words with veille's one folding (issue 17 §5): stored
    # hashes are recomputed from the stored texts, so a copy ingested later is still refused
    ("text_hashes_refold", lambda db: _rehash_texts(db)),
    # each story's cross-check that is not a flag — its tolls' evolution — computed once by the
    # link stage, where the readings are made anyway, instead of per page view (issue 18: an
    # article page of a 145-article story spent 1.4 s comparing every pair of its figures)
    ("story_crosscheck", """
        CREATE TABLE IF NOT EXISTS story_crosscheck (story_id TEXT PRIMARY KEY, record TEXT NOT NULL);
    """),
]


def _rehash_texts(db) -> None:
    from .fingerprint import text_hash

    rows = db.execute("SELECT t.article_id, a.record FROM text_hashes t JOIN articles a ON a.id = t.article_id").fetchall()
    for article_id, record in rows:
        fp = text_hash(json.loads(record).get("text") or "")
        if fp is None:
            db.execute("DELETE FROM text_hashes WHERE article_id = ?", (article_id,))
        else:
            db.execute("UPDATE text_hashes SET hash = ? WHERE article_id = ?", (fp, article_id))


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class StoreLocked(Exception):
    pass


class StoreError(UsageError):
    """``--db`` names something that is not (and cannot become) a veille database: exit 2, one line."""


_SQLITE_MAGIC = b"SQLite format 3\x00"


class Store:
    """The one place that reads and writes the database."""

    def __init__(self, path: Path | str, *, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self._lock_fd: int | None = None
        self._check_path()
        try:
            if readonly:
                uri = f"file:{_uri_path(self.path)}?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
                self._check_veille(self.db)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._acquire_writer_lock()
                self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
                self._check_veille(self.db, fresh_ok=True)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.migrate()
        except sqlite3.DatabaseError as exc:
            self._release()
            raise StoreError(f"{self.path}: not a usable veille database ({_first_line(exc)})") from None
        except OSError as exc:
            self._release()
            raise StoreError(f"{self.path}: cannot open ({exc.strerror or exc})") from None
        except BaseException:
            self._release()
            raise
        self.db.row_factory = sqlite3.Row

    def _check_path(self) -> None:
        """Refuse, before touching anything, what is plainly not a database file."""
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a database file")
        if self.readonly and not self.path.exists():
            raise StoreError(f"{self.path}: no such database (run `veille ingest` or `veille run` first)")
        if self.path.exists():
            try:
                with open(self.path, "rb") as f:
                    head = f.read(len(_SQLITE_MAGIC))
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot read ({exc.strerror or exc})") from None
            if head and head != _SQLITE_MAGIC:
                raise StoreError(f"{self.path}: not an SQLite database; refusing to use it as --db")

    def _check_veille(self, db: sqlite3.Connection, fresh_ok: bool = False) -> None:
        """An SQLite file that is someone else's database is never written into (nor served)."""
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_migrations" in tables:
            return
        if fresh_ok and not tables:
            return
        raise StoreError(f"{self.path}: an SQLite database that is not a veille database"
                         + ("" if tables else " (it is empty)"))

    def _release(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            db.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    # ---- lifecycle -------------------------------------------------------------------
    def _acquire_writer_lock(self) -> None:
        import fcntl

        lock_path = self.path.with_name(self.path.name + ".writer.lock")
        fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreLocked(f"{self.path}: another veille process is writing to this database") from None
        self._lock_fd = fd

    def close(self) -> None:
        self._release()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def migrate(self) -> list[str]:
        self.db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {r[0] for r in self.db.execute("SELECT name FROM schema_migrations")}
        applied = []
        for name, migration in MIGRATIONS:
            if name in done:
                continue
            if isinstance(migration, str):
                # executescript commits first, so the script carries its own transaction
                stamp = name.replace("'", "''")
                self.db.executescript(f"BEGIN IMMEDIATE;\n{migration}\nINSERT INTO schema_migrations VALUES ('{stamp}', '{_now()}');\nCOMMIT;")
            else:
                with self.transaction():
                    migration(self.db)
                    self.db.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, _now()))
            applied.append(name)
        return applied

    def ensure_migrations(self, migrations: Iterable[tuple[str, str]]) -> list[str]:
        """Apply the named migrations of a table owner (e.g. ``link.state.LinkState``) not yet
        applied. Each is SQL whose statements run one by one inside the caller's transaction
        when one is open (DDL is transactional in SQLite), else in a transaction of its own."""
        done = {r[0] for r in self.db.execute("SELECT name FROM schema_migrations")}
        todo = [(n, m) for n, m in migrations if n not in done]
        if not todo:
            return []
        own = not self.db.in_transaction
        if own:
            self.db.execute("BEGIN IMMEDIATE")
        try:
            for name, sql in todo:
                for statement in (x.strip() for x in sql.split(";")):
                    if statement:
                        self.db.execute(statement)
                self.db.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, _now()))
        except BaseException:
            if own:
                self.db.execute("ROLLBACK")
            raise
        if own:
            self.db.execute("COMMIT")
        return [n for n, _ in todo]

    def migrations(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM schema_migrations ORDER BY name")]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # ---- captures ----------------------------------------------------------------------
    def put_capture(self, raw: RawDoc) -> str:
        sha = raw.sha256
        self.db.execute(
            "INSERT OR IGNORE INTO captures VALUES (?, ?, ?, ?, ?, ?, ?)",
            (sha, raw.source, raw.media_type, raw.fetched_at, len(raw.content), _dumps(list(raw.headers)), zlib.compress(raw.content, 6)),
        )
        return sha

    def get_capture(self, sha256: str) -> RawDoc | None:
        row = self.db.execute("SELECT * FROM captures WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:
            return None
        headers = tuple(tuple(h) for h in json.loads(row["headers"] or "[]"))
        return RawDoc(zlib.decompress(row["content"]), row["source"], row["media_type"], row["fetched_at"], headers)

    def count_captures(self) -> int:
        return self.db.execute("SELECT count(*) FROM captures").fetchone()[0]

    # ---- HTTP validators (conditional GET, acquire/fetch.py) ------------------------------
    def http_validators(self, url: str) -> dict | None:
        """The validators kept from the last 200 answer for ``url`` (etag, last_modified, sha256 of
        its capture, final_url), or None. A database without the table (a read-only copy made
        before the migration) has none."""
        try:
            row = self.db.execute("SELECT etag, last_modified, sha256, final_url FROM http_cache WHERE url = ?",
                                  (url,)).fetchone()
        except sqlite3.OperationalError:
            return None
        if row is None:
            return None
        return {"etag": row[0], "last_modified": row[1], "sha256": row[2], "final_url": row[3]}

    def remember_http(self, url: str, *, etag: str | None, last_modified: str | None, sha256: str,
                      final_url: str, fetched_at: str) -> None:
        """Keep (or replace) the validators of a 200 answer for ``url``."""
        self.db.execute(
            "INSERT INTO http_cache VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag=excluded.etag, "
            "last_modified=excluded.last_modified, sha256=excluded.sha256, final_url=excluded.final_url, "
            "fetched_at=excluded.fetched_at",
            (url, etag, last_modified, sha256, final_url, fetched_at),
        )

    # ---- sources -----------------------------------------------------------------------
    def mark_source(self, source: str, sha256: str | None, status: str, detail: str | None = None) -> None:
        self.db.execute(
            "INSERT INTO sources_seen VALUES (?, ?, ?, ?, ?) ON CONFLICT(source) DO UPDATE SET "
            "sha256=excluded.sha256, seen_at=excluded.seen_at, status=excluded.status, detail=excluded.detail",
            (source, sha256, _now(), status, detail),
        )

    def source_status(self, source: str) -> tuple[str | None, str | None]:
        row = self.db.execute("SELECT sha256, status FROM sources_seen WHERE source = ?", (source,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    # ---- articles ----------------------------------------------------------------------
    def upsert_article(self, article: Article, capture: str | None = None) -> str:
        """Insert or update by the ingest policy (``ingest_policy.decide``: one id, the later
        extraction wins; one canonical URL, the first wins; an exact duplicate is refused and
        recorded); returns 'new', 'updated', 'unchanged' or 'duplicate'."""
        from . import ingest_policy as policy

        record = article.to_dict()
        body = _dumps(record)
        keys = policy.keys_of(record, body)
        decision = policy.decide(self._known(keys), keys.content_hash)
        if decision.status == policy.DUPLICATE:
            self.record_duplicate(keys.source, article.id, decision.of_article)
        if not decision.admitted:
            return decision.status
        self.db.execute(
            "INSERT INTO articles (id, canonical_url, outlet, published_at, language, section, title, capture, record, content_hash, ingested_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET canonical_url=excluded.canonical_url, "
            "outlet=excluded.outlet, published_at=excluded.published_at, language=excluded.language, section=excluded.section, "
            "title=excluded.title, capture=coalesce(excluded.capture, capture), record=excluded.record, content_hash=excluded.content_hash, "
            "analyzed_hash=NULL",  # the stored record is the extracted one again: analyse it again
            (
                article.id, article.canonical_url, article.outlet, article.published_at, article.language, article.section,
                article.title or article.headline, capture, body, keys.content_hash, _now(),
            ),
        )
        if keys.fingerprint is not None:  # an updated row keeps its rowid: "the first" stays the first stored
            self.db.execute("INSERT INTO text_hashes VALUES (?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET "
                            "outlet=excluded.outlet, hash=excluded.hash", (article.id, article.outlet, keys.fingerprint))
        else:
            self.db.execute("DELETE FROM text_hashes WHERE article_id = ?", (article.id,))
        self.db.execute("DELETE FROM articles_fts WHERE article_id = ?", (article.id,))
        self.db.execute(
            "INSERT INTO articles_fts (article_id, title, headline, text) VALUES (?, ?, ?, ?)",
            (article.id, article.title or "", article.headline or "", article.text),
        )
        return decision.status

    def _known(self, keys: policy.Keys) -> policy.Known:
        """What the archive holds that bears on an incoming article (``ingest_policy.Known``)."""
        from .ingest_policy import Known

        row = self.db.execute("SELECT content_hash FROM articles WHERE id = ?", (keys.id,)).fetchone()
        owner = original = None
        if keys.canonical_url:
            other = self.db.execute("SELECT id FROM articles WHERE canonical_url = ? AND id != ?",
                                    (keys.canonical_url, keys.id)).fetchone()
            owner = other[0] if other else None
        if keys.fingerprint is not None:
            same = self.db.execute("SELECT article_id FROM text_hashes WHERE hash = ? AND outlet IS ? AND article_id != ? "
                                   "ORDER BY rowid LIMIT 1", (keys.fingerprint, keys.outlet, keys.id)).fetchone()
            original = same[0] if same else None
        return Known(row[0] if row else None, owner, original)

    def record_duplicate(self, source: str, article_id: str, of_article_id: str) -> None:
        """An exact copy refused at ingest (``duplicates``; the first record per source and id stays)."""
        self.db.execute("INSERT OR IGNORE INTO duplicates VALUES (?, ?, ?, ?)", (source, article_id, of_article_id, _now()))

    def duplicates(self) -> list[tuple[str, str, str]]:
        """(source, copy id, original id) of every exact copy refused at ingest."""
        return [tuple(r) for r in self.db.execute("SELECT source, article_id, of_article_id FROM duplicates ORDER BY source, article_id")]

    def update_article(self, article: Article) -> None:
        """Replace an article's record after analysis and mark it analysed.

        ``content_hash`` stays the hash of the *extracted* record, so re-ingesting the same
        input is recognised as unchanged, and a changed extraction is re-analysed.
        """
        body = _dumps(article.to_dict())
        self.db.execute(
            "UPDATE articles SET record = ?, language = ?, analyzed_hash = content_hash WHERE id = ?",
            (body, article.language, article.id),
        )

    def get_article(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
        return Article.from_dict(json.loads(row[0])) if row else None

    def articles(self, *, since: str | None = None, until: str | None = None, unanalyzed: bool = False,
                 ids: Iterable[str] | None = None, limit: int | None = None) -> list[Article]:
        sql = "SELECT record FROM articles WHERE 1=1"
        args: list[Any] = []
        if since:
            sql += " AND (published_at IS NULL OR substr(published_at, 1, 10) >= ?)"
            args.append(since[:10])
        if until:
            sql += " AND (published_at IS NULL OR substr(published_at, 1, 10) <= ?)"
            args.append(until[:10])
        if unanalyzed:
            sql += " AND (analyzed_hash IS NULL OR analyzed_hash != content_hash)"
        if ids is not None:
            ids = list(ids)
            sql += f" AND id IN ({','.join('?' * len(ids))})"
            args.extend(ids)
        sql += " ORDER BY published_at DESC, id"
        if limit is not None:  # the web UI pages through a large archive
            sql += " LIMIT ?"
            args.append(int(limit))
        return [Article.from_dict(json.loads(r[0])) for r in self.db.execute(sql, args)]

    HEAD_FIELDS = ("url", "canonical_url", "outlet", "section", "headline", "title", "published_at", "language")

    def article_heads(self, ids: Iterable[str]) -> dict[str, Article]:
        """id → the article without its body (``text`` empty, no places, events or boilerplate):
        what a list of other articles shows — title, outlet, date, link. SQLite reads the fields out
        of the JSON record, so a 150-article story's list does not parse 150 whole texts."""
        ids = list(dict.fromkeys(ids))
        cols = ", ".join(f"json_extract(record, '$.{f}')" for f in self.HEAD_FIELDS)
        out: dict[str, Article] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for row in self.db.execute(f"SELECT id, {cols} FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                out[row[0]] = Article(id=row[0], text="", **dict(zip(self.HEAD_FIELDS, row[1:])))
        return out

    def article_cards(self, ids: Iterable[str]) -> dict[str, Article]:
        """id → the article as a list of search hits shows it: ``article_heads`` with its places
        and the first 81 characters of its text (``display_title`` falls back on them)."""
        ids = list(dict.fromkeys(ids))
        cols = ", ".join(f"json_extract(record, '$.{f}')" for f in self.HEAD_FIELDS)
        out: dict[str, Article] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for row in self.db.execute(f"SELECT id, {cols}, json_extract(record, '$.places'), "
                                       f"substr(json_extract(record, '$.text'), 1, 81) FROM articles "
                                       f"WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                places = tuple(Place.from_dict(p) for p in json.loads(row[-2] or "[]"))
                out[row[0]] = Article(id=row[0], text=row[-1] or "", places=places,
                                      **dict(zip(self.HEAD_FIELDS, row[1:-2])))
        return out

    def claims_of(self, article_ids: Iterable[str]) -> dict[str, list[Claim]]:
        """article id → its claims (as ``claims(article_id)`` orders them), in one query per 500 ids."""
        ids = list(dict.fromkeys(article_ids))
        out: dict[str, list[Claim]] = {i: [] for i in ids}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for aid, record in self.db.execute(f"SELECT article_id, record FROM claims WHERE article_id IN "
                                               f"({','.join('?' * len(chunk))}) ORDER BY article_id, id", chunk):
                out[aid].append(Claim.from_dict(json.loads(record)))
        return out

    def claims_by_id(self, ids: Iterable[str]) -> dict[str, Claim]:
        """claim id → claim, for the given ids (those the store holds): the map reads the claims its
        events cite, not every claim of their articles."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, Claim] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for cid, record in self.db.execute(f"SELECT id, record FROM claims WHERE id IN ({','.join('?' * len(chunk))})",
                                               chunk):
                out[cid] = Claim.from_dict(json.loads(record))
        return out

    def article_outlets(self, ids: Iterable[str]) -> dict[str, str | None]:
        """id → outlet id of the given articles, without reading their records (the map layer
        needs only these two fields of thousands of articles)."""
        ids = list(dict.fromkeys(ids))
        out: dict[str, str | None] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            out.update(self.db.execute(f"SELECT id, outlet FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                                       chunk).fetchall())
        return out

    def article_meta(self) -> dict[str, tuple]:
        """id → (outlet, published_at, language, title) of every article (no record parsed)."""
        return {r[0]: tuple(r[1:]) for r in self.db.execute("SELECT id, outlet, published_at, language, title FROM articles")}

    def outlet_counts(self) -> dict[str | None, int]:
        """Number of stored articles per outlet id (the web UI's outlets page)."""
        return {r[0]: r[1] for r in self.db.execute("SELECT outlet, count(*) FROM articles GROUP BY outlet")}

    def languages(self) -> list[str]:
        """The languages present in the archive (the web UI's search filter)."""
        return [r[0] for r in self.db.execute("SELECT DISTINCT language FROM articles WHERE language IS NOT NULL ORDER BY 1")]

    def count_articles(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def search(self, query: str, limit: int = 50, marks: tuple[str, str] = ("[", "]")) -> list[tuple[str, str]]:
        """Full-text search: (article_id, snippet) pairs, best first.

        ``marks`` open/close each hit in the snippet; the web UI passes control characters
        that cannot occur in article text, so it can escape the snippet and then mark it."""
        rows = self.db.execute(
            "SELECT article_id, snippet(articles_fts, 3, ?, ?, '…', 12) FROM articles_fts "
            "WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (marks[0], marks[1], query, limit),
        )
        return [(r[0], r[1]) for r in rows]

    # ---- analysis results ----------------------------------------------------------------
    def replace_analysis(self, article_id: str, *, mentions: Iterable[Mention] = (), entities: Iterable[Entity] = (),
                         claims: Iterable[Claim] = (), events: Iterable[Event] = (),
                         contradictions: Iterable[Contradiction] | None = None) -> None:
        """Swap an article's mentions, claims and events for fresh ones (re-analysis is idempotent)."""
        for table in ("mentions", "claims", "events"):
            self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        if contradictions is not None:  # in-article contradictions (story_id NULL) of this article
            self.db.execute("DELETE FROM contradictions WHERE story_id IS NULL AND "
                            "json_extract(record, '$.values[0].article_id') = ?", (article_id,))
            for c in contradictions:
                self.db.execute("INSERT OR REPLACE INTO contradictions VALUES (?, ?, ?)", (c.id, None, _dumps(c.to_dict())))
        for e in entities:
            self.db.execute("INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?)", (e.id, e.type, e.name, _dumps(e.to_dict())))
        for m in mentions:
            self.db.execute("INSERT OR REPLACE INTO mentions VALUES (?, ?, ?, ?, ?, ?)",
                            (article_id, m.start, m.end, m.label, m.entity_id, _dumps(m.to_dict())))
        for c in claims:
            self.db.execute("INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?)", (c.id, article_id, c.kind, c.event_id, _dumps(c.to_dict())))
        for ev in events:
            self.db.execute("INSERT OR REPLACE INTO events VALUES (?, ?, ?, NULL, ?)", (ev.event_id, ev.event_date, article_id, _dumps(ev.to_dict())))

    def replace_stories(self, stories: Iterable[Story], contradictions: Iterable[Contradiction] = (),
                        story_events: Iterable[tuple[str, Event]] = (),
                        evolutions: dict[str, list[dict]] | None = None) -> None:
        """Replace the story layer wholesale (it is derived from the articles). ``evolutions``:
        story id → its tolls' evolution (``link.crosscheck.CrossCheck.evolution``), for every story
        the caller compared; a story without one has none stored (readers compute it)."""
        self.db.execute("DELETE FROM stories")
        self.db.execute("DELETE FROM story_crosscheck")
        self.db.execute("DELETE FROM story_articles")
        self.db.execute("DELETE FROM contradictions WHERE story_id IS NOT NULL")  # in-article ones belong to enrich
        self.db.execute("DELETE FROM events WHERE story_id IS NOT NULL")
        for s in stories:
            self.db.execute("INSERT INTO stories VALUES (?, ?, ?, ?)", (s.id, s.first_seen, s.last_seen, _dumps(s.to_dict())))
            for a in s.articles:
                self.db.execute("INSERT OR REPLACE INTO story_articles VALUES (?, ?)", (s.id, a))
        for c in contradictions:
            self.db.execute("INSERT OR REPLACE INTO contradictions VALUES (?, ?, ?)", (c.id, c.story_id, _dumps(c.to_dict())))
        for story_id, ev in story_events:
            self.db.execute("INSERT OR REPLACE INTO events VALUES (?, ?, NULL, ?, ?)",
                            (ev.event_id, ev.event_date, story_id, _dumps(ev.to_dict())))
        for story_id, evolution in sorted((evolutions or {}).items()):
            self.db.execute("INSERT OR REPLACE INTO story_crosscheck VALUES (?, ?)",
                            (story_id, _dumps({"evolution": evolution})))

    def story_evolution(self, story_id: str) -> list[dict] | None:
        """A story's tolls' evolution as the link stage stored it, or None when it was not stored
        (a story layer written by another tool, or an archive linked before the table existed)."""
        try:
            row = self.db.execute("SELECT record FROM story_crosscheck WHERE story_id = ?", (story_id,)).fetchone()
        except sqlite3.OperationalError:  # a read-only archive from before the migration
            return None
        return json.loads(row[0])["evolution"] if row else None

    def _records(self, sql: str, args: Iterable[Any] = ()) -> list[dict]:
        return [json.loads(r[0]) for r in self.db.execute(sql, list(args))]

    def mentions(self, article_id: str | None = None) -> list[Mention]:
        where, args = ("WHERE article_id = ?", [article_id]) if article_id else ("", [])
        return [Mention.from_dict(d) for d in self._records(f"SELECT record FROM mentions {where} ORDER BY article_id, start", args)]

    def entities(self) -> list[Entity]:
        return [Entity.from_dict(d) for d in self._records("SELECT record FROM entities ORDER BY id")]

    def claims(self, article_id: str | None = None) -> list[Claim]:
        where, args = ("WHERE article_id = ?", [article_id]) if article_id else ("", [])
        return [Claim.from_dict(d) for d in self._records(f"SELECT record FROM claims {where} ORDER BY article_id, id", args)]

    def events(self, article_id: str | None = None, *, story_level: bool | None = None) -> list[Event]:
        sql, args = "SELECT record FROM events WHERE 1=1", []
        if article_id:
            sql += " AND article_id = ?"
            args.append(article_id)
        if story_level is True:
            sql += " AND story_id IS NOT NULL"
        elif story_level is False:
            sql += " AND story_id IS NULL"
        return [Event.from_dict(d) for d in self._records(sql + " ORDER BY event_date, event_id", args)]

    def iter_events(self, *, story_level: bool | None = None) -> Iterator[Event]:
        """``events(story_level=…)`` one at a time (same order), for readers of every event that
        should not hold them all (the web UI's map and events layers)."""
        where = {True: "WHERE story_id IS NOT NULL", False: "WHERE story_id IS NULL", None: ""}[story_level]
        for (rec,) in self.db.execute(f"SELECT record FROM events {where} ORDER BY event_date, event_id"):
            yield Event.from_dict(json.loads(rec))

    def event_articles(self, *, story_level: bool | None = None) -> Iterator[tuple[str, list[str]]]:
        """(event id, its articles) of every event, read by SQLite out of the records."""
        where = {True: "WHERE story_id IS NOT NULL", False: "WHERE story_id IS NULL", None: ""}[story_level]
        for eid, arts in self.db.execute(f"SELECT event_id, json_extract(record, '$.articles') FROM events {where}"):
            yield eid, (json.loads(arts) if arts else [])

    def event_rows(self, *, story_level: bool | None = None) -> Iterator[tuple[str | None, str | None, Event]]:
        """(article id, story id, event), article-level events first, then by date: what the
        exports and the link stage read without writing SQL of their own (one owner per table)."""
        where = {True: "WHERE story_id IS NOT NULL", False: "WHERE story_id IS NULL", None: ""}[story_level]
        for aid, sid, rec in self.db.execute(f"SELECT article_id, story_id, record FROM events {where} "
                                             "ORDER BY story_id IS NOT NULL, event_date, event_id"):
            yield aid, sid, Event.from_dict(json.loads(rec))

    def story_article_ids(self, story_id: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY article_id",
                                              (story_id,))]

    def count_contradictions(self) -> int:
        return self.db.execute("SELECT count(*) FROM contradictions").fetchone()[0]

    def stories(self) -> list[Story]:
        return [Story.from_dict(d) for d in self._records("SELECT record FROM stories ORDER BY last_seen DESC, id")]

    def contradictions(self) -> list[Contradiction]:
        return [Contradiction.from_dict(d) for d in self._records("SELECT record FROM contradictions ORDER BY id")]


def duplicate_copies(store: "Store") -> list[tuple[str, str]]:
    """(copy id, original id) of the exact copies refused at ingest, each copy once."""
    return [(r[0], r[1]) for r in store.db.execute(
        "SELECT article_id, min(of_article_id) FROM duplicates GROUP BY article_id ORDER BY article_id")]


def count_duplicates(store: "Store") -> int:
    """Exact duplicates refused at ingest (same outlet, same normalised text)."""
    return store.db.execute("SELECT count(*) FROM duplicates").fetchone()[0]


def _first_line(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    return text[:160]


def _uri_path(path: Path) -> str:
    """The path quoted for an SQLite ``file:`` URI (``?`` and ``#`` in a name would end it)."""
    from urllib.parse import quote

    return quote(os.fsencode(path.resolve()))

