"""The watch service over a simulated month: a local news site whose feed changes day by day
(reordered, repeated items, down for two days), a webhook that fails then is down then up, an
SMTP server — with a fast clock. Then a kill -9 of the real `veille watch run` and a restart."""

from __future__ import annotations

import hashlib
import hmac
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from veille.settings import Settings
from veille.store import Store
from veille.watch.deliver import signature
from veille.watch.service import FakeClock, WatchService
from veille.watch.spec import parse_watch
from veille.watch.state import WatchState

from conftest import ROOT
from watch_helpers import START, Mailbox, NewsSite, Receiver, rows, watch_toml

DAYS = 30


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """Run the month once; the tests read what it left."""
    tmp = tmp_path_factory.mktemp("month")
    site = NewsSite(window=4)
    hook = Receiver()
    hook.fail_next = 3  # the endpoint answers 500 three times first
    hook_port = hook.port
    mail = Mailbox()
    os.environ["VEILLE_TEST_SECRET"] = "s3cret"
    spec = parse_watch(watch_toml("month", site.url, hook_port, mail.port), "month.toml", tmp)
    settings = Settings(db=tmp / "w.db", rate_limit_per_host=0, retries=0, backoff=0.01, timeout=5, connect_timeout=2)
    clock = FakeClock(datetime(2019, 3, 1, 6, 0, tzinfo=timezone.utc))
    lines: list[str] = []
    log = {"passes": 0, "errors": [], "per_day": []}
    with Store(settings.db) as store:
        with store.transaction():
            WatchState(store).put_watch(spec, clock.now().isoformat())
        service = WatchService(store, settings, clock, echo=lines.append, base=tmp)
        for d in range(DAYS + 1):
            site.day = d
            site.down = d in (5, 6)  # the site is down two days: its items come later, none is lost
            if d == 8:
                hook.close()  # the webhook endpoint goes down for three days …
            if d == 11:
                hook = Receiver(hook_port)  # … and comes back on the same port
            day_start = datetime(2019, 3, 1, tzinfo=timezone.utc) + timedelta(days=d)
            t0 = time.process_time()
            for hour in (6, 8, 14, 20):
                clock.t = day_start + timedelta(hours=hour)
                report = service.run_pass()
                log["passes"] += 1
                log["errors"] += report.errors
            log["per_day"].append(time.process_time() - t0)
        service.close()
    yield {"tmp": tmp, "site": site, "hook": hook, "mail": mail, "lines": lines, "log": log, "db": settings.db, "spec": spec}
    site.close()
    hook.close()
    mail.close()


def test_every_item_once_none_missed(month):
    with Store(month["db"], readonly=True) as store:
        arts = store.articles()
        items = store.db.execute("SELECT item, status FROM watch_items WHERE watch = 'month'").fetchall()
        dups = store.db.execute("SELECT count(*) FROM duplicates").fetchone()[0]
        linked = {r[0] for r in store.db.execute("SELECT article_id FROM watch_articles WHERE watch = 'month'")}
    urls = sorted(a.url for a in arts)
    # 16 published; rows 1 and 2 of the fixture are the same text (FA-KES carries such copies): stored once
    assert len(urls) == len(set(urls)) == 15 and dups == 1
    assert all(s == "ok" for _, s in items) and len(items) == 16  # every item taken, once
    assert linked == {a.id for a in arts}
    assert {a.title for a in arts} == {r["title"] for r in rows()}
    # the down days were reported, backed off, and caught up
    assert any("503" in e or "unavailable" in e.lower() for e in month["log"]["errors"])


def test_a_review_per_day_in_its_language(month):
    with Store(month["db"], readonly=True) as store:
        reviews = WatchState(store).reviews("month")
    days = sorted(r["day"] for r in reviews)
    assert days[0] == "2019-03-01" and len(days) == DAYS  # day 30's review is written on day 31
    assert {r["lang"] for r in reviews} == {"en"}
    out = month["tmp"] / "reviews" / "month"
    first = (out / "2019-03-01.en.md").read_text(encoding="utf-8")
    assert "Review of Friday 1 March 2019" in first
    feed = (out / "month.atom").read_text(encoding="utf-8")
    assert feed.count("<entry>") >= DAYS and "urn:veille:month:review:2019-03-01:en" in feed


def test_alerts_raised_once_and_delivered_everywhere(month):
    with Store(month["db"], readonly=True) as store:
        state = WatchState(store)
        alerts = state.alerts("month")
        # every event of an article counts (its main event and the others it reports), as the rule reads them
        every = [a.main_event for a in store.articles() if a.main_event is not None] + list(store.events(story_level=False))
        deadly = {e.event_id for e in every if (e.fatalities or 0) >= 10 and e.country == "SY"}
        pending = state.pending("month")
    assert {a["event_id"] for a in alerts} == deadly  # every qualifying event, once
    assert len(alerts) == len({a["event_id"] for a in alerts})
    gold = {r["title"] for r in rows() if r["killed"] >= 10}
    with Store(month["db"], readonly=True) as store:
        titles = {store.get_article(a["article_id"]).title for a in alerts}
    assert len(titles & gold) >= 0.7 * len(gold)  # the extraction finds most of the big tolls
    for a in alerts:
        assert a["figure"] and a["speaker"] and a["link"].startswith(f"/article/{a['article_id']}")
    assert pending == []  # the webhook was down three days and still got everything
    got = [p[0]["id"] for p in month["hook"].posts]
    # the revived receiver (a new object on the same port) holds what was sent since; the first one the rest
    assert len(month["mail"].messages) == len(alerts)
    assert len([line for line in month["lines"] if "[month]" in line]) == len(alerts)
    assert month["hook"].answers.count(200) == len(month["hook"].posts)
    for body, raw, headers in month["hook"].posts:
        assert headers["X-Veille-Signature"] == signature("s3cret", raw)
        assert hmac.compare_digest(headers["X-Veille-Signature"],
                                   "sha256=" + hmac.new(b"s3cret", raw, hashlib.sha256).hexdigest())
    assert set(got) <= {a["id"] for a in alerts}


def test_webhook_down_then_up_loses_nothing(month):
    with Store(month["db"], readonly=True) as store:
        rows_ = store.db.execute("SELECT alert_id, attempts, delivered_at, last_error FROM watch_outbox WHERE channel = 'webhook'").fetchall()
    assert rows_ and all(r[2] for r in rows_)
    assert any(r[1] > 1 for r in rows_)  # some needed retries (500s, then the endpoint down)


def _count(db, sql):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return con.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def test_kill_9_and_restart_resumes_without_duplicate_or_miss(tmp_path):
    site = NewsSite(window=16, page_delay=0.4)
    site.day = 9  # ten items in the feed
    try:
        (tmp_path / "w.toml").write_text(watch_toml("kill", site.url, every="1s"), encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), VEILLE_OUTLETS="", XDG_CONFIG_HOME=str(tmp_path))
        run = [sys.executable, "-m", "veille"]
        db = tmp_path / "w.db"
        assert subprocess.run(run + ["watch", "add", "w.toml", "--db", str(db)], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120).returncode == 0
        proc = subprocess.Popen(run + ["watch", "run", "--db", str(db)], cwd=tmp_path, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120
        while time.time() < deadline and _count(db, "SELECT count(*) FROM watch_items") < 3:
            time.sleep(0.1)
        os.kill(proc.pid, signal.SIGKILL)  # in the middle of the feed
        proc.wait(timeout=30)
        taken = _count(db, "SELECT count(*) FROM watch_items")
        assert 3 <= taken < 10
        r = subprocess.run(run + ["watch", "once", "--db", str(db)], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=300)
        assert r.returncode == 0, r.stderr
        assert _count(db, "SELECT count(*) FROM watch_items WHERE status = 'ok'") == 10
        stored = _count(db, "SELECT count(*) FROM articles") + _count(db, "SELECT count(*) FROM duplicates")
        assert stored == 10  # rows 1 and 2 are one text: one stored, one counted as its duplicate
        assert _count(db, "SELECT count(DISTINCT canonical_url) FROM articles") == _count(db, "SELECT count(*) FROM articles")
        # pages fetched before the kill are not fetched again (at most the one in flight)
        assert sum(v for k, v in site.hits.items() if k.startswith("/a/")) <= 10 + 1
    finally:
        site.close()
