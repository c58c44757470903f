"""Republications at scale: the link stage's own MinHash rule (``link.dedup``), blocked by LSH band.

The CLI's link stage (``link.link_articles``) fingerprints every article (``BandIndex.add``:
``dedup.signature`` → ``signature_bytes`` + ``band_keys``), then ``dedup.find_republications``
asks ``BandIndex.earliest_copy`` for each article's earliest earlier copy from another outlet —
among the articles sharing one of its band keys, the ``MAX_CHECKED`` earliest from other known
outlets are verified against ``THRESHOLD`` — and falls back on a declared credit
(``cited_sources``) when there is none. The same functions run here; only their input is
gathered differently, so that nothing is all-pairs and no store is needed:

1. per record (narrow): ``dedup.signature`` → (signature bytes, band keys), as ``BandIndex.add``;
2. [shuffle by band key] each band's members in ``dedup._order_key`` order → for each member the
   earlier members ``earliest_copy`` could verify (``band_candidates``: a bounded superset, ≤
   ``MAX_CHECKED`` per band, so a wire text copied by thousands of sites stays linear);
3. [shuffle by article] an article and its candidates' fingerprints go to ``dedup.earliest_copy``,
   the pure function ``BandIndex.earliest_copy`` calls with what SQLite gives it: the same
   order, cap, headline check and threshold;
4. per record: ``dedup.find_republications([article], answer)`` (the credit fallback included),
   and the mark written back exactly as ``link_articles`` writes it (``republished_from`` and
   ``extra["republication"]``).

Step 4 needs the answers next to the records: they are broadcast while they fit on the driver
(``driver_marks``; one per republished article), else joined (one shuffle of the records).
Like one ``veille run`` over all the inputs, every article is compared with every other one of
the corpus; the CLI's incremental runs only compare new articles with what is already stored.
"""

from __future__ import annotations

import json
from collections import Counter, namedtuple
from typing import Any, Iterable, Iterator, Mapping

# What earliest_copy reads of an article (``.id``, ``.outlet``, ``.published_at``).
Member = namedtuple("Member", "id outlet published_at")

# What earliest_copy reads of the article it answers for.
Subject = namedtuple("Subject", "id outlet published_at title")

DRIVER_MARKS = 1_000_000  # answers broadcast up to this many (~100 B each), else joined


def fingerprint(record: str) -> tuple[str, tuple] | None:
    """Article JSON → (id, (outlet, published_at, signature bytes, band keys, title)); None when too short."""
    from ..link import dedup

    a = json.loads(record)
    m = dedup.signature(a.get("text") or "")
    if m is None:
        return None
    return a["id"], (a.get("outlet"), a.get("published_at"), dedup.signature_bytes(m), tuple(dedup.band_keys(m)),
                     a.get("title") or a.get("headline"))


def band_entries(item: tuple[str, tuple]) -> Iterator[tuple[str, tuple]]:
    article_id, (outlet, published_at, _sig, keys, _title) = item
    member = (article_id, outlet, published_at)
    for key in keys:
        yield key, member


def band_candidates(members: Iterable[tuple], cap: int | None = None) -> Iterator[tuple[str, str]]:
    """One band's members → (article id, candidate id) for the candidates ``earliest_copy`` may verify.

    ``earliest_copy`` verifies, in ``_order_key`` order, the ``MAX_CHECKED`` earliest articles that
    share a band, are earlier and come from another (known) outlet. Those are, in every band they
    share, among the ``MAX_CHECKED`` earliest such members of that band, so each band gives at most
    that many per member. They are also found in a bounded head of the band: its earliest members
    with an outlet, at most ``cap`` per outlet (an outlet's later ones are never needed: its earlier
    ones come first), ``2 × cap`` in all (at most ``cap`` of them share the member's outlet) — so a
    band of n members costs n × 2·cap, whatever its size. This only prunes; the rule itself stays
    ``earliest_copy``'s (step 3), which filters and orders these candidates again.
    """
    from ..link import dedup

    cap = dedup.MAX_CHECKED if cap is None else cap
    head: list[Member] = []
    per_outlet: Counter = Counter()
    for m in sorted({Member(*x) for x in members}, key=dedup._order_key):
        n = 0
        for h in head:
            if n == cap:
                break
            if h.outlet != m.outlet:
                yield m.id, h.id
                n += 1
        if m.outlet and len(head) < 2 * cap and per_outlet[m.outlet] < cap:
            head.append(m)
            per_outlet[m.outlet] += 1


def earliest_copies(groups: Iterable[tuple[str, Iterable[tuple[str, tuple]]]]) -> Iterator[tuple[str, tuple]]:
    """(article id, [(member id, fingerprint)] — itself and its candidates) → (article id, earliest_copy's answer).

    Each group is answered by ``dedup.earliest_copy``, the CLI's own rule. Articles without a
    copy yield nothing."""
    from ..link.dedup import earliest_copy

    for article_id, rows in groups:
        rows = dict(rows)
        outlet, published_at, sig, _keys, title = rows[article_id]
        members = [(i, r[0], r[1], r[4]) for i, r in sorted(rows.items()) if i != article_id]
        found = earliest_copy(Subject(article_id, outlet, published_at, title), sig, members,
                              lambda i: rows[i][2] if i in rows else None)
        if found is not None:
            yield article_id, found


class _Answer:
    """The index ``find_republications`` asks: here, ``earliest_copy``'s answer from step 3."""

    def __init__(self, found: tuple | None):
        self.found = found

    def earliest_copy(self, article) -> tuple | None:
        return self.found


def mark_record(record: str, copies: Mapping[str, tuple]) -> str:
    """Article JSON → the same JSON with the republication mark ``link_articles`` writes (if any)."""
    from ..link import dedup
    from ..records import Article
    from .worker import _dumps

    art = Article.from_dict(json.loads(record))
    for rep in dedup.find_republications([art], _Answer(copies.get(art.id))):
        new = dedup.marked(art, rep)  # the mark link.link_articles writes
        if new is not None:
            return _dumps(new.to_dict())
    return record


def mark(articles_json, driver_marks: int = DRIVER_MARKS) -> tuple[Any, list, int]:
    """RDD of article JSON → (RDD of article JSON with republication marks, RDDs to unpersist, copies found)."""
    from pyspark import StorageLevel

    sc = articles_json.context
    sigs = articles_json.map(fingerprint).filter(lambda kv: kv is not None).persist(StorageLevel.MEMORY_AND_DISK)
    pairs = (sigs.flatMap(band_entries)
             .groupByKey()
             .flatMap(lambda kv: band_candidates(kv[1]))
             .distinct())
    # every (member, article) an article's group needs: itself and its candidates, with their fingerprints
    wanted = pairs.flatMap(lambda p: ((p[0], p[0]), (p[1], p[0]))).distinct()
    copies = (wanted.join(sigs)
              .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
              .groupByKey()
              .mapPartitions(earliest_copies)
              .persist(StorageLevel.MEMORY_AND_DISK))
    n = copies.count()
    sigs.unpersist()
    if n <= driver_marks:
        found = sc.broadcast(dict(copies.collect()))
        copies.unpersist()
        return articles_json.map(lambda r: mark_record(r, found.value)), [], n
    marked = (articles_json.map(lambda r: (json.loads(r)["id"], r))
              .leftOuterJoin(copies)
              .map(lambda kv: mark_record(kv[1][0], {} if kv[1][1] is None else {kv[0]: kv[1][1]})))
    return marked, [copies], n
