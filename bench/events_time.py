"""The time event typing adds per article: FA-KES dev rows through the whole pipeline, the event-type
model's calls and the sentence encoder's calls timed apart, against the spaCy model alone.

    PYTHONPATH=src .venv/bin/python bench/events_time.py [--n 60] [--no-blas-limit]

Per article (medians): the whole pipeline's wall time; the time spent in ``EventTyper.type``
(concepts, the sentence vectors when they are needed, the model); the number of encoder calls and of
texts encoded; and the spaCy model alone on the same text (the cost every other stage is compared with).
``--no-blas-limit`` hides ``threadpoolctl`` from the encoder (as before it was a dependency): OpenBLAS
then runs its own threads, which on a loaded 2-core machine spin against each other.
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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", default=str(ROOT.parent / "shared" / "data" / "fakes-dev" / "fakes-dev.csv"))
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--no-blas-limit", action="store_true", help="hide threadpoolctl (the behaviour before it was a dependency)")
    args = ap.parse_args()
    if args.no_blas_limit:
        sys.modules["threadpoolctl"] = None  # type: ignore[assignment]

    from claims import article_of  # noqa: E402

    from veille.enrich import Doc, load_pipeline  # noqa: E402
    from veille.enrich import event_types as et  # noqa: E402
    from veille.enrich.syntax import load_model  # noqa: E402
    from veille.link.embed import Embedder  # noqa: E402

    rows = list(csv.DictReader(open(args.csv, encoding="utf-8")))[:args.n]
    nlp = load_pipeline()
    spent, texts, calls, encoded = [0.0], [0], [0], [0]
    original, original_encode = et.EventTyper.type, Embedder.encode

    def timed(self, texts_, langs, vectors=None, exclude=(), tokens=None):
        t0 = time.perf_counter()
        try:
            return original(self, texts_, langs, vectors, exclude, tokens)
        finally:
            spent[0] += time.perf_counter() - t0
            texts[0] += len(texts_)

    def counted(self, texts_):
        calls[0] += 1
        encoded[0] += len(texts_)
        return original_encode(self, texts_)
    et.EventTyper.type = timed
    Embedder.encode = counted
    arts = [article_of(row) for row in rows]
    nlp(Doc(article=arts[0]))  # models load here, not in the timings
    Embedder.shared().encode(["warm up"])
    whole, typing, n_texts, n_calls, n_encoded, model = [], [], [], [], [], []
    for a in arts:
        spent[0], texts[0], calls[0], encoded[0] = 0.0, 0, 0, 0
        t0 = time.perf_counter()
        nlp(Doc(article=a))
        whole.append(time.perf_counter() - t0)
        typing.append(spent[0])
        n_texts.append(texts[0])
        n_calls.append(calls[0])
        n_encoded.append(encoded[0])
        spacy_model = load_model(a.language or "en")
        t0 = time.perf_counter()
        spacy_model(a.text)
        model.append(time.perf_counter() - t0)
    med_w, med_t, med_m = statistics.median(whole), statistics.median(typing), statistics.median(model)
    print(f"{len(rows)} FA-KES articles{' (no BLAS thread limit)' if args.no_blas_limit else ''}: "
          f"whole pipeline median {1000 * med_w:.0f} ms/article; spaCy model alone {1000 * med_m:.0f} ms/article")
    print(f"  event typing median {1000 * med_t:.1f} ms/article = {100 * med_t / med_w:.1f} % of the pipeline, "
          f"{med_t / med_m:.2f}x the spaCy model")
    print(f"  spans typed {statistics.mean(n_texts):.2f}/article; encoder calls {statistics.mean(n_calls):.2f}/article "
          f"(max {max(n_calls)}), texts encoded {statistics.mean(n_encoded):.2f}/article")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
