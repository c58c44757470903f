"""Claims on sentences the rules were not written on: figure recall/precision and field accuracy.

    .venv/bin/python bench/claims_audit.py --gold GOLD.jsonl [--split even|odd]

GOLD.jsonl: one sentence a line, ``{"lang", "url", "text", "claims": [{"kind", "min", "max",
"qualifier", "subject", "speakers": [outermost first], "cumulative"}]}``, written by hand
(optional ``alt_subjects``/``alt_qualifiers``/``alt_kinds``/``alt_max`` list other acceptable
answers). The audit set of BENCHMARKS.md (60 sentences quoted from news pages, with their
addresses) is not shipped: quotations of wire copy, kept by the developers.

Scoring: a gold claim is *found* when a predicted claim of its sentence has the same min and
max (else, leniently, one bound); unmatched predictions are spurious. Over the found claims:
kind, qualifier, subject (or an alternative; police/policemen, troops/soldiers and
fighters/combatants are one), speakers (same length, each equal after folding, the same
registry entity, or a predicted phrase holding the whole gold one) and ``cumulative``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from veille.enrich.claims import default_resolver, extract_claims  # noqa: E402

SYNONYMS = [{"police officers", "policemen", "police"}, {"fighters", "combatants"}, {"troops", "soldiers"}]
FIELDS = ("bounds", "kind", "qual", "subj", "spk", "cum")


def _norm(s: str) -> str:
    s = "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if not unicodedata.combining(c))
    s = re.sub(r"[^\w\s]", " ", re.sub(r"[’'`\"«»“”]", " ", s))
    s = re.sub(r"^\s*(?:the|a|an|l|la|le|les|des|un|une|de)\s+", "", s)
    return re.sub(r"\s+", " ", s).strip()


def _speaker_ok(gold: str, pred: str) -> bool:
    if _norm(gold) == _norm(pred):
        return True
    resolver = default_resolver()
    g, p = resolver.find(gold), resolver.find(pred)
    if g is not None and p is not None and g.id == p.id:
        return True
    return _norm(gold) in _norm(pred) and len(_norm(pred)) > len(_norm(gold))


def _chain_ok(gold: list[str], pred: list[str]) -> bool:
    return len(gold) == len(pred) and all(_speaker_ok(a, b) for a, b in zip(gold, pred))


def _subj_ok(gc: dict, p: dict) -> bool:
    for c in [gc["subject"]] + gc.get("alt_subjects", []):
        if c.lower() == p["subject"].lower() or any(c.lower() in s and p["subject"].lower() in s for s in SYNONYMS):
            return True
    return False


def score(gold: list[dict]) -> dict:
    rows, spurious = [], 0
    for s in gold:
        preds = [{"kind": c.kind, "min": c.min, "max": c.max, "qualifier": c.qualifier, "subject": c.subject,
                  "speakers": list(c.attributed_to), "cumulative": c.cumulative}
                 for c in extract_claims(s["text"], "audit", s["lang"])]
        used, matches = set(), {}
        for lenient in (False, True):
            for gi, gc in enumerate(s["claims"]):
                if gi in matches:
                    continue
                def fits(p):
                    if lenient:
                        return (gc["min"] is not None and p["min"] == gc["min"]) or (gc["max"] is not None and p["max"] == gc["max"])
                    return p["min"] == gc["min"] and p["max"] in [gc["max"]] + gc.get("alt_max", [])
                cands = [pi for pi, p in enumerate(preds) if pi not in used and fits(p)]
                if cands:
                    cands.sort(key=lambda pi: (preds[pi]["kind"] != gc["kind"], not _subj_ok(gc, preds[pi])))
                    matches[gi] = (cands[0], lenient)
                    used.add(cands[0])
        for gi, gc in enumerate(s["claims"]):
            r = {"lang": s["lang"], "found": gi in matches}
            if gi in matches:
                pi, lenient = matches[gi]
                p = preds[pi]
                r.update(bounds=not lenient, kind=p["kind"] in [gc["kind"]] + gc.get("alt_kinds", []),
                         qual=p["qualifier"] in [gc["qualifier"]] + gc.get("alt_qualifiers", []), subj=_subj_ok(gc, p),
                         spk=_chain_ok(gc["speakers"], p["speakers"]), cum=p["cumulative"] == gc["cumulative"])
            rows.append(r)
        spurious += len(preds) - len(used)
    found = [r for r in rows if r["found"]]
    out = {"gold": len(rows), "found": len(found), "exact": sum(r["bounds"] for r in found), "spurious": spurious,
           "all_right": sum(all(r[k] for k in FIELDS) for r in found)}
    out.update({k: sum(r[k] for r in found) for k in FIELDS})
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", required=True)
    ap.add_argument("--split", choices=("even", "odd"), help="only the even or odd lines (0-based)")
    args = ap.parse_args()
    lines = [json.loads(x) for x in open(args.gold, encoding="utf-8") if x.strip()]
    if args.split:
        lines = [x for i, x in enumerate(lines) if i % 2 == (0 if args.split == "even" else 1)]
    print("| set | gold | recall (exact) | precision | kind | qualifier | subject | speakers | cumulative | all fields |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for lang in ("all", "en", "fr", "ar"):
        sel = [x for x in lines if lang == "all" or x["lang"] == lang]
        if not sel:
            continue
        r = score(sel)
        f = max(1, r["found"])
        print(f"| {lang} | {r['gold']} | {r['exact'] / r['gold']:.2f} | {r['found'] / max(1, r['found'] + r['spurious']):.2f} | "
              f"{r['kind'] / f:.2f} | {r['qual'] / f:.2f} | {r['subj'] / f:.2f} | {r['spk'] / f:.2f} | {r['cum'] / f:.2f} | "
              f"{r['all_right'] / r['gold']:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
