"""The watches' tables in the store (migration ``watch_state`` in store.py): one owner, here.

Why in the store: a restart or a kill -9 must resume exactly — an item is marked taken in the
same transaction that stores its article, an alert and its outbox rows are written together,
and a delivery is marked done only after the endpoint said so. Times are UTC ISO strings
given by the caller's clock, so a simulated month runs on a fast clock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..store import Store
from .spec import WatchError, WatchSpec, parse_watch


@dataclass(frozen=True)
class SourceState:
    watch: str
    source: str
    next_at: str | None
    failures: int
    last_ok: str | None
    last_error: str | None
    items: int


@dataclass(frozen=True)
class Delivery:
    alert_id: str
    channel: str
    attempts: int
    next_at: str
    delivered_at: str | None
    last_error: str | None


class WatchState:
    def __init__(self, store: Store):
        self.store = store
        self.db = store.db

    # ---- watch files --------------------------------------------------------------------
    def put_watch(self, spec: WatchSpec, now: str) -> bool:
        """Add or replace; True when it is new."""
        row = self.db.execute("SELECT 1 FROM watches WHERE name = ?", (spec.name,)).fetchone()
        self.db.execute("INSERT INTO watches VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET spec=excluded.spec, "
                        "path=excluded.path, updated_at=excluded.updated_at", (spec.name, spec.text, spec.path, now, now))
        keys = [s.key for s in spec.sources]
        self.db.execute(f"DELETE FROM watch_sources WHERE watch = ? AND source NOT IN ({','.join('?' * len(keys))})",
                        (spec.name, *keys))
        for k in keys:
            self.db.execute("INSERT OR IGNORE INTO watch_sources (watch, source, next_at) VALUES (?, ?, ?)", (spec.name, k, now))
        return row is None

    def get_watch(self, name: str) -> WatchSpec | None:
        row = self.db.execute("SELECT spec, path FROM watches WHERE name = ?", (name,)).fetchone()
        return self._spec(row[0], row[1]) if row else None

    @staticmethod
    def _spec(text: str, path: str | None) -> WatchSpec:
        base = Path(path).resolve().parent if path else None
        return parse_watch(text, path or "<stored watch>", base)

    def watches(self) -> list[WatchSpec]:
        out = []
        for text, path in self.db.execute("SELECT spec, path FROM watches ORDER BY name").fetchall():
            try:
                out.append(self._spec(text, path))
            except WatchError:
                continue  # a stored file that no longer parses (a newer format): `watch show` tells
        return out

    def added_at(self, name: str) -> str | None:
        row = self.db.execute("SELECT added_at FROM watches WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def names(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM watches ORDER BY name")]

    def remove_watch(self, name: str) -> bool:
        n = self.db.execute("DELETE FROM watches WHERE name = ?", (name,)).rowcount
        for table in ("watch_sources", "watch_items", "watch_articles", "watch_reviews"):
            self.db.execute(f"DELETE FROM {table} WHERE watch = ?", (name,))
        self.db.execute("DELETE FROM watch_outbox WHERE alert_id IN (SELECT id FROM watch_alerts WHERE watch = ?)", (name,))
        self.db.execute("DELETE FROM watch_alerts WHERE watch = ?", (name,))
        return n > 0

    # ---- sources ------------------------------------------------------------------------
    def sources(self, watch: str) -> list[SourceState]:
        return [SourceState(*r) for r in self.db.execute(
            "SELECT watch, source, next_at, failures, last_ok, last_error, items FROM watch_sources WHERE watch = ? ORDER BY source",
            (watch,))]

    def source_ok(self, watch: str, source: str, now: str, next_at: str, new_items: int) -> None:
        self.db.execute("UPDATE watch_sources SET next_at = ?, failures = 0, last_ok = ?, last_error = NULL, items = items + ? "
                        "WHERE watch = ? AND source = ?", (next_at, now, new_items, watch, source))

    def source_failed(self, watch: str, source: str, error: str, next_at: str) -> int:
        self.db.execute("UPDATE watch_sources SET next_at = ?, failures = failures + 1, last_error = ? WHERE watch = ? AND source = ?",
                        (next_at, error[:500], watch, source))
        row = self.db.execute("SELECT failures FROM watch_sources WHERE watch = ? AND source = ?", (watch, source)).fetchone()
        return row[0] if row else 0

    # ---- items --------------------------------------------------------------------------
    def item_status(self, watch: str, item: str) -> tuple[str, int] | None:
        row = self.db.execute("SELECT status, tries FROM watch_items WHERE watch = ? AND item = ?", (watch, item)).fetchone()
        return (row[0], row[1]) if row else None

    def take_item(self, watch: str, item: str, source: str, article_ids: list[str], now: str) -> None:
        """Mark an item taken (call inside the transaction that stored its articles)."""
        self.db.execute("INSERT INTO watch_items VALUES (?, ?, ?, ?, 'ok', 0, ?) ON CONFLICT(watch, item) DO UPDATE SET "
                        "article_id = excluded.article_id, status = 'ok', seen_at = excluded.seen_at",
                        (watch, item, source, article_ids[0] if article_ids else None, now))
        for aid in article_ids:  # a compiled review or a JSONL file brings many articles
            # an exact duplicate of a stored article (same outlet, same text) stands for that article
            dup = self.db.execute("SELECT of_article_id FROM duplicates WHERE article_id = ?", (aid,)).fetchone()
            self.db.execute("INSERT OR IGNORE INTO watch_articles VALUES (?, ?, ?)", (watch, dup[0] if dup else aid, item))

    def item_failed(self, watch: str, item: str, source: str, now: str, give_up_after: int) -> int:
        """Count a failed try; after ``give_up_after`` tries the item is marked 'failed' (and kept, named)."""
        self.db.execute("INSERT INTO watch_items VALUES (?, ?, ?, NULL, 'retry', 1, ?) ON CONFLICT(watch, item) DO UPDATE SET "
                        "tries = tries + 1, seen_at = excluded.seen_at", (watch, item, source, now))
        tries = self.db.execute("SELECT tries FROM watch_items WHERE watch = ? AND item = ?", (watch, item)).fetchone()[0]
        if tries >= give_up_after:
            self.db.execute("UPDATE watch_items SET status = 'failed' WHERE watch = ? AND item = ?", (watch, item))
        return tries

    def article_ids(self, watch: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT article_id FROM watch_articles WHERE watch = ?", (watch,))}

    def count_items(self, watch: str, status: str = "ok") -> int:
        return self.db.execute("SELECT count(*) FROM watch_items WHERE watch = ? AND status = ?", (watch, status)).fetchone()[0]

    # ---- reviews ------------------------------------------------------------------------
    def review_written(self, watch: str, day: str, lang: str) -> bool:
        return self.db.execute("SELECT 1 FROM watch_reviews WHERE watch = ? AND day = ? AND lang = ?", (watch, day, lang)).fetchone() is not None

    def add_review(self, watch: str, day: str, lang: str, now: str, path: str, articles: int, headlines: list[str]) -> None:
        self.db.execute("INSERT OR REPLACE INTO watch_reviews VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (watch, day, lang, now, path, articles, json.dumps(headlines, ensure_ascii=False)))

    def reviews(self, watch: str) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT day, lang, written_at, path, articles, headlines FROM watch_reviews WHERE watch = ? "
                               "ORDER BY day DESC, lang", (watch,)).fetchall()
        return [{"day": r[0], "lang": r[1], "written_at": r[2], "path": r[3], "articles": r[4],
                 "headlines": json.loads(r[5] or "[]")} for r in rows]

    # ---- alerts and their outbox -------------------------------------------------------
    def add_alert(self, watch: str, rule: str, kind: str, key: str, record: dict[str, Any], channels: tuple[str, ...],
                  now: str) -> bool:
        """Raise an alert once: False when its key was raised before (nothing is written then)."""
        from ..records import stable_id

        alert_id = stable_id(watch, key)
        cur = self.db.execute("INSERT OR IGNORE INTO watch_alerts VALUES (?, ?, ?, ?, ?, ?, ?)",
                              (alert_id, watch, rule, kind, key, now,
                               json.dumps({**record, "id": alert_id, "watch": watch, "rule": rule, "kind": kind, "raised_at": now},
                                          ensure_ascii=False, sort_keys=True)))
        if cur.rowcount == 0:
            return False
        for ch in channels:
            self.db.execute("INSERT OR IGNORE INTO watch_outbox (alert_id, channel, next_at) VALUES (?, ?, ?)", (alert_id, ch, now))
        return True

    def alerts(self, watch: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        sql, args = "SELECT record FROM watch_alerts", []
        if watch:
            sql += " WHERE watch = ?"
            args.append(watch)
        sql += " ORDER BY raised_at DESC, id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [json.loads(r[0]) for r in self.db.execute(sql, args)]

    def get_alert(self, alert_id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT record FROM watch_alerts WHERE id = ?", (alert_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def due(self, now: str, channels: tuple[str, ...] | None = None) -> list[Delivery]:
        rows = self.db.execute("SELECT alert_id, channel, attempts, next_at, delivered_at, last_error FROM watch_outbox "
                               "WHERE delivered_at IS NULL AND next_at <= ? ORDER BY next_at, alert_id, channel", (now,))
        return [Delivery(*r) for r in rows if channels is None or r[1] in channels]

    def pending(self, watch: str | None = None) -> list[Delivery]:
        sql = ("SELECT o.alert_id, o.channel, o.attempts, o.next_at, o.delivered_at, o.last_error FROM watch_outbox o "
               "JOIN watch_alerts a ON a.id = o.alert_id WHERE o.delivered_at IS NULL")
        args: list[Any] = []
        if watch:
            sql += " AND a.watch = ?"
            args.append(watch)
        return [Delivery(*r) for r in self.db.execute(sql + " ORDER BY o.next_at", args)]

    def deliveries(self, alert_id: str) -> list[Delivery]:
        return [Delivery(*r) for r in self.db.execute(
            "SELECT alert_id, channel, attempts, next_at, delivered_at, last_error FROM watch_outbox WHERE alert_id = ? ORDER BY channel",
            (alert_id,))]

    def delivered(self, alert_id: str, channel: str, now: str) -> None:
        self.db.execute("UPDATE watch_outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL "
                        "WHERE alert_id = ? AND channel = ?", (now, alert_id, channel))

    def delivery_failed(self, alert_id: str, channel: str, error: str, next_at: str) -> int:
        self.db.execute("UPDATE watch_outbox SET attempts = attempts + 1, last_error = ?, next_at = ? WHERE alert_id = ? AND channel = ?",
                        (error[:500], next_at, alert_id, channel))
        return self.db.execute("SELECT attempts FROM watch_outbox WHERE alert_id = ? AND channel = ?", (alert_id, channel)).fetchone()[0]
