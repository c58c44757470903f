"""Parquet tables and the `veille run` exports, from the job's RDDs.

Parquet: one table per record type, a few typed columns to filter and join on, and
``record`` — the record's ``to_dict()`` as JSON, like the SQLite store keeps it — so no
field is lost and adding a field never changes a schema.

Exports: written by the functions ``veille run`` uses (``publish.export``), in the order
the store returns rows, so ``articles.jsonl``, ``claims.jsonl``, ``events.csv``,
``events.geojson``, ``stories.jsonl`` and ``contradictions.jsonl`` have the same fields
and layout whichever command made them. Rows stream to the driver partition by partition
(``toLocalIterator``): the driver never holds a whole table.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

TABLES = ("articles", "claims", "events", "mentions", "entities", "stories", "contradictions", "duplicates")

SCHEMAS = {
    "articles": "id string, url string, canonical_url string, outlet string, published_at string, language string, "
                "section string, title string, headline string, text string, record string",
    "claims": "id string, article_id string, kind string, min double, max double, qualifier string, subject string, "
              "text string, attributed_to array<string>, event_id string, record string",
    "events": "event_id string, article_id string, story_id string, event_date string, event_type string, "
              "sub_event_type string, country string, admin1 string, location string, latitude double, "
              "longitude double, fatalities long, record string",
    "mentions": "article_id string, start long, end long, label string, entity_id string, record string",
    "entities": "article_id string, id string, type string, name string, record string",
    "stories": "id string, title string, first_seen string, last_seen string, articles array<string>, "
               "outlets array<string>, languages array<string>, record string",
    "contradictions": "id string, story_id string, kind string, subject string, record string",
    # exact copies refused at ingest (the store's ``duplicates``): (source, copy id, original id)
    "duplicates": "source string, article_id string, of_article_id string",
}


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def _i(value: Any) -> int | None:
    return None if value is None else int(value)


def _j(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def article_row(a: dict) -> tuple:
    return (a["id"], a.get("url"), a.get("canonical_url"), a.get("outlet"), a.get("published_at"), a.get("language"),
            a.get("section"), a.get("title"), a.get("headline"), a.get("text"), _j(a))


def claim_row(c: dict) -> tuple:
    return (c["id"], c["article_id"], c.get("kind"), _f(c.get("min")), _f(c.get("max")), c.get("qualifier"),
            c.get("subject"), c.get("text"), list(c.get("attributed_to") or ()), c.get("event_id"), _j(c))


def event_row(e: dict, article_id: str | None, story_id: str | None = None) -> tuple:
    return (e["event_id"], article_id, story_id, e.get("event_date"), e.get("event_type"), e.get("sub_event_type"),
            e.get("country"), e.get("admin1"), e.get("location"), _f(e.get("latitude")), _f(e.get("longitude")),
            _i(e.get("fatalities")), _j(e))


def mention_row(m: dict) -> tuple:
    return (m["article_id"], _i(m["start"]), _i(m["end"]), m.get("label"), m.get("entity_id"), _j(m))


def entity_row(article_id: str, e: dict) -> tuple:
    return (article_id, e["id"], e.get("type"), e.get("name"), _j(e))


def story_row(s: dict) -> tuple:
    return (s["id"], s.get("title"), s.get("first_seen"), s.get("last_seen"), list(s.get("articles") or ()),
            list(s.get("outlets") or ()), list(s.get("languages") or ()), _j(s))


def contradiction_row(c: dict) -> tuple:
    return (c["id"], c.get("story_id"), c.get("kind"), c.get("subject"), _j(c))


def analysis_rows(row: tuple, articles: bool = True) -> Iterator[tuple[str, tuple]]:
    """One analysed article (worker.analyze_articles row) → (table, row) pairs.

    ``articles=False`` leaves out the article's own row: the job writes the articles table
    after the republication marks (``republish.mark``)."""
    article = json.loads(row.article)
    aid = article["id"]
    if articles:
        yield "articles", article_row(article)
    for m in json.loads(row.mentions):
        yield "mentions", mention_row(m)
    for e in json.loads(row.entities):
        yield "entities", entity_row(aid, e)
    for c in json.loads(row.claims):
        yield "claims", claim_row(c)
    for e in json.loads(row.events):
        yield "events", event_row(e, aid)
    for c in json.loads(row.contradictions):  # in-article contradictions (enrich)
        yield "contradictions", contradiction_row(c)


def parquet_dir(out: Path) -> Path:
    return Path(out) / "parquet"


def write_parquet(spark, tables: dict[str, Any], out: Path) -> None:
    """RDDs of row tuples → out/parquet/<table>/ (overwritten: the job's output is derived)."""
    for name in TABLES:
        df = spark.createDataFrame(tables[name], SCHEMAS[name])
        df.write.mode("overwrite").parquet(str(parquet_dir(out) / name))


def read_table(spark, out: Path, name: str):
    return spark.read.parquet(str(parquet_dir(out) / name))


def _records(df) -> Iterator[dict]:
    for row in df.select("record").toLocalIterator():
        yield json.loads(row.record)


def write_exports(spark, out: Path, settings) -> dict[str, int]:
    """The exports ``veille run`` writes, from the Parquet tables, with ``publish.export``."""
    from pyspark.sql import functions as F

    from ..publish.export import write_events_csv, write_geojson, write_jsonl
    from ..records import Claim, Contradiction, Event, Story
    from . import worker

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    reg = worker.registry(settings)
    counts: dict[str, int] = {}

    # store.articles(): ORDER BY published_at DESC (NULLs last in SQLite), id
    arts = read_table(spark, out, "articles").orderBy(F.col("published_at").desc_nulls_last(), F.col("id"))
    lines = arts.select("record").rdd.map(lambda r: r.record).mapPartitions(
        lambda it: worker.article_export_lines(it, settings))
    with open(out / "articles.jsonl", "w", encoding="utf-8") as f:
        n = 0
        for line in lines.toLocalIterator():
            f.write(line + "\n")
            n += 1
        counts["articles"] = n

    claims = read_table(spark, out, "claims").orderBy("article_id", "id")
    with open(out / "claims.jsonl", "w", encoding="utf-8") as f:
        counts["claims"] = write_jsonl((Claim.from_dict(d).to_dict() for d in _records(claims)), f)

    stories = read_table(spark, out, "stories").orderBy(F.col("last_seen").desc_nulls_last(), F.col("id"))
    with open(out / "stories.jsonl", "w", encoding="utf-8") as f:
        counts["stories"] = write_jsonl((Story.from_dict(d).to_dict() for d in _records(stories)), f)

    contras = read_table(spark, out, "contradictions").orderBy("id")
    with open(out / "contradictions.jsonl", "w", encoding="utf-8") as f:
        counts["contradictions"] = write_jsonl((Contradiction.from_dict(d).to_dict() for d in _records(contras)), f)

    # events_for_export(): story-level events when there are any, else per-article; ORDER BY event_date, event_id
    events = read_table(spark, out, "events")
    level = events.filter(F.col("story_id").isNotNull())
    if level.limit(1).count():
        events = level
    events = events.orderBy(F.col("event_date").asc_nulls_first(), F.col("event_id"))
    with open(out / "events.csv", "w", encoding="utf-8", newline="") as f:
        counts["events"] = write_events_csv((Event.from_dict(d) for d in _records(events)), f, reg)
    with open(out / "events.geojson", "w", encoding="utf-8") as f:
        write_geojson((Event.from_dict(d) for d in _records(events)), f)
    return counts
