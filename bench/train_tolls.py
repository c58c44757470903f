"""Train the learned toll scorer (``src/veille/data/toll_scorer.json``) on the development sets' weak labels.

    PYTHONPATH=src .venv/bin/python bench/train_tolls.py [--sets fakes,gva,airwars,acled] [--folds 5]
        [--cache /tmp/tolls.pkl] [--write]

1. Every development article goes through the enrichment pipeline; for its main event, every value its
   toll can take (``toll_model.event_candidates``: the title's figures, each sentence's, none) is a
   candidate with language-independent features.
2. Weak labels: a candidate is right when its value is the set's toll (FA-KES nb_civilians +
   nb_noncivilians, GVA killed/injured, Airwars's range, ACLED fatalities; "none" is right for a toll of 0).
   The injured scorer learns from GVA and Airwars, the only sets that give injuries.
3. A conditional-logit model (one weight per feature, L2-regularised, fitted by gradient ascent on the
   log-probability of the right candidates of each article; deterministic) is fitted per kind, on FA-KES,
   GVA and Airwars; ACLED's records are never trained on (a held-out measure; its terms keep it out of the
   repo).
4. Cross-validation: K folds by incident (``devsets.fold_of``: one incident's articles share a fold), each
   fold scored by a model fitted on the others; per set, the share of articles whose chosen value is right.
5. ``--write`` refits on every article and writes the shipped file (the same command reproduces it).
The pipeline's own choice is not used here: the candidates do not depend on the weights.
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import devsets  # noqa: E402
from veille.enrich import Doc, load_pipeline  # noqa: E402
from veille.enrich.toll_model import FEATURES, event_candidates  # noqa: E402

OUT = ROOT / "src" / "veille" / "data" / "toll_scorer.json"
KINDS = {"killed": ("fakes", "gva", "airwars", "acled"), "wounded": ("gva", "airwars")}
TRAIN = ("fakes", "gva", "airwars")  # ACLED's records stay a held-out measure (its terms keep them out of the repo)
L2 = 1.0


def collect(rows, cache: Path | None):
    """Per article: what the toll candidates are computed from (cached: the pipeline is the slow part)."""
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    nlp = load_pipeline()
    out = []
    for n, row in enumerate(rows):
        doc = nlp(Doc(article=row.article))
        found = doc.extra.get("toll_candidates") or {}
        # the main event's candidate inputs exactly as the events stage computed them (None: no event)
        out.append({"row": row, "inputs": found.get("inputs")})
        if n % 100 == 0:
            print(f"  {n}/{len(rows)}", file=sys.stderr)
    if cache:
        cache.write_bytes(pickle.dumps(out))
    return out


def gold_range(row, kind: str) -> tuple[int, int] | None:
    if kind == "killed":
        if row.killed is None:
            return (0, 0) if row.set == "airwars" else None
        hi = row.killed_max if row.killed_max is not None else row.killed
        return row.killed, max(row.killed, hi)
    if row.set not in KINDS["wounded"]:
        return None
    if row.injured is None:
        return (0, 0) if row.set == "airwars" else None
    hi = row.injured_max if row.injured_max is not None else row.injured
    return row.injured, max(row.injured, hi)


def examples(items, kind: str):
    """(article index, candidate matrix, right mask, values) for every article with a label."""
    out = []
    for k, it in enumerate(items):
        row = it["row"]
        if row.set not in KINDS[kind]:
            continue
        rng = gold_range(row, kind)
        if rng is None:
            continue
        cands = event_candidates(kind, *it["inputs"]) if it["inputs"] is not None else []
        X = np.array([[c.features[f] for f in FEATURES] for c in cands], dtype=float).reshape(len(cands), len(FEATURES))
        values = [c.value for c in cands]
        right = np.array([rng[0] <= v <= rng[1] for v in values], dtype=bool)
        out.append((k, X, right, values, rng))
    return out


def fit(train, iters: int = 800, lr: float = 0.5) -> np.ndarray:
    """Conditional logit: maximise Σ log Σ_right softmax(Xw) − L2/2 |w|² by gradient ascent (deterministic).

    Articles whose candidates are all right or all wrong teach nothing and are left out."""
    usable = [(X, r) for _k, X, r, _v, _g in train if len(X) and r.any() and not r.all()]
    d = usable[0][0].shape[1] if usable else len(FEATURES)
    w = np.zeros(d)
    if not usable:
        return w
    X = np.vstack([x for x, _ in usable])
    R = np.concatenate([r for _, r in usable]).astype(float)
    seg = np.repeat(np.arange(len(usable)), [len(x) for x, _ in usable])
    starts = np.cumsum([0] + [len(x) for x, _ in usable[:-1]])
    n = len(usable)
    for _ in range(iters):
        s = X @ w
        s = s - np.maximum.reduceat(s, starts)[seg]
        e = np.exp(s)
        p = e / np.add.reduceat(e, starts)[seg]
        q = p * R
        q = q / np.add.reduceat(q, starts)[seg]
        w = w + lr * (X.T @ (q - p) - L2 * w) / n
    return w


def choose(X: np.ndarray, values, w: np.ndarray) -> int:
    if not len(X):
        return 0
    s = X @ w
    best = max(range(len(values)), key=lambda i: (round(float(s[i]), 9), -values[i]))
    return values[best]


MATRIX = ROOT / "bench" / "results" / "toll-training.json.gz"


def save_matrix(items, path: Path) -> None:
    """The training examples as numbers only (features, which candidates are right, set and incident), so
    the fit can be re-run and checked without the pipeline (``tests/test_toll_model.py``). No text, and no
    ACLED row (its terms keep its records out of the repo)."""
    out = []
    for kind in KINDS:
        for k, X, r, values, rng in examples(items, kind):
            row = items[k]["row"]
            if row.set not in TRAIN:
                continue
            out.append({"kind": kind, "set": row.set, "group": row.group, "X": np.round(X, 6).tolist(),
                        "right": r.astype(int).tolist(), "values": values, "range": list(rng)})
    path.write_bytes(gzip.compress(json.dumps({"features": list(FEATURES), "examples": out}).encode(), mtime=0))


def load_matrix(path: Path = MATRIX) -> dict[str, list]:
    """kind → examples (article index, X, right mask, values, range, set, group) from a saved matrix."""
    data = json.loads(gzip.decompress(path.read_bytes()))
    by_kind: dict[str, list] = defaultdict(list)
    for k, e in enumerate(data["examples"]):
        X = np.array(e["X"], dtype=float).reshape(len(e["values"]), len(data["features"]))
        by_kind[e["kind"]].append((k, X, np.array(e["right"], dtype=bool), e["values"], tuple(e["range"]), e["set"], e["group"]))
    return by_kind


def fit_weights(by_kind: dict[str, list]) -> dict[str, dict[str, float]]:
    """The shipped weights from the training examples (the same numbers ``--write`` writes)."""
    return {kind: {name: round(float(v), 4) for name, v in zip(FEATURES, fit([e[:5] for e in ex if e[5] in TRAIN]))}
            for kind, ex in by_kind.items()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="fakes,gva,airwars,acled")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cache", default="")
    ap.add_argument("--write", action="store_true", help="write the shipped weights and the training matrix")
    args = ap.parse_args()
    rows = devsets.load(tuple(args.sets.split(",")))
    items = collect(rows, Path(args.cache) if args.cache else None)
    weights = {}
    for kind in KINDS:
        ex = examples(items, kind)
        if not ex:
            continue
        rows_of = {k: items[k]["row"] for k, *_ in ex}
        folds = {k: devsets.fold_of(rows_of[k].group, args.folds) for k, *_ in ex}
        held: dict[int, int] = {}
        train = [e for e in ex if rows_of[e[0]].set in TRAIN]
        for f in range(args.folds):
            w = fit([e for e in train if folds[e[0]] != f])
            for k, X, _r, values, _g in ex:
                if folds[k] == f:
                    held[k] = choose(X, values, w)
        w_all = fit(train)
        weights[kind] = {name: round(float(v), 4) for name, v in zip(FEATURES, w_all)}
        full = {k: choose(X, values, w_all) for k, X, _r, values, _g in ex}
        print(f"== {kind}: {len(ex)} labelled articles")
        for name in KINDS[kind]:
            sub = [e for e in ex if rows_of[e[0]].set == name and _scored(rows_of[e[0]], kind)]
            if not sub:
                continue
            cv = sum(int(g[0] <= held[k] <= g[1]) for k, _X, _r, _v, g in sub)
            fit_all = sum(int(g[0] <= full[k] <= g[1]) for k, _X, _r, _v, g in sub)
            oracle = sum(int(bool(r.any())) for _k, _X, r, _v, _g in sub)
            print(f"  {name:8} {_what(name, kind):44} cross-validated {cv}/{len(sub)} = {cv / len(sub):.3f}"
                  f"   fitted on all {fit_all / len(sub):.3f}   a right candidate exists {oracle / len(sub):.3f}")
    for kind, w in weights.items():
        print(kind, json.dumps(w))
    if args.write:
        OUT.write_text(json.dumps({
            "_doc": "Weights of the learned toll scorer (enrich/toll_model.py), one per feature and kind, written by "
                    "bench/train_tolls.py --write on the development sets (FA-KES dev, GVA, Airwars, ACLED).",
            "features": list(FEATURES), "weights": weights}, indent=1, sort_keys=False) + "\n", encoding="utf-8")
        save_matrix(items, MATRIX)
        assert fit_weights(load_matrix(MATRIX)) == weights, "the saved matrix does not reproduce the weights"
        print(f"wrote {OUT} and {MATRIX}")
    return 0


def _scored(row, kind: str) -> bool:
    """The rows each target is measured on: GVA articles about an incident with deaths (injuries); Airwars
    rows with a known toll; every FA-KES and ACLED row."""
    if row.set == "gva":
        return bool(row.killed if kind == "killed" else row.injured)
    if row.set == "airwars":
        return (row.killed if kind == "killed" else row.injured) is not None
    return True


def _what(name: str, kind: str) -> str:
    return {("fakes", "killed"): "killed exact", ("gva", "killed"): "articles with deaths: killed = toll",
            ("gva", "wounded"): "articles with injuries: injured = toll",
            ("airwars", "killed"): "civilians killed in the sources' range",
            ("airwars", "wounded"): "injured in the sources' range", ("acled", "killed"): "killed exact"}[(name, kind)]


if __name__ == "__main__":
    raise SystemExit(main())
