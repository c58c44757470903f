"""The development sets the contradiction benchmarks read, as veille Articles, run through the
current pipeline into one SQLite store per set (cached under ``--work``).

Shared by ``bench/contradiction_candidates.py`` (draws the pairs a reviewer labels) and
``bench/contradictions.py`` (scores the flags against those labels, counts flags per 100
articles). Each set keeps what it knows about incidents (``gold_group``): GVA's incident id,
Airwars' and ACLED's one record = one incident; FA-KES and the sample have none.

Nothing here is written into the repository: the stores live in the work directory (ACLED
notes must never be committed).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from veille.records import Article  # noqa: E402

DATA = Path("/work/shared/data")
SAMPLE = Path("/work/shared/samples/revue-syrie-2019-01.txt")
SETS = ("sample", "fakes", "gva", "airwars", "acled")


@dataclass
class Item:
    article: Article
    gold_group: str | None  # the incident the set says the article is about, when it says


def _domain(url: str) -> str:
    """The outlet of a GVA row: the host of the archived page (after web.archive.org/web/<ts>/)."""
    m = re.match(r"https?://web\.archive\.org/web/\d+[a-z_]*/(.*)$", url)
    host = urlparse(m.group(1) if m else url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def load_set(name: str) -> list[Item]:
    if name == "sample":
        from veille.extract import Context, extract
        from veille.outlets import load_registry
        from veille.records import RawDoc
        from veille.settings import Settings

        raw = RawDoc(content=SAMPLE.read_bytes(), source=str(SAMPLE), media_type="text/plain")
        return [Item(a, None) for a in extract(raw, Context(load_registry(), Settings())).articles]
    if name == "fakes":
        out = []
        for r in csv.DictReader(open(DATA / "fakes-dev" / "fakes-dev.csv", encoding="utf-8")):
            d = datetime.strptime(r["date"], "%m/%d/%y").date().isoformat() if r.get("date") else None
            out.append(Item(Article(id=f"fakes-{r['unit_id']}", text=r["article_content"], title=r["article_title"],
                                    published_at=d, date_precision="day", language="en",
                                    outlet=r.get("source") or None), None))
        return out
    rows = [json.loads(line) for line in _path(name).read_text(encoding="utf-8").splitlines() if line.strip()]
    if name == "gva":
        return [Item(Article(id=f"gva-{r['id'][:12]}", text=r["text"], title=r.get("title"), published_at=r.get("date"),
                             date_precision="day", language="en", outlet=_domain(r.get("source") or "")),
                     f"gva:{r['story_id']}") for r in rows]
    if name == "airwars":
        return [Item(Article(id=f"airwars-{r['id']}", text=r["text"], title=None, published_at=r.get("date"),
                             date_precision="day", language="en", outlet="airwars"), f"airwars:{r['id']}") for r in rows]
    if name == "acled":
        return [Item(Article(id=f"acled-{r['id']}", text=r["text"], title=None, published_at=r.get("date"),
                             date_precision="day", language="en", outlet="acled"), f"acled:{r['id']}") for r in rows]
    raise SystemExit(f"unknown set {name!r} (one of {', '.join(SETS)})")


def _path(name: str) -> Path:
    return {"gva": DATA / "stories-dev" / "gva-dev.jsonl",
            "airwars": DATA / "events-world-dev" / "airwars-gaza-dev.jsonl",
            "acled": DATA / "events-world-dev" / "acled-burkina-dev.jsonl"}[name]


def build_store(name: str, work: Path, *, rebuild: bool = False, link: bool = True):
    """ingest (as records) → analyze → link one set into ``work/<name>.db``; returns the open Store."""
    from veille.enrich import analyze_article, load_pipeline
    from veille.link import link_store
    from veille.store import Store

    work.mkdir(parents=True, exist_ok=True)
    path = work / f"{name}.db"
    if rebuild and path.exists():
        for p in work.glob(f"{name}.db*"):
            p.unlink()
    fresh = not path.exists()
    store = Store(path)
    if fresh:
        nlp = load_pipeline()
        items = load_set(name)
        with store.transaction():
            # an exact copy (same text, same outlet) is stored once, as veille ingest does
            items = [it for it in items if store.upsert_article(it.article) != "duplicate"]
        for it in items:
            res = analyze_article(it.article, nlp)
            with store.transaction():
                store.update_article(res.article)
                store.replace_analysis(res.article.id, mentions=res.mentions, entities=res.entities, claims=res.claims,
                                       events=res.events, contradictions=res.contradictions)
        if link:
            with store.transaction():
                link_store(store)
    return store
