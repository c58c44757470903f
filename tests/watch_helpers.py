"""Local servers for the watch tests: a news site whose feed changes day by day, a webhook
receiver that can fail or be down, and an SMTP server. All bind 127.0.0.1 on a free port."""

from __future__ import annotations

import json
import random
import re
import socket
import threading
import time
from datetime import date, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "watch" / "fakes-16.jsonl"
START = date(2019, 3, 1)


def rows() -> list[dict]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def page_html(row: dict, day: date) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", row["text"])
    paras = [" ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paras if p.strip())
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(row["title"])}</title>'
            f'<meta property="og:title" content="{escape(row["title"])}">'
            f'<meta property="article:published_time" content="{day.isoformat()}T09:00:00Z"></head>'
            f'<body><header><nav><a href="/">Home</a> | <a href="/world">World</a></nav></header>'
            f'<article><h1>{escape(row["title"])}</h1><p class="byline">Staff reporter — {day.isoformat()}</p>{body}</article>'
            f'<footer>© Local News Site</footer></body></html>')


class NewsSite:
    """Article n is published on day n (START + n days). The feed lists the last ``window`` articles
    published so far, in a shuffled order, one of them twice; ``down`` answers 503."""

    def __init__(self, window: int = 4, page_delay: float = 0.0):
        self.rows = rows()
        self.day = 0
        self.down = False
        self.window = window
        self.page_delay = page_delay
        self.hits: dict[str, int] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                site.hits[self.path] = site.hits.get(self.path, 0) + 1
                if self.path == "/robots.txt":
                    return self._send(200, "text/plain", b"User-agent: *\nAllow: /\n")
                if site.down:
                    return self._send(503, "text/plain", b"down for maintenance")
                if self.path == "/feed.xml":
                    return self._send(200, "application/rss+xml", site.feed().encode("utf-8"))
                m = re.fullmatch(r"/a/(\d+)\.html", self.path)
                if m and int(m.group(1)) < min(site.published(), len(site.rows)):
                    if site.page_delay:
                        time.sleep(site.page_delay)
                    n = int(m.group(1))
                    return self._send(200, "text/html; charset=utf-8", page_html(site.rows[n], START + timedelta(days=n)).encode("utf-8"))
                return self._send(404, "text/plain", b"not found")

            def _send(self, status, ctype, body):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def published(self) -> int:
        return min(self.day + 1, len(self.rows))

    def feed(self) -> str:
        n = self.published()
        items = list(range(max(0, n - self.window), n))
        random.Random(self.day).shuffle(items)  # a feed that reorders its items
        if items:
            items.append(items[0])  # and lists one twice
        parts = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local News</title>'
                 f"<link>{self.url}/</link><description>news</description>"]
        for i in items:
            d = START + timedelta(days=i)
            parts.append(f"<item><title>{escape(self.rows[i]['title'])}</title><link>{self.url}/a/{i}.html</link>"
                         f"<guid>{self.url}/a/{i}.html</guid><pubDate>{d.strftime('%a, %d %b %Y')} 09:00:00 +0000</pubDate></item>")
        parts.append("</channel></rss>")
        return "".join(parts)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Receiver:
    """A webhook endpoint: records JSON POSTs; ``fail_next`` answers 500 that many times."""

    def __init__(self, port: int = 0):
        self.posts: list[tuple[dict, bytes, dict]] = []
        self.fail_next = 0
        self.answers: list[int] = []
        rec = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if rec.fail_next > 0:
                    rec.fail_next -= 1
                    rec.answers.append(500)
                    self.send_response(500)
                    self.end_headers()
                    return
                rec.posts.append((json.loads(body), body, dict(self.headers)))
                rec.answers.append(200)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """An aiosmtpd server that keeps every message it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list = []
        box = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                from email import message_from_bytes

                box.messages.append(message_from_bytes(envelope.content))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def close(self) -> None:
        self.controller.stop()


def watch_toml(name: str, site_url: str, hook_port: int | None = None, smtp_port: int | None = None,
               every: str = "1h", min_deaths: int = 10, extra: str = "") -> str:
    deliver = "[deliver]\natom = true\nterminal = true\n"
    if hook_port:
        deliver += f'webhook = {{ url = "http://127.0.0.1:{hook_port}/hook", secret_env = "VEILLE_TEST_SECRET" }}\n'
    if smtp_port:
        deliver += f'email = {{ host = "127.0.0.1", port = {smtp_port}, from = "veille@test", to = ["analyst@test"] }}\n'
    return f'''name = "{name}"
title = "Syria test watch"
[sources]
feeds = ["{site_url}/feed.xml"]
every = "{every}"
[filters]
countries = ["SY"]
[review]
language = "en"
hour = "07:00"
[[alerts]]
name = "deadly"
when = "event"
min_deaths = {min_deaths}
countries = ["SY"]
{extra}
{deliver}'''
