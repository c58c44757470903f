"""The story dev sets as enriched records, cached under /tmp/stories/ (bench/stories.py).

Each dev row becomes an ``Article`` and goes through the real enrich pipeline
(``analyze_article``: places, main event, claims, mentions), so the linker is measured on
what it will see in production, not on gold fields. Enrichment is slow (spaCy), so the
result is cached per set in ``/tmp/stories/<set>-<key>.jsonl``; the key hashes the dev file
and the enrich code, so a change on main (geo, events, claims) re-enriches.

    PYTHONPATH=src .venv/bin/python bench/stories_data.py gva basil   # prepare the caches
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = Path("/work/shared/data/stories-dev")
SETS = {"gva": DATA / "gva-dev.jsonl", "basil": DATA / "basil-dev.jsonl",
        "fakes": Path("/work/shared/data/fakes-dev/fakes-dev.csv")}
CACHE = Path("/tmp/stories")


def outlet_of(row: dict) -> str | None:
    """GVA's ``source`` is a Wayback Machine URL: the outlet is the archived page's host."""
    src = row.get("source") or ""
    if "://" not in src:
        return src or None
    path = urlsplit(src).path
    inner = path.split("/", 3)[-1] if path.startswith("/web/") else src
    host = urlsplit(inner if "://" in inner else "http://" + inner).hostname or ""
    return host.removeprefix("www.") or None


def to_article(row: dict):
    from veille.records import Article

    return Article(id=row["id"], text=row["text"], title=row.get("title"), outlet=outlet_of(row),
                   published_at=row.get("date"), language=row.get("lang"))


def _code_key() -> str:
    import os

    if os.environ.get("STORIES_CACHE_KEY"):  # reuse an earlier enrichment (cost benchmarks, feature trials)
        return os.environ["STORIES_CACHE_KEY"]
    h = hashlib.sha1()
    for p in sorted((ROOT / "src" / "veille" / "enrich").rglob("*.py")) + sorted((ROOT / "src" / "veille" / "data").rglob("*")):
        if p.is_file() and not p.name.startswith("link_"):  # the linker's own model is not enrichment
            h.update(p.read_bytes())
    return h.hexdigest()[:10]


def fakes_rows() -> list[dict]:
    """FA-KES (Syrian war, 2013–2017) as story rows. It has no story labels: each row is an
    outlet's article about one event, so the silver story of a row is its article (rows that
    share outlet and title are one article split by event). Only false merges can be counted
    on it: every merge across articles is read by hand (``stories.py fakes``)."""
    import csv
    from datetime import datetime

    out = []
    with SETS["fakes"].open(encoding="utf-8", newline="") as fh:
        for i, r in enumerate(csv.DictReader(fh)):  # unit_id is not unique (182 of 185)
            day = datetime.strptime(r["date"], "%m/%d/%y").date().isoformat()
            out.append({"id": f"fakes-{i}-{r['unit_id']}", "story_id": f"{r['source']}|{r['article_title']}", "lang": "en",
                        "date": day, "title": r["article_title"], "text": r["article_content"], "source": r["source"],
                        "location": {"admin1": r["location"]}})
    return out


def load_rows(name: str) -> list[dict]:
    if name == "fakes":
        return fakes_rows()
    return [json.loads(x) for x in SETS[name].read_text(encoding="utf-8").splitlines() if x.strip()]


def enriched(name: str, *, refresh: bool = False) -> list[dict]:
    """[{row, article, mentions, claims, events}] for every row of a set (cached)."""
    rows = load_rows(name)
    key = hashlib.sha1(SETS[name].read_bytes()).hexdigest()[:8] + ("r2" if name == "fakes" else "") + "-" + _code_key()
    path = CACHE / f"{name}-{key}.jsonl"
    if path.exists() and not refresh:
        return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    from veille.enrich import analyze_article, load_pipeline

    nlp = load_pipeline()
    out = []
    for i, row in enumerate(rows):
        res = analyze_article(to_article(row), nlp)
        out.append({"row": row, "article": res.article.to_dict(), "mentions": [m.to_dict() for m in res.mentions],
                    "claims": [c.to_dict() for c in res.claims], "events": [e.to_dict() for e in res.events],
                    "entities": [e.to_dict() for e in res.entities]})
        if i % 100 == 0:
            print(f"{name}: {i}/{len(rows)}", file=sys.stderr, flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), encoding="utf-8")
    tmp.replace(path)
    return out


if __name__ == "__main__":
    for n in sys.argv[1:] or list(SETS):
        print(n, len(enriched(n, refresh="--refresh" in sys.argv)))


VECTORS = CACHE / "vectors.npz"


def cached_vectors(articles) -> dict:
    """text key → unit vector for these articles (USE computed once, kept in /tmp/stories/)."""
    import numpy as np

    from veille.link.embed import Embedder, story_text, text_key

    have = {}
    if VECTORS.exists():
        z = np.load(VECTORS)
        have = dict(zip(z["keys"].tolist(), z["mat"]))
    texts = {text_key(story_text(a)): story_text(a) for a in articles}
    todo = sorted(k for k in texts if k not in have)
    if todo:
        mat = Embedder().encode([texts[k] for k in todo])
        have.update(zip(todo, mat))
        CACHE.mkdir(parents=True, exist_ok=True)
        keys = sorted(have)
        np.savez(VECTORS, keys=np.array(keys), mat=np.stack([have[k] for k in keys]))
    return {k: have[k] for k in texts}


def build_store(recs: list[dict], path):
    """A store holding these enriched records (articles, analysis, cached vectors), ready to link."""
    from veille.link.embed import story_text, text_key
    from veille.link.state import LinkState
    from veille.records import Article, Claim, Entity, Event, Mention
    from veille.store import Store

    store = Store(path)
    arts = [Article.from_dict(r["article"]) for r in recs]
    vecs = cached_vectors(arts)
    with store.transaction():
        state = LinkState(store)
        for a, r in zip(arts, recs):
            if store.upsert_article(a) == "duplicate":
                continue
            store.update_article(a)
            store.replace_analysis(a.id, mentions=[Mention.from_dict(m) for m in r["mentions"]],
                                   entities=[Entity.from_dict(e) for e in r["entities"]],
                                   claims=[Claim.from_dict(c) for c in r["claims"]], events=[Event.from_dict(e) for e in r["events"]])
            k = text_key(story_text(a))
            state.put_vectors([(a.id, k, vecs[k])])
    return store


def predicted(store) -> dict:
    """article id → story id, copies refused at ingest included (they are in their original's story)."""
    out = {}
    for s in store.stories():
        for a in (*s.articles, *s.copies):
            out[a] = s.id
    return out
