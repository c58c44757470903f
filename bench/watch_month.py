"""A simulated month of the watch service (issue 16's Measure).

A local HTTP server on 127.0.0.1 plays a news site built from the FA-KES dev rows
(../shared/data/fakes-dev/): each simulated day publishes the next rows as article pages, and its
RSS feed lists the last 30 published, reordered every day, one item twice; the site is down on
days 9 and 10. The watch service polls it every hour of simulated time (a fast clock: four
passes a day), writes each day's review at 07:00 the next morning, raises alerts for events
with >= 10 deaths in Syria and delivers them to a local webhook receiver that answers 500 on
its first three calls and is down on days 15–17.

Reported: items ingested, duplicates (must be 0), missed items (must be 0), alerts raised and
expected (rows whose annotated toll is >= 10), reviews written, CPU seconds and peak memory per
simulated day of news.

    PYTHONPATH=src .venv/bin/python bench/watch_month.py [--days 30] [--per-day 6]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta, timezone
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "fakes-dev" / "fakes-dev.csv"
START = date(2019, 3, 1)


def page(row: dict, day: date) -> bytes:
    sentences = re.split(r"(?<=[.!?])\s+", row["article_content"])
    body = "".join(f"<p>{escape(' '.join(sentences[i:i + 3]))}</p>" for i in range(0, len(sentences), 3))
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(row["article_title"])}</title>'
            f'<meta property="article:published_time" content="{day.isoformat()}T09:00:00Z"></head><body>'
            f'<nav><a href="/">Home</a></nav><article><h1>{escape(row["article_title"])}</h1>{body}</article>'
            f'<footer>(c) Site</footer></body></html>').encode("utf-8")


class Site:
    def __init__(self, rows: list[dict], per_day: int):
        self.rows, self.per_day, self.day, self.down = rows, per_day, 0, False
        site = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                if self.path == "/robots.txt":
                    return self.send(200, "text/plain", b"")
                if site.down:
                    return self.send(503, "text/plain", b"down")
                if self.path == "/feed.xml":
                    return self.send(200, "application/rss+xml", site.feed())
                m = re.fullmatch(r"/a/(\d+)\.html", self.path)
                if m and int(m.group(1)) < site.published():
                    n = int(m.group(1))
                    return self.send(200, "text/html; charset=utf-8", page(site.rows[n], START + timedelta(days=n // site.per_day)))
                return self.send(404, "text/plain", b"")

            def send(self, status, ctype, body):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def published(self) -> int:
        return min((self.day + 1) * self.per_day, len(self.rows))

    def feed(self) -> bytes:
        n = self.published()
        items = list(range(max(0, n - 30), n))
        random.Random(self.day).shuffle(items)
        items += items[:1]
        out = [f'<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><link>{self.url}/</link><description>d</description>']
        for i in items:
            d = START + timedelta(days=i // self.per_day)
            out.append(f"<item><title>{escape(self.rows[i]['article_title'])}</title><link>{self.url}/a/{i}.html</link>"
                       f"<pubDate>{d.strftime('%a, %d %b %Y')} 09:00:00 +0000</pubDate></item>")
        out.append("</channel></rss>")
        return "".join(out).encode("utf-8")


class Hook:
    def __init__(self, port: int = 0):
        self.ids: list[str] = []
        self.fail = 3
        hook = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if hook.fail > 0:
                    hook.fail -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                hook.ids.append(json.loads(body)["id"])
                self.send_response(200)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", port), H)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.port = self.server.server_address[1]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--per-day", type=int, default=6)
    ap.add_argument("--min-deaths", type=int, default=10)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from veille.settings import Settings
    from veille.store import Store
    from veille.watch.service import FakeClock, WatchService
    from veille.watch.spec import parse_watch
    from veille.watch.state import WatchState

    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))[: args.days * args.per_day]
    site = Site(rows, args.per_day)
    hook = Hook()
    hook_port = hook.port
    tmp = Path(tempfile.mkdtemp(prefix="veille-month-"))
    spec = parse_watch(f'''name = "month"
[sources]
feeds = ["{site.url}/feed.xml"]
every = "1h"
[filters]
countries = ["SY"]
[review]
language = "fr"
hour = "07:00"
[[alerts]]
name = "deadly"
when = "event"
min_deaths = {args.min_deaths}
countries = ["SY"]
[deliver]
atom = true
terminal = false
webhook = {{ url = "http://127.0.0.1:{hook_port}/hook", secret = "bench" }}
''', "bench.toml", tmp)
    settings = Settings(db=tmp / "w.db", rate_limit_per_host=0, retries=0, backoff=0.01, outlet_files=())
    clock = FakeClock(datetime(2019, 3, 1, 6, tzinfo=timezone.utc))
    cpu_days, wall_days, errors = [], [], []
    wall0 = time.perf_counter()
    with Store(settings.db) as store:
        with store.transaction():
            WatchState(store).put_watch(spec, clock.now().isoformat())
        service = WatchService(store, settings, clock, echo=lambda line: None, base=tmp)
        for d in range(args.days + 1):
            site.day, site.down = d, d in (9, 10)
            if d == 15:
                hook.close()
            if d == 18:
                old = hook.ids
                hook = Hook(hook_port)
                hook.fail, hook.ids = 0, old
            c0, w0 = time.process_time(), time.perf_counter()
            for h in (6, 8, 14, 20):
                clock.t = datetime(2019, 3, 1, tzinfo=timezone.utc) + timedelta(days=d, hours=h)
                errors += service.run_pass().errors
            cpu_days.append(time.process_time() - c0)
            wall_days.append(time.perf_counter() - w0)
        service.close()
        state = WatchState(store)
        items = store.db.execute("SELECT count(*) FROM watch_items WHERE status = 'ok'").fetchone()[0]
        articles = store.count_articles()
        dup_refused = store.db.execute("SELECT count(*) FROM duplicates").fetchone()[0]
        urls = [r[0] for r in store.db.execute("SELECT canonical_url FROM articles")]
        alerts = state.alerts("month")
        reviews = state.reviews("month")
        pending = state.pending("month")
        titles = {store.get_article(a["article_id"]).title for a in alerts}
    expected = {r["article_title"] for r in rows if int(r["nb_civilians"] or 0) + int(r["nb_noncivilians"] or 0) >= args.min_deaths}
    hit = len(titles & expected)
    published = len(rows)
    print(f"simulated days: {args.days} ({published} articles published, {args.per_day}/day; site down 2 days, webhook 500×3 then down 3 days)")
    print(f"items taken: {items} / {published}; articles stored {articles} + {dup_refused} exact duplicate(s) of FA-KES copies")
    print(f"duplicates stored: {len(urls) - len(set(urls))}; missed items: {published - items}")
    print(f"alerts raised: {len(alerts)} (one per event with >= {args.min_deaths} deaths found, on {len(titles)} articles); "
          f"annotated rows with >= "
          f"{args.min_deaths} deaths: {len(expected)}; alerted among them: {hit} (recall {hit / max(1, len(expected)):.2f}), "
          f"alerts on other rows: {len(titles - expected)}")
    print(f"webhook: {len(set(hook.ids))} distinct alerts received, {len(hook.ids) - len(set(hook.ids))} repeats; pending: {len(pending)}")
    print(f"reviews written: {len(reviews)}")
    news_days = cpu_days[: (published + args.per_day - 1) // args.per_day]
    print(f"CPU per day of news: median {statistics.median(news_days):.2f} s (max {max(news_days):.2f}); wall per day median "
          f"{statistics.median(wall_days[:len(news_days)]):.2f} s; whole month {time.perf_counter() - wall0:.0f} s wall")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"errors reported: {len(errors)} (e.g. {errors[0] if errors else '-'})")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
