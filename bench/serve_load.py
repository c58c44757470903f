"""Load on the web UI: a bounded burst against `veille serve` on 127.0.0.1 (issue 18).

Usage:
    .venv/bin/python bench/serve_load.py [--articles 10000] [--clients 20] [--requests 4000] [--db PATH]

1. A base archive is built once with the real pipeline (ingest + analyze + link) from the dev
   sets: FA-KES (185), BASIL (93), GVA (593), Airwars (307) — 1,178 real articles with their
   claims, events, places, stories (cached in /tmp/veille-serve-load/serve-base.db).
2. It is replicated to ``--articles`` records by copying every row with new ids (articles,
   claims, events, mentions, stories, contradictions, search index), each copy's dates shifted
   by whole weeks so the archive spans years — the same shape as a long-running watch, at a
   size the machine can analyse once.
3. `veille serve` runs as its own process (uvicorn, one worker). After a warm-up (one request
   per endpoint), ``--clients`` threads with keep-alive connections (``Accept-Encoding: gzip`` as
   browsers send it, unless ``--encoding identity``; the bytes reported are those on the wire, and
   the gzip answers are checked to unpack to the plain ones) send ``--requests``
   requests between them, a fixed mix over `/`, `/search?q=…` (8 queries), `/map`,
   `/api/events` and 200 article pages, in a seeded order. Reported: requests/s over the
   burst, latency median/p99 (overall and per endpoint), errors, and the server's RSS
   (VmRSS after, VmHWM peak) read from /proc.

Targets (issue 18): ≥ 200 requests/s, p99 ≤ 250 ms, server RSS ≤ 300 MB, on 2 cores.
The load generator runs on the same 2 cores (it takes part of the CPU it measures).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import http.client
import json
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CACHE = Path("/tmp/veille-serve-load")
QUERIES = ["Manbij", "killed", "Gaza", "police", "strike", "Syria", "shooting", "Aleppo"]


# ---- the archive ------------------------------------------------------------------------------
def base_inputs(folder: Path) -> list[str]:
    """The dev sets as JSON Lines (FA-KES is a CSV: converted)."""
    folder.mkdir(parents=True, exist_ok=True)
    fakes = folder / "fakes.jsonl"
    with open(DATA / "fakes-dev" / "fakes-dev.csv", encoding="utf-8") as f, open(fakes, "w", encoding="utf-8") as out:
        for row in csv.DictReader(f):
            m, d, y = (row["date"] or "1/1/17").split("/")
            out.write(json.dumps({"id": f"fakes-{row['unit_id']}", "title": row["article_title"],
                                  "text": row["article_content"], "published_at": f"20{y[-2:]}-{int(m):02d}-{int(d):02d}",
                                  "language": "en", "outlet": row["source"]}) + "\n")
    airwars = folder / "airwars.jsonl"
    with open(DATA / "events-world-dev" / "airwars-gaza-dev.jsonl", encoding="utf-8") as f, \
            open(airwars, "w", encoding="utf-8") as out:
        for line in f:
            r = json.loads(line)
            out.write(json.dumps({"id": f"airwars-{r['id']}", "text": r["text"], "published_at": r.get("date"),
                                  "language": "en", "title": (r.get("location") or {}).get("raw")}) + "\n")
    plain = []
    for name in ("basil-dev.jsonl", "gva-dev.jsonl"):
        dest = folder / name
        with open(DATA / "stories-dev" / name, encoding="utf-8") as f, open(dest, "w", encoding="utf-8") as out:
            for line in f:
                r = json.loads(line)
                out.write(json.dumps({"id": r["id"], "title": r.get("title"), "text": r["text"],
                                      "published_at": r.get("date"), "language": r.get("lang") or "en",
                                      "outlet": r.get("source"), "url": r.get("url")}) + "\n")
        plain.append(str(dest))
    return [str(fakes), str(airwars)] + plain


def build_base(path: Path) -> None:
    from veille.pipeline import analyze, ingest
    from veille.settings import Settings
    from veille.store import Store

    tmp = path.with_suffix(".building.db")
    for p in (tmp, Path(str(tmp) + "-wal"), Path(str(tmp) + "-shm")):
        p.unlink(missing_ok=True)
    settings = Settings(db=tmp, outlet_files=())
    t = time.time()
    with Store(tmp) as store:
        report = ingest(base_inputs(CACHE / "inputs"), settings, store)
        print(f"base: ingested {report.new} articles ({len(report.errors)} problems) in {time.time() - t:.0f} s", flush=True)
        report = analyze(settings, store)
        print(f"base: analysed {report.analyzed} in {time.time() - t:.0f} s", flush=True)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tmp.rename(path)
    Path(str(tmp) + ".writer.lock").unlink(missing_ok=True)


def _suffix(value, k: int):
    return None if value is None else f"{value}~{k}"


def _shift(date: str | None, days: int) -> str | None:
    from datetime import date as d, timedelta

    if not date or len(date) < 10:
        return date
    try:
        return (d.fromisoformat(date[:10]) + timedelta(days=days)).isoformat() + date[10:]
    except ValueError:
        return date


def replicate(base: Path, path: Path, n: int) -> None:
    """Copy ``base`` to ``path`` and add copies of every record until there are ``n`` articles."""
    for stale in (Path(str(path) + "-wal"), Path(str(path) + "-shm")):
        stale.unlink(missing_ok=True)
    shutil.copy(base, path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    rows = con.execute("SELECT id, canonical_url, outlet, published_at, language, section, title, capture, record, "
                       "content_hash, ingested_at, analyzed_hash FROM articles ORDER BY id").fetchall()
    n_base = len(rows)
    claims = con.execute("SELECT id, article_id, kind, event_id, record FROM claims").fetchall()
    events = con.execute("SELECT event_id, event_date, article_id, story_id, record FROM events").fetchall()
    mentions = con.execute("SELECT article_id, start, end, label, entity_id, record FROM mentions").fetchall()
    stories = con.execute("SELECT id, first_seen, last_seen, record FROM stories").fetchall()
    contras = con.execute("SELECT id, story_id, record FROM contradictions").fetchall()
    evolutions = dict(con.execute("SELECT story_id, record FROM story_crosscheck").fetchall())
    k = 0
    total = n_base
    con.execute("BEGIN")
    while total < n:
        k += 1
        days = 7 * k
        take = rows[: n - total]
        keep = {r[0] for r in take}
        for (aid, canon, outlet, pub, lang, section, title, capture, record, chash, ing, ahash) in take:
            rec = json.loads(record)
            rec["id"] = _suffix(aid, k)
            rec["published_at"] = _shift(rec.get("published_at"), days)
            if rec.get("url"):
                rec["url"] = rec["url"] + ("&" if "?" in rec["url"] else "?") + f"copy={k}"
            if rec.get("canonical_url"):
                rec["canonical_url"] = rec["canonical_url"] + ("&" if "?" in rec["canonical_url"] else "?") + f"copy={k}"
            if rec.get("main_event"):
                ev = rec["main_event"]
                ev["event_id"] = _suffix(ev.get("event_id"), k)
                ev["event_date"] = _shift(ev.get("event_date"), days)
                ev["articles"] = [_suffix(a, k) for a in ev.get("articles") or []]
                ev["claims"] = [_suffix(c, k) for c in ev.get("claims") or []]
            con.execute("INSERT INTO articles (id, canonical_url, outlet, published_at, language, section, title, capture, "
                        "record, content_hash, ingested_at, analyzed_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        (rec["id"], rec.get("canonical_url"), outlet, rec.get("published_at"), lang, section, title,
                         capture, json.dumps(rec, ensure_ascii=False), chash, ing, ahash))
            con.execute("INSERT INTO articles_fts (article_id, title, headline, text) VALUES (?,?,?,?)",
                        (rec["id"], rec.get("title") or "", rec.get("headline") or "", rec.get("text") or ""))
        for cid, aid, kind, eid, record in claims:
            if aid in keep:
                rec = json.loads(record)
                rec.update(id=_suffix(cid, k), article_id=_suffix(aid, k), event_id=_suffix(eid, k))
                con.execute("INSERT INTO claims VALUES (?,?,?,?,?)", (rec["id"], rec["article_id"], kind, rec["event_id"],
                                                                       json.dumps(rec, ensure_ascii=False)))
        for eid, date, aid, sid, record in events:
            arts = json.loads(record).get("articles") or []
            if (aid and aid in keep) or (sid and any(a in keep for a in arts)):
                rec = json.loads(record)
                rec.update(event_id=_suffix(eid, k), event_date=_shift(rec.get("event_date"), days),
                           articles=[_suffix(a, k) for a in arts], claims=[_suffix(c, k) for c in rec.get("claims") or []])
                con.execute("INSERT INTO events VALUES (?,?,?,?,?)", (rec["event_id"], rec["event_date"], _suffix(aid, k),
                                                                       _suffix(sid, k), json.dumps(rec, ensure_ascii=False)))
        for aid, start, end, label, entity, record in mentions:
            if aid in keep:
                rec = json.loads(record)
                rec["article_id"] = _suffix(aid, k)
                con.execute("INSERT INTO mentions VALUES (?,?,?,?,?,?)", (rec["article_id"], start, end, label, entity,
                                                                          json.dumps(rec, ensure_ascii=False)))
        for sid, first, last, record in stories:
            rec = json.loads(record)
            arts = [a for a in rec.get("articles") or [] if a in keep]
            if not arts:
                continue
            rec.update(id=_suffix(sid, k), articles=[_suffix(a, k) for a in arts], first_seen=_shift(first, days),
                       last_seen=_shift(last, days))
            con.execute("INSERT INTO stories VALUES (?,?,?,?)", (rec["id"], rec["first_seen"], rec["last_seen"],
                                                                  json.dumps(rec, ensure_ascii=False)))
            if sid in evolutions:  # the link stage's stored cross-check, for the copy's members
                kept = []
                for ev in json.loads(evolutions[sid])["evolution"]:
                    points = [dict(p, article_id=_suffix(p.get("article_id"), k), claim_id=_suffix(p.get("claim_id"), k),
                                   published_at=_shift(p.get("published_at"), days))
                              for p in ev.get("points") or () if p.get("article_id") in keep]
                    if len(points) < 2:
                        continue
                    shared = dict(ev.get("event") or {}) or None
                    if shared:
                        shared.update(event_id=_suffix(shared.get("event_id"), k), date=_shift(shared.get("date"), days),
                                      event_ids=[_suffix(e, k) for e in shared.get("event_ids") or ()])
                    kept.append({**ev, "event": shared, "points": points})
                con.execute("INSERT INTO story_crosscheck VALUES (?,?)",
                            (rec["id"], json.dumps({"evolution": kept}, ensure_ascii=False)))
            for a in rec["articles"]:
                con.execute("INSERT OR REPLACE INTO story_articles VALUES (?,?)", (rec["id"], a))
        for cid, sid, record in contras:
            rec = json.loads(record)
            values = rec.get("values") or []
            if not any(v.get("article_id") in keep for v in values):
                continue
            rec.update(id=_suffix(cid, k), story_id=_suffix(sid, k))
            for v in values:
                v["article_id"] = _suffix(v.get("article_id"), k)
                v["claim_id"] = _suffix(v.get("claim_id"), k)
            con.execute("INSERT INTO contradictions VALUES (?,?,?)", (rec["id"], rec["story_id"],
                                                                       json.dumps(rec, ensure_ascii=False)))
        total += len(take)
    con.execute("COMMIT")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def _current(base: Path) -> bool:
    """A base archive exists and was made by code that stores each story's cross-check (older
    bases lack the table: their pages would recompute it, which is not what `veille analyze` leaves)."""
    if not base.exists():
        return False
    con = sqlite3.connect(f"file:{base}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM story_crosscheck").fetchone()[0] > 0
    except sqlite3.OperationalError:
        return False
    finally:
        con.close()


def archive(n: int, db: Path | None) -> Path:
    if db is not None:
        return db
    CACHE.mkdir(parents=True, exist_ok=True)
    base = CACHE / "serve-base.db"
    if not _current(base):
        build_base(base)
    path = CACHE / f"serve-{n}.db"
    if not path.exists() or path.stat().st_mtime < base.stat().st_mtime:
        t = time.time()
        replicate(base, path, n)
        print(f"replicated to {n} articles in {time.time() - t:.1f} s", flush=True)
    return path


# ---- the burst --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> tuple[float, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (load-independent cost of the burst)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def plan(db: Path, total: int, seed: int = 18) -> list[tuple[str, str]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    ids = [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id")]
    con.close()
    rng = random.Random(seed)
    pages = rng.sample(ids, min(200, len(ids)))
    mix = ([("home", "/")] * 2 + [("search", None)] * 3 + [("map", "/map")] * 1 + [("events", "/api/events")] * 1
           + [("article", None)] * 3)
    out = []
    for _ in range(total):
        kind, path = rng.choice(mix)
        if kind == "search":
            path = "/search?q=" + quote(rng.choice(QUERIES))
        elif kind == "article":
            path = "/article/" + quote(rng.choice(pages), safe="")
        out.append((kind, path))
    return out


def burst(port: int, requests: list[tuple[str, str]], clients: int,
          encoding: str = "identity") -> tuple[float, list[tuple[str, float, int, int]]]:
    results: list[tuple[str, float, int, int]] = []
    lock = threading.Lock()
    cursor = iter(range(len(requests)))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while True:
            with lock:
                i = next(cursor, None)
            if i is None:
                break
            kind, path = requests[i]
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1", "Accept-Encoding": encoding})
                resp = conn.getresponse()
                body = resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status, body = 0, b""
            mine.append((kind, time.perf_counter() - t, status, len(body)))
        conn.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, results


def fetch(port: int, path: str, encoding: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers={"Host": "127.0.0.1", "Accept-Encoding": encoding})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    assert resp.status == 200 and (resp.getheader("Content-Encoding") == "gzip") == (encoding == "gzip" and len(body) > 0)
    return body


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=4000)
    ap.add_argument("--db", type=Path, help="serve this archive instead of building one")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--encoding", choices=("gzip", "identity"), default="gzip",
                    help="what the clients accept (browsers send gzip; 'identity': every body as it is)")
    ap.add_argument("--src", type=Path, default=ROOT / "src",
                    help="the veille code to serve (e.g. an older commit's src/, for a before/after figure)")
    args = ap.parse_args()

    db = archive(args.articles, args.db)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "claims", "events", "stories", "contradictions")}
    con.close()
    print("archive:", db, counts, flush=True)
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(args.src), os.environ.get("PYTHONPATH")) if p))
    server = subprocess.Popen([sys.executable, "-m", "veille", "serve", "--db", str(db), "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        rss_start = rss_mb(server.pid)[0]
        requests = plan(db, args.requests)
        t = time.perf_counter()
        warm = {}
        for kind, path in [("home", "/"), ("search", "/search?q=Gaza"), ("map", "/map"), ("events", "/api/events"),
                           ("article", next(p for k, p in requests if k == "article"))]:
            t1 = time.perf_counter()
            _, res = burst(port, [(kind, path)], 1, args.encoding)
            warm[kind] = (round(time.perf_counter() - t1, 3), res[0][2], res[0][3])
        print(f"warm-up (first request per endpoint: s, status, bytes): {warm}", flush=True)
        if args.encoding == "gzip":  # what a browser reads once it has unpacked it: the same bytes
            for kind, path in [("home", "/"), ("map", "/map"), ("events", "/api/events")]:
                plain, packed = fetch(port, path, "identity"), fetch(port, path, "gzip")
                assert gzip.decompress(packed) == plain, f"{path}: the gzip answer is not the page"
            print("gzip answers checked: identical once unpacked", flush=True)
        cpu_before = cpu_s(server.pid)
        wall, results = burst(port, requests, args.clients, args.encoding)
        server_cpu = cpu_s(server.pid) - cpu_before
        rss_after, rss_peak = rss_mb(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    lat = [r[1] for r in results]
    errors = [r for r in results if r[2] != 200]
    figures = {
        "articles": counts["articles"], "events": counts["events"], "clients": args.clients, "requests": len(results),
        "accept_encoding": args.encoding,
        "wall_s": round(wall, 2), "requests_per_s": round(len(results) / wall, 1),
        "p50_ms": round(statistics.median(lat) * 1000, 1), "p99_ms": round(pct(lat, 99) * 1000, 1),
        "server_cpu_ms_per_request": round(server_cpu / max(1, len(results)) * 1000, 2),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "errors": len(errors), "rss_start_mb": round(rss_start), "rss_after_mb": round(rss_after),
        "rss_peak_mb": round(rss_peak), "per_endpoint": {},
    }
    for kind in ("home", "search", "map", "events", "article"):
        ks = [r for r in results if r[0] == kind]
        if ks:
            figures["per_endpoint"][kind] = {"n": len(ks), "p50_ms": round(statistics.median([r[1] for r in ks]) * 1000, 1),
                                             "p99_ms": round(pct([r[1] for r in ks], 99) * 1000, 1),
                                             "bytes": int(statistics.median([r[3] for r in ks]))}
    print(json.dumps(figures, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    ok = figures["requests_per_s"] >= 200 and figures["p99_ms"] <= 250 and figures["rss_peak_mb"] <= 300 and not errors
    print("targets (≥ 200 req/s, p99 ≤ 250 ms, RSS ≤ 300 MB, no errors):", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
