"""Articles per second: `veille spark` at local[1] and local[2] against `veille run`, same data.

Data: dev rows replayed as JSON Lines (DESIGN §5) — BASIL (93 English articles, 31 stories)
and FA-KES (185 English articles on the Syrian war) from ../shared/data, and with `--gva`
GVA (593 US local news articles) too; `--copies K` repeats them with new ids to make a bigger
corpus. A copy k > 0 has its sentences rotated by k, so the ingest policy (one id, one URL, no
exact copy of the same outlet) keeps it: it is a near-duplicate from the same outlet, analysed
like any article (`--records N` cuts the corpus at N rows). Every run is a fresh process (the
JVM start and model loading are part of what a user waits for); the Spark job's own time
(session already up) is read from its summary line too.

    .venv/bin/python bench/spark.py [--repeat 1] [--copies 1] [--gva] [--records N]
        [--configs "veille run,spark local[2]"] [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def rotated(text: str, k: int) -> str:
    """The text with its sentences rotated by k (k = 0: unchanged)."""
    import re

    parts = [p for p in re.split(r"(?<=[.!?])\s+", text) if p]
    if k == 0 or len(parts) < 2:
        return text if k == 0 else f"{text} ({k})"
    k %= len(parts)
    return " ".join(parts[k:] + parts[:k]) if k else f"{text} ({len(parts)})"


def corpus(folder: Path, copies: int, shards: int, gva: bool = False, records: int | None = None) -> int:
    rows = []
    for r in map(json.loads, (DATA / "stories-dev" / "basil-dev.jsonl").read_text(encoding="utf-8").splitlines()):
        rows.append({"id": f"basil-{r['id']}", "url": r.get("url"), "title": r["title"], "text": r["text"],
                     "published_at": r["date"], "language": r["lang"], "outlet": r["source"]})
    with open(DATA / "fakes-dev" / "fakes-dev.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            date = datetime.strptime(r["date"], "%m/%d/%y").date().isoformat() if r["date"] else None
            rows.append({"id": f"fakes-{r['unit_id']}", "title": r["article_title"], "text": r["article_content"],
                         "published_at": date, "language": "en", "outlet": r["source"]})
    if gva:
        for r in map(json.loads, (DATA / "stories-dev" / "gva-dev.jsonl").read_text(encoding="utf-8").splitlines()):
            rows.append({"id": f"gva-{r['id']}", "title": r["title"], "text": r["text"], "published_at": r["date"],
                         "language": r["lang"], "outlet": r.get("source")})
    folder.mkdir(parents=True, exist_ok=True)
    files = [open(folder / f"part-{i:03d}.jsonl", "w", encoding="utf-8") for i in range(shards)]
    n = 0
    for k in range(copies):
        for r in rows:
            if records is not None and n >= records:
                break
            r = dict(r, id=f"{r['id']}-{k}" if copies > 1 else r["id"], url=None if copies > 1 else r.get("url"),
                     text=rotated(r["text"], k))
            files[n % shards].write(json.dumps(r, ensure_ascii=False) + "\n")
            n += 1
    for f in files:
        f.close()
    return n


def timed(cmd: list[str], cwd: Path) -> tuple[float, str]:
    env = dict(os.environ, VEILLE_OUTLETS="", XDG_CONFIG_HOME=str(cwd), VEILLE_SPARK_SUMMARY=str(cwd / "summary.json"))
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return wall, proc.stderr


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--shards", type=int, default=4, help="JSONL files the corpus is split into (Spark units)")
    ap.add_argument("--gva", action="store_true", help="add GVA's 593 articles to the rows repeated")
    ap.add_argument("--records", type=int, help="cut the corpus at this many rows")
    ap.add_argument("--configs", default="veille run,spark local[1],spark local[2]",
                    help="comma-separated: which of 'veille run', 'spark local[1]', 'spark local[2]' to time")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    py = sys.executable
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = work / "dev"
        n = corpus(data, args.copies, args.shards, args.gva, args.records)
        configs = {
            "veille run": lambda i: [py, "-m", "veille", "run", str(data), "--db", str(work / f"run{i}.db"), "--out", str(work / f"run{i}")],
            "spark local[1]": lambda i: [py, "-m", "veille.spark.job", str(data), "--out", str(work / f"s1-{i}"), "--master", "local[1]"],
            "spark local[2]": lambda i: [py, "-m", "veille.spark.job", str(data), "--out", str(work / f"s2-{i}"), "--master", "local[2]"],
        }
        wanted = [c.strip() for c in args.configs.split(",")]
        configs = {name: cmd for name, cmd in configs.items() if name in wanted}
        for name, cmd in configs.items():
            walls, stages = [], []
            for i in range(args.repeat):
                (work / "summary.json").unlink(missing_ok=True)
                wall, err = timed(cmd(i), work)
                walls.append(wall)
                if (work / "summary.json").exists():
                    stages.append(json.loads((work / "summary.json").read_text())["timings"])
                print(f"{name}: {wall:.1f}s wall {stages[-1] if stages and 'spark' in name else ''}", file=sys.stderr, flush=True)
            wall = statistics.median(walls)
            results[name] = {"articles": n, "wall_s": round(wall, 1), "articles_per_s": round(n / wall, 2)}
            if stages:
                med = {k: statistics.median(s[k] for s in stages) for k in stages[0]}
                job = sum(v for k, v in med.items() if k != "session")
                results[name] |= {"stages_s": med, "job_s": round(job, 1), "job_articles_per_s": round(n / job, 2),
                                  "extract_analyze_articles_per_s": round(n / (med["extract"] + med["analyze"]), 2)}
    base = results["veille run"]["articles_per_s"] if "veille run" in results else float("nan")
    print(f"| command | articles | wall s (median of {args.repeat}) | articles/s | vs veille run | job s (session up) | "
          "job articles/s | extract+analyze articles/s | stages s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['articles']} | {r['wall_s']} | {r['articles_per_s']} | {r['articles_per_s'] / base:.2f}× | "
              f"{r.get('job_s', '')} | {r.get('job_articles_per_s', '')} | {r.get('extract_analyze_articles_per_s', '')} | "
              f"{r.get('stages_s', '')} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
