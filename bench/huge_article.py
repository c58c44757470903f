"""Memory and time of `veille analyze` on one very long article (issue 18, item 1).

Usage:
    .venv/bin/python bench/huge_article.py [--mb 10] [--kind mot|real]

The issue's repro: one JSON Lines record whose text is ``'mot ' * 2_500_000`` (10 MB, no
sentence ever ends), ingested then analysed by the real commands in fresh processes. ``--kind
real`` repeats the sample press review instead (real sentences, names, places and figures:
every component has work). Reported for each command: wall and CPU seconds and peak RSS (the
child's ru_maxrss). Target: peak RSS of `veille analyze` ≤ 1.5 GB (it was 14.5 GB, 409 s).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def text_of(kind: str, mb: float) -> str:
    size = int(mb * 1_000_000)
    if kind == "mot":
        return "mot " * (size // 4)
    sample = (ROOT / "examples" / "revue-syrie-2019-01.txt").read_text(encoding="utf-8")
    return (sample * (size // len(sample) + 1))[:size]


def timed(args: list[str]) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "veille", *args], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"command": "veille " + args[0], "exit": proc.returncode, "wall_s": round(wall, 1),
            "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1),
            "peak_rss_mb": round(after.ru_maxrss / 1024), "stderr_tail": proc.stderr.strip().splitlines()[-2:]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=10)
    ap.add_argument("--kind", choices=("mot", "real"), default="mot")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="veille-huge-"))
    src = tmp / "huge.jsonl"
    src.write_text(json.dumps({"id": "huge", "text": text_of(args.kind, args.mb), "language": "fr"}) + "\n",
                   encoding="utf-8")
    db = tmp / "h.db"
    rows = [timed(["ingest", str(src), "--db", str(db)])]
    rows.append(timed(["analyze", "--db", str(db)]))  # ru_maxrss of children is a running max: analyze's own peak
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))
    ok = rows[-1]["exit"] == 0 and rows[-1]["peak_rss_mb"] <= 1536
    print(f"{args.mb:g} MB '{args.kind}' article: analyze peak RSS {rows[-1]['peak_rss_mb']} MB "
          f"({'within' if ok else 'OVER'} the 1.5 GB target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
