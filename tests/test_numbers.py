"""Figures in running text: words, digits, vague quantities, ranges, qualifiers, non-counts."""

from veille.enrich.numbers import find_numbers, word_value


def figures(text, lang):
    return [(n.text, n.min, n.max, n.qualifier, n.unit) for n in find_numbers(text, lang)]


def test_manbij_lead_words_and_vague():
    s = "la déflagration survenue lors du passage d'une patrouille états-unienne a fait au moins neuf morts ainsi qu'une vingtaine de blessés."
    assert figures(s, "fr") == [("au moins neuf", 9, None, "at_least", None), ("une vingtaine", 20, 20, "about", None)]


def test_french_range_thousands_and_quelque():
    assert figures("Explosion à Manbij, de 2 à 9 morts selon les médias", "fr")[0][:4] == ("de 2 à 9", 2, 9, "about")
    assert figures("quelques 14.050 ont quitté la poche", "fr")[0][1:4] == (14050, 14050, "about")
    assert figures("les FDS détiennent quelque 900 détenus daechistes", "fr")[0][1:4] == (900, 900, "about")
    assert figures("plus de 250 membres de la cinquième division", "fr")[0][1:4] == (250, None, "at_least")


def test_money_dates_ordinals_are_not_counts():
    units = [n.unit for n in find_numbers("Chacun d’entre eux avait sur lui entre 100 mille et 500 mille dollars", "fr")]
    assert units == ["money"]
    assert [n.min for n in find_numbers("entre 100 mille et 500 mille dollars", "fr")] == [100000]
    assert [n.unit for n in find_numbers("Le mercredi 9 janvier, 8 miliciens", "fr")] == ["date", None]
    assert find_numbers("un important convoi de troupes du 100e régiment d’artillerie", "fr") == []
    assert [n.unit for n in find_numbers("A 12-year-old boy", "en")] == ["age"]


def test_en_plus_de_is_not_a_qualifier():
    got = figures("ont livré 5 éléments de Daech, en plus de 11 femmes et 30 enfants", "fr")
    assert [(t, q) for t, _, _, q, _ in got] == [("5", "exact"), ("11", "exact"), ("30", "exact")]


def test_english_words_digits_and_vague():
    got = figures("A motorcycle bomber killed at least 16 people and wounded 40 Tuesday", "en")
    assert got[:2] == [("at least 16", 16, None, "at_least", None), ("40", 40, 40, "exact", None)]
    assert figures("the war has killed 300,000 people", "en")[0][1] == 300000
    assert figures("dozens of civilians", "en")[0][1:4] == (24, None, "at_least")
    assert figures("a dozen soldiers", "en")[0][1:4] == (12, 12, "about")
    assert figures("between 2 and 9 people", "en")[0][1:3] == (2, 9)
    assert figures("up to 20 fighters", "en")[0][1:4] == (None, 20, "at_most")


def test_word_values():
    assert word_value("vingt et un", "fr") == 21
    assert word_value("100 mille", "fr") == 100000
    assert word_value("two hundred", "en") == 200
