"""The web UI under a burst (issue 18): what a page costs is computed once — by the link stage when
the archive is written, or once per archive version — and the pages say what they said before.

Why these tests: an article page of a 145-article story cost 1.4 s of CPU because it compared every
pair of its story's figures again to show the toll's evolution (bench/serve_load.py). The link
stage already makes those comparisons; it now keeps the evolution (``story_crosscheck``), and a
page reads it. The pages must not change: stored or recomputed, the HTML is the same, and it is
the dossier's.
"""

from __future__ import annotations

import re
import threading
import warnings
from pathlib import Path

import pytest

from veille.link import crosscheck_stories
from veille.link.crosscheck import crosscheck_story
from veille.records import Article, Claim, Event, Story, stable_id
from veille.settings import Settings
from veille.store import Store

ALEPPO = (36.2021, 37.1343)
# FA-KES dev: the Observatory's Thursday toll, then its Saturday toll (one incident, the toll rising)
THU = "The Syrian Observatory for Human Rights said 90 people were killed in the air strikes."
SAT = "Air strikes killed 270 people, the Syrian Observatory for Human Rights said on Saturday."


def _claim(art: Article, number: str, value: int) -> Claim:
    pos = art.text.index(number)
    return Claim(id=stable_id("claim", art.id, pos, "killed"), article_id=art.id, kind="killed", min=value, max=value,
                 qualifier="exact", subject=None, text=art.text, start=0, end=len(art.text),
                 attributed_to=("Syrian Observatory for Human Rights",), event_id=f"ev-{art.id}", number_text=number,
                 number_start=pos, number_end=pos + len(number))


def rising_toll_archive(path: Path) -> tuple[Story, list]:
    """Two outlets' articles on one story, each with its event and its figure; the story layer
    written as the link stage writes it. Returns the story and what ``crosscheck_stories`` gave."""
    thu = Article("thu", THU, outlet="outlet-a", published_at="2016-04-28", language="en", title="Strikes on Aleppo")
    sat = Article("sat", SAT, outlet="outlet-b", published_at="2016-04-30", language="en", title="Aleppo toll rises")
    story = Story("s1", "Aleppo air strikes", "2016-04-28", "2016-04-30", ("thu", "sat"), ("outlet-a", "outlet-b"), ("en",))
    with Store(path) as store:
        for art, number, value in ((thu, "90", 90), (sat, "270", 270)):
            store.upsert_article(art)
            ev = Event(f"ev-{art.id}", "2016-04-28", 1, "Explosions/Remote violence", "Air/drone strike", location="Aleppo",
                       latitude=ALEPPO[0], longitude=ALEPPO[1], geo_precision=1, articles=(art.id,))
            store.replace_analysis(art.id, claims=[_claim(art, number, value)], events=[ev])
        found = crosscheck_stories(store, [story])
        store.replace_stories([story], *found)
    return story, list(found)


def client_of(db: Path):
    from veille.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient(create_app(db))


def evolution_blocks(html: str) -> list[str]:
    found = re.findall(r'<div class="evolution">.*?</div>', html, flags=re.S)
    assert found, "no evolution shown"
    return found


def test_the_link_stage_keeps_each_storys_evolution(tmp_path):
    db = tmp_path / "a.db"
    story, (contras, _events, evolutions) = rising_toll_archive(db)
    assert contras == []  # a later, higher toll is not a disagreement
    [evo] = evolutions["s1"]
    assert [(p["min"], p["outlet"]) for p in evo["points"]] == [(90, "outlet-a"), (270, "outlet-b")]
    with Store(db, readonly=True) as store:
        arts = {a.id: a for a in store.articles()}
        again = crosscheck_story("s1", store.claims(), arts, store.events(story_level=False)).evolution
        stored = store.story_evolution("s1")
        assert stored is not None and len(stored) == 1
        assert [(p["min"], p["article_id"], p["claim_id"]) for p in stored[0]["points"]] == \
            [(p["min"], p["article_id"], p["claim_id"]) for p in again[0]["points"]]
        assert store.story_evolution("no-such-story") is None  # not stored: readers compute it


def test_an_article_page_shows_its_storys_evolution_stored_or_recomputed_alike(tmp_path):
    """The article page's cross-check box shows the story's evolution (the dossier's, the story
    page's); read from the link stage's record or recomputed for an archive without it, the
    pages are byte for byte the same."""
    from veille.publish.dossier import collect, render_html

    db = tmp_path / "a.db"
    story, (contras, events, _evolutions) = rising_toll_archive(db)
    client = client_of(db)
    stored = {p: client.get(p).text for p in ("/article/thu", "/article/sat", "/story/s1")}
    [block] = evolution_blocks(stored["/article/thu"])
    assert block.index("90") < block.index("270") and "outlet-b" in block
    with Store(db) as store:  # a story layer written without the evolution (another tool, an older archive)
        store.replace_stories([story], contras, events)
        assert store.story_evolution("s1") is None
        dossier = render_html(collect(store, Settings(db=db, outlet_files=())))
    recomputed = {p: client.get(p).text for p in stored}  # the archive changed: computed again, here
    assert recomputed == stored
    assert evolution_blocks(stored["/story/s1"]) == evolution_blocks(stored["/article/sat"]) == [block]
    assert evolution_blocks(dossier) == [block, block]  # each of the story's two entries, as on its page


def test_recent_values_are_built_once_and_bounded():
    from veille.web.cache import Snapshot

    snap = Snapshot(("v",))
    built: list[str] = []
    gate = threading.Event()

    def build(key):
        def run():
            gate.wait(5)
            built.append(key)
            return key.upper()
        return run

    threads = [threading.Thread(target=lambda: snap.recent("story", "a", build("a"), limit=3)) for _ in range(8)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join()
    assert built == ["a"]  # eight readers, one builder
    for key in "bcd":
        assert snap.recent("story", key, build(key), limit=3) == key.upper()
    assert snap.recent("story", "a", build("a"), limit=3) == "A"  # "a" was the least recently used: dropped
    assert built == ["a", "b", "c", "d", "a"]
    assert len(snap._recent["story"]) == 3 and not snap._locks


def test_article_heads_and_claims_of_read_what_the_records_say(tmp_path):
    from publish_fixture import MANBIJ, build_store

    db = build_store(tmp_path / "p.db")
    with Store(db, readonly=True) as store:
        full = {a.id: a for a in store.articles()}
        heads = store.article_heads(list(full) + ["missing"])
        assert set(heads) == set(full)
        for aid, head in heads.items():
            assert head.text == "" and head.places == ()
            for f in Store.HEAD_FIELDS:
                assert getattr(head, f) == getattr(full[aid], f), (aid, f)
        by_article = store.claims_of([MANBIJ, "missing", *full])
        assert by_article == {aid: store.claims(aid) for aid in [MANBIJ, "missing", *full]}
        assert [c.id for c in by_article[MANBIJ]] == ["c-manbij-2", "c-manbij-5", "c-manbij-9"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_figures_are_formatted_as_babel_formats_them(lang):
    from babel.numbers import format_decimal

    from veille.i18n import translator

    t = translator(lang)
    for x in (2, 2.0, 2.5, 1234, 1234.5, 0, 1_000_000):
        assert t.number(x) == format_decimal(x, locale=lang, format="#,##0.##")


def test_answers_are_compressed_for_readers_that_accept_gzip_and_identical_once_decompressed(tmp_path):
    """A reader that accepts gzip gets the cached answer compressed (once per entry), one that does
    not gets it as it is; the page's headers (security, Vary with the language and the encoding,
    the ``?ui=`` cookie) are the same either way, and a body larger than one piece arrives whole."""
    import gzip
    import http.client

    from veille.web import cache as web_cache

    db = tmp_path / "a.db"
    rising_toll_archive(db)
    client = client_of(db)
    for path in ("/article/thu?ui=en", "/api/events", "/map"):
        plain = client.get(path, headers={"accept-encoding": "identity"})
        packed = client.get(path, headers={"accept-encoding": "gzip"})  # httpx decompresses it
        again = client.get(path, headers={"accept-encoding": "gzip"})  # from the cache, compressed once
        assert plain.status_code == packed.status_code == again.status_code == 200
        assert plain.content == packed.content == again.content
        assert "content-encoding" not in plain.headers
        assert packed.headers.get("content-encoding") == ("gzip" if len(plain.content) >= web_cache.GZIP_MIN else None), path
        if len(plain.content) >= web_cache.GZIP_MIN:
            assert "Accept-Encoding" in plain.headers["vary"] and "Accept-Encoding" in packed.headers["vary"]
        assert plain.headers["content-security-policy"] == packed.headers["content-security-policy"]
        assert int(plain.headers["content-length"]) == len(plain.content)
        if not path.startswith("/api/"):
            assert packed.headers["vary"].startswith("Accept-Language, Cookie")
        if "ui=en" in path:
            assert "veille_ui=en" in plain.headers["set-cookie"] and "veille_ui=en" in packed.headers["set-cookie"]
    assert gzip.decompress(web_cache.gzip_bytes(b"x" * 1000)) == b"x" * 1000
    assert web_cache.gzip_bytes(b"same") == web_cache.gzip_bytes(b"same")  # no time stamp: deterministic
    assert web_cache.accepts_gzip({"headers": [(b"accept-encoding", b"br, gzip;q=0.5")]})
    assert not web_cache.accepts_gzip({"headers": [(b"accept-encoding", b"gzip;q=0, identity")]})
    assert not web_cache.accepts_gzip({"headers": []})


def test_a_large_answer_leaves_in_pieces_and_arrives_whole():
    """The cache sends a body in ``CHUNK``-sized pieces (each after the previous one drained), so a
    slow reader of the 12 MB events layer holds one piece of server memory, not a copy."""
    import asyncio

    from veille.web.cache import CHUNK, ResponseCache

    body = bytes(range(256)) * (3 * CHUNK // 256 + 7)

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/octet-stream"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    def run(cache):
        sent = []

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": "/api/x", "query_string": b"", "headers": []}
        asyncio.run(cache(scope, None, send))
        return sent

    cache = ResponseCache(app, Path("/nonexistent.db"))
    for sent in (run(cache), run(cache)):  # computed, then replayed from the cache
        pieces = [m for m in sent if m["type"] == "http.response.body"]
        assert len(pieces) == 4 and all(len(m["body"]) <= CHUNK for m in pieces)
        assert [m["more_body"] for m in pieces] == [True, True, True, False]
        assert b"".join(m["body"] for m in pieces) == body
    assert cache.hits == 1 and cache.misses == 1


def test_the_map_and_events_layers_are_written_event_by_event_as_the_whole_would_be(tmp_path, monkeypatch):
    """The map page's data island and /api/events are written a chunk of events at a time (a large
    archive's are megabytes): the same JSON as dumping the whole layer at once, chunk boundaries
    included; a right-to-left override in an event's place is escaped, so the island still parses."""
    import html
    import json

    from publish_fixture import IDLIB, build_store

    from veille.i18n import translator
    from veille.outlets import load_registry
    from veille.publish.crosscheck import map_events
    from veille.publish.dossier import map_layer_events
    from veille.records import Event
    from veille.web import app as web_app

    db = build_store(tmp_path / "p.db")
    with Store(db) as store:
        evil = Event("ev-rlo", "2019-01-17", 1, "Battles", "Armed clash", location="Manbij \u202egnp.exe",
                     latitude=36.5, longitude=37.9, articles=(IDLIB,))  # an article no story covers
        store.replace_analysis(IDLIB, events=[*store.events(IDLIB), evil])
    monkeypatch.setattr(web_app, "LAYER_CHUNK", 1)  # every event its own chunk
    client = client_of(db)
    with Store(db, readonly=True) as store:
        layer = map_layer_events(store)
        t = translator("fr")
        registry = load_registry(())
        by_id = {a.id: a for a in store.articles()}
        claims = {c.id: c for c in store.claims()}
        expected_map = map_events(layer, claims, by_id, registry, web_app._href, t)
    assert any(e.event_id == "ev-rlo" for e in layer) and len(layer) > 2
    events = client.get("/api/events").content
    assert json.loads(events) == {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [e.longitude, e.latitude]}, "properties": e.to_dict()}
        for e in layer if e.latitude is not None]}
    page = client.get("/map").text
    island = re.search(r'<script type="application/json" id="veille-map-data">(.*?)</script>', page, flags=re.S).group(1)
    assert "\u202e" not in island and "\\u202e" in island
    data = json.loads(island)
    assert [e["id"] for e in data["events"]] == [e["id"] for e in expected_map]
    assert data["events"] == json.loads(json.dumps(expected_map))
    assert f"{len(expected_map)}" in html.unescape(page.split('id="map"')[0])  # the count the page states


def test_concurrent_requests_for_one_page_make_it_once():
    """Twenty readers asking at once for a page nobody has asked for yet: it is made once, the
    others wait and get the same answer (the first seconds of a burst ask for each search many times)."""
    import asyncio

    from veille.web.cache import ResponseCache

    made = []

    async def app(scope, receive, send):
        made.append(scope["path"])
        await asyncio.sleep(0.05)  # the page takes time to make
        body = f"page {scope['path']}".encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": body})

    cache = ResponseCache(app, Path("/nonexistent.db"))

    async def ask(path):
        sent = []

        async def send(message):
            sent.append(message)

        await cache({"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []}, None, send)
        return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")

    async def burst():
        return await asyncio.gather(*[ask("/search") for _ in range(20)], ask("/other"))

    answers = asyncio.run(burst())
    assert answers[:20] == [b"page /search"] * 20 and answers[20] == b"page /other"
    assert sorted(made) == ["/other", "/search"]
    assert cache.misses == 2 and cache.hits == 19 and not cache._inflight
