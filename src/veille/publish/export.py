"""Exports: JSONL (the record fields), ACLED-style CSV, GeoJSON, Parquet.

Why the outlet is expanded here and not stored expanded: the registry is data the user can
correct; an export always shows the current label.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import IO, Any, Iterable

from ..outlets import OutletRegistry
from ..records import Article, Event
from ..store import Store

KINDS = ("articles", "claims", "events", "stories", "contradictions")

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)


def article_record(article: Article, registry: OutletRegistry) -> dict[str, Any]:
    data = article.to_dict()
    outlet = registry.get(article.outlet)
    data["outlet"] = outlet.to_dict() if outlet else ({"id": article.outlet, "name": article.outlet} if article.outlet else None)
    return data


def records(store: Store, kind: str, registry: OutletRegistry, *, since: str | None = None,
            until: str | None = None) -> list[dict[str, Any]]:
    if kind == "articles":
        return [article_record(a, registry) for a in store.articles(since=since, until=until)]
    if kind == "claims":
        return [c.to_dict() for c in store.claims()]
    if kind == "events":
        return [e.to_dict() for e in events_for_export(store)]
    if kind == "stories":
        return [s.to_dict() for s in store.stories()]
    if kind == "contradictions":
        return [c.to_dict() for c in store.contradictions()]
    raise ValueError(f"unknown export kind {kind!r} (one of {', '.join(KINDS)})")


def events_for_export(store: Store) -> list[Event]:
    """Story-level events when stories exist (merged across outlets), else per-article events."""
    story_events = store.events(story_level=True)
    return story_events or store.events(story_level=False)


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def acled_row(event: Event, registry: OutletRegistry | None = None) -> dict[str, Any]:
    from ..enrich.acled import acled_fields  # the event stage owns ACLED coding

    return acled_fields(event, registry)


def write_events_csv(events: Iterable[Event], out: IO[str], registry: OutletRegistry | None = None) -> int:
    writer = csv.DictWriter(out, fieldnames=list(ACLED_COLUMNS) + ["claims", "articles"], extrasaction="ignore")
    writer.writeheader()
    n = 0
    for event in events:
        row = acled_row(event, registry)
        row["claims"] = " ".join(event.claims)
        row["articles"] = " ".join(event.articles)
        writer.writerow(row)
        n += 1
    return n


def write_geojson(events: Iterable[Event], out: IO[str]) -> int:
    features = []
    for e in events:
        if e.latitude is None or e.longitude is None:
            continue
        props = e.to_dict()
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [e.longitude, e.latitude]},
                         "properties": props})
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)


def write_csv(rows: list[dict[str, Any]], out: IO[str]) -> int:
    if not rows:
        return 0
    keys = list(dict.fromkeys(k for r in rows for k in r))
    writer = csv.DictWriter(out, fieldnames=keys)
    writer.writeheader()
    for r in rows:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v for k, v in r.items()})
    return len(rows)


def export(store: Store, kind: str, fmt: str, out: IO[str], registry: OutletRegistry) -> int:
    if kind == "events" and fmt in ("csv", "geojson"):
        events = events_for_export(store)
        return write_events_csv(events, out, registry) if fmt == "csv" else write_geojson(events, out)
    rows = records(store, kind, registry)
    if fmt == "jsonl":
        return write_jsonl(rows, out)
    if fmt == "csv":
        return write_csv(rows, out)
    raise ValueError(f"format {fmt} is not available for {kind} (jsonl or csv; geojson for events)")


def write_all(store: Store, out_dir: Path, registry: OutletRegistry, *, since: str | None = None,
              until: str | None = None, article_ids: set[str] | None = None) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    arts = [r for r in records(store, "articles", registry, since=since, until=until)
            if article_ids is None or r["id"] in article_ids]
    keep = {r["id"] for r in arts}
    with open(out_dir / "articles.jsonl", "w", encoding="utf-8") as f:
        counts["articles"] = write_jsonl(arts, f)
    claims = [c.to_dict() for c in store.claims() if c.article_id in keep]
    with open(out_dir / "claims.jsonl", "w", encoding="utf-8") as f:
        counts["claims"] = write_jsonl(claims, f)
    stories = [s.to_dict() for s in store.stories() if keep & set(s.articles)]
    with open(out_dir / "stories.jsonl", "w", encoding="utf-8") as f:
        counts["stories"] = write_jsonl(stories, f)
    contras = [c.to_dict() for c in store.contradictions() if keep & {v.article_id for v in c.values}]
    with open(out_dir / "contradictions.jsonl", "w", encoding="utf-8") as f:
        counts["contradictions"] = write_jsonl(contras, f)
    events = [e for e in events_for_export(store) if keep & set(e.articles) or not e.articles]
    with open(out_dir / "events.csv", "w", encoding="utf-8", newline="") as f:
        counts["events"] = write_events_csv(events, f, registry)
    with open(out_dir / "events.geojson", "w", encoding="utf-8") as f:
        write_geojson(events, f)
    return counts


# ---- Parquet ---------------------------------------------------------------------------------
# The same tables as the Spark job's (``spark.outputs``): a few typed columns to filter and join
# on, and ``record``, the whole record as JSON, so a notebook or DuckDB gets every field and a
# corpus exported from the CLI or from Spark is read by the same query.

_ARROW_TYPES = {"string": "string", "double": "float64", "long": "int64", "array<string>": "list<string>"}


def arrow_schema(kind: str):
    """The pyarrow schema of one table, from the Spark job's DDL (one definition for both)."""
    import pyarrow as pa

    from ..spark.outputs import SCHEMAS

    fields = []
    for col in SCHEMAS[kind].split(", "):
        name, typ = col.strip().split(" ", 1)
        t = _ARROW_TYPES[typ]
        fields.append(pa.field(name, pa.list_(pa.string()) if t == "list<string>" else pa.type_for_alias(t)))
    return pa.schema(fields)


def parquet_rows(store: Store, kind: str) -> Iterable[tuple]:
    """Row tuples of a table, by the Spark job's own row functions. Events: the per-article
    events (``article_id`` set) and the story-level ones merged across outlets (``story_id``)."""
    from ..spark import outputs as o

    if kind == "articles":
        return (o.article_row(a.to_dict()) for a in store.articles())
    if kind == "claims":
        return (o.claim_row(c.to_dict()) for c in store.claims())
    if kind == "stories":
        return (o.story_row(s.to_dict()) for s in store.stories())
    if kind == "contradictions":
        return (o.contradiction_row(c.to_dict()) for c in store.contradictions())
    if kind == "events":
        return (o.event_row(ev.to_dict(), aid, sid) for aid, sid, ev in store.event_rows())
    raise ValueError(f"unknown export kind {kind!r} (one of {', '.join(KINDS)})")


def write_parquet(store: Store, kind: str, out: "Path | IO[bytes]", registry: OutletRegistry | None = None,
                  batch: int = 2000) -> int:
    """One Parquet file of ``kind`` (to a path or a binary stream), written in row groups of
    ``batch`` rows so a large archive never sits whole in memory as Arrow arrays."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(kind)
    names = schema.names
    n = 0
    with pq.ParquetWriter(out if not isinstance(out, Path) else str(out), schema, compression="snappy") as writer:
        chunk: list[tuple] = []
        for row in parquet_rows(store, kind):
            chunk.append(row)
            if len(chunk) >= batch:
                writer.write_table(_table(chunk, names, schema))
                n += len(chunk)
                chunk = []
        if chunk or n == 0:
            writer.write_table(_table(chunk, names, schema))
            n += len(chunk)
    return n


def _table(rows: list[tuple], names: list[str], schema):
    import pyarrow as pa

    columns = list(zip(*rows)) if rows else [[] for _ in names]
    return pa.Table.from_arrays([pa.array(list(col), type=schema.field(i).type) for i, col in enumerate(columns)],
                                schema=schema)


def to_string(fn, *args) -> str:
    buf = io.StringIO()
    fn(*args, buf)
    return buf.getvalue()
