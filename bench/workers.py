"""Every core (issue 17 §4): `veille run` with 1 and N worker processes against the spaCy model alone.

Corpus: 804 English articles — the 185 FA-KES dev rows, the 593 GVA local-news articles and the
first 26 BASIL articles — written once as JSON Lines. For each round:
  (a) the spaCy English model the pipeline loads (same components), alone in one process, one
      text at a time, as a baseline of "what the language model costs";
  (b) `veille run corpus.jsonl --workers 1` (whole pipeline, fresh store);
  (c) `veille run corpus.jsonl --workers N` (default N = the cores available).
Reported: median wall seconds of each, the ratios b/a and c/a (issue 17's target on 2 cores:
c/a ≤ 0.75), and whether (b) and (c) exported the same claims, events and stories.

    .venv/bin/python bench/workers.py [--rounds 3] [--workers 2] [--limit 804]

Run it on a quiet machine: the ratio compares processes that compete for the same cores.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))


def corpus(limit: int) -> list[dict]:
    rows = []
    with (DATA / "fakes-dev" / "fakes-dev.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows.append({"id": f"fakes-{r['unit_id']}", "title": r["article_title"], "text": r["article_content"],
                         "language": "en"})
    for name in ("gva-dev.jsonl", "basil-dev.jsonl"):
        for line in (DATA / "stories-dev" / name).open(encoding="utf-8"):
            r = json.loads(line)
            rows.append({"id": r["id"], "title": r.get("title"), "text": r["text"], "language": "en",
                         "published_at": r.get("date"), "url": r.get("url")})
    return rows[:limit]


def spacy_alone(texts: list[str]) -> float:
    """Seconds for the pipeline's English spaCy model alone over the texts, in a child process
    pinned to one core (so the baseline is what one core does with the model)."""
    code = (
        "import os, sys, time, json\n"
        "os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})\n"
        "from veille.enrich.syntax import load_model\n"
        "nlp = load_model('en')\n"
        "texts = json.load(open(sys.argv[1], encoding='utf-8'))\n"
        "t = time.perf_counter()\n"
        "for x in texts: nlp(x)\n"
        "print(time.perf_counter() - t)\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(texts, fh)
    try:
        out = subprocess.run([sys.executable, "-c", code, fh.name], capture_output=True, text=True, check=True,
                             env=_env())
        return float(out.stdout.strip().splitlines()[-1])
    finally:
        os.unlink(fh.name)


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def veille_run(path: Path, work: Path, workers: int) -> tuple[float, str]:
    """Wall seconds of `veille run` and a digest of its exports (claims, events, stories)."""
    db = work / f"w{workers}.db"
    out = work / f"out{workers}"
    for p in (db, Path(str(db) + "-wal"), Path(str(db) + "-shm")):
        p.unlink(missing_ok=True)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "veille", "run", str(path), "--db", str(db), "--workers", str(workers),
                    "--out", str(out), "-q"], check=True, env=_env(), cwd=work)
    wall = time.perf_counter() - t
    h = hashlib.sha256()
    for name in ("claims.jsonl", "events.geojson", "stories.jsonl", "articles.jsonl"):
        f = out / name
        if f.exists():
            h.update(b"".join(sorted(f.read_bytes().splitlines())))
    return wall, h.hexdigest()[:16]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--limit", type=int, default=804)
    args = ap.parse_args()
    rows = corpus(args.limit)
    texts = [f"{r['title']}\n\n{r['text']}" if r.get("title") else r["text"] for r in rows]
    a, b, c, same = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="veille-workers-") as tmp:
        work = Path(tmp)
        path = work / "corpus.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        for i in range(args.rounds):
            a.append(spacy_alone(texts))
            wall1, d1 = veille_run(path, work, 1)
            walln, dn = veille_run(path, work, args.workers)
            b.append(wall1)
            c.append(walln)
            same.append(d1 == dn)
            print(f"round {i + 1}: spaCy alone {a[-1]:.1f}s, 1 worker {wall1:.1f}s, {args.workers} workers "
                  f"{walln:.1f}s, same exports {d1 == dn}", file=sys.stderr)
    ma, mb, mc = (statistics.median(x) for x in (a, b, c))
    print(json.dumps({
        "articles": len(rows), "rounds": args.rounds, "workers": args.workers,
        "spacy_alone_s": round(ma, 1), "run_1_worker_s": round(mb, 1), f"run_{args.workers}_workers_s": round(mc, 1),
        "ratio_1_worker_to_spacy": round(mb / ma, 2), f"ratio_{args.workers}_workers_to_spacy": round(mc / ma, 2),
        "speedup": round(mb / mc, 2), "same_exports": all(same),
    }, indent=1))


if __name__ == "__main__":
    main()
