"""Contradictions inside one article: the sample's 2 vs 5 US soldiers, and the mechanism."""

import pytest
from claims_helpers import sample_article

from veille.enrich.claims import extract_claims
from veille.enrich.contradictions import article_contradictions, disagree
from veille.enrich.lexicon import NameResolver
from veille.enrich.subjects import find_subject


@pytest.fixture(scope="module")
def manbij_claims():
    a = sample_article("sputnik", "Manbij")
    return extract_claims(a.text, a.id, "fr", resolver=NameResolver())


def test_manbij_us_soldiers_contradiction(manbij_claims):
    found = article_contradictions(manbij_claims, "sputnik", article=sample_article("sputnik", "Manbij"))
    assert len(found) == 1
    c = found[0]
    assert (c.story_id, c.kind, c.subject) == (None, "killed", "US soldiers")
    assert [(v.min, v.attributed_to, v.outlet) for v in c.values] == [
        (2, ("Kurdistan 24",), "sputnik"), (5, ("Yeni Şafak",), "sputnik")]
    # the ≥ 9 people killed is about another subject and is not part of it
    nine = next(x for x in manbij_claims if x.min == 9)
    assert nine.id not in {v.claim_id for v in c.values}


def test_subject_normaliser_is_head_plus_nationality():
    for text, lang in [("deux militaires américains ont trouvé la mort", "fr"), ("trois militaires US tués", "fr"),
                       ("five American soldiers were killed", "en"), ("two US soldiers died", "en")]:
        number_end = text.index(" ")
        assert find_subject(text, number_end, len(text), lang).label == "US soldiers", text
    # "cinq victimes parmi les militaires US": the subject is after 'parmi'
    s = "cinq victimes parmi les militaires US."
    assert find_subject(s, s.index(" victimes") + len(" victimes"), len(s), "fr", via_among=True).label == "US soldiers"


def test_agreeing_or_same_speaker_figures_are_not_contradictions(manbij_claims):
    from dataclasses import replace

    two, five = [c for c in manbij_claims if c.subject == "US soldiers"]
    assert disagree(two, five)
    at_least_two = replace(five, min=2, max=None, qualifier="at_least")
    assert not disagree(two, at_least_two)  # "at least 2" does not contradict "2"
    same_speaker = replace(five, attributed_to=two.attributed_to)
    assert article_contradictions([two, same_speaker], "sputnik") == []
    cumulative = replace(five, cumulative=True)
    assert article_contradictions([two, cumulative], "sputnik") == []


def test_store_keeps_in_article_contradictions(tmp_path, manbij_claims):
    """Re-analysis replaces an article's own contradictions; rebuilding stories keeps them."""
    from veille.store import Store

    a = sample_article("sputnik", "Manbij")
    found = article_contradictions(manbij_claims, "sputnik", article=sample_article("sputnik", "Manbij"))
    with Store(tmp_path / "v.db") as store:
        with store.transaction():
            store.upsert_article(a)
            store.replace_analysis(a.id, claims=manbij_claims, contradictions=found)
            store.replace_analysis(a.id, claims=manbij_claims, contradictions=found)  # idempotent
        with store.transaction():
            store.replace_stories([])  # the story layer is rebuilt: in-article records stay
        stored = store.contradictions()
    assert [(c.story_id, c.subject, [v.min for v in c.values]) for c in stored] == [(None, "US soldiers", [2, 5])]
