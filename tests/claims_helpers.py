"""Shared loaders for the issue-5 tests: the sample's articles and FA-KES fixture rows."""

from __future__ import annotations

import csv
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from veille.enrich.lexicon import fold
from veille.extract import Context, extract
from veille.outlets import load_registry
from veille.records import Article, RawDoc
from veille.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "revue-syrie-2019-01.txt"
FAKES = Path(__file__).parent / "fixtures" / "fakes-claims.csv"


@lru_cache(maxsize=1)
def sample_articles() -> tuple[Article, ...]:
    raw = RawDoc(content=SAMPLE.read_bytes(), source=str(SAMPLE), media_type="text/plain")
    return tuple(extract(raw, Context(load_registry(), Settings())).articles)


def sample_article(outlet: str, title_word: str) -> Article:
    for a in sample_articles():
        titles = fold(" ".join(x for x in (a.headline, a.title) if x))
        if a.outlet == outlet and fold(title_word) in titles:
            return a
    raise LookupError(f"no {outlet} article about {title_word!r} in the sample")


@lru_cache(maxsize=1)
def fakes_rows() -> dict[str, dict]:
    return {r["unit_id"]: r for r in csv.DictReader(open(FAKES, encoding="utf-8"))}


def fakes_article(unit_id: str) -> Article:
    r = fakes_rows()[unit_id]
    d = datetime.strptime(r["date"], "%m/%d/%y").date().isoformat()
    return Article(id=f"fakes-{unit_id}", text=r["article_content"], title=r["article_title"], published_at=d,
                   date_precision="day", language="en", outlet=r["source"] or None)
