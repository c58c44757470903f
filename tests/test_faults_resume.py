"""Kill -9 in the middle of an ingest, then run again: nothing lost, nothing fetched twice that was
already stored, every article analysed and exported once.

A local server serves five article pages (real text: the stories fixture) with ETags; the fourth
page hangs on the first pass, so the run is killed while it is provably mid-ingest (three pages
committed, the fourth in flight). The re-run must store the two missing pages, answer the three
stored ones from a conditional GET (304), analyse all five and write the dossier."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import child_env, run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "stories" / "articles.jsonl"
HANG = "/p/4"


def pages() -> dict[str, tuple[str, str]]:
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()][:5]
    return {f"/p/{i}": (r["title"], r["text"]) for i, r in enumerate(rows, 1)}


@pytest.fixture
def site():
    served = pages()
    state = {"hang": True, "reached": threading.Event(), "release": threading.Event(), "log": Counter()}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path not in served:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path == HANG and state["hang"]:
                state["log"][(self.path, "hung")] += 1
                state["reached"].set()
                state["release"].wait(120)  # until the test has killed the client
                return
            etag = f'"v1-{self.path[-1]}"'
            if self.headers.get("If-None-Match") == etag:
                state["log"][(self.path, 304)] += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            title, text = served[self.path]
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())
            body = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
                    f"<meta property='article:published_time' content='2019-01-16T10:00:00Z'></head>"
                    f"<body><article><h1>{escape(title)}</h1>{paragraphs}</article></body></html>").encode()
            state["log"][(self.path, 200)] += 1
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield base, served, state
    state["release"].set()
    server.shutdown()
    server.server_close()


def stored(db: Path) -> list[tuple[str, str | None, str]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("SELECT canonical_url, analyzed_hash, content_hash FROM articles ORDER BY canonical_url").fetchall()
    finally:
        con.close()


def test_a_run_killed_mid_ingest_resumes_with_nothing_lost(site, tmp_path):
    base, served, state = site
    urls = [base + path for path in served]
    db, out = tmp_path / "v.db", tmp_path / "out"
    args = ["run", *urls, "--db", str(db), "--out", str(out), "--workers", "1", "--quiet"]
    env = child_env(VEILLE_OUTLETS="", XDG_CONFIG_HOME=str(tmp_path))
    first = subprocess.Popen([sys.executable, "-m", "veille", *args], cwd=tmp_path, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert state["reached"].wait(180), "the first run never reached the fourth page"
        before = stored(db)
        assert [row[0] for row in before] == urls[:3]  # each page committed on its own, before the next
        os.killpg(first.pid, signal.SIGKILL)  # mid-ingest: the fourth page in flight
        first.wait(30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        first.stderr.close()
    assert first.returncode == -signal.SIGKILL
    state["hang"] = False
    state["release"].set()

    again = run_cli(*args, cwd=tmp_path, env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert again.returncode == 0, again.stderr
    after = stored(db)
    assert [row[0] for row in after] == urls  # nothing lost, nothing twice
    assert all(analysed == content for _, analysed, content in after)  # every article analysed
    log = state["log"]
    for path in list(served)[:3]:  # stored before the kill: only a conditional GET, answered 304
        assert (log[(path, 200)], log[(path, 304)]) == (1, 1), dict(log)
    assert log[(HANG, "hung")] == 1 and log[(HANG, 200)] == 1  # the page in flight is fetched again, once
    exported = [json.loads(line) for line in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(a["canonical_url"] for a in exported) == urls
    texts = {a["canonical_url"]: a["text"] for a in exported}
    for url, (title, text) in zip(urls, served.values()):
        first_paragraph = text.split("\n\n")[0].strip()
        assert first_paragraph[:80] in texts[url], url
