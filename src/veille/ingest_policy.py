"""Which extracted articles the archive keeps: the ingest policy, as pure functions.

Three rules, one decision per extracted article, in ingest order:
1. **one id** — an id already stored is updated when its record changed (the later extraction
   wins), left alone when it did not;
2. **one canonical URL** — the first id stored for a canonical URL keeps it: another id with
   that URL is not stored (a re-keyed input), nor may an update move an id onto a URL another
   id holds;
3. **no exact duplicate** — the same normalised text from the same outlet under another id is
   refused and recorded as a copy of the first article stored with that text.

Why pure: the SQLite store (``Store.upsert_article``) and the Spark job (``spark/admit.py``)
must keep the same articles from the same inputs. Each asks its own index what is already
known about an article's keys (``Known``) and lets ``decide`` answer; ``Ledger`` is that index
in memory, updated exactly as the store updates its tables, so Spark can replay the rules over
the few articles that share a key with another one (every other article is simply new).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

NEW, UPDATED, UNCHANGED, DUPLICATE = "new", "updated", "unchanged", "duplicate"
ADMITTED = (NEW, UPDATED)  # the decisions that write the record


def dumps(data: Any) -> str:
    """The stored form of a record (the store hashes and keeps exactly this)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def text_fingerprint(text: str | None) -> str | None:
    """Hash of the normalised text (None when too short to call anything a copy of it)."""
    from .fingerprint import text_hash  # the neutral module ingest and link share (the store imports no stage)

    return text_hash(text or "")


@dataclass(frozen=True)
class Keys:
    """What the rules read of one extracted article."""

    id: str
    canonical_url: str | None
    outlet: str | None
    fingerprint: str | None  # text_fingerprint(article.text)
    content_hash: str  # of the extracted record
    source: str  # the address a refused copy is recorded under (url, else canonical url)

    @property
    def text_key(self) -> tuple[str | None, str] | None:
        return (self.outlet, self.fingerprint) if self.fingerprint is not None else None

    def index_keys(self) -> list[tuple]:
        """The keys through which this article can meet another one (Spark groups on them)."""
        keys: list[tuple] = [("id", self.id)]
        if self.canonical_url:
            keys.append(("url", self.canonical_url))
        if self.fingerprint is not None:
            keys.append(("text", self.outlet, self.fingerprint))
        return keys


def keys_of(record: dict[str, Any], body: str | None = None) -> Keys:
    """An ``Article.to_dict()`` (and its stored form, if already made) → its ``Keys``."""
    body = dumps(record) if body is None else body
    return Keys(record["id"], record.get("canonical_url"), record.get("outlet"), text_fingerprint(record.get("text")),
                content_hash(body), record.get("url") or record.get("canonical_url") or "")


@dataclass(frozen=True)
class Known:
    """What the archive already holds that bears on one incoming article."""

    stored_hash: str | None = None  # content hash stored under this id; None: the id is unknown
    url_owner: str | None = None  # another id holding this canonical URL
    text_original: str | None = None  # the first stored article (another id) with the same outlet and text


@dataclass(frozen=True)
class Decision:
    status: str  # new | updated | unchanged | duplicate
    of_article: str | None = None  # for a duplicate: the original

    @property
    def admitted(self) -> bool:
        return self.status in ADMITTED


def decide(known: Known, incoming_hash: str) -> Decision:
    """The three rules, in order (see the module docstring)."""
    if known.stored_hash is not None:
        if known.stored_hash == incoming_hash:
            return Decision(UNCHANGED)
        if known.url_owner is not None:  # the update would take another article's URL: the first keeps it
            return Decision(UNCHANGED)
        return Decision(UPDATED)
    if known.url_owner is not None:
        return Decision(UNCHANGED)
    if known.text_original is not None:
        return Decision(DUPLICATE, known.text_original)
    return Decision(NEW)


@dataclass
class Ledger:
    """The store's ingest index in memory: articles' hashes, URL owners, text fingerprints (in the
    order they were stored, as ``text_hashes``' rowids) and the copies refused."""

    hashes: dict[str, str] = field(default_factory=dict)  # id → content hash
    urls: dict[str, str] = field(default_factory=dict)  # id → canonical URL
    owners: dict[str, str] = field(default_factory=dict)  # canonical URL → id
    texts: dict[str, tuple] = field(default_factory=dict)  # id → text key
    holders: dict[tuple, dict[str, int]] = field(default_factory=dict)  # text key → {id: order stored}
    copies: dict[tuple[str, str], str] = field(default_factory=dict)  # (source, copy id) → original id
    _seq: int = 0

    def known(self, k: Keys) -> Known:
        owner = self.owners.get(k.canonical_url) if k.canonical_url else None
        original = None
        if k.text_key is not None:
            others = [(seq, i) for i, seq in self.holders.get(k.text_key, {}).items() if i != k.id]
            original = min(others)[1] if others else None
        return Known(self.hashes.get(k.id), owner if owner != k.id else None, original)

    def admit(self, k: Keys) -> Decision:
        """Decide, then record the decision as the store would."""
        d = decide(self.known(k), k.content_hash)
        if d.status == DUPLICATE:
            self.copies.setdefault((k.source, k.id), d.of_article)
        if d.admitted:
            self._store(k)
        return d

    def _store(self, k: Keys) -> None:
        self.hashes[k.id] = k.content_hash
        old_url = self.urls.pop(k.id, None)
        if old_url is not None and self.owners.get(old_url) == k.id:
            del self.owners[old_url]
        if k.canonical_url:
            self.urls[k.id] = k.canonical_url
            self.owners[k.canonical_url] = k.id
        old_text = self.texts.pop(k.id, None)
        seq = None
        if old_text is not None:
            seq = self.holders[old_text].pop(k.id)
            if not self.holders[old_text]:
                del self.holders[old_text]
        if k.text_key is not None:
            if seq is None:  # a new row of text_hashes; an updated one keeps its place (its rowid)
                self._seq += 1
                seq = self._seq
            self.texts[k.id] = k.text_key
            self.holders.setdefault(k.text_key, {})[k.id] = seq


def replay(versions: Iterable[tuple[Any, Keys]]) -> Iterator[tuple[Any, Decision]]:
    """(order, keys) of articles in any order → (order, decision), the rules applied in ``order``."""
    ledger = Ledger()
    for order, k in sorted(versions, key=lambda v: v[0]):
        yield order, ledger.admit(k)
