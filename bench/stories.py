"""Story clustering: pair F1 on GVA and BASIL dev, and cost at 1k, 10k, 100k articles.

    PYTHONPATH=src .venv/bin/python bench/stories.py eval             # cross-validated + shipped model
    PYTHONPATH=src .venv/bin/python bench/stories.py fakes            # FA-KES merges, to read by hand
    PYTHONPATH=src .venv/bin/python bench/stories.py scale 1000 10000 30000

*eval*: the dev rows go through the real enrich pipeline (cached under /tmp/stories/,
``stories_data.py``) and the real link stage (store → ``link_store``). Metric (data README,
Miranda et al. 2018): pair-counting precision/recall/F1. The honest figures are the
cross-validated ones (``stories_train.py``: GVA month against month, BASIL half against half,
the model trained on the other folds of both sets); the shipped model, trained on all dev
rows, is also run on each whole set (in-sample, said so). A second clean run checks that the
stories are identical.

*scale*: the GVA dev articles, enriched, are replayed as a stream — copy c shifted by
c × 61 days (the two months follow each other, about ten articles a day as in the dev set),
each copy's text perturbed (a paragraph dropped, 30 % of the words replaced by other words of
the text, so every article is a new text, embedded anew) and its people renamed (entity ids
suffixed by the copy: other incidents have other victims; towns recur). The database is built
in one process (not timed); ``link_store`` then runs in a fresh process on it: CPU seconds
(embedding every text included, and apart), wall seconds, peak RSS of that process, then an
incremental run adding 1 %.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories_data import ROOT, build_store, enriched, predicted  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))


def evaluate() -> None:
    import stories_train as tr
    from veille.link import link_store

    print("cross-validated (model trained on the other folds of GVA and BASIL together):", flush=True)
    tr.main([])
    print("shipped model (trained on all dev rows: in-sample):")
    for name in ("gva", "basil"):
        recs = enriched(name)
        runs = []
        for _ in range(2):
            with tempfile.TemporaryDirectory() as tmp:
                store = build_store(recs, Path(tmp) / "e.db")
                t = time.process_time()
                with store.transaction():
                    link_store(store)
                cpu = time.process_time() - t
                runs.append((predicted(store), [s.to_dict() for s in store.stories()]))
                marks = [(a.id, (a.extra.get("republication") or {}).get("of_article")) for a in store.articles()
                         if (a.extra or {}).get("republication")]
                copies = store.db.execute("SELECT article_id, of_article_id FROM duplicates").fetchall()
                store.close()
        p, r, f = tr.pair_scores(tr.gold_of(recs), runs[0][0])
        print(f"{name}: {len(recs)} articles, {len(set(tr.gold_of(recs).values()))} gold / {len(runs[0][1])} predicted stories — "
              f"P {p:.3f} R {r:.3f} F1 {f:.3f}; link CPU {cpu:.1f} s (vectors cached); "
              f"second clean run identical: {runs[0][1] == runs[1][1]}", flush=True)
        gold = tr.gold_of(recs)
        same = sum(gold.get(a) == gold.get(o) for a, o in marks)
        in_story = sum(runs[0][0].get(a) == runs[0][0].get(o) for a, o in marks)
        print(f"  republications marked: {len(marks)} ({same} of the same gold story, {in_story} in their original's story); "
              f"exact copies refused at ingest: {len(copies)} "
              f"({sum(gold.get(a) == gold.get(o) for a, o in copies)} of the same gold story, "
              f"{sum(runs[0][0].get(a) == runs[0][0].get(o) for a, o in copies)} listed in their original's story)", flush=True)


def fakes() -> None:
    """FA-KES (another beat: the Syrian war, one governorate's events days apart) linked by the
    shipped model, which never saw it. No story labels: every story joining two different
    articles is printed to be read by hand (same event told twice, or a false merge)."""
    from collections import defaultdict

    from veille.link import link_store

    recs = enriched("fakes")
    with tempfile.TemporaryDirectory() as tmp:
        store = build_store(recs, Path(tmp) / "f.db")
        with store.transaction():
            link_store(store)
        pred = predicted(store)
        store.close()
    rows = {r["row"]["id"]: r["row"] for r in recs}
    groups = defaultdict(set)
    for aid, sid in pred.items():
        groups[sid].add(aid)
    articles = len({r["story_id"] for r in rows.values()})
    merged = [g for g in groups.values() if len({rows[a]["story_id"] for a in g}) > 1]
    print(f"fakes: {len(rows)} rows, {articles} articles, {len(groups)} stories; {len(merged)} stories join different articles:")
    for g in sorted(merged, key=lambda g: sorted(g)):
        seen = set()
        for a in sorted(g, key=lambda a: (rows[a]["date"], a)):
            r = rows[a]
            if r["story_id"] in seen:
                continue
            seen.add(r["story_id"])
            print(f"  {r['date']} {r['source']:<12} {r['location']['admin1']:<10} {r['title'][:90]}")
        print()


# ---- scale --------------------------------------------------------------------------------
SHIFT_DAYS = 61


def perturb(text: str, rnd: random.Random, rate: float = 0.3) -> str:
    """A copy that is a new text: one paragraph dropped, ``rate`` of the words replaced by
    words drawn from the text itself."""
    paras = [p for p in text.split("\n\n") if p.strip()]
    if len(paras) > 3:
        del paras[rnd.randrange(1, len(paras))]
    words = "\n\n".join(paras).split(" ")
    pool = list(words)
    return " ".join(rnd.choice(pool) if rnd.random() < rate else w for w in words)


def _shift(value: str | None, days: int) -> str | None:
    if not value or len(value) < 10:
        return value
    try:
        return (date.fromisoformat(value[:10]) + timedelta(days=days)).isoformat() + value[10:]
    except ValueError:
        return value


def replayed(recs: list[dict], n: int, rnd: random.Random, start: int = 0, tag: str = ""):
    """n (article, mentions) of the stream, from position ``start``."""
    from veille.records import Article, Mention

    base = sorted(recs, key=lambda r: (r["row"]["date"], r["row"]["id"]))
    for k in range(start, start + n):
        r = base[k % len(base)]
        copy = k // len(base)
        days = copy * SHIFT_DAYS
        a = Article.from_dict(r["article"])
        ev = a.main_event
        if ev is not None:
            ev = replace(ev, event_date=_shift(ev.event_date, days))
        a = replace(a, id=f"{a.id}-{tag}{copy}", published_at=_shift(a.published_at, days), main_event=ev,
                    text=perturb(a.text, rnd) if copy or tag else a.text, extra={})
        mentions = [replace(Mention.from_dict(m), article_id=a.id,
                            entity_id=(m["entity_id"] + f"#{copy}" if (m.get("entity_id") or "").startswith("per:") else m.get("entity_id")))
                    for m in r["mentions"]]
        yield a, mentions


def fill(store, items) -> None:
    with store.transaction():
        for a, mentions in items:
            store.upsert_article(a)
            store.update_article(a)
            store.replace_analysis(a.id, mentions=mentions)


def scale_build(n: int, path: str) -> None:
    from veille.store import Store

    recs = enriched("gva")
    with Store(Path(path)) as store:
        fill(store, replayed(recs, n, random.Random(7)))


def scale_link(n: int, path: str) -> dict:
    from veille.link import link_store
    from veille.link import embed
    from veille.store import Store

    spent = {"embed": 0.0}
    encode = embed.Embedder.encode

    def timed(self, texts):
        t = time.process_time()
        try:
            return encode(self, texts)
        finally:
            spent["embed"] += time.process_time() - t

    embed.Embedder.encode = timed
    with Store(Path(path)) as store:
        t, cpu = time.perf_counter(), time.process_time()
        with store.transaction():
            rep = link_store(store)
        elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
        extra = max(10, n // 100)
        fill(store, replayed(enriched("gva"), extra, random.Random(11), start=n, tag="new"))
        t = time.perf_counter()
        with store.transaction():
            link_store(store)
        inc = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "stories": rep.stories, "wall_s": round(elapsed, 1), "cpu_s": round(cpu, 1),
            "cpu_s_per_1k": round(cpu / n * 1000, 2), "embed_cpu_s_per_1k": round(spent["embed"] / n * 1000, 2),
            "link_cpu_s_per_1k": round((cpu - spent["embed"]) / n * 1000, 2),
            "incremental_n": extra, "incremental_wall_s": round(inc, 1), "peak_rss_mib": round(peak)}


def main(argv: list[str]) -> None:
    if not argv or argv[0] == "eval":
        evaluate()
        return
    if argv[0] == "fakes":
        fakes()
        return
    if argv[0] == "scale-build":
        scale_build(int(argv[1]), argv[2])
        return
    if argv[0] == "scale-link":
        print(json.dumps(scale_link(int(argv[1]), argv[2])))
        return
    if argv[0] == "scale":
        for n in [int(x) for x in argv[1:]] or [1000, 10000, 100000]:
            with tempfile.TemporaryDirectory(dir="/tmp") as tmp:
                db = str(Path(tmp) / "scale.db")
                subprocess.run([sys.executable, __file__, "scale-build", str(n), db], check=True)
                out = subprocess.run([sys.executable, __file__, "scale-link", str(n), db], capture_output=True, text=True)
                print(out.stdout.strip() or out.stderr.strip()[-2000:], flush=True)
        return
    raise SystemExit(f"usage: {sys.argv[0]} eval | fakes | scale [N...]")


if __name__ == "__main__":
    main(sys.argv[1:])
