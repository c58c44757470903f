"""Learn the story linker's model (``src/veille/data/link_model.json``) and cross-validate it.

    PYTHONPATH=src .venv/bin/python bench/stories_train.py           # cross-validated figures
    PYTHONPATH=src .venv/bin/python bench/stories_train.py --write   # + train on all, write the model

Data: the GVA and BASIL dev sets, enriched by the real pipeline (``stories_data.py``), always
*together* — no weight or threshold is fitted to one set alone.

Training pairs come from the production code itself: ``link.link_articles`` runs with the
gold story as the decision (teacher forcing), recording, for every article, the evidence
(``cluster.pair_features``) against each candidate its blocking keys reach; the label says
whether the candidate is its gold story. The model is the decision the linker makes: a
*conditional logit* over each article's choices — every candidate story its keys reach, and
"a new story" (utility 0) — so each article weighs once, whatever the number of candidates a
busy day gives it (a pairwise logistic regression over all article–candidate pairs, used before,
is dominated by the busiest days' easy negatives and under-joins: held-out GVA pair F1 0.738 →
0.758 with the same features and enrichment, see BENCHMARKS.md). L2, Newton's method with a
backtracking line search, features standardised. Two models: one with every feature (same
language), one without the word features (across languages, where they are 0 by construction).
The decision threshold is not fitted: it is the choice model's own — an article joins its best
candidate when joining it beats a new story (utility > 0, i.e. the logistic of the utility
> 0.5, the ``threshold`` the model file keeps).

Cross-validation, folds that never split an incident or a story: GVA by the month of an
incident's first article (October / November 2016: train on one month, test on the other),
BASIL by the parity of a story's rank in date order. The held-out fold is linked by the real
``link_store`` with the fold's model; pair P/R/F1 as in the data README (copies refused at
ingest count in their original's story).
"""

from __future__ import annotations

import json
import sys
import tempfile
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories_data import ROOT, build_store, enriched, predicted  # noqa: E402

MODEL = ROOT / "src" / "veille" / "data" / "link_model.json"
L2 = 1.0


def pair_scores(gold: dict, pred: dict) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for a, b in combinations(sorted(gold), 2):
        g = gold[a] == gold[b]
        p = a in pred and b in pred and pred[a] == pred[b]
        tp += g and p
        fp += p and not g
        fn += g and not p
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def busy_scores(recs: list[dict], pred: dict) -> dict:
    """The busy beat, GVA: article pairs of *different* incidents in the same city whose
    incident dates are at most 3 days apart (``city``), or on the same day anywhere
    (``same_day``) — the share wrongly put in one story; and the pair recall of the incidents
    that have such a neighbour (``busy_recall``)."""
    from datetime import date

    rows = [r["row"] for r in recs]
    def place(r):
        loc = r.get("location") or {}
        return (loc.get("admin1"), loc.get("city_or_county"))
    day = {r["id"]: date.fromisoformat(r["incident_date"][:10]).toordinal() for r in rows}
    city = {r["id"]: place(r) for r in rows}
    gold = {r["id"]: r["story_id"] for r in rows}
    busy_inc = set()
    n_city = m_city = n_day = m_day = 0
    for a, b in combinations(sorted(gold), 2):
        if gold[a] == gold[b]:
            continue
        same = a in pred and b in pred and pred[a] == pred[b]
        if city[a] == city[b] and abs(day[a] - day[b]) <= 3:
            n_city += 1
            m_city += same
            busy_inc |= {gold[a], gold[b]}
        if day[a] == day[b]:
            n_day += 1
            m_day += same
    tp = fn = 0
    for a, b in combinations(sorted(gold), 2):
        if gold[a] == gold[b] and gold[a] in busy_inc:
            ok = a in pred and b in pred and pred[a] == pred[b]
            tp += ok
            fn += not ok
    return {"city_pairs": n_city, "city_merged": m_city, "same_day_pairs": n_day, "same_day_merged": m_day,
            "busy_incidents": len(busy_inc), "busy_recall": tp / (tp + fn) if tp + fn else 1.0}


def folds() -> dict[str, dict[int, list[dict]]]:
    """{set: {fold: records}}: GVA by the month of the incident's first article, BASIL by parity."""
    out = {}
    gva = enriched("gva")
    first: dict[str, str] = {}
    for r in sorted(gva, key=lambda r: (r["row"]["date"], r["row"]["id"])):
        first.setdefault(r["row"]["story_id"], r["row"]["date"][:7])
    months = sorted(set(first.values()))
    out["gva"] = {k: [r for r in gva if first[r["row"]["story_id"]] == m] for k, m in enumerate(months)}
    basil = enriched("basil")
    rank: dict[str, int] = {}
    for r in sorted(basil, key=lambda r: (r["row"]["date"], r["row"]["id"])):
        rank.setdefault(r["row"]["story_id"], len(rank))
    out["basil"] = {k: [r for r in basil if rank[r["row"]["story_id"]] % 2 == k] for k in (0, 1)}
    return out


def gold_of(recs: list[dict]) -> dict[str, str]:
    return {r["row"]["id"]: r["row"]["story_id"] for r in recs}


def teacher_choices(recs: list[dict]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per article, in linking order: (features of each candidate, 1 for its gold story)."""
    from veille.link import _pending, link_articles
    from veille.link.state import LinkState

    gold = gold_of(recs)
    record: list = []
    with tempfile.TemporaryDirectory() as tmp:
        store = build_store(recs, Path(tmp) / "t.db")
        with store.transaction():
            state = LinkState(store)
            link_articles(store, _pending(store, state), state=state,
                          decide=lambda f, cands: ("gold:" + gold[f.id], 1.0), record=record)
        store.close()
    from veille.link.cluster import FEATURES

    out = []
    for f, cands in record:
        if not cands:
            continue  # nothing to choose: a new story whatever the model
        X = np.array([x for _sid, x, _cross in cands], dtype=float).reshape(len(cands), len(FEATURES))
        y = np.array([sid == "gold:" + gold[f.id] for sid, _x, _cross in cands], dtype=float)
        out.append((X, y))
    return out


def fit_choice(groups: list[tuple[np.ndarray, np.ndarray]], names: list[str]) -> dict:
    """Conditional logit: per article, P(candidate s) = exp(u_s) / (1 + Σ exp(u)), the 1 being a
    new story; u = bias + w · standardised features. Returns the model file's dict."""
    from veille.link.cluster import FEATURES

    cols = [FEATURES.index(n) for n in names]
    allx = np.vstack([X[:, cols] for X, _y in groups])
    mu, sd = allx.mean(0), allx.std(0)
    sd[sd < 1e-9] = 1.0
    Zs = [(np.hstack([(X[:, cols] - mu) / sd, np.ones((len(X), 1))]), y) for X, y in groups]
    d = len(cols) + 1
    reg = np.r_[np.full(len(cols), L2), 0.0]

    def loss(w):
        total = 0.5 * float(reg @ (w * w))
        for Z, y in Zs:
            u = Z @ w
            m = max(0.0, float(u.max()))
            total += m + np.log(np.exp(-m) + np.exp(u - m).sum()) - float(u @ y)
        return total

    w = np.zeros(d)
    current = loss(w)
    for _ in range(100):
        g = reg * w
        H = np.diag(reg) + 1e-9 * np.eye(d)
        for Z, y in Zs:
            u = Z @ w
            m = max(0.0, float(u.max()))
            e = np.exp(u - m)
            p = e / (np.exp(-m) + e.sum())
            mean = p @ Z
            g += mean - y @ Z
            H += (Z * p[:, None]).T @ Z - np.outer(mean, mean)
        step = np.linalg.solve(H, g)
        t = 1.0
        while True:  # backtracking: Newton's full step can overshoot on separable data
            new = loss(w - t * step)
            if new <= current or t < 1e-6:
                break
            t /= 2
        w = w - t * step
        done = current - new < 1e-9
        current = new
        if done:
            break
    return {"features": names, "mean": [round(float(x), 6) for x in mu], "scale": [round(float(x), 6) for x in sd],
            "weights": [round(float(x), 6) for x in w[:-1]], "bias": round(float(w[-1]), 6)}


def train(parts: list[list[dict]]) -> dict:
    from veille.link.cluster import FEATURES, LEXICAL

    groups = [g for recs in parts for g in teacher_choices(recs)]
    return {"same_language": fit_choice(groups, list(FEATURES)),
            "cross_language": fit_choice(groups, [n for n in FEATURES if n not in LEXICAL]),
            "threshold": 0.5, "trained_on": {"articles_with_candidates": len(groups),
                                             "joining_a_story": int(sum(y.any() for _X, y in groups)),
                                             "pairs": int(sum(len(y) for _X, y in groups))}}


def cluster(recs: list[dict], model_dict: dict) -> dict:
    from veille.link import link_store
    from veille.link.cluster import Model

    with tempfile.TemporaryDirectory() as tmp:
        store = build_store(recs, Path(tmp) / "c.db")
        with store.transaction():
            link_store(store, model=Model.from_dict(model_dict))
        pred = predicted(store)
        store.close()
    return pred


def main(argv: list[str]) -> None:
    data = folds()
    rows = []
    for k in (0, 1):
        train_parts = {name: [r for j, fold in sets.items() if j != k for r in fold] for name, sets in data.items()}
        model = train(list(train_parts.values()))
        for name, sets in data.items():
            test = sets[k]
            pred = cluster(test, model)
            p, r, f = pair_scores(gold_of(test), pred)
            rows.append((name, k, len(test), model["threshold"], p, r, f))
            print(f"{name} fold {k} ({len(test)} articles, threshold {model['threshold']}): P {p:.3f} R {r:.3f} F1 {f:.3f}", flush=True)
            if name == "gva":
                b = busy_scores(test, pred)
                print(f"  busy beat: {b['city_merged']}/{b['city_pairs']} pairs of different incidents, same city, <= 3 days "
                      f"apart merged; {b['same_day_merged']}/{b['same_day_pairs']} same-day pairs merged; pair recall "
                      f"{b['busy_recall']:.3f} on the {b['busy_incidents']} incidents with such a neighbour", flush=True)
    for name in data:
        fs = [x[6] for x in rows if x[0] == name]
        print(f"{name}: mean held-out pair F1 {np.mean(fs):.3f}")
    if "--write" in argv:
        all_parts = {name: [r for fold in sets.values() for r in fold] for name, sets in data.items()}
        model = train(list(all_parts.values()))
        MODEL.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL} (threshold {model['threshold']})")


if __name__ == "__main__":
    main(sys.argv[1:])
