"""Near-duplicates, republication and exact duplicates on the sample's real articles."""

from __future__ import annotations

from dataclasses import replace

import pytest

from veille.link import dedup


def by_title(articles, start: str):
    found = [a for a in articles if (a.title or "").startswith(start)]
    assert len(found) == 1, start
    return found[0]


def lightly_edited(text: str) -> str:
    """What a republisher does: drops the last paragraph, retouches a word."""
    paras = text.split("\n\n")
    return "\n\n".join(paras[:-1]).replace("renforcées", "consolidées", 1)


def test_normalise_folds_case_accents_and_arabic_spelling():
    assert dedup.normalise("L’ÉTAT Islamique a frappé") == ["l", "etat", "islamique", "a", "frappe"]
    # tashkeel, tatweel and hamza-on-alef variants are spelling, not different words
    assert dedup.normalise("أَعْلَنَ الجيـــش") == dedup.normalise("اعلن الجيش")


def test_minhash_separates_a_republished_text_from_another_story(sample_articles):
    police = by_title(sample_articles, "Moscou renforce sa police militaire")
    convoys = by_title(sample_articles, "Nouveaux convois militaires")
    original, copy = dedup.signature(police.text), dedup.signature(lightly_edited(police.text))
    other = dedup.signature(convoys.text)
    assert original.jaccard(copy) >= dedup.THRESHOLD
    assert original.jaccard(other) < 0.1
    assert set(dedup.band_keys(original)) & set(dedup.band_keys(copy))  # found by LSH look-up
    assert dedup.signature("trop court") is None and dedup.text_hash("trop court") is None


@pytest.fixture
def linked_with_copy(store, sample_articles):
    """The sample plus a later, lightly edited copy of PressTV's article under Al-Alam."""
    from veille.link import link_store

    police = by_title(sample_articles, "Moscou renforce sa police militaire")
    copy = replace(police, id="alalam-copy", url="https://www.alalam.ir/news/copy", canonical_url="https://www.alalam.ir/news/copy",
                   outlet="alalam", published_at="2019-01-16T08:00", text=lightly_edited(police.text), boilerplate=(),
                   cited_sources=(), headline=None)
    with store.transaction():
        for a in [*sample_articles, copy]:
            store.upsert_article(a)
        report = link_store(store)
    return store, report, police, copy


def test_republished_copy_points_to_the_earlier_outlet(linked_with_copy):
    store, report, police, copy = linked_with_copy
    got = store.get_article(copy.id)
    assert got.republished_from == "presstv"
    assert got.extra["republication"]["of_article"] == police.id
    assert got.extra["republication"]["similarity"] >= dedup.THRESHOLD
    assert store.get_article(police.id).republished_from is None  # the earlier one is the original
    # the copy tells the same story
    story = [s for s in store.stories() if police.id in s.articles][0]
    assert copy.id in story.articles and set(story.outlets) == {"presstv", "alalam"}


def test_credit_line_is_a_declared_republication(linked_with_copy, sample_articles):
    store, report, _, _ = linked_with_copy
    almanar = by_title(sample_articles, "Washington tente de faire échouer")
    got = store.get_article(almanar.id)
    assert got.republished_from == "presstv"
    assert got.extra["republication"]["credit"] == "Source: PressTV"
    # no other sample article is a republication ("Source: Divers" names no outlet)
    others = [a for a in store.articles() if a.republished_from and a.id not in (almanar.id, "alalam-copy")]
    assert others == []
    assert report.republished == 2


def test_exact_duplicate_is_stored_once_and_counted(store, sample_articles):
    from veille.store import count_duplicates

    sana = sample_articles[2]
    twin = replace(sana, id="same-text-other-url", url="https://sana.sy/fr/?p=999", canonical_url="https://sana.sy/fr/?p=999")
    elsewhere = replace(sana, id="same-text-other-outlet", url="https://www.alalam.ir/x", canonical_url="https://www.alalam.ir/x",
                        outlet="alalam")
    with store.transaction():
        assert store.upsert_article(sana) == "new"
        assert store.upsert_article(twin) == "duplicate"
        assert store.upsert_article(twin) == "duplicate"  # counted once per source
        assert store.upsert_article(elsewhere) == "new"  # same text, other outlet: a republication, kept
    assert store.count_articles() == 2
    assert count_duplicates(store) == 1
    assert store.get_article(twin.id) is None
