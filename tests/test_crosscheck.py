"""Cross-outlet figures on the Manbij story: a contradiction, a rising toll, story events.

Claims and events are constructed records over the real sentences (offsets found in the
real texts): the Sputnik article of the sample review, and the translations/constructions
of tests/fixtures/stories/ (README there).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veille.records import Article, Claim, Contradiction, ContradictionValue, Event, stable_id

FIX = Path(__file__).parent / "fixtures" / "stories" / "articles.jsonl"
ROOT = Path(__file__).resolve().parents[1]


def fixture_articles() -> list[Article]:
    return [Article(id=d["id"], text=d["text"], outlet=d["outlet"], title=d["title"], published_at=d["published_at"],
                    language=d["language"]) for d in map(json.loads, FIX.read_text(encoding="utf-8").splitlines())]


def claim(article: Article, sentence_start: str, kind: str, vmin, vmax, qualifier: str, subject, speakers=()) -> Claim:
    """A claim over the real sentence of the article that starts with ``sentence_start``."""
    start = article.text.index(sentence_start)
    end = article.text.find(".", start) + 1
    return Claim(id=stable_id("claim", article.id, start, kind), article_id=article.id, kind=kind, min=vmin, max=vmax,
                 qualifier=qualifier, subject=subject, text=article.text[start:end], start=start, end=end,
                 attributed_to=tuple(speakers))


def event(article: Article, claims, date, location="Manbij", lat=36.5281, lon=37.9549, fatalities=None,
          etype="Explosions/Remote violence", sub="Suicide bomb") -> Event:
    return Event(event_id=stable_id("event", article.id, location, etype), event_date=date, time_precision=1,
                 event_type=etype, sub_event_type=sub, country="Syria", admin1="Aleppo" if location == "Manbij" else "Idlib",
                 location=location, latitude=lat, longitude=lon, geo_precision=1, source=(article.outlet,),
                 fatalities=fatalities, claims=tuple(c.id for c in claims), articles=(article.id,))


@pytest.fixture(scope="module")
def manbij(tmp_path_factory, sample_articles):
    from veille.link import link_store
    from veille.store import Store

    fx = {a.id: a for a in fixture_articles()}
    sputnik = next(a for a in sample_articles if (a.title or "").startswith("Explosion à Manbij"))
    en, presstv, day2 = fx["tr-manbij-en"], fx["cx-manbij-yenisafak-fr"], fx["cx-manbij-day2-fr"]
    claims = {
        sputnik.id: [
            claim(sputnik, "Selon une source sur place", "killed", 9, 9, "at_least", None, ["Al Jazeera", "une source sur place"]),
            claim(sputnik, "Pour sa part, la chaîne", "killed", 2, 2, "exact", "militaires américains", ["Kurdistan 24"]),
            claim(sputnik, "Le journal turc Yeni", "killed", 5, 5, "exact", "militaires US", ["Yeni Şafak"]),
        ],
        en.id: [claim(en, "According to a source on the ground", "killed", 9, 9, "at_least", "people", ["a source on the ground"])],
        presstv.id: [claim(presstv, "Le journal turc Yeni", "killed", 5, 5, "exact", "militaires américains", ["Yeni Şafak"])],
        day2.id: [claim(day2, "Le bilan de l'explosion", "killed", 19, 19, "at_least", "personnes",
                        ["Observatoire syrien des droits de l'homme"])],
    }
    events = {
        sputnik.id: [event(sputnik, claims[sputnik.id], "2019-01-16", fatalities=9)],
        en.id: [event(en, claims[en.id], "2019-01-16", fatalities=9)],
        presstv.id: [event(presstv, claims[presstv.id], "2019-01-16", fatalities=5)],
        day2.id: [event(day2, claims[day2.id], "2019-01-16", fatalities=19),
                  # another event in the same story's articles: other place and type
                  event(day2, [], "2019-01-17", location="Idlib", lat=35.93, lon=36.63, etype="Battles", sub="Armed clash")],
    }
    store = Store(tmp_path_factory.mktemp("crosscheck") / "c.db")
    with store.transaction():
        for a in [*sample_articles, *fx.values()]:
            store.upsert_article(a)
        for aid in claims:
            store.replace_analysis(aid, claims=claims[aid], events=events[aid])
        # an in-article contradiction from the enrich stage (story_id null) must survive linking
        inside = Contradiction("inside-1", None, "killed", "militaires américains", (
            ContradictionValue(2, 2, "exact", "sputnik", ("Kurdistan 24",), sputnik.id, claims[sputnik.id][1].id),
            ContradictionValue(5, 5, "exact", "sputnik", ("Yeni Şafak",), sputnik.id, claims[sputnik.id][2].id)))
        store.db.execute("INSERT INTO contradictions VALUES (?, ?, ?)", (inside.id, None, json.dumps(inside.to_dict())))
        report = link_store(store)
        link_store(store)  # twice: the story layer is rebuilt, not duplicated
    story = next(s for s in store.stories() if sputnik.id in s.articles)
    yield store, report, story, sputnik, claims
    store.close()


def test_two_outlets_disagree_on_the_us_toll(manbij):
    store, report, story, sputnik, claims = manbij
    across = [c for c in store.contradictions() if c.story_id == story.id]
    assert len(across) == 1
    c = across[0]
    assert c.kind == "killed"
    got = {(v.outlet, v.min, v.attributed_to) for v in c.values}
    # Sputnik retains Kurdistan 24's two dead, PressTV Yeni Şafak's five, the same day
    assert got == {("sputnik", 2, ("Kurdistan 24",)), ("presstv", 5, ("Yeni Şafak",))}
    assert report.contradictions == 1


def test_in_article_contradictions_survive_the_story_rebuild(manbij):
    store = manbij[0]
    assert [c.id for c in store.contradictions() if c.story_id is None] == ["inside-1"]


def test_rising_toll_is_not_a_contradiction(manbij):
    from veille.link import figures_by_outlet

    store, _, story, sputnik, claims = manbij
    view = figures_by_outlet(store, story.id)
    rising = view["rising"]
    # at least 9 on the 16th (Sputnik, Al Jazeera) → at least 19 on the 17th (Al-Manar)
    assert {(r["from"]["outlet"], r["to"]["outlet"], r["to"]["min"]) for r in rising} == {
        ("sputnik", "almanar", 19), ("aljazeera", "almanar", 19)}
    flagged = {v.claim_id for c in store.contradictions() for v in c.values}
    assert claims["cx-manbij-day2-fr"][0].id not in flagged


def test_figures_by_outlet_and_speaker(manbij):
    from veille.link import figures_by_outlet

    store, _, story, sputnik, _ = manbij
    view = figures_by_outlet(store, story.id)
    sp = view["outlets"]["sputnik"]
    assert {speaker: [f["min"] for f in figs] for speaker, figs in sp.items()} == {
        "Al Jazeera": [9], "Kurdistan 24": [2], "Yeni Şafak": [5]}
    assert [f["min"] for f in view["outlets"]["presstv"]["Yeni Şafak"]] == [5]
    assert view["outlets"]["aljazeera"]["a source on the ground"][0]["qualifier"] == "at_least"
    for figs in view["outlets"].values():  # each figure carries its real sentence
        for f in (f for fs in figs.values() for f in fs):
            assert f["text"] and f["text"] in store.get_article(f["article_id"]).text
    assert len(view["contradictions"]) == 1


def test_story_events_merge_the_outlets_tellings(manbij):
    store, report, story, sputnik, claims = manbij
    evs = store.events(story_level=True)
    assert report.story_events == len(evs) == 2
    blast = next(e for e in evs if e.location == "Manbij")
    assert set(blast.articles) == {sputnik.id, "tr-manbij-en", "cx-manbij-yenisafak-fr", "cx-manbij-day2-fr"}
    assert blast.source == ("aljazeera", "almanar", "presstv", "sputnik")
    assert set(blast.claims) == {c.id for cs in claims.values() for c in cs}
    assert blast.fatalities == 5  # ACLED: the most conservative of the reported tolls
    assert blast.event_date == "2019-01-16"
    idlib = next(e for e in evs if e.location == "Idlib")
    assert idlib.articles == ("cx-manbij-day2-fr",) and idlib.event_type == "Battles"
    # article-level events are untouched
    assert len(store.events(story_level=False)) == 5


def test_relation_rules():
    from veille.link.crosscheck import relation

    def c(v, q="exact"):
        return Claim("c", "a", "killed", v, v, q, "people", "", 0, 0)

    day1 = Article("a1", "t", outlet="x", published_at="2019-01-16T09:00")
    day1_late = Article("a2", "t", outlet="y", published_at="2019-01-16T11:00")
    day2 = Article("a3", "t", outlet="y", published_at="2019-01-17T10:00")
    assert relation((c(5), day1), (c(9), day2)) == "rising-toll"  # 5 dead day 1 → 9 dead day 2
    assert relation((c(9), day1), (c(5), day2)) == "contradiction"  # a later *lower* toll
    assert relation((c(5), day1), (c(9), day1_late)) == "contradiction"  # same time window
    assert relation((c(9, "about"), day1), (c(10), day1_late)) is None  # "about 9" and 10 agree
    assert relation((c(9, "at_least"), day1), (c(12), day1_late)) is None


def test_full_pipeline_links_the_enriched_articles(tmp_path):
    """ingest (review + JSON Lines) → analyze (the real enrich stage) → link."""
    from veille import pipeline
    from veille.settings import Settings
    from veille.store import Store

    settings = Settings(db=tmp_path / "p.db", outlet_files=())
    with Store(settings.db) as store:
        report = pipeline.ingest([str(ROOT / "examples" / "revue-syrie-2019-01.txt"), str(FIX)], settings, store)
        assert report.new == 15 and report.errors == []
        report = pipeline.analyze(settings, store)
        assert report.errors == []
        story = next(s for s in store.stories() if "tr-manbij-ar" in s.articles)
        assert {"tr-manbij-en", "cx-manbij-yenisafak-fr"} <= set(story.articles) and set(story.languages) == {"fr", "en", "ar"}
        across = [c for c in store.contradictions() if c.story_id == story.id]
        inside = [c for c in store.contradictions() if c.story_id is None and c.values[0].article_id in story.articles]
        # Sputnik's article tells the 2 vs 5 US soldiers itself; the story layer does not flag it again
        assert any({v.min for v in c.values} == {2, 5} for c in inside)
        assert all(len({v.outlet for v in c.values}) >= 2 for c in across)
        assert not any({v.min for v in c.values} <= {2, 5} and c.group == "soldiers+us" for c in across)
        blast = [e for e in store.events(story_level=True) if len(set(e.articles) & set(story.articles)) >= 2]
        assert blast and set(blast[0].source) >= {"sputnik", "presstv"}
