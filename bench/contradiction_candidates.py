"""Draw candidate pairs of figures for a reviewer to label (issue 20's judged set).

    PYTHONPATH=src .venv/bin/python bench/contradiction_candidates.py [--work /tmp/contra/stores] \
        [--out /work/team/contra/candidates.jsonl] [--n 330] [--seed 20]

Written before any contradiction rule of issue 20, so the pairs are not chosen by the rules
they will judge. Every development set (the sample, FA-KES dev, GVA, Airwars, ACLED notes) is
run through the current pipeline (``bench/contra_data.py``); the universe is every pair of
claims of the same kind either inside one article or across two articles of one incident (the
set's own incident id) or of one story the current linker built. Pairs are drawn at random
within strata chosen only to *cover* what a flag must tell apart — two speakers whose figures
do not overlap, one speaker's two figures, a cumulative figure, a figure right after a name
(ages), compatible figures, pairs of one gold incident and of two different incidents, the
pairs the current code flags — with at most two pairs per article (or article pair) so no
single text dominates.

Output (outside the repository: the text is quoted news and ACLED notes):
- ``candidates.jsonl``: per pair a stable ``pair_id`` and for each side (``a``, ``b``) the
  sentence, its paragraph, the article's title/date/outlet/lead, the figure (number text,
  min, max, qualifier), kind, subject, speaker chain and cumulative mark as the pipeline read
  them. Nothing about how the pair was drawn nor the pipeline's events, so the reviewer is
  not led.
- ``candidates-meta.jsonl``: per pair its stratum, set, incident/story groups, the events the
  pipeline linked the claims to, whether the code of the day flags it, and its half (``A`` = development, ``B`` = held out). Halves are
  drawn per connected group of articles (a pair's two articles, a gold incident), so no
  incident is split between them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from contra_data import SETS, build_store, load_set  # noqa: E402

from veille.records import Article, Claim, Event  # noqa: E402

QUOTA = {  # stratum → share of the draw
    "in:flagged_now": 0.10, "in:two_speakers_apart": 0.16, "in:one_speaker_apart": 0.12, "in:cumulative": 0.06,
    "in:after_a_name": 0.06, "in:overlap": 0.08,
    "x:flagged_now": 0.10, "x:same_incident_apart": 0.10, "x:same_incident_overlap": 0.05,
    "x:other_incident": 0.09, "x:story_apart": 0.06, "x:story_overlap": 0.02,
}
CASUALTY = {"killed", "wounded", "casualties", "missing", "kidnapped", "arrested", "detained", "displaced"}


def _interval(c: Claim) -> tuple[float, float] | None:
    lo = c.min if c.min is not None else c.max
    hi = c.max if c.max is not None else c.min
    if lo is None:
        return None
    if c.qualifier == "at_least":
        return lo, math.inf
    if c.qualifier == "at_most":
        return 0.0, hi
    if c.qualifier == "about":
        return lo * 0.8, hi * 1.2
    return lo, hi


def _apart(a: Claim, b: Claim) -> bool:
    ia, ib = _interval(a), _interval(b)
    return bool(ia and ib) and (ia[1] < ib[0] or ib[1] < ia[0])


def _after_name(art: Article, c: Claim) -> bool:
    """The figure sits between commas right after a capitalised word ('Dominique Garrett, 25,')."""
    if c.number_start is None or c.number_end is None:
        return False
    before, after = art.text[max(0, c.number_start - 40):c.number_start], art.text[c.number_end:c.number_end + 2]
    return bool(re.search(r"[A-Z][\w'-]+,\s*$", before)) and after[:1] in {",", " "}


def _paragraph(text: str, start: int, end: int, limit: int = 1200) -> str:
    lo = text.rfind("\n\n", 0, start)
    hi = text.find("\n\n", end)
    para = text[lo + 2 if lo >= 0 else 0: hi if hi >= 0 else len(text)].strip()
    if len(para) <= limit:
        return para
    s = max(0, start - (lo + 2 if lo >= 0 else 0) - limit // 2)
    return "…" + para[s:s + limit] + "…"


def _side(c: Claim, art: Article) -> dict:
    return {
        "article_id": art.id, "outlet": art.outlet, "title": art.title or art.headline, "published_at": art.published_at,
        "lead": (art.text or "")[:400], "sentence": c.text, "paragraph": _paragraph(art.text, c.start, c.end),
        "number_text": c.number_text, "min": c.min, "max": c.max, "qualifier": c.qualifier, "kind": c.kind,
        "subject": c.subject, "speakers": list(c.attributed_to), "cumulative": c.cumulative,
    }


def _event(c: Claim, events: dict[str, Event]) -> dict | None:
    """The pipeline's event of a claim: in the meta file only (the reviewer judges from the text)."""
    ev = events.get(c.event_id or "")
    return None if ev is None else {"date": ev.event_date, "type": ev.event_type, "sub_type": ev.sub_event_type,
                                    "location": ev.location, "admin1": ev.admin1, "country": ev.country}


def pair_id(a: Claim, b: Claim) -> str:
    return "p-" + hashlib.sha1("|".join(sorted((a.id, b.id))).encode()).hexdigest()[:12]


def universe(name: str, work: Path):
    """Every candidate pair of one set: (stratum, a, b, info)."""
    store = build_store(name, work)
    gold = {it.article.id: it.gold_group for it in load_set(name)}
    articles = {a.id: a for a in store.articles()}
    claims_by_art: dict[str, list[Claim]] = defaultdict(list)
    for c in store.claims():
        if c.article_id in articles and _interval(c) is not None:
            claims_by_art[c.article_id].append(c)
    events = {e.event_id: e for e in store.events(story_level=False)}
    story_of = {aid: sid for sid, aid in store.db.execute("SELECT story_id, article_id FROM story_articles")}
    flagged_in, flagged_x = set(), set()
    for con in store.contradictions():
        ids = [v.claim_id for v in con.values]
        for x, y in combinations(ids, 2):
            (flagged_in if con.story_id is None else flagged_x).add(frozenset((x, y)))
    out = []
    for aid, cs in claims_by_art.items():
        for a, b in combinations(sorted(cs, key=lambda c: (c.start, c.id)), 2):
            if a.kind != b.kind or (a.number_start is not None and a.number_start == b.number_start):
                continue
            art = articles[aid]
            if frozenset((a.id, b.id)) in flagged_in:
                st = "in:flagged_now"
            elif a.cumulative or b.cumulative:
                st = "in:cumulative"
            elif _after_name(art, a) or _after_name(art, b):
                st = "in:after_a_name"
            elif _apart(a, b):
                st = "in:two_speakers_apart" if a.attributed_to != b.attributed_to else "in:one_speaker_apart"
            else:
                st = "in:overlap"
            out.append((st, (a, art), (b, art), {"set": name, "flagged_now": st == "in:flagged_now",
                                                 "gold": [gold.get(aid)], "story": [story_of.get(aid)]}))
    # across articles: same gold incident, or same story of the current linker
    groups: dict[str, set[str]] = defaultdict(set)
    for aid in claims_by_art:
        if gold.get(aid) and name == "gva":
            groups["g:" + gold[aid]].add(aid)
        if story_of.get(aid):
            groups["s:" + story_of[aid]].add(aid)
    seen = set()
    for members in groups.values():
        for x, y in combinations(sorted(members), 2):
            if (x, y) in seen:
                continue
            seen.add((x, y))
            ax, ay = articles[x], articles[y]
            same_gold = gold.get(x) is not None and gold.get(x) == gold.get(y)
            diff_gold = gold.get(x) is not None and gold.get(y) is not None and gold.get(x) != gold.get(y)
            for a in claims_by_art[x]:
                for b in claims_by_art[y]:
                    if a.kind != b.kind or a.kind not in CASUALTY:
                        continue
                    apart = _apart(a, b)
                    if frozenset((a.id, b.id)) in flagged_x:
                        st = "x:flagged_now"
                    elif same_gold:
                        st = "x:same_incident_apart" if apart else "x:same_incident_overlap"
                    elif diff_gold:
                        st = "x:other_incident"
                    else:
                        st = "x:story_apart" if apart else "x:story_overlap"
                    out.append((st, (a, ax), (b, ay), {"set": name, "flagged_now": st == "x:flagged_now",
                                                       "gold": [gold.get(x), gold.get(y)],
                                                       "story": [story_of.get(x), story_of.get(y)]}))
    store.close()
    return out, events


def draw(pool: list, n: int, seed: int) -> list:
    rnd = random.Random(seed)
    by_stratum: dict[str, list] = defaultdict(list)
    for item in pool:
        by_stratum[item[0]].append(item)
    chosen, spare = [], 0
    for st in QUOTA:  # strata in a fixed order; unused quota passes to the next one
        items = sorted(by_stratum.get(st, []), key=lambda t: pair_id(t[1][0], t[2][0]))
        rnd.shuffle(items)
        want = round(QUOTA[st] * n) + spare
        per_unit: dict[tuple, int] = defaultdict(int)
        per_set: dict[str, int] = defaultdict(int)
        taken = []
        # spread over sets first (round robin by set), then over units (≤ 2 pairs per article or article pair)
        by_set: dict[str, list] = defaultdict(list)
        for it in items:
            by_set[it[3]["set"]].append(it)
        queues = [by_set[s] for s in sorted(by_set)]
        while len(taken) < want and any(queues):
            for q in queues:
                while q:
                    it = q.pop(0)
                    unit = tuple(sorted({it[1][1].id, it[2][1].id}))
                    if per_unit[unit] >= 2:
                        continue
                    per_unit[unit] += 1
                    per_set[it[3]["set"]] += 1
                    taken.append(it)
                    break
                if len(taken) >= want:
                    break
        spare = want - len(taken)
        chosen += taken
    return chosen


def halves(chosen: list) -> dict[str, str]:
    """A/B per connected group of articles (pairs and gold incidents join them)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: str, y: str) -> None:
        parent[find(x)] = find(y)

    for _st, (a, art_a), (b, art_b), info in chosen:
        union(art_a.id, art_b.id)
        for g in info["gold"]:
            if g:
                union(art_a.id, "gold:" + g)
    comps: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        comps[find(x)].append(x)
    out = {}
    for members in comps.values():
        key = min(members)
        h = "A" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0 else "B"
        for m in members:
            out[m] = h
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", default="/tmp/contra/stores")
    ap.add_argument("--out", default="/work/team/contra/candidates.jsonl")
    ap.add_argument("--n", type=int, default=330)
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--sets", default=",".join(SETS))
    args = ap.parse_args()
    pool, events = [], {}
    for name in args.sets.split(","):
        items, evs = universe(name, Path(args.work))
        pool += items
        events.update(evs)
        print(f"{name}: {len(items)} candidate pairs", file=sys.stderr)
    counts: dict[str, int] = defaultdict(int)
    for it in pool:
        counts[it[0]] += 1
    chosen = draw(pool, args.n, args.seed)
    # the sample's pairs are always in (the acceptance case)
    have = {pair_id(t[1][0], t[2][0]) for t in chosen}
    chosen += [t for t in pool if t[3]["set"] == "sample" and t[0].startswith("in:") and pair_id(t[1][0], t[2][0]) not in have]
    half = halves(chosen)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    meta_path = out.with_name(out.stem + "-meta.jsonl")
    chosen.sort(key=lambda t: pair_id(t[1][0], t[2][0]))
    with out.open("w", encoding="utf-8") as f, meta_path.open("w", encoding="utf-8") as m:
        for st, (a, art_a), (b, art_b), info in chosen:
            pid = pair_id(a, b)
            rec = {"pair_id": pid, "scope": "same_article" if art_a.id == art_b.id else "two_articles",
                   "a": _side(a, art_a), "b": _side(b, art_b)}
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            m.write(json.dumps({"pair_id": pid, "stratum": st, "half": half[art_a.id], "claims": [a.id, b.id],
                                "articles": [art_a.id, art_b.id], "universe": counts[st],
                                "events": [_event(a, events), _event(b, events)], **info},
                               ensure_ascii=False) + "\n")
    by: dict[str, int] = defaultdict(int)
    for t in chosen:
        by[t[0]] += 1
    print(f"{len(chosen)} pairs → {out} (+ {meta_path.name})", file=sys.stderr)
    for st in QUOTA:
        print(f"  {st:28s} drawn {by[st]:4d} of {counts[st]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
