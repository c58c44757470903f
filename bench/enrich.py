"""Enrichment throughput on one core, ratio to the spaCy model alone, peak memory.

Texts: the 10 articles of the bundled sample (French) and the 185 FA-KES dev rows (English).
For each round: (a) the NER-only spaCy model alone over the texts, one call per article as in the pipeline, (b) the
whole enrichment pipeline (language, sentences, entities incl. spaCy, places, times) article
by article. Median of the rounds; the ratio b/a says what the rest costs beside the model.

    .venv/bin/python bench/enrich.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
try:
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
except (AttributeError, OSError):
    pass

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from veille.enrich import Doc, load_pipeline  # noqa: E402
from veille.enrich.entities import load_model  # noqa: E402
from veille.extract.review import parse_review  # noqa: E402
from veille.outlets import load_registry  # noqa: E402
from veille.records import Article  # noqa: E402


def corpus() -> list[Article]:
    sample = ROOT / "examples" / "revue-syrie-2019-01.txt"
    arts, _ = parse_review(sample.read_text(encoding="utf-8"), load_registry(), str(sample))
    arts = [Article(**{**a.__dict__, "language": "fr"}) for a in arts]
    data = ROOT.parent / "shared" / "data" / "fakes-dev" / "fakes-dev.csv"
    for row in csv.DictReader(data.open(encoding="utf-8")):
        arts.append(Article(id=row["unit_id"], text=f"{row['article_title']}.\n\n{row['article_content']}",
                            language="en", published_at=None))
    return arts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    arts = corpus()
    chars = sum(len(a.text) for a in arts)
    tracemalloc.start()
    t0 = time.perf_counter()
    nlp = load_pipeline()
    from veille.enrich.aliases import matcher
    from veille.enrich.entities import _capitals

    matcher()
    _capitals()
    index_time = time.perf_counter() - t0
    index_peak = tracemalloc.get_traced_memory()[1]
    index_now = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    models = {lang: load_model(lang) for lang in ("fr", "en")}
    nlp(Doc(article=arts[0]))  # warm up
    from veille.enrich import Pipeline

    mine = Pipeline(tuple(c for c in nlp.components
                          if c.name in ("language", "language-check", "sentences", "entities", "places", "times")))
    model_times, pipe_times, mine_times = [], [], []
    for _ in range(args.rounds):
        t = time.perf_counter()
        for a in arts:  # the same calls the pipeline makes: one doc at a time
            models[a.language](a.text)
        model_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        for a in arts:
            nlp(Doc(article=a))
        pipe_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        for a in arts:
            mine(Doc(article=a))
        mine_times.append(time.perf_counter() - t)
    # the rest alone: the same components with the model's answers precomputed (robust on a busy machine)
    from veille.enrich import entities as ent_mod

    spans = {a.id: ent_mod.ner_spans(a.text, a.language) for a in arts}
    real = ent_mod.ner_spans
    rest_times = []
    try:
        by_text = {a.text: spans[a.id] for a in arts}
        ent_mod.ner_spans = lambda text, lang: by_text[text]
        for _ in range(args.rounds):
            t = time.perf_counter()
            for a in arts:
                mine(Doc(article=a))
            rest_times.append(time.perf_counter() - t)
    finally:
        ent_mod.ner_spans = real
    r = statistics.median(rest_times)
    m, p, q = statistics.median(model_times), statistics.median(pipe_times), statistics.median(mine_times)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles {len(arts)} ({chars} chars), rounds {args.rounds}, one core")
    print(f"gazetteer + alias index: built in {index_time:.2f}s, {index_now / 1e6:.1f} MB held "
          f"(peak {index_peak / 1e6:.1f} MB while building)")
    print(f"spaCy NER alone: {m:.2f}s = {len(arts) / m:.1f} articles/s")
    print(f"issue-4 components ({', '.join(mine.names)}): {q:.2f}s = {len(arts) / q:.1f} articles/s, "
          f"ratio to model alone {q / m:.2f}x")
    print(f"issue-4 components without the model (spans precomputed): {r:.2f}s; "
          f"(model + rest) / model = {(m + r) / m:.2f}x")
    print(f"whole enrichment ({', '.join(nlp.names)}): {p:.2f}s = {len(arts) / p:.1f} articles/s, "
          f"ratio to model alone {p / m:.2f}x")
    print(f"peak RSS (process, models included): {rss:.0f} MB")


if __name__ == "__main__":
    main()
