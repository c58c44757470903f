"""Exports from an archive: time and size per kind and format (JSONL, CSV, Parquet), and the
Python API's DataFrames — what a researcher waits for before pandas, R or DuckDB can start.

    PYTHONPATH=src .venv/bin/python bench/export_formats.py ARCHIVE.db [--rounds 3]

Medians over rounds; each export goes to a file in a temporary folder (as `veille export -o`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    import veille
    from veille.outlets import load_registry
    from veille.publish.export import KINDS, export, write_parquet
    from veille.store import Store

    registry = load_registry(())
    rows = []
    with Store(args.db, readonly=True) as store, tempfile.TemporaryDirectory() as tmp:
        print(f"archive: {args.db} ({store.count_articles()} articles)")
        for kind in KINDS:
            for fmt in ("jsonl", "csv", "parquet"):
                times, size, n = [], 0, 0
                for _ in range(args.rounds):
                    path = Path(tmp) / f"{kind}.{fmt}"
                    t0 = time.perf_counter()
                    if fmt == "parquet":
                        n = write_parquet(store, kind, path, registry)
                    else:
                        with open(path, "w", encoding="utf-8", newline="") as f:
                            n = export(store, kind, fmt, f, registry)
                    times.append(time.perf_counter() - t0)
                    size = path.stat().st_size
                rows.append((kind, fmt, n, statistics.median(times), size))
    print(f"{'kind':<15}{'format':<9}{'rows':>6}{'median s':>10}{'KiB':>9}")
    for kind, fmt, n, t, size in rows:
        print(f"{kind:<15}{fmt:<9}{n:>6}{t:>10.3f}{size / 1024:>9.0f}")
    for kind in KINDS:
        jsonl = next(r for r in rows if r[0] == kind and r[1] == "jsonl")
        pq = next(r for r in rows if r[0] == kind and r[1] == "parquet")
        print(f"{kind}: parquet/jsonl time {pq[3] / jsonl[3]:.2f}×, size {pq[4] / max(jsonl[4], 1):.2f}×")
    try:
        import pandas  # noqa: F401
    except ImportError:
        return 0
    with veille.open(args.db, outlet_files=()) as archive:
        for kind in KINDS:
            times = []
            for _ in range(args.rounds):
                t0 = time.perf_counter()
                frame = archive.frame(kind)
                times.append(time.perf_counter() - t0)
            print(f"veille.open(db).frame({kind!r}): {len(frame)} rows × {len(frame.columns)} columns, "
                  f"median {statistics.median(times):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
