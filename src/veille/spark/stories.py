"""Stories at scale: MinHash LSH blocking × time windows, then connected components.

Why not all-pairs: a month of CC-NEWS is millions of articles; comparing every pair is
10^12 comparisons. Instead each article is hashed (MinHash over its content words) into
``Params.bands`` band keys; two articles are compared only when they share a band key *and* a
time window (their 7-day weeks are equal or adjacent: each article is placed in its week
and the next, so two articles at most ~7 days apart always share a window, and articles
weeks apart never meet). A block bigger than ``Params.block_cap`` (a band of very common words)
is compared as a sliding window over its date order, so no block is quadratic either.

Content words are the article's own words minus the corpus's most frequent ones
(document frequency above ``Params.stop_df`` of the corpus, counted by one aggregation): a
stop-list that fits every language the corpus has, without shipping one.

Pairs whose exact Jaccard similarity (of their first ``max_tokens`` content words)
reaches ``Params.threshold`` are edges; stories are the
connected components of that graph: union-find on the driver while the edges fit there
(``Params.driver_edges``), else min-label propagation (each round is one join; rounds stop
when no label changes).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Iterator

from ..records import Story, stable_id



@dataclass(frozen=True)
class Params:
    """Story-stage knobs (handed to the executors explicitly: module globals there are their own)."""

    num_perm: int = 64
    rows: int = 1  # 64 bands × 1 row: a pair sharing 10% of its words shares a band with p≈0.999
    # Jaccard of the first content words; 0.08 ≈ 9 shared words of 60+60. On BASIL (dev) it gives pair
    # P 1.00 / R 0.80; 0.06 gives R 0.91 but merges more same-beat FA-KES events: precision first.
    threshold: float = 0.08
    measure: str = "jaccard"  # or "overlap": |A∩B| / min(|A|,|B|)
    max_tokens: int = 60  # the title and lead carry the story; background paragraphs are shared by a whole beat
    block_cap: int = 200
    stop_df: float = 0.05  # a word in more than 5% of the articles (and more than stop_min) is not content
    stop_min: int = 10
    driver_edges: int = 2_000_000  # up to this many edges, components are found on the driver (~200 MB)

    @property
    def bands(self) -> int:
        return self.num_perm // self.rows


DEFAULT = Params()
WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)


def words(title: str | None, text: str) -> list[str]:
    """Distinct lower-cased words of 4+ letters, title first, in reading order."""
    seen: dict[str, None] = {}
    for m in WORD.finditer(f"{title or ''}\n{text}"):
        seen.setdefault(m.group().casefold(), None)
    return list(seen)


def features(record: str) -> tuple[str, dict[str, Any]]:
    """Article JSON → (id, the few fields the story stage needs)."""
    a = json.loads(record)
    return a["id"], {
        "published_at": a.get("published_at"), "outlet": a.get("outlet"), "language": a.get("language"),
        "title": a.get("headline") or a.get("title") or (a.get("text") or "")[:80],
        "words": words(a.get("title"), a.get("text") or ""),
    }


def content_words(meta: dict[str, Any], stop: frozenset[str], params: Params = DEFAULT) -> list[str]:
    return [w for w in meta["words"] if w not in stop][:params.max_tokens]


def week(published_at: str | None) -> int | None:
    try:
        return date.fromisoformat((published_at or "")[:10]).toordinal() // 7
    except ValueError:
        return None


def band_keys(tokens: list[str], params: Params = DEFAULT) -> list[tuple[int, int]]:
    from datasketch import MinHash

    if not tokens:
        return []
    m = MinHash(num_perm=params.num_perm, seed=1)
    m.update_batch([t.encode("utf-8") for t in tokens])
    values, r = m.hashvalues, params.rows
    return [(b, hash(tuple(int(v) for v in values[b * r:(b + 1) * r]))) for b in range(params.bands)]


def block_entries(item: tuple[str, dict[str, Any]], stop: frozenset[str], params: Params = DEFAULT) -> Iterator[tuple[tuple, tuple]]:
    """(id, meta) → ((band, band hash, window), (id, date, tokens)) for each band and window."""
    article_id, meta = item
    tokens = content_words(meta, stop, params)
    w = week(meta["published_at"])
    windows = (w, w + 1) if w is not None else (-1,)  # undated: one window of their own; keys stay sortable (spills sort them)
    member = (article_id, meta["published_at"] or "", tuple(tokens))
    for band, h in band_keys(tokens, params):
        for window in windows:
            yield (band, h, window), member


def similarity(a: Iterable[str], b: Iterable[str], measure: str = "overlap") -> float:
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / (min(len(sa), len(sb)) if measure == "overlap" else len(sa | sb))


def block_edges(members: Iterable[tuple[str, str, tuple[str, ...]]], params: Params = DEFAULT) -> Iterator[tuple[str, str]]:
    """Similar pairs inside one block (a < b); a big block is a sliding window over dates."""
    ordered = sorted(set(members), key=lambda m: (m[1], m[0]))
    for i, (ida, _, ta) in enumerate(ordered):
        for idb, _, tb in ordered[i + 1:i + 1 + params.block_cap]:
            if ida != idb and similarity(ta, tb, params.measure) >= params.threshold:
                yield (ida, idb) if ida < idb else (idb, ida)


def components(edges, max_rounds: int = 50):
    """Connected components of an edge RDD [(a, b)] → RDD [(node, smallest node id in its component)]."""
    from pyspark import StorageLevel

    both = edges.flatMap(lambda e: (e, (e[1], e[0]))).distinct().persist(StorageLevel.MEMORY_AND_DISK)
    labels = both.map(lambda e: (e[0], min(e))).reduceByKey(min).persist(StorageLevel.MEMORY_AND_DISK)
    for _ in range(max_rounds):
        spread = both.join(labels).map(lambda kv: (kv[1][0], kv[1][1]))  # (neighbour, my label)
        new = labels.union(spread).reduceByKey(min).persist(StorageLevel.MEMORY_AND_DISK)
        changed = new.join(labels).filter(lambda kv: kv[1][0] != kv[1][1]).count()
        labels.unpersist()
        labels = new
        if changed == 0:
            break
    both.unpersist()
    return labels


def union_find(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """node → smallest node id of its component (the same labels ``components`` computes)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in list(parent)}


def story_record(members: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Articles of one component → a Story record (DESIGN §2)."""
    items = sorted(members, key=lambda kv: (kv[1]["published_at"] or "9999", kv[0]))
    dates = [m["published_at"] for _, m in items if m["published_at"]]
    first_id, first = items[0]
    story = Story(
        id=stable_id("story", first_id),
        title=first["title"] or "",
        first_seen=min(dates) if dates else None,
        last_seen=max(dates) if dates else None,
        articles=tuple(sorted(i for i, _ in items)),
        outlets=tuple(sorted({m["outlet"] for _, m in items if m["outlet"]})),
        languages=tuple(sorted({m["language"] for _, m in items if m["language"]})),
    )
    return story.to_dict()


def build_stories(articles_json, params: Params = DEFAULT):
    """RDD of article JSON → (RDD of Story dicts, RDD of (article_id, story_id)).

    Every article belongs to one story (a story of one when nothing is close), like the
    CLI's link stage; the story id is a hash of its first article's id, as there.
    """
    from pyspark import StorageLevel

    feats = articles_json.map(features).persist(StorageLevel.MEMORY_AND_DISK)
    n = feats.count()
    cut = max(params.stop_min, params.stop_df * n)
    stop = frozenset(feats.flatMap(lambda kv: kv[1]["words"]).map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b)
                     .filter(lambda kv: kv[1] > cut).keys().collect())
    stop_b = articles_json.context.broadcast(stop)
    edges = (feats.flatMap(lambda item: block_entries(item, stop_b.value, params))
             .groupByKey()
             .flatMap(lambda kv: block_edges(kv[1], params))
             .distinct())
    edges = edges.persist(StorageLevel.MEMORY_AND_DISK)
    n_edges = edges.count()
    if n_edges <= params.driver_edges:
        # few edges (blocking keeps them ~linear in the articles): union-find on the driver, one
        # collect, instead of a join per propagation round
        label = union_find(edges.collect())
        label_b = articles_json.context.broadcast(label)
        keyed = feats.map(lambda kv: (label_b.value.get(kv[0], kv[0]), kv))
    else:
        labels = components(edges)  # only articles with an edge
        keyed = feats.leftOuterJoin(labels).map(lambda kv: (kv[1][1] or kv[0], (kv[0], kv[1][0])))
    grouped = (keyed.groupByKey()
               .map(lambda kv: story_record(kv[1]))
               .persist(StorageLevel.MEMORY_AND_DISK))
    edges.unpersist()
    membership = grouped.flatMap(lambda s: ((a, s["id"]) for a in s["articles"]))
    feats.unpersist()
    return grouped, membership


def crosscheck(story_id: str, members: Iterable[tuple[str, str, str]]) -> Iterator[tuple[str, Any]]:
    """One story's (article JSON, claims JSON, events JSON) → contradictions and story-level events.

    The rules are the link stage's (``link.crosscheck.compare_claims`` / ``merge_events``);
    this only hands them one story's records.
    """
    from ..link.crosscheck import compare_claims, merge_events
    from ..records import Article, Claim, Event

    articles: dict[str, Article] = {}
    claims: list[Claim] = []
    events: list[tuple[str, Event]] = []
    for article_json, claims_json, events_json in members:
        article = Article.from_dict(json.loads(article_json))
        articles[article.id] = article
        claims += [Claim.from_dict(d) for d in json.loads(claims_json)]
        events += [(article.id, Event.from_dict(d)) for d in json.loads(events_json)]
    if len(articles) < 2:
        return
    # each article's own flags, as the enrich stage made them: a disagreement one article tells is not
    # flagged again across the story (link.crosscheck.crosscheck_story's ``inside``)
    from ..enrich.contradictions import article_contradictions
    from ..enrich.timex import find_times

    inside = []
    for aid, art in articles.items():
        own = sorted((c for c in claims if c.article_id == aid), key=lambda c: (c.start, c.id))
        if len(own) > 1:
            inside += article_contradictions(own, art.outlet, article=art, places=art.places,
                                             times=find_times(art.text, art.published_at, art.language or "en"),
                                             events=[e for a, e in events if a == aid], lang=art.language)
    contradictions, _rising = compare_claims(story_id, sorted(claims, key=lambda c: (c.article_id, c.id)), articles,
                                             [e for _aid, e in events], inside)
    for c in contradictions:
        yield "contradiction", c.to_dict()
    if events:
        for e in merge_events(story_id, sorted(events, key=lambda x: (x[0], x[1].event_id)), articles):
            yield "event", (story_id, e.to_dict())
