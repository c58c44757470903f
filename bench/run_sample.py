"""Time `veille run` on the bundled sample (fresh database each time) — median of N runs.

Usage: .venv/bin/python bench/run_sample.py [--runs 5]
Also times the import + extraction alone, to show what the analysis stages add.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "revue-syrie-2019-01.txt"


def timed(args: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "veille", *args], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"veille {' '.join(args)} failed:\n{proc.stderr}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ns = ap.parse_args()
    runs, ingests, reruns = [], [], []
    for _ in range(ns.runs):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            ingests.append(timed(["ingest", str(SAMPLE), "--db", str(tmp / "i.db")], tmp))
            runs.append(timed(["run", str(SAMPLE), "--db", str(tmp / "v.db"), "--out", str(tmp / "d")], tmp))
            reruns.append(timed(["run", str(SAMPLE), "--db", str(tmp / "v.db"), "--out", str(tmp / "d")], tmp))
    med = statistics.median
    print(f"veille run (fresh db, 10 articles): median {med(runs):.2f} s over {ns.runs} runs (min {min(runs):.2f}, max {max(runs):.2f})")
    print(f"veille run again (nothing new):     median {med(reruns):.2f} s")
    print(f"veille ingest only:                 median {med(ingests):.2f} s")
    print(f"ratio run/ingest: {med(runs) / med(ingests):.1f}x")


if __name__ == "__main__":
    main()
