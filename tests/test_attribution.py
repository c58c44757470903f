"""Attribution chains on the sample's sentences: nesting, inversion, carry-over, own voice."""

import pytest
from claims_helpers import sample_article

from veille.enrich.attribution import attribute_sentences, cited_names
from veille.enrich.lexicon import NameResolver, split_sentences


@pytest.fixture(scope="module")
def resolver():
    return NameResolver()


def chains(article, resolver):
    sents = split_sentences(article.text)
    atts = attribute_sentences(article.text, sents, "fr", resolver, cited_names(article, resolver))
    return Chains({article.text[s:e]: [a.chain for a in at] for (s, e), at in zip(sents, atts)})


class Chains(dict):
    """Look a sentence up by its first words."""

    def __getitem__(self, prefix):
        hits = [v for k, v in self.items() if k.startswith(prefix)]
        assert len(hits) == 1, f"{len(hits)} sentences start with {prefix!r}"
        return hits[0]


def test_nested_chain_outermost_first(resolver):
    got = chains(sample_article("sputnik", "Manbij"), resolver)
    assert got["Selon une source sur place citée par la"] == [("Al Jazeera", "une source sur place")]
    assert got["Pour sa part, la chaîne de télévision Ku"] == [("Kurdistan 24",)]
    assert got["Le journal turc Yeni Şafak parle de cinq"] == [("Yeni Şafak",)]
    assert got["Aucune confirmation officielle de ces ra"] == []  # the outlet's own voice


def test_carry_over_of_the_previous_speaker(resolver):
    got = chains(sample_article("sputnik", "Manbij"), resolver)
    assert got["Les blessés sont évacués des lieux à bor"] == [("Des témoins oculaires",)]  # "selon ces mêmes sources"
    got = chains(sample_article("almanar", "évadés"), resolver)
    assert got["Chacun d’entre eux avait sur lui entre 1"] == [("Syrian Observatory for Human Rights", "une source anonyme")]
    assert got["Toujours selon cette instance de l’oppos"] == [("Syrian Observatory for Human Rights", "une source anonyme")]


def test_inverted_speaker_and_cited_by(resolver):
    got = chains(sample_article("almanar", "évadés"), resolver)
    assert got["Le mercredi 9 janvier, 8 miliciens de Da"] == [("Euphrate Press",)]
    got = chains(sample_article("sana", "chimique"), resolver)
    assert got["Moscou-SANA / Une source russe a indiqué"] == [("Une source russe",)]
    assert got["Citée par l’agence de presse russe « Int"] == [("Interfax", "Une source russe")]


def test_source_line_heads_every_chain(resolver):
    a = sample_article("almanar", "saboter")
    assert cited_names(a, resolver) == ("PressTV",)
    got = chains(a, resolver)
    # "… a affirmé à Ria Novosti Rizan Haddou": he told RIA Novosti, which the article (Source: PressTV) relays
    assert got["« Nous avons appris que James Jeffrey, re"] == [("PressTV", "RIA Novosti", "Rizan Haddou")]
