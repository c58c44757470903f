"""Main events on articles the rules were not written on: fatalities, governorate, sub-event type.

    .venv/bin/python bench/events_audit.py --gold GOLD.jsonl [--misses]

GOLD.jsonl: one article a line, ``{"url", "published_at", "title", "text", "lang" (default en), "gold": {"fatalities",
"admin1", "sub_event_type", "note"}}``, labelled by hand (ACLED's conservative figure for the event
the headline and lead are about). The audit set of BENCHMARKS.md (38 English news articles on Syria
and Iraq, quoted from news pages) is not shipped; this script says the format. Governorate names
are compared folded, with the spellings gazetteers differ on ("Idleb"/"Idlib", "Rif Dimashq"/"Rural
Damascus", "Ninewa"/"Nineveh", "Dara"/"Daraa" …) taken as one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from veille.enrich import Doc, load_pipeline  # noqa: E402
from veille.enrich.lexicon import fold  # noqa: E402
from veille.records import Article  # noqa: E402

SAME = [{"idlib", "idleb"}, {"rif dimashq", "rural damascus", "damascus countryside"}, {"deir ez zor", "deir ezzor", "dayr az zawr"},
        {"al hasakah", "al hasakeh", "hasakah", "hasakeh"}, {"ar raqqah", "ar raqqa", "raqqa", "raqqah"}, {"daraa", "dara", "deraa"},
        {"latakia", "lattakia", "al ladhiqiyah"}, {"as suwayda", "as sweida", "suwayda", "sweida"}, {"quneitra", "al qunaytirah"},
        {"nineveh", "ninewa", "ninawa", "nineveh governorate"}, {"anbar", "al anbar"}, {"erbil", "arbil", "irbil"},
        {"salah ad din", "salah al din", "saladin", "salahuddin"}, {"tartus", "tartous", "tartous governorate"}, {"south", "south lebanon", "al janub"}, {"nabatieh", "nabatiyeh", "an nabatiyah"},
        {"north", "north lebanon", "ash shamal"}, {"bekaa", "beqaa", "al biqa"}, {"taizz", "taiz"}, {"sadah", "saada"}, {"homs", "hims"}, {"hama", "hamah"}, {"aleppo", "halab"}]


def same_admin1(gold: str | None, pred: str | None) -> bool:
    g, p = fold(gold or "").replace(" governorate", ""), fold(pred or "").replace(" governorate", "")
    return g == p or any(g in s and p in s for s in SAME)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", required=True)
    ap.add_argument("--misses", action="store_true", help="print every miss")
    args = ap.parse_args()
    nlp = load_pipeline()
    rows = [json.loads(x) for x in open(args.gold, encoding="utf-8") if x.strip()]
    n = exact = within = gov = sub = 0
    for i, r in enumerate(rows):
        a = Article(id=f"ev-{i}", text=r["text"], title=r.get("title"), published_at=r.get("published_at"),
                    date_precision="day", language=r.get("lang") or "en")
        ev = nlp(Doc(article=a)).extra.get("main_event")
        g = r["gold"]
        fat = (ev.fatalities or 0) if ev else 0
        ok = (fat == g["fatalities"], abs(fat - g["fatalities"]) <= 0.1 * g["fatalities"] if g["fatalities"] else fat == 0,
              same_admin1(g["admin1"], ev.admin1 if ev else None), bool(ev) and ev.sub_event_type == g["sub_event_type"])
        n += 1
        exact, within, gov, sub = exact + ok[0], within + ok[1], gov + ok[2], sub + ok[3]
        if args.misses and not all(ok):
            print(f"#{i} {r.get('title')!r}: gold {g['fatalities']}/{g['admin1']}/{g['sub_event_type']} "
                  f"pred {fat}/{ev.admin1 if ev else None}/{ev.sub_event_type if ev else None}")
    print(f"articles {n}: fatalities exact {exact / n:.3f} ({exact}), within 10% {within / n:.3f} ({within}), "
          f"admin1 {gov / n:.3f} ({gov}), sub_event_type {sub / n:.3f} ({sub})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
