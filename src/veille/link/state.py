"""``LinkState``: the one owner of the link stage's tables (and their named migrations).

The stage's functions are pure (``dedup``, ``features``, ``cluster``); what they need from
the archive — fingerprints, cached vectors, story profiles, the keys stories are found by,
document frequencies — is read and written here and nowhere else. The store opens the
database; this class adds its tables through ``Store.ensure_migrations``.

Tables:
- ``link_minhash`` / ``link_bands``: MinHash signature and LSH band keys per article;
- ``link_vectors``: the sentence vector per article, keyed by a hash of the embedded text;
- ``link_member``: the story of each linked article, the text key it was linked with and the
  record version (``seen_hash``) — an incremental run re-links only what changed;
- ``link_story``: each story's profile (``cluster.StoryProfile``: vector sum, days, names,
  word vectors) — what a new article is compared with;
- ``link_key``: (key, story, day) postings — publication days, event days, rare names —
  through which an article reaches its candidates (``cluster.blocking_keys``);
- ``link_df`` / ``link_stats``: document frequencies, article count and vector sum.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

import numpy as np

from .cluster import FOLLOW_DAYS, Stats, StoryProfile

MIGRATIONS = [
    ("link:001_fingerprints_vectors", """
        CREATE TABLE IF NOT EXISTS link_minhash (article_id TEXT PRIMARY KEY, sig BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS link_bands (key TEXT NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (key, article_id));
        CREATE INDEX IF NOT EXISTS link_bands_article ON link_bands(article_id);
        CREATE TABLE IF NOT EXISTS link_vectors (article_id TEXT PRIMARY KEY, text_key TEXT NOT NULL, vector BLOB NOT NULL)
    """),
    # incident-aware stories (issue 15): profiles and postings replace the centroid-only tables
    ("link:002_story_profiles", """
        DROP TABLE IF EXISTS link_stories;
        DROP TABLE IF EXISTS link_assign;
        DROP TABLE IF EXISTS link_mean;
        DROP TABLE IF EXISTS link_df;
        CREATE TABLE link_member (article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, text_key TEXT NOT NULL,
            seen_hash TEXT, probability REAL);
        CREATE INDEX link_member_story ON link_member(story_id);
        CREATE TABLE link_story (story_id TEXT PRIMARY KEY, n INTEGER NOT NULL, last_day INTEGER, vector BLOB NOT NULL,
            profile TEXT NOT NULL);
        CREATE TABLE link_key (key TEXT NOT NULL, story_id TEXT NOT NULL, day INTEGER, PRIMARY KEY (key, story_id));
        CREATE INDEX link_key_day ON link_key(key, day);
        CREATE TABLE link_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL);
        CREATE TABLE link_stats (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL, total BLOB NOT NULL)
    """),
]

MAX_POSTINGS = 40  # stories read per key (the most recent): a common name costs a bounded amount
CHUNK = 500


def _chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


class LinkState:
    """The link tables of one store, and a cache of the story profiles a batch touches."""

    def __init__(self, store):
        self.store = store
        self.db = store.db
        store.ensure_migrations(MIGRATIONS)
        self.profiles: dict[str, StoryProfile] = {}
        self.dirty: set[str] = set()
        self.posted: dict[str, set[str]] = {}  # story → keys already written this batch
        self.df: dict[str, int] = {}
        self.df_dirty: set[str] = set()
        row = self.db.execute("SELECT n, total FROM link_stats WHERE id = 1").fetchone()
        self.n = row[0] if row else 0
        self.total = np.frombuffer(row[1], dtype="<f4").astype(np.float32) if row else None

    # ---- fingerprints (dedup) ----------------------------------------------------------------
    def put_signature(self, article_id: str, sig: bytes | None, keys: Iterable[str] = ()) -> None:
        self.db.execute("DELETE FROM link_bands WHERE article_id = ?", (article_id,))
        if sig is None:
            self.db.execute("DELETE FROM link_minhash WHERE article_id = ?", (article_id,))
            return
        self.db.execute("INSERT OR REPLACE INTO link_minhash VALUES (?, ?)", (article_id, sig))
        self.db.executemany("INSERT OR IGNORE INTO link_bands VALUES (?, ?)", [(k, article_id) for k in keys])

    def signature(self, article_id: str) -> bytes | None:
        row = self.db.execute("SELECT sig FROM link_minhash WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def band_members(self, article_id: str) -> list[tuple[str, str | None, str | None, str | None]]:
        """(id, outlet, published_at, title) of the articles sharing a band key with this one."""
        return [tuple(r) for r in self.db.execute(
            "SELECT DISTINCT b2.article_id, a.outlet, a.published_at, a.title FROM link_bands b1 "
            "JOIN link_bands b2 ON b1.key = b2.key JOIN articles a ON a.id = b2.article_id "
            "WHERE b1.article_id = ? AND b2.article_id != ? ORDER BY b2.article_id", (article_id, article_id))]

    # ---- vectors (embed) ---------------------------------------------------------------------
    def vectors(self, ids: Sequence[str]) -> dict[str, tuple[str, np.ndarray]]:
        out = {}
        for chunk in _chunks(list(ids)):
            for aid, key, blob in self.db.execute(
                    f"SELECT article_id, text_key, vector FROM link_vectors WHERE article_id IN ({','.join('?' * len(chunk))})", chunk):
                out[aid] = (key, np.frombuffer(blob, dtype="<f4"))
        return out

    def put_vectors(self, rows: Iterable[tuple[str, str, np.ndarray]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO link_vectors VALUES (?, ?, ?)",
                            [(aid, key, v.astype("<f4").tobytes()) for aid, key, v in rows])

    def put_new_vectors(self, rows: Iterable[tuple[str, str, np.ndarray]]) -> None:
        """Vectors computed ahead (by the analysis workers) for articles that have none: an
        article that already has one keeps it until the story stage sees its text changed
        (it needs the old vector to take the article out of its story's counts)."""
        self.db.executemany("INSERT OR IGNORE INTO link_vectors VALUES (?, ?, ?)",
                            [(aid, key, v.astype("<f4").tobytes()) for aid, key, v in rows])

    # ---- members ------------------------------------------------------------------------------
    def changed_articles(self) -> list[str]:
        """Articles never linked, or whose record changed since they were."""
        return [r[0] for r in self.db.execute(
            "SELECT a.id FROM articles a LEFT JOIN link_member m ON m.article_id = a.id "
            "WHERE m.article_id IS NULL OR m.seen_hash IS NOT a.content_hash ORDER BY a.id")]

    def members_of(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """article → (story, text key it was linked with)."""
        out = {}
        for chunk in _chunks(list(ids)):
            for aid, sid, key in self.db.execute(
                    f"SELECT article_id, story_id, text_key FROM link_member WHERE article_id IN ({','.join('?' * len(chunk))})", chunk):
                out[aid] = (sid, key)
        return out

    def story_of(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT story_id FROM link_member WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def story_members(self, story_id: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT article_id FROM link_member WHERE story_id = ? ORDER BY article_id", (story_id,))]

    def mark_seen(self, ids: Sequence[str]) -> None:
        """Re-analysed, embedded text unchanged: the story stays, the record version is noted."""
        self.db.executemany("UPDATE link_member SET seen_hash = (SELECT content_hash FROM articles WHERE id = ?) WHERE article_id = ?",
                            [(i, i) for i in ids])

    def put_member(self, article_id: str, story_id: str, text_key: str, probability: float | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO link_member VALUES (?, ?, ?, (SELECT content_hash FROM articles WHERE id = ?), ?)",
                        (article_id, story_id, text_key, article_id, probability))

    def forget_members(self, ids: Sequence[str]) -> None:
        self.db.executemany("DELETE FROM link_member WHERE article_id = ?", [(i,) for i in ids])

    def assignments(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.db.execute("SELECT article_id, story_id FROM link_member ORDER BY article_id")]

    def story_vectors(self) -> dict[str, np.ndarray]:
        return {r[0]: np.frombuffer(r[1], dtype="<f4") for r in self.db.execute("SELECT story_id, vector FROM link_story")}

    # ---- statistics ---------------------------------------------------------------------------
    def load_df(self, terms: Iterable[str]) -> None:
        todo = sorted(t for t in set(terms) if t not in self.df)
        for chunk in _chunks(todo):
            found = dict(self.db.execute(f"SELECT term, df FROM link_df WHERE term IN ({','.join('?' * len(chunk))})", chunk))
            for t in chunk:
                self.df[t] = found.get(t, 0)

    def count(self, terms: Iterable[str], vector: np.ndarray, sign: int = 1) -> None:
        """Add (or remove) one article to the archive's statistics."""
        for t in terms:
            self.df[t] = max(0, self.df.get(t, 0) + sign)
            self.df_dirty.add(t)
        self.n = max(0, self.n + sign)
        self.total = vector.astype(np.float32) * sign if self.total is None else self.total + sign * vector

    def stats(self) -> Stats:
        total = self.total if self.total is not None else np.zeros(0, dtype=np.float32)
        return Stats(self.n, self.df, total)

    # ---- story profiles and keys -------------------------------------------------------------------
    def profile(self, story_id: str) -> StoryProfile | None:
        if story_id not in self.profiles:
            row = self.db.execute("SELECT profile, vector FROM link_story WHERE story_id = ?", (story_id,)).fetchone()
            if row is None:
                return None
            self.profiles[story_id] = StoryProfile.from_json(story_id, row[0], row[1])
        return self.profiles[story_id]

    def candidates(self, keys: Sequence[tuple[str, int]], day: int | None) -> list[StoryProfile]:
        """The stories reachable through these keys (``cluster.blocking_keys``) from this day."""
        ids: set[str] = set()
        for key, horizon in keys:
            if horizon and day is not None:
                rows = self.db.execute("SELECT story_id FROM link_key WHERE key = ? AND day BETWEEN ? AND ? "
                                       "ORDER BY day DESC, story_id LIMIT ?", (key, day - horizon, day + horizon, MAX_POSTINGS))
            else:
                rows = self.db.execute("SELECT story_id FROM link_key WHERE key = ? ORDER BY day DESC, story_id LIMIT ?",
                                       (key, MAX_POSTINGS))
            ids.update(r[0] for r in rows)
        out = [self.profile(i) for i in sorted(ids)]
        return [p for p in out if p is not None and p.n > 0]

    def put_profile(self, p: StoryProfile, stats: Stats | None = None) -> None:
        """Keep the profile (written at ``flush``) and post its keys now, so that the next
        article of the batch finds it."""
        self.profiles[p.id] = p
        self.dirty.add(p.id)
        rows = p.keys(stats)
        self.db.executemany("INSERT OR REPLACE INTO link_key VALUES (?, ?, ?)", [(k, p.id, d) for k, d in rows])

    def merge(self, keep: str, gone: str, stats: Stats | None = None) -> None:
        """Story ``gone`` becomes part of story ``keep``: its profile is folded in, its members
        move, its keys are dropped."""
        kept, other = self.profile(keep), self.profile(gone)
        kept.absorb(other)
        self.drop_profile(gone)
        self.db.execute("UPDATE link_member SET story_id = ? WHERE story_id = ?", (keep, gone))
        self.put_profile(kept, stats)

    def drop_profile(self, story_id: str) -> None:
        self.profiles.pop(story_id, None)
        self.dirty.discard(story_id)
        self.db.execute("DELETE FROM link_story WHERE story_id = ?", (story_id,))
        self.db.execute("DELETE FROM link_key WHERE story_id = ?", (story_id,))

    def evict(self, before_day: int) -> None:
        """Write and forget the profiles whose last article is older than ``before_day``
        minus the follow-up horizon (bounded memory over a long batch)."""
        old = [sid for sid, p in self.profiles.items() if (p.last_day or 0) < before_day - FOLLOW_DAYS]
        if len(old) < 1000:
            return
        self.flush(old)
        for sid in old:
            self.profiles.pop(sid, None)

    def flush(self, only: Iterable[str] | None = None) -> None:
        """Write the changed profiles (all, or ``only`` these) and, after a full flush, the statistics."""
        ids = sorted(self.dirty if only is None else set(only) & self.dirty)
        rows = []
        for sid in ids:
            p = self.profiles[sid]
            rows.append((sid, p.n, p.last_day, p.vec_total.astype("<f4").tobytes(), p.to_json()))
        self.db.executemany("INSERT OR REPLACE INTO link_story VALUES (?, ?, ?, ?, ?)", rows)
        self.dirty -= set(ids)
        if only is None:
            self.save_stats()

    def save_stats(self) -> None:
        self.db.executemany("INSERT OR REPLACE INTO link_df VALUES (?, ?)", [(t, self.df[t]) for t in sorted(self.df_dirty)])
        self.df_dirty.clear()
        if self.total is not None:
            self.db.execute("INSERT OR REPLACE INTO link_stats VALUES (1, ?, ?)", (self.n, self.total.astype("<f4").tobytes()))
