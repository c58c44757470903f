"""Connected components of an edge RDD, on the driver when the edges fit, else by label propagation.

Used wherever the job must group records that are linked through shared keys without an
all-pairs step: the ingest policy's contested articles (``admit``) and the story stage.
"""

from __future__ import annotations

from typing import Iterable


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
