"""The time event typing adds per article: FA-KES dev rows through the whole pipeline, the event-type
model's calls timed apart.

    PYTHONPATH=src .venv/bin/python bench/events_time.py [--n 60]

Per article: the whole pipeline's wall time, and the time spent in ``EventTyper.type`` (sentence
vectors of the main span and of the candidate secondary sentences, concepts, the model). Medians.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from claims import article_of  # noqa: E402

from veille.enrich import Doc, load_pipeline  # noqa: E402
from veille.enrich import event_types as et  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", default=str(ROOT.parent / "shared" / "data" / "fakes-dev" / "fakes-dev.csv"))
    ap.add_argument("--n", type=int, default=60)
    args = ap.parse_args()
    rows = list(csv.DictReader(open(args.csv, encoding="utf-8")))[:args.n]
    nlp = load_pipeline()
    spent = [0.0]
    calls = [0]
    original = et.EventTyper.type

    def timed(self, texts, langs, vectors=None, exclude=()):
        t0 = time.perf_counter()
        try:
            return original(self, texts, langs, vectors, exclude)
        finally:
            spent[0] += time.perf_counter() - t0
            calls[0] += len(texts)
    et.EventTyper.type = timed
    nlp(Doc(article=article_of(rows[0])))  # models load here, not in the timings
    whole, typing, texts = [], [], []
    for row in rows:
        spent[0], calls[0] = 0.0, 0
        t0 = time.perf_counter()
        nlp(Doc(article=article_of(row)))
        whole.append(time.perf_counter() - t0)
        typing.append(spent[0])
        texts.append(calls[0])
    med_w, med_t = statistics.median(whole), statistics.median(typing)
    print(f"{len(rows)} FA-KES articles: whole pipeline median {1000 * med_w:.0f} ms/article; event typing median "
          f"{1000 * med_t:.0f} ms/article ({statistics.mean(texts):.1f} spans typed per article, mean) = "
          f"{100 * med_t / med_w:.0f} % of the pipeline")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
