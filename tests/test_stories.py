"""Story clustering on real articles: the sample review plus our own translations of it.

tests/fixtures/stories/README.md says which records are translations/constructions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veille.records import Article, stable_id

FIX = Path(__file__).parent / "fixtures" / "stories" / "articles.jsonl"
BASIL = Path(__file__).resolve().parents[2] / "shared" / "data" / "stories-dev" / "basil-dev.jsonl"


def fixture_articles() -> list[Article]:
    out = []
    for line in FIX.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        out.append(Article(id=d["id"], text=d["text"], outlet=d["outlet"], title=d["title"],
                           published_at=d["published_at"], language=d["language"]))
    return out


def by_title(articles, start: str) -> Article:
    found = [a for a in articles if (a.title or "").startswith(start)]
    assert len(found) == 1, start
    return found[0]


@pytest.fixture(scope="module")
def linked(tmp_path_factory, sample_articles):
    from veille.link import link_store
    from veille.store import Store

    store = Store(tmp_path_factory.mktemp("stories") / "s.db")
    with store.transaction():
        for a in [*sample_articles, *fixture_articles()]:
            store.upsert_article(a)
        report = link_store(store)
    yield store, report
    store.close()


def story_of(store, article_id: str):
    stories = [s for s in store.stories() if article_id in s.articles]
    assert len(stories) == 1
    return stories[0]


def test_manbij_told_in_three_languages_is_one_story(linked, sample_articles):
    store, _ = linked
    sputnik = by_title(sample_articles, "Explosion à Manbij")
    story = story_of(store, sputnik.id)
    assert {"tr-manbij-en", "tr-manbij-ar", "cx-manbij-yenisafak-fr", "cx-manbij-day2-fr"} <= set(story.articles)
    assert set(story.languages) == {"fr", "en", "ar"}
    assert {"sputnik", "aljazeera", "presstv", "almanar"} <= set(story.outlets)
    assert story.first_seen == "2019-01-16" and story.last_seen.startswith("2019-01-17")


def test_same_place_other_event_stays_apart_but_joins_its_translation(linked, sample_articles):
    store, _ = linked
    police_fr = by_title(sample_articles, "Moscou renforce sa police militaire")
    story = story_of(store, police_fr.id)
    # the Russian military police story also mentions Manbij, a day earlier: not the blast
    assert "tr-manbij-en" not in story.articles
    assert set(story.articles) == {police_fr.id, "tr-police-en"}
    assert set(story.languages) == {"fr", "en"}


def test_other_sample_stories_are_not_merged(linked, sample_articles):
    store, _ = linked
    grouped = {a.id for s in store.stories() if len(s.articles) > 1 for a in [*sample_articles] if a.id in s.articles}
    police = by_title(sample_articles, "Moscou renforce").id
    manbij = by_title(sample_articles, "Explosion à Manbij").id
    assert grouped == {police, manbij}  # the 8 other review entries are 8 different stories
    assert len(store.stories()) == 10


def test_story_records_follow_the_contract(linked):
    store, report = linked
    stories = store.stories()
    assert report.stories == len(stories)
    articles = {a.id: a for a in store.articles()}
    for s in stories:
        members = sorted(s.articles, key=lambda i: (articles[i].published_at or "", i))
        assert s.id == stable_id("story", members[0])  # stable: hash of its first article
        assert s.title in {articles[i].title or articles[i].headline for i in s.articles}
        assert s.first_seen <= s.last_seen
        assert set(s.outlets) == {articles[i].outlet for i in s.articles}
        assert set(s.to_dict()) >= {"id", "title", "first_seen", "last_seen", "articles", "outlets", "languages"}


def test_incremental_join_keeps_ids_and_does_not_reembed(tmp_path, sample_articles, linked):
    from veille.link import link_store
    from veille.link.embed import Embedder
    from veille.store import Store

    class Counting(Embedder):
        calls = 0

        def encode(self, texts):
            Counting.calls += len(texts)
            return super().encode(texts)

    emb = Counting()
    with Store(tmp_path / "inc.db") as store:
        with store.transaction():
            for a in sample_articles:
                store.upsert_article(a)
            link_store(store, embedder=emb)
        before = {s.id: set(s.articles) for s in store.stories()}
        assert Counting.calls == len(sample_articles)
        with store.transaction():
            for a in fixture_articles():
                store.upsert_article(a)
            link_store(store, embedder=emb)
        assert Counting.calls == len(sample_articles) + 5  # only the new articles were embedded
        after = {s.id: set(s.articles) for s in store.stories()}
        for sid, members in before.items():
            assert sid in after and members <= after[sid]  # old stories keep their ids and members
        # the same partition as linking everything at once
        once = {frozenset(s.articles) for s in linked[0].stories()}
        assert {frozenset(m) for m in after.values()} == once
        with store.transaction():
            rep = link_store(store, embedder=emb)
        assert rep.linked == 0 and Counting.calls == len(sample_articles) + 5


@pytest.mark.skipif(not BASIL.exists(), reason="shared dev data not on this machine")
def test_basil_stories_published_days_apart_stay_apart(tmp_path):
    """Mono-lingual: the BASIL stories whose coverage overlaps in time (within a week)."""
    from datetime import date

    from veille.link import link_store
    from veille.store import Store

    rows = [json.loads(x) for x in BASIL.read_text(encoding="utf-8").splitlines() if x.strip()]
    first = {}
    for r in rows:
        first[r["story_id"]] = min(first.get(r["story_id"], r["date"]), r["date"])
    close = {s for s in first for t in first if s != t and abs((date.fromisoformat(first[s]) - date.fromisoformat(first[t])).days) <= 7}
    chosen = [r for r in rows if r["story_id"] in close]
    assert len({r["story_id"] for r in chosen}) >= 4
    with Store(tmp_path / "b.db") as store:
        with store.transaction():
            for r in chosen:
                store.upsert_article(Article(id=r["id"], text=r["text"], outlet=r["source"], title=r["title"],
                                             published_at=r["date"], language="en"))
            link_store(store)
        pred = {a: s.id for s in store.stories() for a in s.articles}
    gold = {r["id"]: r["story_id"] for r in chosen}
    ids = sorted(gold)
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    tp = sum(gold[a] == gold[b] and pred[a] == pred[b] for a, b in pairs)
    fp = sum(gold[a] != gold[b] and pred[a] == pred[b] for a, b in pairs)
    fn = sum(gold[a] == gold[b] and pred[a] != pred[b] for a, b in pairs)
    assert fp == 0
    assert tp / (tp + fn) >= 0.9
