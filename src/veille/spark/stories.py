"""Stories on Spark by the CLI's own story algorithm: ``link.batch.assign_stories``.

The CLI's link stage reads each article as ``link.features.ArticleFeatures`` — its words,
names and event day, its sentence vector (``link.embed``), whether its captured body is page
furniture shared with unrelated pages (``link.dedup.shares_furniture``) and the article it
republishes — then ``link.link_batch`` assigns the batch to stories, one article after another in
``cluster.order_key`` order, each compared with the story profiles its blocking keys reach
(publication and event days, rare names: linear). That step is sequential by design (an
article's candidates are the stories the earlier ones made) and cheap; the features are the
costly part. So the job computes the features on the executors and makes the one call on the
driver:

1. per record: MinHash signature and band keys (``dedup.signature``/``band_keys``);
2. [shuffle by band key] each member's ``MAX_CHECKED`` smallest-id co-members (``band_neighbours``):
   what ``LinkState.band_members`` lists, sorted by id and cut as ``shares_furniture`` cuts it;
3. [shuffle by article] ``dedup.shares_furniture`` on the article and those neighbours;
4. [sort by id] sentence vectors in the CLI's batches (ids in order, ``embed.BATCH`` at a time:
   the encoder's float rounding depends on the batch, so the same batches give the same bits),
   then ``features.article_features`` — on the executors, the encoder loaded once per worker;
5. on the driver: ``link.batch.assign_stories`` (``link_batch`` over a ``MemoryState``), then
   the story records (``story_records``: the rules of ``link.build_stories``);
6. per story (executors): story events and cross-outlet contradictions (``crosscheck``: the
   link stage's ``compare_claims``/``merge_events`` on the records ``crosscheck_stories`` reads,
   in its order).

Driver memory: one ``ArticleFeatures`` per article (a 512-float vector and a few
hundred word counts), as ``veille run``'s link stage holds per batch.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator

EMBED_BATCH = 64  # link.embed.vectors encodes todo[i:i + 64]


def fingerprint(record: str) -> tuple[str, tuple] | None:
    """Article JSON → (id, (signature bytes, band keys, title column, title)); None when too short.

    The title column is the store's (``title or headline``, what ``LinkState.band_members`` reads
    of a co-member); ``title`` the record's own (what ``shares_furniture`` reads of the article)."""
    from ..link import dedup

    a = json.loads(record)
    m = dedup.signature(a.get("text") or "")
    if m is None:
        return None
    return a["id"], (dedup.signature_bytes(m), tuple(dedup.band_keys(m)), a.get("title") or a.get("headline"), a.get("title"))


def band_neighbours(members: Iterable[str], cap: int | None = None) -> Iterator[tuple[str, str]]:
    """One band's member ids → (member, other) for the ``cap`` smallest other ids of each member:
    every member of the article's ``cap`` smallest co-members over all its bands is among them."""
    from ..link.dedup import MAX_CHECKED

    cap = MAX_CHECKED if cap is None else cap
    ids = sorted(set(members))
    head = ids[:cap + 1]
    for i in ids:
        for other in head:
            if other != i:
                yield i, other


def furniture_flags(groups: Iterable[tuple[str, Iterable[tuple[str, tuple]]]]) -> Iterator[tuple[str, bool]]:
    """(article id, [(member id, fingerprint)] — itself and its neighbours) → (id, shares_furniture)."""
    from types import SimpleNamespace

    from ..link.dedup import MAX_CHECKED, shares_furniture

    for article_id, rows in groups:
        rows = dict(rows)
        sig, _keys, _column, title = rows[article_id]
        others = sorted(i for i in rows if i != article_id)[:MAX_CHECKED]
        members = [(i, None, None, rows[i][2]) for i in others]
        yield article_id, shares_furniture(SimpleNamespace(id=article_id, title=title), sig, members,
                                           lambda i: rows[i][0] if i in rows else None)


def batch_features(batches: Iterable[tuple[int, Iterable[tuple[int, tuple]]]]) -> Iterator[Any]:
    """(batch number, [(rank, (article JSON, mentions JSON, furniture))]) → ``ArticleFeatures``,
    each batch's ``story_text``s encoded in one call, in id order, as ``link.embed.vectors`` does."""
    from ..link.embed import Embedder, story_text
    from ..link.features import article_features
    from ..records import Article, Mention

    for _n, items in batches:
        items = [v for _rank, v in sorted(items, key=lambda kv: kv[0])]
        articles = [Article.from_dict(json.loads(record)) for record, _m, _f in items]
        vectors = Embedder.shared().encode([story_text(a) for a in articles])
        for a, (_record, mentions, furniture), vec in zip(articles, items, vectors):
            yield article_features(a, [Mention.from_dict(m) for m in json.loads(mentions)], vec, bool(furniture))


def meta_of(record: str) -> tuple[str, tuple]:
    """Article JSON → (id, (outlet, published_at, language, title column, display title))."""
    from ..records import Article

    a = Article.from_dict(json.loads(record))
    return a.id, (a.outlet, a.published_at, a.language, a.title or a.headline, a.display_title)


def story_records(assigned: dict[str, tuple[str, float]], state, vectors: dict[str, Any],
                  meta: dict[str, tuple], copies: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Story records from the assignments by ``link.story_records`` itself (the function
    ``build_stories`` runs), fed from the in-memory state: centroids are the stories' vector sums
    as LinkState stores them (float32), ``meta[aid][4]`` the display title when there is none.
    ``copies``: (copy id, original id), each copy once (``store.duplicate_copies``)."""
    import numpy as np

    from ..link import story_records as link_story_records

    centroids = {}
    for sid in {sid for sid, _p in assigned.values()}:
        profile = state.profile(sid)
        if profile is not None:
            centroids[sid] = np.asarray(profile.vec_total).astype("<f4")
    stories = link_story_records(
        ((aid, sid) for aid, (sid, _p) in sorted(assigned.items())), meta, centroids,
        lambda ids: {i: np.asarray(vectors[i]).astype("<f4") for i in ids if i in vectors},
        copies, title_of=lambda aid: meta[aid][4])
    return [s.to_dict() for s in stories]  # ordered as link.story_records orders them


def _store_order(items: list, published_at) -> list:
    """The store's ``ORDER BY published_at DESC, id`` (NULL dates last), items sorted by id first."""
    items = sorted(items, key=lambda x: x[0])
    return sorted(items, key=lambda x: published_at(x) or "", reverse=True)  # stable: ids stay ascending


def crosscheck(story_id: str, members: Iterable[tuple[str, str, str]]) -> Iterator[tuple[str, Any]]:
    """One story's (article JSON, claims JSON, events JSON) → contradictions and story-level events,
    by the link stage's ``compare_claims`` / ``merge_events`` on what ``link.crosscheck_stories``
    reads from the store, in its order: claims by (article, id), events by (event date, id) as
    ``Store.event_rows`` gives them, articles by date (newest first) then id."""
    from ..link.crosscheck import compare_claims, merge_events
    from ..records import Article, Claim, Contradiction, Event

    rows = _store_order([(a["id"], a, c, e, x) for a, c, e, x in
                         ((json.loads(a), json.loads(c), json.loads(e), json.loads(x)) for a, c, e, x in members)],
                        lambda x: x[1].get("published_at"))
    if len(rows) < 2:
        return
    articles = {aid: Article.from_dict(a) for aid, a, _c, _e, _x in rows}
    claims = sorted((Claim.from_dict(d) for _i, _a, cs, _e, _x in rows for d in cs), key=lambda c: (c.article_id, c.id))
    # Store.event_rows' order: ORDER BY event_date (NULL first, as SQLite sorts), event_id
    events = sorted(((aid, Event.from_dict(d)) for aid, _a, _c, es, _x in rows for d in es),
                    key=lambda x: (x[1].event_date is not None, x[1].event_date or "", x[1].event_id))
    # each article's own flags (enrich), not flagged again across the story — as crosscheck_stories reads them
    inside = sorted((c for _i, _a, _c, _e, xs in rows for c in map(Contradiction.from_dict, xs)
                     if c.story_id is None and c.values and c.values[0].article_id in articles), key=lambda c: c.id)
    if claims:
        contradictions, _rising = compare_claims(story_id, claims, articles, [e for _aid, e in events], inside)
        for c in contradictions:
            yield "contradiction", c.to_dict()
    if events:
        for e in merge_events(story_id, events, articles):
            yield "event", (story_id, e.to_dict())


def build_stories(marked, analysis, copies):
    """The story stage.

    ``marked``: RDD of article JSON (republication marks set); ``analysis``: RDD of (id, mentions
    JSON); ``copies``: RDD of (source, copy id, original id) refused at ingest.
    Returns (RDD of Story dicts, summary counts)."""
    from pyspark import StorageLevel

    from ..link.batch import assign_stories

    sc = marked.context
    records = marked.map(lambda r: (json.loads(r)["id"], r)).persist(StorageLevel.MEMORY_AND_DISK)
    prints = records.values().map(fingerprint).filter(lambda x: x is not None).persist(StorageLevel.MEMORY_AND_DISK)
    pairs = (prints.flatMap(lambda kv: ((k, kv[0]) for k in kv[1][1]))
             .groupByKey()
             .flatMap(lambda kv: band_neighbours(kv[1]))
             .distinct())
    # each article with its neighbours' fingerprints: (article, (member, fingerprint)) for itself and each one
    wanted = pairs.map(lambda ab: (ab[1], ab[0])).join(prints).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
    flags = (prints.map(lambda kv: (kv[0], kv)).union(wanted)
             .groupByKey()
             .mapPartitions(furniture_flags)
             .filter(lambda kv: kv[1]))
    furniture = set(flags.keys().collect())  # few: pages whose body is shared furniture
    furniture_b = sc.broadcast(furniture)
    inputs = (records.join(analysis)
              .map(lambda kv: (kv[0], (kv[1][0], kv[1][1], kv[0] in furniture_b.value)))
              .sortByKey()
              .zipWithIndex()
              .map(lambda kv_i: (kv_i[1] // EMBED_BATCH, (kv_i[1], kv_i[0][1]))))
    feats = inputs.groupByKey().mapPartitions(batch_features).collect()
    meta = dict(records.values().map(meta_of).collect())
    listed = sorted(copies.map(lambda c: (c[1], c[2])).reduceByKey(min).collect())
    assigned, state = assign_stories(feats)
    vectors = {f.id: f.vector for f in feats}
    stories = story_records(assigned, state, vectors, meta, listed)
    for rdd in (records, prints):
        rdd.unpersist()
    return sc.parallelize(stories, max(1, sc.defaultParallelism)), {"furniture": len(furniture)}
