"""Claims and events against FA-KES (fakes-dev) and the bundled sample.

    .venv/bin/python bench/claims.py [--csv /work/shared/data/fakes-dev/fakes-dev.csv]

Per row (data README): the main event's killed total = nb_civilians + nb_noncivilians
(0 = none or not stated); ``location`` is the governorate; ``cause_of_death`` is compared
with our sub_event_type through CAUSE (rows with 'unknown' are not scored).
We score ``Doc.extra["main_event"]``: fatalities (None counts as 0) exact and within 10 %,
admin1 (folded, governorate aliases), and cause. Every row's outcome is written to
bench/results/fakes-rows.csv so misses can be read and judged (bench/results/fakes-misses.csv).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from veille.enrich import Doc, load_pipeline  # noqa: E402
from veille.enrich.lexicon import fold  # noqa: E402
from veille.records import Article  # noqa: E402

CAUSE = {
    "shelling": {"Air/drone strike", "Shelling/artillery/missile attack"},
    "explosion": {"Remote explosive/landmine/IED", "Suicide bomb", "Grenade"},
    "chemical and toxic gases": {"Chemical weapon"},
    "shooting": {"Armed clash", "Attack"},
    "execution": {"Attack"},
}
GOVERNORATE = {  # FA-KES spelling -> folded admin1 spellings we accept
    "aleppo": {"aleppo", "halab", "alep"}, "damascus": {"damascus", "rural damascus", "rif dimashq", "damascus countryside", "rif dimashq governorate", "dimashq"},
    "idlib": {"idlib", "idleb"}, "raqqa": {"raqqa", "ar raqqa", "ar raqqah", "raqqah", "al raqqah"},
    "deir ezzor": {"deir ez zor", "deir ezzor", "dayr az zawr", "deir el zor"}, "hasakeh": {"hasakah", "al hasakah", "hasakeh", "al hasakeh"},
    "hama": {"hama", "hamah"}, "homs": {"homs", "hims"}, "daraa": {"daraa", "dara a", "dara", "deraa"},
    "lattakia": {"latakia", "lattakia", "al ladhiqiyah", "lattaquie"}, "quneitra": {"quneitra", "al qunaytirah"},
}


def article_of(row: dict) -> Article:
    d = datetime.strptime(row["date"], "%m/%d/%y").date().isoformat() if row.get("date") else None
    return Article(id=f"fakes-{row['unit_id']}", text=row["article_content"], title=row["article_title"],
                   published_at=d, date_precision="day", language="en", outlet=row.get("source") or None)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", default="/work/shared/data/fakes-dev/fakes-dev.csv")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "fakes-rows.csv"))
    args = ap.parse_args()
    rows = list(csv.DictReader(open(args.csv, encoding="utf-8")))
    nlp = load_pipeline()
    if "events" not in nlp.names:
        print("the pipeline has no events component", file=sys.stderr)
        return 2
    out_rows, times = [], []
    n_exact = n_10 = n_gov = n_cause = n_cause_scored = 0
    for row in rows:
        t0 = time.perf_counter()
        doc = nlp(Doc(article=article_of(row)))
        times.append(time.perf_counter() - t0)
        ev = doc.extra.get("main_event")
        gold = int(row["nb_civilians"] or 0) + int(row["nb_noncivilians"] or 0)
        pred = (ev.fatalities or 0) if ev else 0
        exact = pred == gold
        within = abs(pred - gold) <= 0.1 * gold if gold else pred == 0
        admin1 = fold(ev.admin1) if ev and ev.admin1 else ""
        gov_ok = admin1 in GOVERNORATE.get(row["location"], {row["location"]})
        cause_ok = None
        if row["cause_of_death"] in CAUSE:
            n_cause_scored += 1
            cause_ok = bool(ev) and ev.sub_event_type in CAUSE[row["cause_of_death"]]
            n_cause += cause_ok
        n_exact += exact
        n_10 += within
        n_gov += gov_ok
        killed = [f"{c.number_text}|{c.subject}|{c.qualifier}|{'cum' if c.cumulative else ''}|{'/'.join(c.attributed_to)}"
                  for c in doc.claims if c.kind == "killed"]
        out_rows.append({"unit_id": row["unit_id"], "gold_killed": gold, "pred_killed": pred, "exact": int(exact),
                         "gold_location": row["location"], "pred_admin1": ev.admin1 if ev else "", "gov_ok": int(gov_ok),
                         "cause": row["cause_of_death"], "pred_sub_event": ev.sub_event_type if ev else "",
                         "cause_ok": "" if cause_ok is None else int(cause_ok), "killed_claims": " ;; ".join(killed),
                         "title": row["article_title"]})
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(out_rows[0]))
        w.writeheader()
        w.writerows(out_rows)
    n = len(rows)
    print(f"rows {n}")
    print(f"main_event.fatalities exact      {n_exact / n:.3f} ({n_exact}/{n})")
    print(f"main_event.fatalities within 10% {n_10 / n:.3f} ({n_10}/{n})")
    print(f"main_event.admin1 = location     {n_gov / n:.3f} ({n_gov}/{n})")
    print(f"cause_of_death ~ sub_event_type  {n_cause / max(1, n_cause_scored):.3f} ({n_cause}/{n_cause_scored}, 'unknown' rows not scored)")
    print(f"per article (whole pipeline)     median {statistics.median(times) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
