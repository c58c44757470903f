"""Story clustering: pair F1 on BASIL (dev) and time/memory at 1k, 10k, 100k articles.

    .venv/bin/python bench/stories.py eval            # pair P/R/F1, whole set and both halves
    .venv/bin/python bench/stories.py scale 1000 10000 100000

*eval*: the BASIL dev articles go through the real link stage (store → ``link_store``).
Metric (data README, Miranda et al. 2018): pair-counting precision/recall/F1 — a true
positive is a pair of articles in the same gold story and the same predicted cluster.
The halves split the gold stories by the parity of their rank in date order (half A / B):
thresholds were fixed by reasoning (see link/cluster.py), A and B are reported separately.

*scale*: the dev articles are replayed with dates shifted so that stories follow each
other in a stream (≈ 31 stories every 10 days, copies shifted by whole weeks) and lightly
perturbed (a paragraph dropped, 30 % of the words replaced by other words of the text),
so every copy is a new text and a new article, not a near-duplicate of the other copies. Embedding 100k texts would take ~1 h on 2 cores, so the vectors are computed once
per distinct source text and reused for its perturbed copies (inserted in the vector
cache, the rest of the stage — MinHash/LSH, blocking, centroids, story build — runs for
real). Time and peak RSS of ``link_store`` are measured in a fresh process per size.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEV = Path("/work/shared/data/stories-dev/basil-dev.jsonl")


def load_dev() -> list[dict]:
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def to_article(row: dict, *, rid: str | None = None, text: str | None = None, day: str | None = None):
    from veille.records import Article

    return Article(id=rid or row["id"], text=text or row["text"], url=None, canonical_url=None, outlet=row["source"],
                   title=row["title"], published_at=day or row["date"], language=row.get("lang"))


def pair_scores(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    ids = sorted(gold)
    tp = fp = fn = 0
    for a, b in combinations(ids, 2):
        g, p = gold[a] == gold[b], pred[a] == pred[b]
        tp += g and p
        fp += p and not g
        fn += g and not p
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def cluster_rows(rows: list[dict]) -> dict[str, str]:
    from veille.link import link_store
    from veille.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "b.db") as store:
            with store.transaction():
                for r in rows:
                    store.upsert_article(to_article(r))
                link_store(store)
            return {a: s for s in store.stories() for a in s.articles}


def evaluate() -> None:
    rows = load_dev()
    gold = {r["id"]: r["story_id"] for r in rows}
    first = {}
    for r in sorted(rows, key=lambda r: r["date"]):
        first.setdefault(r["story_id"], len(first))
    halves = {"A": [r for r in rows if first[r["story_id"]] % 2 == 0], "B": [r for r in rows if first[r["story_id"]] % 2 == 1]}
    t = time.perf_counter()
    pred = cluster_rows(rows)
    elapsed = time.perf_counter() - t
    p, r, f = pair_scores(gold, pred)
    print(f"all  : {len(rows)} articles, {len(set(gold.values()))} gold / {len(set(pred.values()))} predicted stories — "
          f"P {p:.3f} R {r:.3f} F1 {f:.3f} ({elapsed:.1f} s incl. embedding)")
    for name, part in halves.items():
        pred = cluster_rows(part)
        p, r, f = pair_scores({x["id"]: x["story_id"] for x in part}, pred)
        print(f"half {name}: {len(part)} articles — P {p:.3f} R {r:.3f} F1 {f:.3f}")
    # ablation: no help from time — every article on the same day, content alone decides
    flat = [dict(r, date="2015-06-01") for r in rows]
    p, r, f = pair_scores(gold, cluster_rows(flat))
    print(f"all, dates removed (content only): P {p:.3f} R {r:.3f} F1 {f:.3f}")
    for name, part in halves.items():
        flat = [dict(x, date="2015-06-01") for x in part]
        p, r, f = pair_scores({x["id"]: x["story_id"] for x in part}, cluster_rows(flat))
        print(f"half {name}, dates removed: P {p:.3f} R {r:.3f} F1 {f:.3f}")


# ---- scale --------------------------------------------------------------------------------
def perturb(text: str, rnd: random.Random, rate: float = 0.3) -> str:
    """A copy that is a new text: one paragraph dropped, ``rate`` of the words replaced by
    words drawn from the text itself (so copies are not near-duplicates of each other)."""
    paras = [p for p in text.split("\n\n") if p.strip()]
    if len(paras) > 3:
        del paras[rnd.randrange(1, len(paras))]
    words = "\n\n".join(paras).split(" ")
    pool = list(words)
    return " ".join(rnd.choice(pool) if rnd.random() < rate else w for w in words)


def bulk_insert(store, arts, vec_rows) -> None:
    from veille.store import _dumps, _hash

    with store.transaction():
        store.db.executemany(
            "INSERT INTO articles (id, canonical_url, outlet, published_at, language, section, title, capture, record, "
            "content_hash, ingested_at) VALUES (?, NULL, ?, ?, ?, NULL, ?, NULL, ?, ?, '2026-11-25')",
            [(a.id, a.outlet, a.published_at, a.language, a.title, body, _hash(body))
             for a in arts for body in [_dumps(a.to_dict())]])
        store.db.executemany("INSERT OR REPLACE INTO link_vectors VALUES (?, ?, ?)", vec_rows)


def scale_one(n: int) -> dict:
    """Build n articles in a fresh DB (ingest not timed), then time link_store."""
    import numpy as np

    from veille.link import link_store
    from veille.link.embed import Embedder, story_text, text_key
    from veille.store import Store

    rows = load_dev()
    cache = Path(tempfile.gettempdir()) / "veille-bench-basil-vectors.npy"
    if cache.exists():
        base = np.load(cache)
    else:
        base = Embedder().encode([story_text(to_article(r)) for r in rows])
        np.save(cache, base)
    vec_of = {r["id"]: base[i] for i, r in enumerate(rows)}
    order = sorted(rows, key=lambda r: (r["date"], r["id"]))
    story_rank = {}
    for r in order:
        story_rank.setdefault(r["story_id"], len(story_rank))
    gold_first = {}
    for r in order:
        gold_first.setdefault(r["story_id"], date.fromisoformat(r["date"]))
    rnd = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "scale.db")
        # bulk set-up (not timed): article rows and their cached vectors written directly —
        # ingest is measured elsewhere; here only the link stage is
        arts, vec_rows = [], []
        for k in range(n):
            r = order[k % len(order)]
            copy = k // len(order)
            d0 = date.fromisoformat(r["date"])
            # a stream: story s of copy c starts on day (c * 31 + s) * 10 / 31 — ~3 stories a day
            start = date(2000, 1, 1) + timedelta(days=((copy * 31 + story_rank[r["story_id"]]) * 10) // 31)
            day = (start + (d0 - gold_first[r["story_id"]])).isoformat()
            text = perturb(r["text"], rnd) if copy else r["text"]
            art = to_article(r, rid=f"{r['id']}-{copy}", text=text, day=day)
            arts.append(art)
            vec_rows.append((art.id, text_key(story_text(art)), vec_of[r["id"]].astype("<f4").tobytes()))
        bulk_insert(store, arts, vec_rows)
        t, cpu = time.perf_counter(), time.process_time()
        with store.transaction():
            rep = link_store(store)
        elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
        # incremental: 1 % more articles, linked against the stored state
        extra = max(10, n // 100)
        arts, vec_rows = [], []
        for k in range(extra):
            r = order[k % len(order)]
            art = to_article(r, rid=f"{r['id']}-new{k}", text=perturb(r["text"], rnd), day="2000-01-02")
            arts.append(art)
            vec_rows.append((art.id, text_key(story_text(art)), vec_of[r["id"]].astype("<f4").tobytes()))
        bulk_insert(store, arts, vec_rows)
        t = time.perf_counter()
        with store.transaction():
            link_store(store)
        inc = time.perf_counter() - t
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "seconds": round(elapsed, 2), "cpu_seconds": round(cpu, 2), "cpu_per_1k": round(cpu / n * 1000, 2),
            "stories": rep.stories,
            "incremental_n": extra, "incremental_seconds": round(inc, 2), "peak_rss_mib": round(peak)}


def main(argv: list[str]) -> None:
    if not argv or argv[0] == "eval":
        evaluate()
        return
    if argv[0] == "scale-one":
        print(json.dumps(scale_one(int(argv[1]))))
        return
    if argv[0] == "scale":
        for n in [int(x) for x in argv[1:]] or [1000, 10000, 100000]:
            out = subprocess.run([sys.executable, __file__, "scale-one", str(n)], capture_output=True, text=True)
            print(out.stdout.strip() or out.stderr.strip()[-2000:], flush=True)
        return
    raise SystemExit(f"usage: {sys.argv[0]} eval | scale [N...]")


if __name__ == "__main__":
    main(sys.argv[1:])
