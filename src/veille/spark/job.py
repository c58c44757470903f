"""`veille spark INPUT... --out DIR [--master URL] [--db PATH]`: the pipeline on Apache Spark.

Runs as ``veille spark``, ``python -m veille.spark.job`` or
``spark-submit $(python -c 'import veille.spark.submit as s; print(s.__file__)') INPUT... --out DIR``
(on a cluster, veille must be installed on every node, like any PySpark dependency).

Shape of the job (each arrow a narrow step unless marked):
  units (driver listing, balanced by size) → mapPartitions(iter_raw + extract_raw)
  → [shuffles] the store's ingest policy (ingest_policy: one id, one canonical URL, no exact copy)
  → mapPartitions(analyze_article) → Parquet tables
  → [LSH-band shuffles] republications (link.dedup's signatures and earliest_copy / find_republications)
  → [LSH-blocked shuffles] stories → Parquet → exports (publish.export) [→ SQLite store]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Mapping, Sequence

from ..settings import Settings


def run(inputs: Sequence[str], out: Path, master: str | None = None, *, settings: Settings, db: Path | None = None,
        conf: Mapping[str, str] | None = None, spark=None) -> dict:
    """The job; returns a summary ({'errors': [...], 'notices': [...], 'counts': {...}, 'seconds': …}).

    ``settings`` is the command's one ``Settings`` (outlet files, size caps, …), handed to every
    per-record function on the executors as the CLI hands it to its stages."""
    from pyspark import StorageLevel

    from . import admit, outputs, republish, stories, units, worker
    from .session import get_session

    started = time.perf_counter()
    out = Path(out)
    listing = units.expand(inputs)
    spark = spark or get_session(master, conf)
    sc = spark.sparkContext
    session_s = time.perf_counter() - started
    errors, notices = list(listing.errors), list(listing.notices)
    timings: dict[str, float] = {"session": round(session_s, 2)}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 2)
        clock[0] = now

    # 1. acquire + extract, one unit per record of the RDD, units balanced over partitions by size
    n_parts = max(1, min(len(listing.units), sc.defaultParallelism * 2))
    where = units.balance(listing.sizes, n_parts)
    work = (sc.parallelize([(where[i], (i, u)) for i, u in enumerate(listing.units)], n_parts)
            .partitionBy(n_parts, lambda p: p).values())
    extracted = work.mapPartitions(lambda it: worker.extract_units(it, settings)).persist(StorageLevel.MEMORY_AND_DISK)
    for kind, _i, _p, message in extracted.filter(lambda r: r[0] != "article").collect():
        (errors if kind == "error" else notices).append(message)
    lap("extract")

    # 2. the store's ingest policy (veille.ingest_policy): the later extraction of an id wins, the
    # first id of a canonical URL keeps it, an exact copy (same outlet and text) is refused
    versions = extracted.filter(lambda r: r[0] == "article").map(lambda r: ((r[1], r[2]), r[3]))
    articles, copies, admit_cache = admit.admit(versions)

    # 3. enrich, per article
    analyzed = articles.mapPartitions(lambda it: worker.analyze_articles(it, settings)).persist(StorageLevel.MEMORY_AND_DISK)
    errors += analyzed.filter(lambda r: r.error is not None).map(lambda r: r.error).collect()
    lap("analyze")
    rows = analyzed.flatMap(lambda r: outputs.analysis_rows(r, articles=False)).persist(StorageLevel.MEMORY_AND_DISK)
    tables = {name: rows.filter(lambda kv, name=name: kv[0] == name).values() for name in outputs.TABLES}

    # 3b. republications, by the link stage's rule (link.dedup): MinHash per record, LSH-band shuffle,
    # earliest_copy per article, find_republications per record; the articles table gets the marks
    marked, marked_cache, n_copies = republish.mark(analyzed.map(lambda r: r.article))
    tables["articles"] = marked.map(lambda record: outputs.article_row(json.loads(record)))
    tables["duplicates"] = copies
    lap("republications")

    # 4. stories by the CLI's story algorithm: features on the executors (vectors, furniture), then
    # link.batch.assign_stories — link_batch itself — over the whole batch on the driver
    marked = marked.persist(StorageLevel.MEMORY_AND_DISK)
    story_rdd, story_counts = stories.build_stories(
        marked, analyzed.map(lambda r: (json.loads(r.article)["id"], r.mentions)), copies)
    story_rdd = story_rdd.persist(StorageLevel.MEMORY_AND_DISK)
    tables["stories"] = story_rdd.map(outputs.story_row)
    lap("stories")

    # 5. per story: contradictions and story-level events, by the link stage's own rules, on the
    # records the CLI's crosscheck_stories reads (articles with their republication marks)
    multi = story_rdd.filter(lambda s: len(s["articles"]) > 1).flatMap(lambda s: ((a, s["id"]) for a in s["articles"]))
    checked = (marked.map(lambda r: (json.loads(r)["id"], r))
               .join(analyzed.map(lambda r: (json.loads(r.article)["id"], (r.claims, r.events, r.contradictions))))
               .map(lambda kv: (kv[0], (kv[1][0], *kv[1][1])))
               .join(multi)
               .map(lambda kv: (kv[1][1], kv[1][0]))
               .groupByKey()
               .flatMap(lambda kv: stories.crosscheck(kv[0], kv[1]))
               .persist(StorageLevel.MEMORY_AND_DISK))
    tables["contradictions"] = tables["contradictions"].union(  # in-article ones (enrich) + per story (link)
        checked.filter(lambda kv: kv[0] == "contradiction").map(lambda kv: outputs.contradiction_row(kv[1])))
    tables["events"] = tables["events"].union(
        checked.filter(lambda kv: kv[0] == "event").map(lambda kv: outputs.event_row(kv[1][1], None, kv[1][0])))
    outputs.write_parquet(spark, tables, out)
    lap("crosscheck+parquet")
    for rdd in (checked, story_rdd, marked, rows, analyzed, extracted, *marked_cache, *admit_cache):
        rdd.unpersist()

    # 6. the exports `veille run` writes, and (optionally) the SQLite store for the UI
    counts = outputs.write_exports(spark, out, settings)
    counts["republished"] = n_copies  # copies found by MinHash (declared credits are counted in articles.jsonl)
    lap("exports")
    if db is not None:
        from .load import load_parquet

        load_parquet(out, db, spark=spark)
    return {"errors": errors, "notices": notices, "counts": counts, "units": len(listing.units),
            "seconds": time.perf_counter() - started, "timings": timings}


def main(inputs: Sequence[str], out: Path, master: str | None = "local[*]", db: Path | None = None,
         conf: Mapping[str, str] | None = None, *, settings: Settings) -> int:
    """Entry point of `veille spark`: exit 0, or 1 when some inputs failed (each named on stderr)."""
    from .session import java_available

    if not inputs:
        print("veille spark: give at least one input", file=sys.stderr)
        return 2
    if not java_available():
        print("veille spark: Spark needs Java 17 (install openjdk-17-jre-headless, or set JAVA_HOME)", file=sys.stderr)
        return 2
    try:
        summary = run(inputs, Path(out), master, settings=settings, db=db, conf=conf)
    except Exception as exc:  # a cluster/JVM failure: one line, not a Java stack trace
        first = next((line for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        print(f"veille spark: the Spark job failed: {first[:300]} (VEILLE_SPARK_LOG=WARN shows Spark's log)", file=sys.stderr)
        return 1
    if os.environ.get("VEILLE_SPARK_SUMMARY"):  # for bench/spark.py: stage timings as JSON
        Path(os.environ["VEILLE_SPARK_SUMMARY"]).write_text(json.dumps(summary, default=str), encoding="utf-8")
    for line in summary["notices"]:
        print(f"note: {line}", file=sys.stderr)
    for line in summary["errors"]:
        print(f"error: {line}", file=sys.stderr)
    c = summary["counts"]
    print(f"{c.get('articles', 0)} article(s), {c.get('claims', 0)} claim(s), {c.get('events', 0)} event(s), "
          f"{c.get('stories', 0)} stor(y/ies) from {summary['units']} input(s) in {summary['seconds']:.1f}s "
          f"({', '.join(f'{k} {v:.0f}s' for k, v in summary['timings'].items())})"
          f"{'; ' + str(len(summary['errors'])) + ' problem(s)' if summary['errors'] else ''}; output: {out}",
          file=sys.stderr)
    return 1 if summary["errors"] else 0


def _cli(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="veille.spark.job", description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", help="files, folders, WARC, JSONL, @LIST (one input per line)")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--master", default=None, help="Spark master (default: spark-submit's, else local[*])")
    parser.add_argument("--db", default=None, type=Path, help="also load the result into this SQLite store")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="extra Spark settings")
    args = parser.parse_args(argv)
    conf = dict(kv.split("=", 1) for kv in args.conf if "=" in kv)
    settings = Settings(out=args.out, **({"db": args.db} if args.db else {}))  # this entry point's one Settings
    return main(args.inputs, args.out, args.master, db=args.db, conf=conf, settings=settings)


if __name__ == "__main__":
    sys.exit(_cli())
