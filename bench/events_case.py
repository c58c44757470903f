"""Event typing against CASE 2021 (25 ACLED sub-types + 5 non-ACLED kinds) and ACLED's Burkina Faso notes.

    PYTHONPATH=src .venv/bin/python bench/events_case.py [--folds 5] [--out bench/results/events-case.csv]

The main figures are the pipeline's English path: concepts + the parse's role features + the sentence
vector (``W_roles``); "without the parse" is the model of Arabic spans (``W``), cross-validated alike.

CASE 2021 (``case2021-dev.jsonl``, 264 snippets): the model of ``scripts/train_event_types.py`` is
retrained per fold on the written sentences + the other folds' snippets, and types the fold's own
snippets, which it never saw. Folds never split an incident: snippets whose sentence vectors are
closer than 0.8 (cosine) are one group. Also reported: the written sentences alone (no snippet in
training at all) and the rule cues veille used before (``events.classify``), as "today".
Non-ACLED kinds (natural/man-made disasters, organised crime, diplomacy, claims of responsibility):
the model may answer one of them, which yields no event; both directions are counted.
Burkina Faso (``acled-burkina-dev.jsonl``, 79 ACLED notes): the shipped model types each note
(event_type and sub_event_type vs ACLED's coding). ACLED rows never train anything.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from veille.enrich import event_types as et  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "events-world-dev"


def groups_of(vectors: np.ndarray, threshold: float = 0.8) -> list[int]:
    n = len(vectors)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    sims = vectors @ vectors.T
    for i in range(n):
        for j in range(i + 1, n):
            if sims[i, j] > threshold:
                parent[find(i)] = find(j)
    return [find(i) for i in range(n)]


def old_rules(text: str) -> str | None:
    try:
        from veille.enrich.events import classify
    except ImportError:
        return None
    hit = classify(text, "en")
    return et.BY_SUB.get(hit[1]) if hit else None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "events-case.csv")
    args = ap.parse_args()
    rows = [json.loads(line) for line in (DATA / "case2021-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    written = et.read_sentences()
    index = {label: i for i, label in enumerate(et.LABELS)}
    texts = [r["text"] for r in rows]
    t0 = time.perf_counter()
    vc = et.embed(texts)
    t_embed = (time.perf_counter() - t0) / len(texts)
    t0 = time.perf_counter()
    Fc = et.features(texts, ["en"] * len(texts), vc)
    t_lex = (time.perf_counter() - t0) / len(texts)
    Fw = et.features([w[2] for w in written], [w[1] for w in written])
    Fc_plain, Fw_plain = Fc, Fw  # without the parse: the model of Arabic spans (W)
    tokens_c = et.parse_tokens(texts, ["en"] * len(texts))  # the parse the pipeline has in Doc.tokens
    t0 = time.perf_counter()
    Fc = et.features(texts, ["en"] * len(texts), vc, tokens_c)
    t_roles = (time.perf_counter() - t0) / len(texts) - t_lex
    Fw = et.features([w[2] for w in written], [w[1] for w in written],
                     tokens=et.parse_tokens([w[2] for w in written], [w[1] for w in written]))
    yc = np.array([index[r["event_subtype"]] for r in rows])
    yw = np.array([index[w[0]] for w in written])
    no_event = index["NO_EVENT"]  # every snippet reports something: the model's "nothing" is not an answer here

    R = slice(et.lex_size(), et.lex_size() + et.role_size())  # the role features' columns of the parsed model's input

    def codebook(P, F):
        """What EventTyper.type does after the model on a parsed span: the codebook's territory rule."""
        return np.stack([et.territory_by_codebook(p, et.role_names(f[R]), et.LABELS) for p, f in zip(P, F)])

    def predict(W, F, parsed=True):
        P = et.probabilities(W, F)
        P[:, no_event] = 0.0
        return (codebook(P, F) if parsed else P).argmax(axis=1)

    groups = groups_of(vc)
    order = sorted(set(groups), key=lambda g: min(i for i, x in enumerate(groups) if x == g))
    fold = np.array([order.index(g) % args.folds for g in groups])
    pred = np.zeros(len(rows), dtype=int)
    pred_plain = np.zeros(len(rows), dtype=int)
    L = et.lex_size()
    P_full = np.zeros((len(rows), len(et.LABELS)))
    P_lex = np.zeros((len(rows), len(et.LABELS)))
    P_raw = np.zeros((len(rows), len(et.LABELS)))  # out of fold, "no event" kept: what the pipeline's decide reads
    for f in range(args.folds):
        tr = fold != f
        X, y = np.vstack([Fw, Fc[tr]]), np.r_[yw, yc[tr]]
        W = et.train(X, y, len(et.LABELS))
        pred[~tr] = predict(W, Fc[~tr])
        P_raw[~tr] = codebook(et.probabilities(W, Fc[~tr]), Fc[~tr])
        pred_plain[~tr] = predict(et.train(np.vstack([Fw_plain, Fc_plain[tr]]), y, len(et.LABELS)), Fc_plain[~tr], False)
        W_lex = et.train(X[:, :L], y, len(et.LABELS))
        for P_, W_, F_ in ((P_full, W, Fc[~tr]), (P_lex, W_lex, Fc[~tr][:, :L])):
            Pf = et.probabilities(W_, F_)
            Pf[:, no_event] = 0.0
            P_[~tr] = Pf / Pf.sum(axis=1, keepdims=True)
    written_only = predict(et.train(Fw, yw, len(et.LABELS)), Fc)
    before = [old_rules(t) for t in texts]

    gold = [r["event_subtype"] for r in rows]
    got = [et.LABELS[k] for k in pred]
    acled = [i for i, g in enumerate(gold) if et.ACLED[g] is not None]
    non = [i for i, g in enumerate(gold) if et.ACLED[g] is None]

    def acc(p, idx):
        return sum(p[i] == gold[i] for i in idx) / len(idx)
    every = range(len(rows))
    print(f"CASE 2021 dev, {len(rows)} snippets, {len(set(groups))} incident groups, {args.folds} folds")
    print(f"  cross-validated (written sentences + other folds): all {acc(got, every):.3f}  "
          f"25 ACLED classes {acc(got, acled):.3f} ({len(acled)})  non-ACLED {acc(got, non):.3f} ({len(non)})")
    pl = [et.LABELS[k] for k in pred_plain]
    print(f"  same, without the parse (W: Arabic spans):        all {acc(pl, every):.3f}  "
          f"25 ACLED classes {acc(pl, acled):.3f}  non-ACLED {acc(pl, non):.3f}")
    wo = [et.LABELS[k] for k in written_only]
    print(f"  written sentences only (no snippet trains):       all {acc(wo, every):.3f}  "
          f"25 ACLED classes {acc(wo, acled):.3f}  non-ACLED {acc(wo, non):.3f}")
    bf = [b or "NONE" for b in before]
    print(f"  rule cues before (events.classify):                all {acc(bf, every):.3f}  "
          f"25 ACLED classes {acc(bf, acled):.3f}")
    print("  concepts alone where sure (no vector computed), cross-validated: threshold -> share decided by "
          "concepts, accuracy of those (full model on the same), accuracy overall")
    for tau in (0.6, 0.7, 0.8, 0.9, et.LEX_DECISIVE):
        sure = P_lex.max(axis=1) >= tau
        hyb = np.where(sure, P_lex.argmax(axis=1), P_full.argmax(axis=1))
        gl = np.array([index[g] for g in gold])
        a_sure = (hyb[sure] == gl[sure]).mean() if sure.any() else float("nan")
        f_sure = (P_full.argmax(axis=1)[sure] == gl[sure]).mean() if sure.any() else float("nan")
        print(f"    {tau:.2f}{' (shipped)' if tau == et.LEX_DECISIVE else ''}: {sure.mean():.2f} decided by concepts, "
              f"{a_sure:.3f} ({f_sure:.3f}), overall {(hyb == gl).mean():.3f}")
        agree = sure & np.array([b is not None and index.get(b) == k for b, k in zip(before, P_lex.argmax(axis=1))])
        hyb = np.where(agree, P_lex.argmax(axis=1), P_full.argmax(axis=1))
        print(f"          and the cue table agrees: {agree.mean():.2f} decided by concepts, "
              f"{(hyb[agree] == gl[agree]).mean() if agree.any() else float('nan'):.3f} "
              f"({(P_full.argmax(axis=1)[agree] == gl[agree]).mean() if agree.any() else float('nan'):.3f}), overall {(hyb == gl).mean():.3f}")
    etype_ok = sum((et.ACLED[g] or (None,))[0] == (et.ACLED[p] or (None,))[0] for g, p in zip(gold, got)) / len(rows)
    print(f"  event_type (6 types + none), cross-validated:      {etype_ok:.3f}")
    as_event = sum(et.ACLED[got[i]] is not None for i in non)
    missed = sum(et.ACLED[got[i]] is None for i in acled)
    print(f"  non-ACLED snippets typed as an ACLED event: {as_event}/{len(non)}; ACLED snippets typed as no event: {missed}/{len(acled)}")
    print(f"  time per snippet: sentence vector {1000 * t_embed:.1f} ms, concepts {1000 * t_lex:.2f} ms, "
          f"role features (parse given) {1000 * max(t_roles, 0):.2f} ms")
    # detection as the pipeline decides it (event_types.decide): the cue table's hit, the out-of-fold typing,
    # the parse's act of force; "before": the model alone needed its top sub-type at p >= 0.5 (no act rule)
    for name, use_act in (("top sub-type >= 0.5 only (before)", False), ("with the act of force (now)", True)):
        made = [et.decide(et.make_typing(P_raw[i], et.LABELS, act=use_act and et.act_of_force(Fc[i, R])),
                          et.classify(texts[i], "en"), texts[i], "en") for i in every]
        print(f"  detection through decide, cross-validated, {name}: ACLED snippets with an event "
              f"{sum(made[i] is not None for i in acled)}/{len(acled)}, non-ACLED with an event "
              f"{sum(made[i] is not None for i in non)}/{len(non)}, sub-type right {sum(bool(made[i]) and et.BY_SUB.get(made[i][1]) == gold[i] for i in acled)}/{len(acled)}")
    conf = Counter((g, p) for g, p in zip(gold, got) if g != p)
    print("  most frequent confusions (gold -> predicted):")
    for (g, p), k in conf.most_common(12):
        print(f"    {k}  {g} -> {p}")
    print("  per class (right/total): " + ", ".join(
        f"{lab} {sum(1 for i in every if gold[i] == lab and got[i] == lab)}/{gold.count(lab)}"
        for lab in et.LABELS if lab in gold))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    labels = [lab for lab in et.LABELS if lab in gold or lab in got]
    with args.out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["gold \\ predicted"] + labels)
        for g in labels:
            w.writerow([g] + [sum(1 for a, b in zip(gold, got) if a == g and b == p) for p in labels])

    burkina = DATA / "acled-burkina-dev.jsonl"
    if burkina.exists():
        notes = [json.loads(line) for line in burkina.read_text(encoding="utf-8").splitlines()]
        typer = et.default_typer()
        ntexts = [n["text"] for n in notes]
        typed = typer.type(ntexts, ["en"] * len(notes), exclude=("NO_EVENT",),
                           tokens=et.parse_tokens(ntexts, ["en"] * len(notes)))
        n_type = sum(t.event_type == n["event_type"] for t, n in zip(typed, notes))
        n_sub = sum(t.sub_event_type == n["sub_event_type"] for t, n in zip(typed, notes))
        print(f"ACLED Burkina Faso notes ({len(notes)}), shipped model: event_type {n_type}/{len(notes)} = {n_type / len(notes):.3f}, "
              f"sub_event_type {n_sub}/{len(notes)} = {n_sub / len(notes):.3f}")
        bc = Counter((n["sub_event_type"], t.sub_event_type or t.label) for t, n in zip(typed, notes) if t.sub_event_type != n["sub_event_type"])
        for (g, p), k in bc.most_common(8):
            print(f"    {k}  {g} -> {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
