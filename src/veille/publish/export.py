"""Exports: JSONL (the record contract of DESIGN §2), ACLED-style CSV, GeoJSON.

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


def to_string(fn, *args) -> str:
    buf = io.StringIO()
    fn(*args, buf)
    return buf.getvalue()
