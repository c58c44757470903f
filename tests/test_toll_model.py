"""The learned toll scorer (issue 14): the shipped weights are what the training script fits, and the
choice it makes holds the mechanisms it was built for, on real articles."""

import json
import sys
from pathlib import Path

import pytest

from veille.enrich.claims import extract_claims
from veille.enrich.toll_model import FEATURES, choose, event_candidates, weights
from veille.enrich.lexicon import split_sentences

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def test_the_training_script_reproduces_the_shipped_scorer():
    """``bench/train_tolls.py --write`` saves its training examples (numbers only) beside the weights; fitting
    them again gives the shipped file, weight for weight."""
    import train_tolls

    shipped = json.loads((ROOT / "src" / "veille" / "data" / "toll_scorer.json").read_text(encoding="utf-8"))
    assert shipped["features"] == list(FEATURES)
    assert train_tolls.fit_weights(train_tolls.load_matrix()) == shipped["weights"]


def candidates_of(title, text, kind="killed"):
    lang = "en"
    sentences = split_sentences(text)
    body = extract_claims(text, "t", lang, sentences)
    head = extract_claims(title, "t", lang) if title else []
    return event_candidates(kind, head, body, body, sentences, text, (), None)


def test_candidates_are_every_reading_and_none():
    cands = candidates_of("Two killed in Aleppo shelling",
                          "Two civilians were killed on Sunday when shells hit Aleppo. Last month, 30 people were killed "
                          "in the same district.")
    assert sorted(c.value for c in cands) == [0, 2, 30]
    assert all(set(c.features) == set(FEATURES) for c in cands)
    two = next(c for c in cands if c.value == 2)
    assert two.features["in_title"] == 1 and two.features["first"] == 1 and two.claims


@pytest.mark.parametrize("title, text, kind, value", [
    # the title's and the lead's toll, not a later figure about another day
    ("Two killed in Aleppo shelling", "Two civilians were killed on Sunday when shells hit Aleppo. Last month, 30 people "
     "were killed in the same district.", "killed", 2),
    # GVA: the victim counted from the parse, repeated; no other figure
    ("Girl, 17, killed in Back of the Yards shooting",
     "A 17-year-old girl was fatally shot Saturday morning in the city's Back of the Yards neighborhood, Chicago police "
     "said. The shooting occurred at about 12:30 a.m. in the 4500-block of South Wood Street, police said.", "killed", 1),
    ("Bourbon Street, New Orleans Shooting Leaves 1 Dead, 9 Hurt: Police",
     "Ten people were shot, one of them fatally, in the crowded heart of New Orleans' French Quarter early Sunday, "
     "police said.", "wounded", 9),
])
def test_the_shipped_scorer_chooses(title, text, kind, value):
    if not weights().get(kind):
        pytest.skip("no shipped weights")
    pick = choose(candidates_of(title, text, kind), kind)
    assert pick is not None and pick.value == value, [(c.value, round(sum(weights()[kind].get(k, 0) * v for k, v in c.features.items()), 2))
                                                      for c in candidates_of(title, text, kind)]


def test_an_article_without_an_acled_event_keeps_its_tolls():
    """An accidental shooting is no political violence, so no event is coded; its toll is read all the same,
    by the same scorer (GVA, stories-dev: "Cocke County 7-year-old's shooting death ruled accidental")."""
    from veille.enrich import Doc, load_pipeline
    from veille.records import Article

    text = ("NEWPORT (WATE) – Investigators ruled the shooting of a 7-year-old in in Cocke County as accidental.  "
            "Jayden Norton, 7, died after an accidental shooting on August 25, according to Cocke County Sheriff Armando "
            "Fontes. Norton was shot at around 12:48 a.m., according to Fontes. Deputies said a handgun was found at the scene.")
    doc = load_pipeline()(Doc(article=Article(id="t-gva", text=text, language="en", published_at="2016-09-20",
                                              title="Cocke County 7-year-old’s shooting death ruled accidental")))
    assert doc.extra.get("main_event") is None
    toll = doc.extra["article_toll"]
    assert toll.killed == 1 and toll.killed_claims, toll
    assert doc.extra["toll_candidates"]["inputs"] is not None


def test_shot_victims_in_an_article_with_deaths_are_flagged():
    """GVA dev: a victim counted from a bare shooting verb, in an article that reports a death, is most often the
    one who died (the scorer's feature ``shot_dead``); an injury word, or no death in the article, does not flag it."""
    shot = "Police say Perry shot 15-year-old Sunny Patel in the head before taking cash from the sandwich shop."
    died = " A man was killed at the shop on Friday."
    hurt = "A 17-year-old boy was injured Tuesday afternoon in a shooting at Stoneybrook Apartments in Claymont."

    def flags(text):
        return [c.features["shot_dead"] for c in candidates_of(None, text, "wounded") if c.value]

    assert flags(shot + died) == [1.0]
    assert flags(shot) == [0.0]
    assert flags(hurt + died) == [0.0]
