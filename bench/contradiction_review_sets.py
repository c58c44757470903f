"""Two more sets for a reviewer kept apart from the rules (issue 20's measure, second round).

    PYTHONPATH=src .venv/bin/python bench/contradiction_review_sets.py [--work /tmp/contra/stores]
        [--out /work/team/contra] [--articles 30] [--seed 20]

The first judged set (``bench/contradiction_candidates.py``) holds few real disagreements (6 of
335 pairs): too few to measure recall, and its pairs were drawn before the rules, so few of them
are flags. This draws:

- ``flags-to-judge.jsonl``: **every flag** the code of the day raises on the development sets
  (the issue's precision is measured on flags: "a random sample of flags" — here all of them),
  each with its values (figure, qualifier, speakers, outlet, date, sentence, paragraph) and
  the titles of its articles; the explanation the code gives is left out so the reviewer judges
  from the text. Label: real | partly_real | false, with the cause when false.
- ``reader-articles.jsonl``: a random sample of articles (per set, ``--articles`` each from
  FA-KES and Airwars, and GVA incidents with two or more articles, all their articles), drawn
  with no look at figures or flags. The reviewer reads them whole and lists every real
  disagreement a reader finds (two figures of one quantity — same victims, same incident, same
  time frame — that cannot both be true), quoting both sentences and figures. Recall is measured
  on these.
Both carry a ``half`` (A = development, B = held out, by a hash of the article or incident; an
article of the first set keeps that set's half). ACLED is left out (its notes hold one figure).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from contra_data import build_store, load_set  # noqa: E402
from contradictions import recompute  # noqa: E402


def _half(key: str, known: dict[str, str]) -> str:
    if key in known:
        return known[key]
    return "A" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0 else "B"


def _paragraph(text: str, start: int, end: int, limit: int = 1200) -> str:
    lo = text.rfind("\n\n", 0, start)
    hi = text.find("\n\n", end)
    para = text[lo + 2 if lo >= 0 else 0: hi if hi >= 0 else len(text)].strip()
    return para if len(para) <= limit else para[:limit] + "…"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", default="/tmp/contra/stores")
    ap.add_argument("--out", default="/work/team/contra")
    ap.add_argument("--articles", type=int, default=30)
    ap.add_argument("--incidents", type=int, default=15)
    ap.add_argument("--seed", type=int, default=20)
    args = ap.parse_args()
    out = Path(args.out)
    known: dict[str, str] = {}
    meta = out / "candidates-meta.jsonl"
    if meta.exists():
        for m in map(json.loads, meta.read_text(encoding="utf-8").splitlines()):
            for a in m.get("articles") or ():
                known[a] = m["half"]
    rnd = random.Random(args.seed)
    flags_out, reader_out = [], []
    for name in ("sample", "fakes", "gva", "airwars"):
        store = build_store(name, Path(args.work))
        inside, across, _evolution, _n = recompute(store)
        for f in inside + across:
            values = []
            for v in f.values:
                art = store.get_article(v.article_id)
                values.append({"article_id": v.article_id, "outlet": v.outlet, "title": art.title if art else None,
                               "published_at": v.published_at, "figure_text": v.number_text, "min": v.min, "max": v.max,
                               "qualifier": v.qualifier, "subject": v.subject, "speakers": list(v.attributed_to),
                               "sentence": v.text,
                               "paragraph": _paragraph(art.text, v.start or 0, v.end or 0) if art and v.start is not None else None})
            halves = {_half(v.article_id, known) for v in f.values}
            flags_out.append({"flag_id": f.id, "set": name, "scope": "one article" if f.story_id is None else "two articles",
                              "kind": f.kind, "values": values, "half": "B" if "B" in halves else "A"})
        items = load_set(name)
        stored = {a.id: a for a in store.articles()}
        if name in ("fakes", "airwars"):
            pool = sorted(a for a in stored)
            for aid in rnd.sample(pool, min(args.articles, len(pool))):
                a = stored[aid]
                reader_out.append({"item_id": aid, "set": name, "half": _half(aid, known), "articles": [
                    {"article_id": aid, "outlet": a.outlet, "title": a.title, "published_at": a.published_at, "text": a.text}]})
        elif name == "gva":
            groups = defaultdict(list)
            for it in items:
                if it.article.id in stored:
                    groups[it.gold_group].append(it.article.id)
            pool = sorted(g for g, ids in groups.items() if len(ids) >= 2)
            for g in rnd.sample(pool, min(args.incidents, len(pool))):
                ids = sorted(groups[g])
                halves = {_half(i, known) for i in ids}
                half = "B" if "B" in halves else ("A" if "A" in halves else _half(g, {}))
                reader_out.append({"item_id": g, "set": name, "half": half, "articles": [
                    {"article_id": i, "outlet": stored[i].outlet, "title": stored[i].title,
                     "published_at": stored[i].published_at, "text": stored[i].text} for i in ids]})
        store.close()
    (out / "flags-to-judge.jsonl").write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in flags_out), encoding="utf-8")
    (out / "reader-articles.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reader_out),
                                               encoding="utf-8")
    print(f"{len(flags_out)} flags, {len(reader_out)} reader items ({sum(len(r['articles']) for r in reader_out)} articles) → {out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
