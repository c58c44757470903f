"""Contradiction flags measured: judged precision and recall, and flags per 100 articles.

    PYTHONPATH=src .venv/bin/python bench/contradictions.py [--work /tmp/contra/stores]
        [--judged /work/team/contra/judged.jsonl] [--meta /work/team/contra/candidates-meta.jsonl]
        [--half A|B|all] [--dump FILE]

Every development set (``bench/contra_data.py``: the sample, FA-KES dev, GVA, Airwars, ACLED
notes) is run once through the pipeline into a store per set (cached in ``--work``; the story
layer is the linker's). The flags are then recomputed from the stored records with the code
of the day — in-article flags with ``enrich.contradictions.article_contradictions`` (the
article's claims, events, places and time expressions, as the enrich component sees them),
cross-article flags with ``link.crosscheck.crosscheck_story`` per story — so a rule change is
measured in seconds without re-running the enrichment.

Figures:
- **flags per 100 articles** per set (issue 20: ≤ 0.5 on US local crime news = GVA);
- with ``--judged``: the judged set (pairs drawn by ``bench/contradiction_candidates.py``,
  labelled by a reviewer who did not write the rules). A pair is *flagged* when both its claims
  are values of one flag; it is *real* when labelled ``real``. Precision = real / flagged,
  recall = flagged / real, per half (A = development, B = held out: never read while writing
  the rules) and per set; also precision re-weighted by each stratum's sampling rate (what a
  random sample of flags would score).
- with ``--why``: for every judged label, which check decided each pair (the first check that
  failed, ``enrich.contradictions.compare``'s reason; ``disjoint`` = flagged): a pair of ages
  kept out by the age check is kept out for the right reason, one kept out by a bystander check
  would come back when that check changes. A pair's claims are found by their ids, else (a claims
  stage that reads the figure differently) by article, sentence and figure text; a side the
  claims stage no longer reads as a figure of that kind is a pair that cannot be flagged.
- ``--dump``: every flag with its sentences and explanation, to read (flags touching a held-out
  article are left out unless ``--half all``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from contra_data import SETS, build_store  # noqa: E402


def recompute(store):
    """(in-article flags, story flags, article count) from a store's records, with today's code."""
    from veille.enrich.contradictions import article_contradictions
    from veille.enrich.timex import find_times
    from veille.link.crosscheck import crosscheck_story

    articles = {a.id: a for a in store.articles()}
    claims = defaultdict(list)
    for c in store.claims():
        claims[c.article_id].append(c)
    events = defaultdict(list)
    for e in store.events(story_level=False):
        for aid in e.articles:
            events[aid].append(e)
    if not any(events.values()):  # older stores list no articles on events
        for aid, rec in store.db.execute("SELECT article_id, record FROM events WHERE story_id IS NULL"):
            from veille.records import Event

            events[aid].append(Event.from_dict(json.loads(rec)))
    inside = []
    for aid, art in sorted(articles.items()):
        cs = sorted(claims.get(aid, []), key=lambda c: (c.start, c.id))
        if len(cs) < 2:
            continue
        times = find_times(art.text, art.published_at, art.language or "en")
        inside += article_contradictions(cs, art.outlet, article=art, places=art.places, times=times,
                                         events=events.get(aid, ()), lang=art.language)
    members = defaultdict(list)
    for sid, aid in store.db.execute("SELECT story_id, article_id FROM story_articles ORDER BY story_id, article_id"):
        members[sid].append(aid)
    across, evolution = [], []
    for sid, ids in sorted(members.items()):
        if len(ids) < 2:
            continue
        arts = {i: articles[i] for i in ids if i in articles}
        cc = crosscheck_story(sid, [c for i in ids for c in claims.get(i, [])], arts,
                              [e for i in ids for e in events.get(i, [])],
                              [f for f in inside if f.values and f.values[0].article_id in arts])
        across += cc.contradictions
        evolution += cc.evolution
    return inside, across, evolution, len(articles)


def flagged_pairs(flags) -> set[frozenset]:
    out = set()
    for f in flags:
        ids = [v.claim_id for v in f.values]
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                out.add(frozenset((ids[i], ids[j])))
    return out


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.2f}" if b else f"{a}/0"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", default="/tmp/contra/stores")
    ap.add_argument("--sets", default=",".join(SETS))
    ap.add_argument("--judged", default=None)
    ap.add_argument("--meta", default="/work/team/contra/candidates-meta.jsonl")
    ap.add_argument("--half", default="A", choices=["A", "B", "all"])
    ap.add_argument("--dump", default=None)
    ap.add_argument("--candidates", default="/work/team/contra/candidates.jsonl",
                    help="the judged pairs' sentences and figures (to find their claims when ids changed)")
    ap.add_argument("--why", action="store_true", help="per label, the check that decided each judged pair")
    ap.add_argument("--flags-judged", default=None, help="flags-judged.jsonl (second round: every flag labelled)")
    ap.add_argument("--reader", default=None, help="reader-found.jsonl (second round: disagreements a reader lists)")
    ap.add_argument("--reader-items", default="/work/team/contra/reader-articles.jsonl")
    args = ap.parse_args()
    meta = {}
    if Path(args.meta).exists():
        meta = {m["pair_id"]: m for m in map(json.loads, Path(args.meta).read_text(encoding="utf-8").splitlines())}
    held_out_articles = set()
    for m in meta.values():
        if m["half"] == "B":
            held_out_articles.update(a for a in (m.get("articles") or []) if a)
    candidates = {}
    if args.judged and Path(args.candidates).exists():
        candidates = {d["pair_id"]: d for d in map(json.loads, Path(args.candidates).read_text(encoding="utf-8").splitlines())}
    resolved: dict[str, tuple[str, str] | None] = {}  # pair_id → (claim id, claim id) in today's stores
    decided: dict[str, str] = {}  # pair_id → the check that decided
    flagged: set[frozenset] = set()
    all_flags: dict[str, tuple[str, object]] = {}
    claims_of: dict[str, list] = {}
    dump = []
    print("| set | articles | in-article flags | cross-article flags | flags per 100 articles | s |")
    print("|---|---|---|---|---|---|")
    for name in args.sets.split(","):
        t0 = time.perf_counter()
        store = build_store(name, Path(args.work))
        inside, across, evolution, n = recompute(store)
        dt = time.perf_counter() - t0
        flagged |= flagged_pairs(inside) | flagged_pairs(across)
        for f in inside + across:
            all_flags[f.id] = (name, f)
        if args.judged:
            resolve_pairs(store, name, meta, candidates, resolved, decided if args.why else None)
        if args.reader:
            for c in store.claims():
                claims_of.setdefault(c.article_id, []).append(c)
        total = len(inside) + len(across)
        print(f"| {name} | {n} | {len(inside)} | {len(across)} | {100 * total / max(n, 1):.2f} | {dt:.1f} |")
        if args.dump:
            texts = {}
            for f in inside + across:
                arts = {v.article_id for v in f.values}
                if args.half != "all" and arts & held_out_articles:
                    continue
                for v in f.values:
                    if v.article_id not in texts:
                        a = store.get_article(v.article_id)
                        texts[v.article_id] = (a.title or "")[:120] if a else ""
                dump.append({"set": name, **f.to_dict(), "titles": texts})
        store.close()
    if args.dump:
        Path(args.dump).write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in dump) + "\n", encoding="utf-8")
        print(f"\n{len(dump)} flags → {args.dump}")
    if args.judged:
        score(Path(args.judged), meta, flagged, args.half, resolved)
        if args.why:
            why_table(Path(args.judged), meta, decided, args.half)
    if args.flags_judged:
        score_flags(Path(args.flags_judged), all_flags, args.half)
    if args.reader:
        score_reader(Path(args.reader), Path(args.reader_items), claims_of, flagged, args.half)
    return 0


def _halves(half: str) -> list[str]:
    return ["A", "B", "A+B"] if half == "all" else [half]


def score_flags(path: Path, all_flags: dict, half: str) -> None:
    """Precision on the flags themselves (each labelled real | partly_real | false)."""
    labels = {j["flag_id"]: j for j in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if j}
    items = Path(path).with_name("flags-to-judge.jsonl")
    halves = {}
    if items.exists():
        halves = {d["flag_id"]: d["half"] for d in map(json.loads, items.read_text(encoding="utf-8").splitlines())}
    now = set(all_flags)
    print(f"\nflags now: {len(now)}; judged: {len(labels)}; judged and still raised: {len(now & set(labels))}; "
          f"raised but never judged: {len(now - set(labels))}")
    for h in _halves(half):
        sel = [(fid, labels[fid]) for fid in now & set(labels) if h == "A+B" or halves.get(fid) == h]
        real = sum(1 for _, j in sel if j["label"] == "real")
        partly = sum(1 for _, j in sel if j["label"] == "partly_real")
        print(f"**flags, half {h}**: precision {_ratio(real, len(sel))} (counting partly real: "
              f"{_ratio(real + partly, len(sel))}); false by cause: {dict(Counter(j.get('cause') for _, j in sel if j['label'] == 'false'))}")
        by_set = Counter(all_flags[fid][0] for fid, _ in sel)
        print("  by set: " + ", ".join(f"{k} {sum(1 for fid, j in sel if all_flags[fid][0] == k and j['label'] == 'real')}/{n}"
                                      for k, n in sorted(by_set.items())))


def _match(claims: list, side: dict):
    """The claim a reader's side names: in its article, inside its sentence, with its figure."""
    import re

    sentence = " ".join((side.get("sentence") or "").split())
    figure = (side.get("figure") or "").strip().casefold()
    digits = re.sub(r"[^0-9]", "", figure)
    best = None
    for c in claims.get(side.get("article_id"), []):
        text = " ".join((c.text or "").split())
        if not (sentence and (sentence[:60] in text or text[:60] in sentence)):
            continue
        nt = (c.number_text or "").casefold()
        if figure and (figure in nt or nt in figure) or (digits and digits == re.sub(r"[^0-9]", "", nt)) or \
                (digits and c.min is not None and str(int(c.min)) == digits):
            best = c
            break
    return best


def score_reader(path: Path, items_path: Path, claims: dict, flagged: set, half: str) -> None:
    """Recall of the disagreements a reader found (the second round's reader-articles)."""
    halves = {d["item_id"]: d["half"] for d in map(json.loads, items_path.read_text(encoding="utf-8").splitlines())}
    found = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for h in _halves(half):
        total = hit = unmatched = 0
        for item in found:
            if h != "A+B" and halves.get(item["item_id"]) != h:
                continue
            for d in item.get("disagreements") or ():
                total += 1
                a, b = _match(claims, d["a"]), _match(claims, d["b"])
                if a is None or b is None:
                    unmatched += 1
                    continue
                hit += frozenset((a.id, b.id)) in flagged
        print(f"**reader recall, half {h}**: {_ratio(hit, total)} of the disagreements a reader found "
              f"({unmatched} with a figure the claims stage does not give)")


def _find_claim(claims: list, side: dict):
    """The claim of a judged side in today's store: same article, sentence and figure, same kind."""
    hit = _match({side["article_id"]: [c for c in claims if c.kind == side.get("kind")]},
                 {"article_id": side["article_id"], "sentence": side.get("sentence"), "figure": side.get("number_text")})
    return hit


def resolve_pairs(store, name: str, meta: dict, candidates: dict, resolved: dict, decided: dict | None) -> None:
    """Judged pairs of one set → today's claim ids (and, with ``decided``, the check that decides each)."""
    from veille.enrich.contradictions import article_readings, compare
    from veille.enrich.timex import find_times
    from veille.link.crosscheck import _readings, same_incident

    for pid, m in meta.items():
        if m["set"] != name:
            continue
        arts = m["articles"]
        by_id = {c.id: c for a in set(arts) for c in store.claims(a)}
        pair = []
        for k, cid in enumerate(m["claims"]):
            c = by_id.get(cid)
            if c is None and pid in candidates:
                side = candidates[pid]["ab"[k]]
                c = _find_claim([x for x in by_id.values() if x.article_id == side["article_id"]], side)
            pair.append(c)
        if None in pair:
            resolved[pid] = None
            if decided is not None:
                decided[pid] = "no_claim"
            continue
        resolved[pid] = (pair[0].id, pair[1].id)
        if decided is None:
            continue
        a, b = pair
        docs = {x: store.get_article(x) for x in set(arts)}
        evs = {e.event_id: e for x in set(arts) for e in store.events(x, story_level=False)}
        if a.article_id == b.article_id:
            art = docs[a.article_id]
            cs = sorted((c for c in by_id.values() if c.article_id == a.article_id), key=lambda c: (c.start, c.id))
            rs = {r.claim.id: r for r in article_readings(cs, art, places=art.places, events=list(evs.values()),
                                                          times=find_times(art.text, art.published_at, art.language or "en"),
                                                          lang=art.language)}
            v = compare(rs[a.id], rs[b.id])
        else:
            rs = {r.claim.id: r for r in _readings(list(by_id.values()), docs, evs)}
            why_not = same_incident(rs[a.id].event, rs[b.id].event)
            v = compare(rs[a.id], rs[b.id], same_event=why_not is None, across=True)
            if v.reason == "event":
                v = type(v)(v.relation, f"event:{why_not}")
        decided[pid] = v.reason


def why_table(path: Path, meta: dict, decided: dict, half: str) -> None:
    labels = {j["pair_id"]: j["label"] for j in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if j}
    for h in _halves(half):
        print(f"\n**half {h}: the check that decided each judged pair** (label → check: pairs)")
        table: dict[str, Counter] = defaultdict(Counter)
        for pid, reason in decided.items():
            if pid in labels and (h == "A+B" or meta[pid]["half"] == h):
                table[labels[pid]][reason] += 1
        for lab in sorted(table):
            print(f"- {lab} ({sum(table[lab].values())}): " + ", ".join(f"{k} {n}" for k, n in table[lab].most_common()))


def score(path: Path, meta: dict, flagged: set[frozenset], half: str, resolved: dict | None = None) -> None:
    judged = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            j = json.loads(line)
            judged[j["pair_id"]] = j
    # the universe's size per stratum, to re-weight the stratified draw
    strata_n = Counter(m["stratum"] for m in meta.values())
    rows = []
    for pid, m in meta.items():
        j = judged.get(pid)
        if j is None:
            continue
        ids = resolved.get(pid, tuple(m["claims"])) if resolved else tuple(m["claims"])
        rows.append((m, j["label"], ids is not None and frozenset(ids) in flagged))
    print(f"\njudged pairs: {len(rows)} of {len(meta)}; labels: {dict(Counter(l for _, l, _ in rows))}")
    if resolved:
        moved = sum(1 for pid, ids in resolved.items() if ids is not None and set(ids) != set(meta[pid]["claims"]))
        print(f"pairs whose claims changed id: {moved}; pairs with a side no longer read as a figure of its kind: "
              f"{sum(1 for ids in resolved.values() if ids is None)}")
    halves = ["A", "B"] if half == "all" else [half]
    for h in halves + (["A+B"] if half == "all" else []):
        sel = [r for r in rows if h == "A+B" or r[0]["half"] == h]
        tp = sum(1 for _, l, f in sel if f and l == "real")
        fl = sum(1 for _, _, f in sel if f)
        real = sum(1 for _, l, _ in sel if l == "real")
        print(f"\n**half {h}** ({len(sel)} pairs): precision {_ratio(tp, fl)}, recall {_ratio(tp, real)}")
        # re-weighted by the stratum's sampling rate (universe size / drawn), when known
        w_tp = w_fl = 0.0
        for m, l, f in sel:
            w = (m.get("universe") or strata_n[m["stratum"]]) / strata_n[m["stratum"]]
            if f:
                w_fl += w
                w_tp += w * (l == "real")
        if w_fl:
            print(f"  precision re-weighted by stratum: {w_tp / w_fl:.2f}")
        false = Counter(l for _, l, f in sel if f and l != "real")
        missed = Counter(m["set"] for m, l, f in sel if not f and l == "real")
        print(f"  false flags by label: {dict(false)}; real pairs missed by set: {dict(missed)}")
        for s in SETS:
            ss = [r for r in sel if r[0]["set"] == s]
            if ss:
                tp = sum(1 for _, l, f in ss if f and l == "real")
                print(f"  {s}: flagged {sum(1 for *_, f in ss if f)}, real {sum(1 for _, l, _ in ss if l == 'real')}, both {tp}")


if __name__ == "__main__":
    raise SystemExit(main())
