"""The daily review of the sample day (2019-01-16), in French and in English: the reviewer-style
headline made from the records, every label in the review's language, the cross-check box,
the Atom feed; a full disk keeps the previous review."""

from __future__ import annotations

import errno
import re
from datetime import datetime, timezone

import pytest

from veille.publish import review as review_mod
from veille.publish.review import ReviewWriteError, collect_review, render_review_html, render_review_markdown, write_review
from veille.settings import Settings
from veille.store import Store
from veille.watch.service import FakeClock, WatchService
from veille.watch.spec import load_watch
from veille.watch.state import WatchState

from conftest import ROOT

DAY = "2019-01-16"
# labels of the other language that must never show in a review (claim kinds, ACLED names, UI words)
ENGLISH_LABELS = ["killed", "wounded", "people", "soldiers", "Remote explosive", "Other", "Cross-check", "according to",
                  "Event", "Source:", "Map", "Timeline", "state media", "deaths", "versus", "January"]
FRENCH_LABELS = ["tués", "blessés", "personnes", "soldats", "Engin explosif", "Recoupement", "selon", "Événement", "Carte",
                 "Chronologie", "média d'État", "morts", "contre", "janvier", "Source :"]


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("review")
    spec = load_watch(ROOT / "examples" / "watch-syrie.toml")
    with Store(tmp / "w.db") as store:
        with store.transaction():
            WatchState(store).put_watch(spec, "2019-01-16T00:00:00+00:00")
        clock = FakeClock(datetime(2019, 1, 16, 12, 0, tzinfo=timezone.utc))  # before the review hour: no review yet
        service = WatchService(store, Settings(db=tmp / "w.db", outlet_files=()), clock, echo=lambda line: None, base=tmp)
        report = service.run_pass(force=True)
        assert report.new_items == 1 and report.analyzed == 10, report.errors
    return tmp, spec


def _visible(md: str) -> str:
    """The review's own words: quoted article text (leads, titles, speakers inside «») removed."""
    return md


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sample_day_review(sample_store, lang):
    tmp, spec = sample_store
    with Store(tmp / "w.db") as store:
        data, paths = write_review(store, spec, DAY, lang, tmp / "out", now="2019-01-17T06:00:00+00:00")
    assert data.t.missing == set()  # nothing fell back untranslated
    assert len(data.entries) == 1
    entry = data.entries[0]
    md = paths["md"].read_text(encoding="utf-8")
    html = paths["html"].read_text(encoding="utf-8")
    if lang == "fr":
        assert entry.headline == "MANBIJ (SYRIE) : EXPLOSION — DE 2 À 9 MORTS SELON LES SOURCES, ENVIRON 20 BLESSÉS"
        assert "## SYRIE" in md and "Revue du mercredi 16 janvier 2019" in md
        assert "Sputnik (média d'État, Russie) · 16 janvier 2019" in md
        assert "tués — soldats américains : 2 selon Kurdistan 24 (via Sputnik) ; 5 selon Yeni Şafak (via Sputnik)" in md
        assert "Contradiction — tués (soldats américains) : 2 selon Kurdistan 24 (via Sputnik) contre 5 selon Yeni Şafak" in md
        assert "Engin explosif, mine ou bombe artisanale — Manbij, 16 janvier 2019" in md
        others = ENGLISH_LABELS
    else:
        assert entry.headline == "MANBIJ (SYRIA): EXPLOSION — 2 TO 9 DEATHS ACCORDING TO SOURCES, ABOUT 20 WOUNDED"
        assert "## SYRIA" in md and "Review of Wednesday 16 January 2019" in md
        assert "Sputnik (state media, Russia) · 16 January 2019" in md
        assert "killed — US soldiers: 2 according to Kurdistan 24 (via Sputnik) ; 5 according to Yeni Şafak (via Sputnik)" in md
        assert "Remote explosive/landmine/IED — Manbij, 16 January 2019" in md
        others = FRENCH_LABELS
    # untranslated labels: strip the article's own words (title, lead, link, speakers quoted from the text),
    # then no label of the other language may remain
    a = entry.article
    own = md
    for quoted in filter(None, [a.title, a.lead, a.canonical_url or a.url, a.text.split("\n\n")[0], "une source sur place"]):
        own = own.replace(quoted, "")
    for word in others:
        assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", own), f"{lang} review shows {word!r}"
    assert f'<html lang="{lang}">' in html and "Content-Security-Policy" in html
    feed = paths["atom"].read_text(encoding="utf-8")
    assert f"urn:veille:syrie:review:{DAY}:{lang}" in feed and entry.headline in feed


def test_other_days_headlines_come_from_records(sample_store):
    tmp, spec = sample_store
    with Store(tmp / "w.db", readonly=True) as store:
        fr = collect_review(store, spec, "2019-01-10", "fr")
        en = collect_review(store, spec, "2019-01-10", "en")
    assert fr.t.missing == set() and en.t.missing == set()
    heads = sorted(e.headline for e in fr.entries)
    # the Idlib reinforcements: no toll, so the event's largest figure with its speaker
    assert any(h.startswith("IDLIB (SYRIE) : ") and "AU MOINS 250 MEMBRES DE L'ARMÉE SYRIENNE DÉPLOYÉS SELON FARS NEWS AGENCY" in h
               for h in heads), heads
    assert any("AT LEAST 250 SYRIAN ARMY MEMBERS DEPLOYED ACCORDING TO FARS NEWS AGENCY" in e.headline for e in en.entries)


def test_a_full_disk_keeps_the_previous_review(sample_store, monkeypatch):
    tmp, spec = sample_store
    out = tmp / "disk"
    with Store(tmp / "w.db") as store:
        _, paths = write_review(store, spec, DAY, "fr", out, record=False)
        before = paths["html"].read_bytes()
        real_fsync = review_mod.os.fsync

        def full(fd):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(review_mod.os, "fsync", full)
        with pytest.raises(ReviewWriteError) as exc:
            write_review(store, spec, DAY, "fr", out, record=False)
        monkeypatch.setattr(review_mod.os, "fsync", real_fsync)
    assert "disk full" in str(exc.value) and "previous file is kept" in str(exc.value)
    assert paths["md"].read_bytes() and paths["html"].read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no half-written file left behind


def test_review_command_line(sample_store):
    from conftest import run_cli

    tmp, _ = sample_store
    r = run_cli("review", "syrie", "--db", str(tmp / "w.db"), "--day", DAY, "--lang", "en", "--out", str(tmp / "cli"), cwd=tmp)
    assert r.returncode == 0, r.stderr
    assert (tmp / "cli" / f"{DAY}.en.html").exists() and (tmp / "cli" / f"{DAY}.en.md").exists()
    bad = run_cli("review", "syrie", "--db", str(tmp / "w.db"), "--day", "16/01/2019", cwd=tmp)
    assert bad.returncode == 2 and "is not a date" in bad.stderr
    bad = run_cli("review", "syrie", "--db", str(tmp / "w.db"), "--lang", "de", cwd=tmp)
    assert bad.returncode == 2 and "'de' is not available" in bad.stderr


def test_serve_shows_watches_reviews_and_alerts(sample_store):
    from fastapi.testclient import TestClient

    from veille.web.app import create_app

    tmp, _ = sample_store
    client = TestClient(create_app(tmp / "w.db"))
    home = client.get("/watches")
    assert home.status_code == 200 and 'href="/watch/syrie"' in home.text
    page = client.get("/watch/syrie")
    assert page.status_code == 200
    assert "Contradiction sur" in page.text and "Lien vers le passage" in page.text  # alerts, in the watch's language
    fr = client.get(f"/watch/syrie/review/{DAY}")
    en = client.get(f"/watch/syrie/review/{DAY}?lang=en")
    assert "MANBIJ (SYRIE) : EXPLOSION" in fr.text and "Recoupement" in fr.text
    assert "MANBIJ (SYRIA): EXPLOSION" in en.text and "Cross-check" in en.text and "Recoupement" not in en.text
    assert "<script>" not in en.text  # the served page keeps the strict CSP: scripts from /static only
    assert client.get("/watch/nosuch").status_code == 404
    assert client.get(f"/watch/syrie/review/{DAY}?lang=de").status_code == 422
    assert client.get("/watch/syrie/review/not-a-day").status_code == 404
    alerts = client.get("/api/watches/syrie/alerts").json()
    assert {a["kind"] for a in alerts} >= {"event", "contradiction"}
    assert all(a["titles"].keys() == {"fr", "en"} for a in alerts)
    # the article pages the dossier serves keep their labels: a review in English changed nothing there
    art = alerts[0]["article_id"]
    assert client.get(f"/article/{art}").status_code == 200
