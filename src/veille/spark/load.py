"""Parquet output of the Spark job → the SQLite store the web UI reads.

Why a loader and not the job writing SQLite: SQLite has one writer, executors are many
(and on other machines). The job writes Parquet in parallel; this loads it through the
``Store`` API (``upsert_article``, ``update_article``, ``replace_analysis``,
``replace_stories``) so the database is the one ``veille run`` would have built, FTS index
and analysed marks included. Rows stream per article (claims, mentions, entities and
events grouped by Spark), in batches of one transaction each.

Reading Parquet needs Spark here (no pyarrow in the dependencies); a running session is reused.
"""

from __future__ import annotations

import json
from pathlib import Path

BATCH = 2000


def load_parquet(out_dir: Path | str, db_path: Path | str, *, spark=None) -> dict[str, int]:
    """Load ``out_dir/parquet/*`` into the store at ``db_path``; returns counts per table."""
    from pyspark.sql import functions as F

    from ..records import Article, Claim, Contradiction, Entity, Event, Mention, Story
    from ..store import Store
    from .outputs import read_table
    from .session import get_session

    spark = spark or get_session(None, {"spark.driver.memory": "1g"})
    out_dir = Path(out_dir)
    grouped = {name: read_table(spark, out_dir, name).groupBy("article_id").agg(F.collect_list("record").alias(name))
               for name in ("mentions", "entities", "claims", "events")}
    joined = read_table(spark, out_dir, "articles").select(F.col("id").alias("article_id"), "record")
    for name, df in grouped.items():
        joined = joined.join(df, "article_id", "left")
    counts = {"articles": 0, "claims": 0, "events": 0, "mentions": 0, "stories": 0, "contradictions": 0}

    def batches(iterator):
        batch = []
        for item in iterator:
            batch.append(item)
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    with Store(db_path) as store:
        for batch in batches(joined.toLocalIterator()):
            with store.transaction():
                for row in batch:
                    article = Article.from_dict(json.loads(row.record))
                    store.upsert_article(article)
                    store.update_article(article)  # marks it analysed, as pipeline.analyze does
                    parts = {name: [json.loads(r) for r in (row[name] or [])] for name in grouped}
                    store.replace_analysis(
                        article.id,
                        mentions=[Mention.from_dict(d) for d in parts["mentions"]],
                        entities=[Entity.from_dict(d) for d in parts["entities"]],
                        claims=[Claim.from_dict(d) for d in parts["claims"]],
                        events=[Event.from_dict(d) for d in parts["events"]],
                    )
                    counts["articles"] += 1
                    counts["claims"] += len(parts["claims"])
                    counts["events"] += len(parts["events"])
                    counts["mentions"] += len(parts["mentions"])
        stories = [Story.from_dict(json.loads(r.record)) for r in read_table(spark, out_dir, "stories").select("record").toLocalIterator()]
        contras = [Contradiction.from_dict(json.loads(r.record))
                   for r in read_table(spark, out_dir, "contradictions").select("record").toLocalIterator()]
        story_events = [(r.story_id, Event.from_dict(json.loads(r.record)))
                        for r in read_table(spark, out_dir, "events").filter(F.col("story_id").isNotNull())
                        .select("story_id", "record").toLocalIterator()]
        with store.transaction():
            store.replace_stories(stories, contras, story_events)
            for r in read_table(spark, out_dir, "duplicates").toLocalIterator():
                store.record_duplicate(r.source, r.article_id, r.of_article_id)
        counts["stories"], counts["contradictions"] = len(stories), len(contras)
    return counts
