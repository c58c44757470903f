"""Main-event tolls on every development set that carries one: FA-KES, GVA (stories-dev), Airwars and ACLED
(events-world-dev).

    PYTHONPATH=src .venv/bin/python bench/claims_world.py [--sets fakes,gva,airwars,acled] [--folds 5]

Per set (the targets of issue 14):
- FA-KES: main-event fatalities = nb_civilians + nb_noncivilians, exact;
- Airwars: fatalities within the sources' civilian range [killed, killed_max] (rows with a known toll);
- GVA: articles about an incident with deaths whose main-event fatalities equal the incident's toll; articles
  with injuries whose main-event injured equal the incident's; also "any killed claim equals the toll";
- ACLED: fatalities exact.
These are the shipped model's figures on rows it was trained on (FA-KES, GVA, Airwars; ACLED never is): the
cross-validated figures (folds by incident) come from ``bench/train_tolls.py``. ``--no-parse`` runs wave 1's
NER-only pass (the cue reader alone) for the time the parser adds.
Per-row outcomes go to bench/results/tolls-rows.csv.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import devsets  # noqa: E402
from veille.enrich import Doc, load_pipeline  # noqa: E402
from veille.settings import Settings  # noqa: E402


def _injured(doc) -> int | None:
    ev = doc.extra.get("main_event") or doc.extra.get("article_toll")  # no event coded: the article's tolls
    return getattr(ev, "injured", None) if ev is not None else None


def run(rows, nlp, scorer_for=None):
    out = []
    for row in rows:
        if scorer_for is not None:
            scorer_for(row)
        t0 = time.perf_counter()
        doc = nlp(Doc(article=row.article))
        dt = time.perf_counter() - t0
        ev = doc.extra.get("main_event")
        killed = ev.fatalities if ev else getattr(doc.extra.get("article_toll"), "killed", None)
        injured = _injured(doc)
        claims_k = {int(c.min) for c in doc.claims if c.kind == "killed" and not c.cumulative and c.min is not None}
        claims_w = {int(c.min) for c in doc.claims if c.kind == "wounded" and not c.cumulative and c.min is not None}
        out.append({"set": row.set, "id": row.article.id, "group": row.group, "gold_killed": row.killed,
                    "gold_killed_max": row.killed_max, "gold_injured": row.injured, "pred_killed": killed,
                    "pred_injured": injured, "killed_ok": int(row.killed_ok(killed)),
                    "any_killed_claim_ok": int(row.killed is not None and row.killed in claims_k),
                    "any_wounded_claim_ok": int(row.injured is not None and row.injured in claims_w),
                    "ms": round(dt * 1000, 1),
                    "killed_claims": " ;; ".join(f"{c.number_text}|{c.min}|{c.subject}|{'/'.join(c.attributed_to)}"
                                                 for c in doc.claims if c.kind == "killed")[:400]})
    return out


def report(out) -> None:
    by = defaultdict(list)
    for r in out:
        by[r["set"]].append(r)

    def frac(xs, key):
        n = len(xs)
        k = sum(int(x[key]) for x in xs)
        return f"{k}/{n} = {k / n:.3f}" if n else "–"

    for name, rs in by.items():
        print(f"== {name} ({len(rs)} rows)")
        if name == "fakes":
            print("  fatalities exact                 ", frac(rs, "killed_ok"))
        elif name == "airwars":
            known = [r for r in rs if r["gold_killed"] is not None]
            print("  fatalities in the sources' range ", frac(known, "killed_ok"), "(rows with a known toll)")
            unk = [r for r in rs if r["gold_killed"] is None]
            print("  unknown toll rows, fatalities 0/None", f"{sum(1 for r in unk if not r['pred_killed'])}/{len(unk)}")
        elif name == "gva":
            dead = [r for r in rs if r["gold_killed"]]
            print("  with deaths: fatalities = toll   ", frac(dead, "killed_ok"))
            print("  with deaths: a killed claim = toll", frac(dead, "any_killed_claim_ok"))
            hurt = [r for r in rs if r["gold_injured"]]
            for r in hurt:
                r["inj_ok"] = int(r["pred_injured"] == r["gold_injured"])
            print("  with injuries: injured = toll    ", frac(hurt, "inj_ok"))
            print("  with injuries: a wounded claim = toll", frac(hurt, "any_wounded_claim_ok"))
            none = [r for r in rs if not r["gold_killed"]]
            print("  no deaths: fatalities 0/None     ", f"{sum(1 for r in none if not r['pred_killed'])}/{len(none)}")
        else:
            print("  fatalities exact                 ", frac(rs, "killed_ok"))
        print(f"  per article median {statistics.median(r['ms'] for r in rs):.0f} ms")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="fakes,gva,airwars,acled")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "tolls-rows.csv"))
    ap.add_argument("--no-parse", action="store_true", help="NER-only spaCy pass: the cue reader alone (wave 1's)")
    ap.add_argument("--limit", type=int, default=0, help="the first N rows of each set (timing runs)")
    args = ap.parse_args()
    rows = devsets.load(tuple(args.sets.split(",")))
    if args.limit:
        by_set: dict[str, list] = {}
        for r in rows:
            by_set.setdefault(r.set, []).append(r)
        rows = [r for rs in by_set.values() for r in rs[:args.limit]]
    nlp = load_pipeline(Settings(parse=not args.no_parse))
    out = run(rows, nlp)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=[k for k in out[0] if k != "inj_ok"], extrasaction="ignore")
        w.writeheader()
        w.writerows(out)
    report(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
