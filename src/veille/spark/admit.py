"""Which extracted articles the job keeps: the store's ingest policy (``veille.ingest_policy``).

The CLI applies the policy article by article, in ingest order, against its store. Two
articles can only affect each other's decision through a key they share — their id, their
canonical URL, or their (outlet, text fingerprint) — so the job:
1. computes each article's ``Keys`` (per record);
2. [shuffle by key] links the articles that share a key (a star per key: first → each other),
   and finds the connected components of those links (``graph``: on the driver while the links
   fit, else by label propagation) — the *contested* articles, usually a small minority;
3. [shuffle by component] replays ``ingest_policy.Ledger`` — the store's rules and index, in
   memory — over each component in ingest order; every uncontested article is simply new.
The result is the store's: for every id, the last version the rules admitted, and the exact
copies refused, each recorded as a copy of the first article stored with its text.
"""

from __future__ import annotations

import json
from typing import Iterable, Iterator

DRIVER_LINKS = 2_000_000  # links between contested articles collected to the driver up to this many


def keyed(item: tuple[tuple, str]) -> tuple[tuple, tuple]:
    """(order, article JSON in its stored form) → (order, (Keys, JSON))."""
    from ..ingest_policy import keys_of

    order, record = item
    return order, (keys_of(json.loads(record), record), record)


def star_links(group: tuple[tuple, Iterable[tuple]]) -> Iterator[tuple[tuple, tuple]]:
    """The articles sharing one key → links from the first to each other one."""
    members = sorted(set(group[1]))
    for other in members[1:]:
        yield members[0], other


def replay(members: Iterable[tuple[tuple, tuple]]) -> Iterator[tuple[str, object]]:
    """One component's (order, (Keys, JSON)) → ("article", JSON) for each id's last admitted
    version, ("copy", (source, copy id, original id)) for each exact copy refused."""
    from ..ingest_policy import Ledger

    ledger = Ledger()
    kept: dict[str, str] = {}
    for _order, (keys, record) in sorted(members, key=lambda m: m[0]):
        if ledger.admit(keys).admitted:
            kept[keys.id] = record
    for record in kept.values():
        yield "article", record
    for (source, copy), original in ledger.copies.items():
        yield "copy", (source, copy, original)


def admit(versions, driver_links: int = DRIVER_LINKS):
    """RDD of (ingest order, article JSON) → (RDD of kept article JSON, RDD of copies, persisted RDDs)."""
    from pyspark import StorageLevel

    from .graph import components, union_find

    items = versions.map(keyed).persist(StorageLevel.MEMORY_AND_DISK)
    links = (items.flatMap(lambda kv: ((key, kv[0]) for key in kv[1][0].index_keys()))
             .groupByKey()
             .flatMap(star_links)
             .persist(StorageLevel.MEMORY_AND_DISK))
    n_links = links.count()
    sc = versions.context
    if n_links == 0:
        contested = sc.emptyRDD()
        free = items
    elif n_links <= driver_links:
        label_b = sc.broadcast(union_find(links.collect()))
        contested = items.filter(lambda kv: kv[0] in label_b.value).map(lambda kv: (label_b.value[kv[0]], kv))
        free = items.filter(lambda kv: kv[0] not in label_b.value)
    else:
        labelled = items.leftOuterJoin(components(links))
        contested = labelled.filter(lambda kv: kv[1][1] is not None).map(lambda kv: (kv[1][1], (kv[0], kv[1][0])))
        free = labelled.filter(lambda kv: kv[1][1] is None).map(lambda kv: (kv[0], kv[1][0]))
    decided = contested.groupByKey().flatMap(lambda kv: replay(kv[1])).persist(StorageLevel.MEMORY_AND_DISK)
    kept = free.map(lambda kv: kv[1][1]).union(decided.filter(lambda r: r[0] == "article").values())
    copies = decided.filter(lambda r: r[0] == "copy").values()
    return kept, copies, (items, links, decided)
