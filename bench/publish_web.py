"""Publish + web UI figures: dossier render time and size, search and page latency.

Usage: .venv/bin/python bench/publish_web.py [--db PATH]
Without --db the sample review is run through the whole pipeline into a temp DB first.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("-n", type=int, default=7)
    args = ap.parse_args()
    from veille.settings import Settings
    from veille.store import Store

    tmp = Path(tempfile.mkdtemp())
    db = args.db
    if db is None:
        from veille.pipeline import run

        db = tmp / "v.db"
        run([str(ROOT / "examples" / "revue-syrie-2019-01.txt")], Settings(db=db, out=tmp / "warm"))
    from veille.publish.dossier import write_dossier

    with Store(db, readonly=True) as store:
        n_articles = store.count_articles()
        settings = Settings(db=db, out=tmp / "out")
        render = timed(lambda: write_dossier(store, settings), args.n)
    size = (tmp / "out" / "index.html").stat().st_size
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from veille.web.app import create_app

    client = TestClient(create_app(db))
    queries = ["Manbij", "Daech", "\"police militaire\"", "Syr*", "troupes US", "Idlib"]
    search = [t for q in queries for t in timed(lambda q=q: client.get("/search", params={"q": q}), args.n)]
    first = client.get("/api/articles", params={"limit": 1}).json()[0]["id"]
    article = timed(lambda: client.get(f"/article/{first}"), args.n)
    mapp = timed(lambda: client.get("/map"), args.n)
    ms = lambda xs: f"{statistics.median(xs) * 1000:.1f} ms"  # noqa: E731
    print(f"articles in DB: {n_articles}")
    print(f"dossier (write_dossier, all files): median {ms(render)}; index.html {size / 1024:.0f} KiB")
    print(f"GET /search (6 queries x {args.n}): median {ms(search)}")
    print(f"GET /article/{{id}}: median {ms(article)}; GET /map: median {ms(mapp)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
