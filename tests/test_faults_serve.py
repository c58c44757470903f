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
