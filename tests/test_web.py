"""The web UI and JSON API over a read-only store (FastAPI TestClient, no network)."""

from __future__ import annotations

import hashlib
import re
import warnings

import pytest

from publish_fixture import IDLIB, MANBIJ, PRESSTV_RUSSIA, build_store
from veille.store import Store
from veille.web.app import create_app
from veille.web.search import fts_query

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("web") / "v.db")


@pytest.fixture(scope="module")
def client(db):
    return TestClient(create_app(db))


def test_home_lists_stories_and_latest_articles(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<a href="/story/st-manbij">Explosion à Manbij près d&#39;une patrouille US</a>' in r.text
    assert "⚠ 1 contradiction(s)" in r.text
    assert f'href="/article/{MANBIJ}"' in r.text


def test_search_html_with_snippets(client):
    r = client.get("/search", params={"q": "Manbij"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert f'href="/article/{MANBIJ}"' in r.text
    assert "<mark>Manbij</mark>" in r.text
    # a hit in a hostile text: the snippet is escaped, only our <mark> is markup
    assert "&lt;script&gt;document.body.setAttribute" in r.text


@pytest.mark.parametrize("q", ['Al-Tanf', 'NEAR(a b)', 'col:x ^y', '"unbalanced', 'AND OR NOT', '*', '"" ()', "l'armée"])
def test_search_survives_fts_syntax(client, q):
    r = client.get("/search", params={"q": q})
    assert r.status_code == 200
    assert "n&#39;a pas pu être interprétée" not in r.text


def test_search_phrase_and_prefix(client):
    assert fts_query('police "militaire russe" Dae*') == '"police" "militaire russe" "Dae"*'
    hits = client.get("/api/search", params={"q": "Dae*"}).json()["results"]
    assert MANBIJ in {h["id"] for h in hits}  # "Daech"
    phrase = client.get("/api/search", params={"q": '"police militaire"'}).json()["results"]
    assert PRESSTV_RUSSIA in {h["id"] for h in phrase}
    assert all("police militaire" in h["snippet"].lower() or h["highlights"] for h in phrase)


def test_search_filters(client):
    presstv = client.get("/api/search", params={"q": "Syrie", "outlet": "presstv"}).json()["results"]
    assert presstv and {h["outlet"] for h in presstv} == {"presstv"}
    dated = client.get("/api/search", params={"q": "Syrie", "since": "2019-01-13", "until": "2019-01-14"}).json()["results"]
    assert dated and all("2019-01-13" <= h["published_at"][:10] <= "2019-01-14" for h in dated)
    placed = client.get("/search", params={"place": "idlib"}).text
    assert f'href="/article/{IDLIB}"' in placed and f'href="/article/{MANBIJ}"' not in placed
    lang = client.get("/api/articles", params={"lang": "xx"}).json()
    assert lang == []
    assert client.get("/search", params={"since": "yesterday"}).status_code == 422


def test_article_page_highlights_from_spans(client, db):
    r = client.get(f"/article/{MANBIJ}")
    assert r.status_code == 200
    with Store(db, readonly=True) as s:
        art = s.get_article(MANBIJ)
    marks = re.findall(r'<mark class="([^"]+)" title="([^"]*)">(.*?)</mark>', r.text)
    by_text = {t: (cls, title) for cls, title, t in marks}
    assert by_text["au moins neuf"][0] == "figure" and "Al Jazeera ← une source sur place" in by_text["au moins neuf"][1]
    assert by_text["Manbij"][0] == "entity place"  # a mention and a place on the same span: one mark
    assert by_text["Al Jazeera"][0] == "entity"
    # the text around the marks is the article's text, escaped, nothing lost
    visible = re.sub(r"<[^>]+>", "", re.search(r'<div class="text">(.*?)</div>', r.text, re.S).group(1))
    assert visible.replace("&#39;", "'").replace("\n", "").replace(" ", "") == art.text.replace("\n", "").replace(" ", "")
    assert "Contradiction" in r.text and "Yeni Şafak" in r.text
    # every claim's sentence has an anchor where it starts (alerts link to /article/ID#span-START-END)
    with Store(db, readonly=True) as s:
        claims = s.claims(MANBIJ)
    nine = next(c for c in claims if c.min == 9)
    anchor = f'<a class="anchor" id="span-{nine.start}-{nine.end}"></a>'
    assert anchor in r.text
    text_after = re.sub(r"<[^>]+>", "", r.text.split(anchor, 1)[1])
    assert text_after.lstrip().startswith(art.text[nine.start:nine.start + 20].strip()[:10])


def test_story_page_side_by_side(client):
    r = client.get("/story/st-manbij")
    assert r.status_code == 200
    cols = re.findall(r'<section aria-label="([^"]+)">', re.search(r'<div class="sidebyside">.*', r.text, re.S).group(0))
    assert cols == ["PressTV", "Sputnik"]  # oldest first, one column per outlet
    assert "2 selon Kurdistan 24 (via Sputnik) contre 5 selon Yeni Şafak (via Sputnik)" in r.text
    assert '<details class="why"><summary>Pourquoi ce signalement</summary>' in r.text  # the flag explains itself


def test_outlets_and_map_pages(client):
    r = client.get("/outlets")
    assert '<a href="/search?outlet=presstv">PressTV</a>' in r.text and "Iranian" in r.text
    m = client.get("/map")
    assert '<script src="/static/vendor/leaflet.js"></script>' in m.text
    assert 'data-basemap="/static/vendor/world-borders.geojson"' in m.text
    assert client.get("/static/vendor/world-borders.geojson").json()["type"] == "FeatureCollection"


def test_api_and_openapi(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/search", "/api/stories", "/api/stories/{story_id}",
                 "/api/events", "/api/outlets", "/api/contradictions"):
        assert path in spec["paths"], path
    art = client.get(f"/api/articles/{MANBIJ}").json()
    assert art["outlet"]["id"] == "sputnik" and {c["id"] for c in art["claims"]} == {"c-manbij-9", "c-manbij-2", "c-manbij-5"}
    story = client.get("/api/stories/st-manbij").json()
    assert story["contradictions"][0]["subject"] == "US soldiers"
    geo = client.get("/api/events").json()
    coords = {f["properties"]["event_id"]: f["geometry"]["coordinates"] for f in geo["features"]}
    assert coords["ev-manbij"] == [37.9549, 36.5281] and "ev-idlib" in coords
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/api/stories", params={"limit": 1}).json().__len__() == 1


def test_read_only(db):
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    c = TestClient(create_app(db))
    for url in ("/", "/search?q=Manbij", f"/article/{MANBIJ}", "/story/st-manbij", "/map", "/api/events"):
        assert c.get(url).status_code == 200
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    with Store(db) as writer:  # the UI never holds the writer lock
        assert writer.count_articles() > 0


def test_serve_binds_loopback_by_default():
    import inspect

    from veille.web.app import serve

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


def test_head_like_get(client):
    r = client.head("/search", params={"q": "Manbij"})
    assert r.status_code == 200 and r.content == b"" and int(r.headers["content-length"]) > 1000
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_narrow_filter_widens_the_search_window(tmp_path):
    """A filter on a low-ranked outlet still finds its hit beyond the first window of ranked hits."""
    from veille.records import Article
    from veille.web.search import Filters, run_search

    with Store(tmp_path / "v.db") as store:
        for i in range(30):  # many short, high-ranked hits from one outlet
            store.upsert_article(Article(f"a{i:02d}", f"Manbij Manbij explosion {i}", outlet="sputnik", published_at="2019-01-16"))
        store.upsert_article(Article("b00", "Long report. " * 60 + "Manbij once.", outlet="presstv", published_at="2019-01-16"))
        ranked, _ = run_search(store, "Manbij", Filters(), 200)
        assert [h.article.id for h in ranked].index("b00") >= 10  # outside the first window (limit 1 → 10)
        hits, message = run_search(store, "Manbij", Filters(outlet="presstv"), 1)
        assert message is None and [h.article.id for h in hits] == ["b00"]
