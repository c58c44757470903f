"""Places on FA-KES dev rows (English, Syrian war): governorate agreement and a precision sample.

Metric 1: share of rows whose annotated `location` (governorate, lower case) is the admin1 of
at least one place veille finds in the article (title + content).
Metric 2: precision — a fixed random sample of found places (seed 4) written to
bench/results/places-precision.csv for hand judgement (column `correct` filled by a reviewer).

    .venv/bin/python bench/places.py [--sample 100]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from veille.enrich import Doc, load_pipeline  # noqa: E402
from veille.records import Article  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "fakes-dev" / "fakes-dev.csv"
GOVERNORATES = {  # FA-KES spelling → ACLED admin1 ("damascus" covers the city and its countryside)
    "aleppo": {"Aleppo"}, "damascus": {"Damascus", "Rural Damascus"}, "idlib": {"Idleb"}, "raqqa": {"Ar-Raqqa"},
    "deir ezzor": {"Deir-ez-Zor"}, "hasakeh": {"Al-Hasakeh"}, "hama": {"Hama"}, "homs": {"Homs"},
    "daraa": {"Dara"}, "lattakia": {"Lattakia"}, "quneitra": {"Quneitra"}, "tartus": {"Tartous"},
    "sweida": {"As-Sweida"}, "suwayda": {"As-Sweida"},
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=100)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "places-precision.csv"))
    args = ap.parse_args()
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    nlp = load_pipeline()
    hits = 0
    misses = []
    found = []
    t0 = time.perf_counter()
    for row in rows:
        text = f"{row['article_title']}.\n\n{row['article_content']}"
        doc = nlp(Doc(article=Article(id=row["unit_id"], text=text, language="en")))
        admins = {p.admin1 for p in doc.places}
        gold = GOVERNORATES.get(row["location"].strip().lower(), {row["location"]})
        if admins & gold:
            hits += 1
        else:
            misses.append((row["unit_id"], row["location"], sorted(a for a in admins if a)))
        for p in doc.places:
            found.append((row["unit_id"], text[p.start:p.end], p.name, p.country, p.admin1, p.lat, p.lon,
                          text[max(0, p.start - 60):p.end + 40].replace("\n", " ")))
    dt = time.perf_counter() - t0
    print(f"rows {len(rows)}  governorate agreement {hits}/{len(rows)} = {hits / len(rows):.3f}  ({dt:.1f}s)")
    for m in misses:
        print("  miss", *m)
    rnd = random.Random(4)
    sample = rnd.sample(found, min(args.sample, len(found)))
    out = Path(args.out)
    old = {}
    if out.exists():  # keep earlier judgements for identical rows
        for r in csv.DictReader(out.open(encoding="utf-8")):
            old[(r["unit_id"], r["surface"], r["context"])] = (r.get("correct", ""), r.get("note", ""))
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["unit_id", "surface", "name", "country", "admin1", "lat", "lon", "context", "correct", "note"])
        for r in sample:
            w.writerow([*r, *old.get((r[0], r[1], r[7]), ("", ""))])
    print(f"places found {len(found)}; sample of {len(sample)} written to {out}")


if __name__ == "__main__":
    main()
