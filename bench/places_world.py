"""Event geography anywhere: the main event's place on ACLED (Burkina Faso), Airwars (Gaza) and FA-KES.

    PYTHONPATH=src .venv/bin/python bench/places_world.py [--folds 5] [--rows-out DIR]

Metrics (issue 12, data README of events-world-dev):
- ACLED Burkina notes: the main event's admin1 equal to ACLED's (folded), and its point within
  25 km of ACLED's; also (diagnostics) how many notes get a main event, its geo_precision equal to
  ACLED's, and the admin1 and point of the place the event builder gives the note whether or not it is
  typed as an event (the geography apart from event detection);
- Airwars Gaza reports: the main event's point within 10 km of Airwars' geolocation;
- FA-KES dev: the main event's admin1 equal to the row's governorate (the spellings of
  bench/claims.py).
Each set is also reported per fold (``--folds``): rows are assigned to folds by a hash of the
incident's id, so no incident is split, and the spread across folds says how much a figure
moves on another slice of the same source. Nothing here is fitted: the folds only measure spread.
Per-row outcomes go to ``--rows-out`` (default /tmp/veille-bench) — never into the repo,
since ACLED rows may not be redistributed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
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

DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "bench"))
from claims import GOVERNORATE  # noqa: E402


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    a = math.sin((lat2 - lat1) * p / 2) ** 2 + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def fold_id(key: str, k: int) -> int:
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % k


def main_event(nlp, art: Article):
    doc = nlp(Doc(article=art))
    return doc.extra.get("main_event")


def analysed(nlp, art: Article):
    """The main event and, event or not, the place the event builder would give the text's main event
    (separates the geography from event detection: a note typed as no event still names its place)."""
    from veille.enrich.event_places import article_country, country_level, event_places, main_place, near_reference
    from veille.enrich.events import registry_lookups

    doc = nlp(Doc(article=art))
    _, is_outlet = registry_lookups(None)
    sents = doc.sentences
    lead_end = sents[min(1, len(sents) - 1)][1] if sents else len(doc.text)
    country = article_country(doc, [], "")
    places, _, _ = event_places(doc, sents, is_outlet)
    place, geo = main_place([], places, "", doc.text, lead_end, "en", country)
    place, geo = near_reference(place, geo, doc, lead_end, "en", country)
    place, geo = country_level(place, geo, doc, lead_end, "en", country)
    return doc.extra.get("main_event"), place


def run_acled(nlp, rows_out: Path) -> list[dict]:
    out = []
    for line in (DATA / "events-world-dev" / "acled-burkina-dev.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        loc = r["location"]
        ev, place = analysed(nlp, Article(id=r["id"], text=r["text"], title=r.get("title"), language="en",
                                          published_at=r.get("date"), date_precision="day"))
        a1 = ev.admin1 if ev else None
        pa1 = place.admin1 if place else None
        d = km(loc["lat"], loc["lon"], ev.latitude, ev.longitude) if ev and ev.latitude is not None else None
        pd = km(loc["lat"], loc["lon"], place.lat, place.lon) if place and place.lat is not None else None
        out.append({"id": r["id"], "gold_admin1": loc["admin1"], "gold_admin2": loc["admin2"],
                    "gold_location": loc["location"], "gold_geo": loc["geo_precision"], "admin1": a1,
                    "admin2": getattr(ev, "admin2", None) if ev else None, "location": ev.location if ev else None,
                    "geo": ev.geo_precision if ev else None, "km": round(d, 1) if d is not None else "",
                    "admin1_ok": int(bool(a1) and fold(a1) == fold(loc["admin1"])),
                    "place_admin1": pa1, "place_admin1_ok": int(bool(pa1) and fold(pa1) == fold(loc["admin1"])),
                    "has_event": int(ev is not None), "geo_ok": int(ev is not None and ev.geo_precision == loc["geo_precision"]),
                    "place_ok": int(d is not None and d <= 25.0),
                    "place_km": round(pd, 1) if pd is not None else "",
                    "place_point_ok": int(pd is not None and pd <= 25.0)})
    _write(rows_out / "acled-burkina.csv", out)
    return out


def run_airwars(nlp, rows_out: Path) -> list[dict]:
    out = []
    for line in (DATA / "events-world-dev" / "airwars-gaza-dev.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        geo = (r["location"].get("geolocation") or "").split(",")
        if len(geo) != 2:
            continue
        glat, glon = float(geo[0]), float(geo[1])
        ev = main_event(nlp, Article(id=r["id"], text=r["text"], language="en", published_at=r.get("date"),
                                     date_precision="day"))
        d = km(glat, glon, ev.latitude, ev.longitude) if ev and ev.latitude is not None else None
        out.append({"id": r["id"], "gold_raw": r["location"].get("raw"), "location": ev.location if ev else None,
                    "admin1": ev.admin1 if ev else None, "km": round(d, 1) if d is not None else "",
                    "place_ok": int(d is not None and d <= 10.0)})
    _write(rows_out / "airwars-gaza.csv", out)
    return out


def run_fakes(nlp, rows_out: Path) -> list[dict]:
    out = []
    for row in csv.DictReader((DATA / "fakes-dev" / "fakes-dev.csv").open(encoding="utf-8")):
        d = datetime.strptime(row["date"], "%m/%d/%y").date().isoformat() if row.get("date") else None
        ev = main_event(nlp, Article(id=f"fakes-{row['unit_id']}", text=row["article_content"],
                                     title=row["article_title"], published_at=d, date_precision="day",
                                     language="en", outlet=row.get("source") or None))
        a1 = fold(ev.admin1) if ev and ev.admin1 else ""
        out.append({"id": row["unit_id"], "gold": row["location"], "admin1": ev.admin1 if ev else None,
                    "admin1_ok": int(a1 in GOVERNORATE.get(row["location"], {row["location"]}))})
    _write(rows_out / "fakes.csv", out)
    return out


def _write(path: Path, rows: list[dict]) -> None:
    if not rows:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def report(name: str, rows: list[dict], key: str, k: int) -> None:
    n = len(rows)
    hit = sum(r[key] for r in rows)
    folds = []
    for f in range(k):
        part = [r for r in rows if fold_id(str(r["id"]), k) == f]
        if part:
            folds.append(sum(r[key] for r in part) / len(part))
    spread = f"folds {min(folds):.2f}–{max(folds):.2f}, median {statistics.median(folds):.2f}" if folds else ""
    print(f"{name:<32} {hit}/{n} = {hit / n:.3f}   ({spread})")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--rows-out", default="/tmp/veille-bench")
    ap.add_argument("--only", choices=["acled", "airwars", "fakes"], action="append")
    args = ap.parse_args()
    rows_out = Path(args.rows_out)
    t0 = time.perf_counter()
    nlp = load_pipeline()
    only = set(args.only or ["acled", "airwars", "fakes"])
    if "acled" in only:
        rows = run_acled(nlp, rows_out)
        report("ACLED Burkina admin1", rows, "admin1_ok", args.folds)
        report("ACLED Burkina point ≤ 25 km", rows, "place_ok", args.folds)
        report("  (notes with a main event)", rows, "has_event", args.folds)
        report("  (geo_precision = ACLED's)", rows, "geo_ok", args.folds)
        report("  (note's place admin1, event or not)", rows, "place_admin1_ok", args.folds)
        report("  (note's place ≤ 25 km, event or not)", rows, "place_point_ok", args.folds)
    if "airwars" in only:
        rows = run_airwars(nlp, rows_out)
        report("Airwars Gaza point ≤ 10 km", rows, "place_ok", args.folds)
    if "fakes" in only:
        rows = run_fakes(nlp, rows_out)
        report("FA-KES governorate", rows, "admin1_ok", args.folds)
    print(f"({time.perf_counter() - t0:.0f} s; rows in {rows_out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
