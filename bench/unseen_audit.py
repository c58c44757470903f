"""Claims and events on text nobody on the team read while writing the readers (the unseen audit).

    .venv/bin/python bench/unseen_audit.py --claims CLAIMS.jsonl --events EVENTS.jsonl [--misses]

The gold sets are quotations of news pages (not shipped): sentences and short items from many
countries and outlets in English, French and Arabic, labelled by a reviewer who never read the
code, the tests or the development data. Formats:

- claims: one sentence a line, ``{"id", "lang", "text", "figures": [{"number_text", "kind", "min",
  "max", "qualifier", "subject", "speakers", "cumulative"}]}``; ``kind`` is a casualty kind (killed,
  wounded, missing, abducted, displaced, arrested, detained), ``other-count`` or ``not-a-casualty``
  (ages, times, addresses, vehicles… that must give no claim).
- events: one item a line, ``{"id", "lang", "title", "text", "published_at", "event": {"event_type",
  "sub_event_type", "country", "admin1", "location", "fatalities"}}``; ``event_type`` "none" for what
  ACLED does not code (a disaster, an accident, a visit).

Scoring. Claims: a gold casualty figure is *found* when a claim of its sentence has the same bounds
(the same minimum and maximum, an open maximum for "at least"), else leniently the same minimum; over
found figures, kind (detained = arrested) and speakers (same length, each equal after folding or one
holding the other). Precision: claims of a casualty kind that match no gold casualty figure are
spurious (a claim read from an age, a time, a vehicle count…). Events: the main event of title + text
against the gold event — detection (an event iff gold is not "none"), event type and sub-event type
(a missing event counts wrong), country, admin1 (folded; one name holding the other counts), and
fatalities exact (no event or no figure = 0).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from veille.enrich import analyze_article, load_pipeline  # noqa: E402
from veille.records import Article  # noqa: E402
from veille.settings import Settings  # noqa: E402

CASUALTY = {"killed", "wounded", "missing", "abducted", "displaced", "arrested", "detained", "kidnapped"}
SAME_KIND = {"detained": "arrested", "kidnapped": "abducted"}


def fold(s: str | None) -> str:
    s = "".join(c for c in unicodedata.normalize("NFKD", (s or "").lower()) if not unicodedata.combining(c))
    s = re.sub(r"[^\w\s]", " ", s)
    s = re.sub(r"\b(?:the|al|el|province|region|governorate|state|oblast|district|of)\b", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _kind(k: str | None) -> str | None:
    return SAME_KIND.get(k or "", k)


def _speakers_ok(gold: list[str], pred: tuple[str, ...]) -> bool:
    if len(gold) != len(pred):
        return False
    for g, p in zip(gold, pred):
        fg, fp = fold(g), fold(p)
        if not (fg == fp or (fg and fp and (fg in fp or fp in fg))):
            return False
    return True


def score_claims(path: Path, nlp, misses: bool) -> dict:
    per_lang: dict[str, Counter] = defaultdict(Counter)
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        lang = item.get("lang") or "en"
        art = Article(id=item["id"], text=item["text"], language=lang)
        claims = [c for c in analyze_article(art, nlp).claims if c.kind in CASUALTY or c.kind == "casualties"]
        gold = [f for f in item["figures"] if f["kind"] in CASUALTY]
        used: set[int] = set()
        c = per_lang[lang]
        for g in gold:
            c["gold"] += 1
            exact = [i for i, p in enumerate(claims) if i not in used and p.min == g["min"] and p.max == g["max"]]
            loose = [i for i, p in enumerate(claims) if i not in used and p.min == g["min"]]
            pick = (exact or loose or [None])[0]
            if pick is None:
                if misses:
                    print(f"MISS {item['id']}: {g['number_text']!r} {g['kind']} {g['min']}-{g['max']}")
                continue
            used.add(pick)
            p = claims[pick]
            c["found"] += 1
            c["exact_bounds"] += bool(exact)
            c["kind"] += _kind(p.kind) == _kind(g["kind"])
            c["speakers"] += _speakers_ok(g.get("speakers") or [], p.attributed_to)
            c["cumulative"] += bool(p.cumulative) == bool(g.get("cumulative"))
        for i, p in enumerate(claims):
            c["predicted"] += 1
            if i not in used:
                c["spurious"] += 1
                if misses:
                    print(f"SPURIOUS {item['id']}: {p.number_text!r} {p.kind} {p.min}-{p.max} ({p.subject})")
    return per_lang


def score_events(path: Path, nlp, misses: bool) -> dict:
    per_lang: dict[str, Counter] = defaultdict(Counter)
    times = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        lang = item.get("lang") or "en"
        gold = item["event"]
        art = Article(id=item["id"], text=item["text"], title=item.get("title"), language=lang,
                      published_at=item.get("published_at"))
        t0 = time.perf_counter()
        ev = analyze_article(art, nlp).article.main_event
        times.append(time.perf_counter() - t0)
        c = per_lang[lang]
        c["items"] += 1
        none = gold["event_type"] == "none"
        c["detect"] += (ev is None) == none
        if none:
            c["none_items"] += 1
            c["none_ok"] += ev is None
            continue
        c["events"] += 1
        ok = {
            "type": ev is not None and ev.event_type == gold["event_type"],
            "sub": ev is not None and ev.sub_event_type == gold["sub_event_type"],
            "country": ev is not None and (ev.country or "") == (gold.get("country") or ""),
            "admin1": ev is not None and bool(fold(gold.get("admin1"))) and bool(fold(ev.admin1)) and (
                fold(ev.admin1) in fold(gold.get("admin1")) or fold(gold.get("admin1")) in fold(ev.admin1)),
            "fatalities": ((ev.fatalities or 0) if ev is not None else 0) == (gold.get("fatalities") or 0),
        }
        for k, v in ok.items():
            c[k] += v
        if misses and not all(ok.values()):
            got = (ev.event_type, ev.sub_event_type, ev.country, ev.admin1, ev.fatalities) if ev else None
            print(f"EVENT {item['id']}: gold {(gold['event_type'], gold['sub_event_type'], gold.get('country'), gold.get('admin1'), gold.get('fatalities'))} got {got}")
    per_lang["_time"]["median_ms"] = int(sorted(times)[len(times) // 2] * 1000) if times else 0
    return per_lang


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.2f}" if b else "–"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=Path)
    ap.add_argument("--events", type=Path)
    ap.add_argument("--misses", action="store_true", help="print every miss and spurious claim")
    args = ap.parse_args()
    nlp = load_pipeline(Settings(outlet_files=()))
    if args.claims:
        res = score_claims(args.claims, nlp, args.misses)
        total = Counter()
        for lang in sorted(res):
            total.update(res[lang])
        print("claims | set | found | exact bounds | precision | kind | speakers | cumulative")
        for lang, c in [*sorted(res.items()), ("all", total)]:
            print(f"claims | {lang} | {_ratio(c['found'], c['gold'])} | {_ratio(c['exact_bounds'], c['gold'])} | "
                  f"{_ratio(c['predicted'] - c['spurious'], c['predicted'])} | {_ratio(c['kind'], c['found'])} | "
                  f"{_ratio(c['speakers'], c['found'])} | {_ratio(c['cumulative'], c['found'])}")
    if args.events:
        res = score_events(args.events, nlp, args.misses)
        ms = res.pop("_time")["median_ms"]
        total = Counter()
        for lang in sorted(res):
            total.update(res[lang])
        print("events | set | detection | none kept out | type | sub-type | country | admin1 | fatalities exact")
        for lang, c in [*sorted(res.items()), ("all", total)]:
            print(f"events | {lang} | {_ratio(c['detect'], c['items'])} | {_ratio(c['none_ok'], c['none_items'])} | "
                  f"{_ratio(c['type'], c['events'])} | {_ratio(c['sub'], c['events'])} | {_ratio(c['country'], c['events'])} | "
                  f"{_ratio(c['admin1'], c['events'])} | {_ratio(c['fatalities'], c['events'])}")
        print(f"events | median time per item (whole pipeline): {ms} ms")


if __name__ == "__main__":
    main()
