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
- with ``--flags-judged``: precision on the flags themselves (the second round: every flag raised on
  the dev sets labelled real | partly_real | false); a flag raised today is the judged one by id, else
  by its values (a subset of a judged flag's values); flags never judged are counted apart.
- with ``--reader``: recall of the disagreements readers found reading whole articles (the second
  round's reader-articles): each side found by article, sentence and figure; the check that decided
  each missed one. ``--show A`` prints the development half's non-real flags and missed disagreements
  (half B is never printed: it stays held out).
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
    ap.add_argument("--write-unjudged", default=None,
                    help="with --flags-judged: write the flags raised today that no label covers, in flags-to-judge's "
                         "format, for the next review round")
    ap.add_argument("--show", default=None, choices=["A"],
                    help="print the development half's judged flags that are not real, and the reader's disagreements "
                         "missed with the check that decided each (half B is never printed)")
    args = ap.parse_args()
    meta = {}
    if Path(args.meta).exists():
        meta = {m["pair_id"]: m for m in map(json.loads, Path(args.meta).read_text(encoding="utf-8").splitlines())}
    known = article_halves(meta, Path(args.reader_items).parent)
    reader_found = _lines(Path(args.reader)) if args.reader else []
    reader_half = {d["item_id"]: d["half"] for d in _lines(Path(args.reader_items))}
    reader_rows: list[dict] = []
    reader_items = _lines(Path(args.reader_items))
    reader_flags: list[dict] = []
    candidates = {}
    if args.judged and Path(args.candidates).exists():
        candidates = {d["pair_id"]: d for d in map(json.loads, Path(args.candidates).read_text(encoding="utf-8").splitlines())}
    resolved: dict[str, tuple[str, str] | None] = {}  # pair_id → (claim id, claim id) in today's stores
    decided: dict[str, str] = {}  # pair_id → the check that decided
    flagged: set[frozenset] = set()
    all_flags: dict[str, tuple[str, object]] = {}
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
            reader_rows += reader_pairs(store, reader_found, reader_half, flagged_pairs(inside) | flagged_pairs(across))
            reader_flags += reader_item_flags(store, inside + across, reader_items, reader_found)
        total = len(inside) + len(across)
        print(f"| {name} | {n} | {len(inside)} | {len(across)} | {100 * total / max(n, 1):.2f} | {dt:.1f} |")
        if args.dump:
            texts = {}
            for f in inside + across:
                if args.half != "all" and flag_half(f, known) == "B":
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
        unlabelled = score_flags(Path(args.flags_judged), all_flags, args.half, args.show, known)
        if args.write_unjudged:
            write_unjudged(Path(args.write_unjudged), unlabelled, all_flags, known, Path(args.work))
    if args.reader:
        score_reader(reader_rows, reader_found, reader_half, args.half, args.show)
        score_reader_flags(reader_flags, args.half)
    return 0


def article_halves(meta: dict, review: Path) -> dict[str, str]:
    """Each article's half as the review files set it (the first judged set, then the second round's files)."""
    known: dict[str, str] = {}
    for m in meta.values():
        for a in m.get("articles") or ():
            known.setdefault(a, m["half"])
    for d in _lines(review / "flags-to-judge.jsonl"):
        for v in d["values"]:
            known.setdefault(v["article_id"], d["half"])
    for d in _lines(review / "reader-articles.jsonl"):
        for a in d["articles"]:
            known.setdefault(a["article_id"], d["half"])
    return known


def flag_half(f, known: dict[str, str]) -> str:
    """A flag's half: B when any of its articles is held out; an article no review file names takes the
    half of its id's hash (``contradiction_review_sets._half``, the rule those files were drawn with)."""
    import hashlib

    def one(a: str) -> str:
        return known.get(a) or ("A" if int(hashlib.sha1(a.encode()).hexdigest(), 16) % 2 == 0 else "B")

    return "B" if any(one(v.article_id) == "B" for v in f.values) else "A"


def write_unjudged(path: Path, fids: list[str], all_flags: dict, known: dict, work: Path) -> None:
    """The flags no label covers, as flags-to-judge.jsonl lines (sentences, paragraphs, speakers; a half each)."""
    from veille.store import Store

    out = []
    stores: dict[str, object] = {}
    for fid in sorted(fids, key=lambda f: (all_flags[f][0], f)):
        name, f = all_flags[fid]
        store = stores.setdefault(name, Store(work / f"{name}.db", readonly=True))
        values = []
        for v in f.values:
            art = store.get_article(v.article_id)
            text = art.text if art else ""
            lo = text.rfind("\n\n", 0, v.start or 0)
            hi = text.find("\n\n", v.end or 0)
            para = text[lo + 2 if lo >= 0 else 0: hi if hi >= 0 else len(text)].strip()
            values.append({"article_id": v.article_id, "outlet": v.outlet, "title": art.title if art else None,
                           "published_at": v.published_at, "figure_text": v.number_text, "min": v.min, "max": v.max,
                           "qualifier": v.qualifier, "subject": v.subject, "speakers": list(v.attributed_to),
                           "sentence": v.text, "paragraph": para if len(para) <= 1200 else para[:1200] + "…"})
        out.append({"flag_id": f.id, "set": name, "scope": "one article" if f.story_id is None else "two articles",
                    "kind": f.kind, "values": values, "half": flag_half(f, known)})
    for st in stores.values():
        st.close()
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in out), encoding="utf-8")
    print(f"{len(out)} flags no label covers → {path}")


def _lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _halves(half: str) -> list[str]:
    return ["A", "B", "A+B"] if half == "all" else [half]


def _vkey(article_id: str, sentence: str | None, figure: str | None) -> tuple[str, str, str]:
    return (article_id, " ".join((sentence or "").split())[:80].casefold(), " ".join((figure or "").split()).casefold())


def score_flags(path: Path, all_flags: dict, half: str, show: str | None = None, known: dict | None = None) -> None:
    """Precision on the flags themselves (each labelled real | partly_real | false by the reviewer).

    A flag raised today is the judged one when its id is the judged flag's, else when its values are
    among one judged flag's values (the same article, sentence and figure): a subset of a real flag is
    real, of a false one false; a subset of a partly real one, or a flag no judged flag holds, needs a
    new label and is counted apart."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for more in sorted(path.parent.glob("flags-judged-*.jsonl")):  # later rounds' labels beside the first
        if more != path:
            rows += _lines(more)
    labels = {j["flag_id"]: j for j in rows}
    judged_items = {}  # every round's flags (flags-to-judge.jsonl, flags-to-judge-3.jsonl, …) beside the labels
    for items in sorted(Path(path).parent.glob("flags-to-judge*.jsonl")):
        judged_items.update({d["flag_id"]: d for d in _lines(items)})
    keys = {fid: {_vkey(v["article_id"], v.get("sentence"), v.get("figure_text")) for v in d["values"]}
            for fid, d in judged_items.items()}
    matched: dict[str, tuple[str, dict]] = {}  # today's flag id -> (judged flag id, label)
    unlabelled = []
    for fid, (name, f) in all_flags.items():
        if fid in labels:
            matched[fid] = (fid, labels[fid])
            continue
        mine = {_vkey(v.article_id, v.text, v.number_text) for v in f.values}
        home = next((j for j, ks in keys.items() if mine <= ks and j in labels), None)
        if home is not None and labels[home]["label"] in ("real", "false"):
            matched[fid] = (home, labels[home])
        else:
            unlabelled.append(fid)
    half_of = {fid: judged_items.get(j, {}).get("half") for fid, (j, _) in matched.items()}
    for fid in unlabelled:
        half_of[fid] = flag_half(all_flags[fid][1], known or {})
    gone = set(labels) - {j for j, _ in matched.values()}
    print(f"\nflags now: {len(all_flags)}; judged: {len(labels)} ({dict(Counter(j['label'] for j in labels.values()))}); "
          f"judged and still raised: {len(matched)} ({sum(1 for f, (j, _) in matched.items() if f != j)} through their "
          f"values); raised but never judged: {len(unlabelled)}; judged flags no longer raised: {len(gone)} "
          f"({dict(Counter(labels[g]['label'] for g in gone))})")
    for h in _halves(half):
        sel = [(fid, lab) for fid, (_, lab) in matched.items() if h == "A+B" or half_of.get(fid) == h]
        real = sum(1 for _, j in sel if j["label"] == "real")
        partly = sum(1 for _, j in sel if j["label"] == "partly_real")
        new = sum(1 for fid in unlabelled if h == "A+B" or half_of.get(fid) == h)
        print(f"**flags, half {h}**: precision {_ratio(real, len(sel))} (counting partly real: "
              f"{_ratio(real + partly, len(sel))}); false by cause: "
              f"{dict(Counter(j.get('cause') for _, j in sel if j['label'] != 'real'))}; not yet labelled: {new}")
        by_set = Counter(all_flags[fid][0] for fid, _ in sel)
        print("  by set: " + ", ".join(f"{k} {sum(1 for fid, j in sel if all_flags[fid][0] == k and j['label'] == 'real')}/{n}"
                                      for k, n in sorted(by_set.items())))
        # the judged flags no longer raised: what the change took away, by label (real ones lost are recall lost)
        g = [labels[x] for x in gone if h == "A+B" or judged_items.get(x, {}).get("half") == h]
        print(f"  judged flags no longer raised: {dict(Counter(x['label'] for x in g))}")
        if show and (h == show):
            for fid, (j, lab) in sorted(matched.items()):
                if half_of.get(fid) == h and lab["label"] != "real":
                    print(f"    - {lab['label']}/{lab.get('cause')}: {lab.get('reason', '')[:160]}")
            for x in sorted(gone):
                if judged_items.get(x, {}).get("half") == h:
                    print(f"    gone {labels[x]['label']}/{labels[x].get('cause')}: {labels[x].get('reason', '')[:160]}")
    return unlabelled


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


def reader_pairs(store, found: list[dict], halves: dict, flagged: set) -> list[dict]:
    """The reader's disagreements whose articles are in this store: each side's claim today, whether the pair
    is flagged, and the check that decided it."""
    out = []
    have = {a.id for a in store.articles()}
    for item in found:
        for d in item.get("disagreements") or ():
            arts = {d["a"].get("article_id"), d["b"].get("article_id")}
            if not arts <= have:
                continue
            claims = {x: [c for c in store.claims(x)] for x in arts}
            a, b = _match(claims, d["a"]), _match(claims, d["b"])
            row = {"item_id": item["item_id"], "half": halves.get(item["item_id"]), "a": d["a"], "b": d["b"],
                   "reason": d.get("reason"), "matched": a is not None and b is not None, "flagged": False,
                   "decided": "no_claim" if a is None or b is None else None,
                   "sides": [x.to_dict() if x is not None else None for x in (a, b)]}
            if row["matched"]:
                if a.id == b.id:
                    row["decided"] = "one_claim"
                else:
                    row["flagged"] = frozenset((a.id, b.id)) in flagged
                    row["decided"] = decide(store, a, b)
            out.append(row)
    return out


def reader_item_flags(store, flags, items: list[dict], found: list[dict]) -> list[dict]:
    """The flags raised inside the reader's items (drawn at random, read whole): each holds a disagreement the
    readers listed (both of its sides among the flag's values) or not — precision on a random sample of items."""
    listed = {f["item_id"]: f.get("disagreements") or () for f in found}
    have = {a.id for a in store.articles()}
    out = []
    for item in items:
        arts = {a["article_id"] for a in item["articles"]}
        if not arts <= have or item["item_id"] not in listed:
            continue
        claims = {x: list(store.claims(x)) for x in arts}
        pairs = []
        for d in listed[item["item_id"]]:
            a, b = _match(claims, d["a"]), _match(claims, d["b"])
            if a is not None and b is not None:
                pairs.append({a.id, b.id})
        for f in flags:
            ids = {v.claim_id for v in f.values}
            if {v.article_id for v in f.values} <= arts:
                out.append({"item_id": item["item_id"], "half": item["half"], "flag_id": f.id,
                            "listed": any(p <= ids for p in pairs)})
    return out


def score_reader_flags(rows: list[dict], half: str) -> None:
    for h in _halves(half):
        sel = [r for r in rows if h == "A+B" or r["half"] == h]
        hit = sum(1 for r in sel if r["listed"])
        print(f"**flags inside the reader's items, half {h}**: {_ratio(hit, len(sel))} hold a disagreement the readers "
              f"listed (precision on items drawn at random)")


def _match(claims: dict, side: dict):
    """The claim a reader's side names: in its article, inside its sentence, with its figure (a toll kind first)."""
    import re

    sentence = " ".join((side.get("sentence") or "").split())
    figure = " ".join((side.get("figure") or "").split()).strip().casefold()
    digits = re.sub(r"[^0-9]", "", figure)
    hits = []
    for c in claims.get(side.get("article_id"), []):
        text = " ".join((c.text or "").split())
        if not (sentence and (sentence[:60] in text or text[:60] in sentence or text in sentence)):
            continue
        nt = " ".join((c.number_text or "").split()).casefold()
        if figure and (figure in nt or nt in figure) or (digits and digits == re.sub(r"[^0-9]", "", nt)) or \
                (digits and c.min is not None and str(int(c.min)) == digits):
            hits.append(c)
    hits.sort(key=lambda c: (c.kind not in ("killed", "wounded"), c.number_start or 0))
    return hits[0] if hits else None


def score_reader(rows: list[dict], found: list[dict], halves: dict, half: str, show: str | None) -> None:
    """Recall of the disagreements readers found (the second round's reader-articles): flagged / found."""
    items = Counter(halves.get(i["item_id"]) for i in found)
    for h in _halves(half):
        sel = [r for r in rows if h == "A+B" or r["half"] == h]
        hit = sum(1 for r in sel if r["flagged"])
        print(f"\n**reader recall, half {h}** ({sum(n for k, n in items.items() if h == 'A+B' or k == h)} items): "
              f"{_ratio(hit, len(sel))} of the disagreements readers found; "
              f"{sum(1 for r in sel if not r['matched'])} with a figure the claims stage does not give; "
              f"missed by check: {dict(Counter(r['decided'] for r in sel if not r['flagged']))}")
        if show and h == show:
            for r in sel:
                if r["flagged"]:
                    continue
                print(f"  - {r['item_id']} [{r['decided']}] {r['reason'][:140] if r['reason'] else ''}")
                for k in "ab":
                    side = r[k]
                    print(f"      {k}: {side.get('figure')!r} | {' '.join((side.get('sentence') or '').split())[:200]}")


def _find_claim(claims: list, side: dict):
    """The claim of a judged side in today's store: same article, sentence and figure, same kind."""
    hit = _match({side["article_id"]: [c for c in claims if c.kind == side.get("kind")]},
                 {"article_id": side["article_id"], "sentence": side.get("sentence"), "figure": side.get("number_text")})
    return hit


def resolve_pairs(store, name: str, meta: dict, candidates: dict, resolved: dict, decided: dict | None) -> None:
    """Judged pairs of one set → today's claim ids (and, with ``decided``, the check that decides each)."""
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
        decided[pid] = decide(store, *pair)


def decide(store, a, b) -> str:
    """The check that decides a pair of claims today (``compare``'s reason; ``event:…`` across articles)."""
    from veille.enrich.contradictions import article_readings, compare
    from veille.enrich.timex import find_times
    from veille.link.crosscheck import _readings, same_incident

    arts = {a.article_id, b.article_id}
    by_id = {c.id: c for x in arts for c in store.claims(x)}
    docs = {x: store.get_article(x) for x in arts}
    evs = {e.event_id: e for x in arts for e in store.events(x, story_level=False)}
    if a.article_id == b.article_id:
        art = docs[a.article_id]
        cs = sorted(by_id.values(), key=lambda c: (c.start, c.id))
        rs = {r.claim.id: r for r in article_readings(cs, art, places=art.places, events=list(evs.values()),
                                                      times=find_times(art.text, art.published_at, art.language or "en"),
                                                      lang=art.language)}
        return compare(rs[a.id], rs[b.id]).reason
    rs = {r.claim.id: r for r in _readings(list(by_id.values()), docs, evs)}
    why_not = same_incident(rs[a.id].event, rs[b.id].event)
    v = compare(rs[a.id], rs[b.id], same_event=why_not is None, across=True)
    return f"event:{why_not}" if v.reason == "event" else v.reason


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
