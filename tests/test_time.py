"""Temporal expressions in the sample, resolved against each article's publication date."""

from __future__ import annotations

import pytest

from veille.enrich.timex import find_times


@pytest.fixture(scope="module")
def by_outlet_date(sample_articles):
    return {(a.outlet, (a.published_at or "")[:10]): a for a in sample_articles}


def _find(art, phrase):
    times = find_times(art.text, art.published_at, "fr")
    hits = [t for t in times if t.text.lower() == phrase.lower()]
    assert hits, f"{phrase!r} not found in {[t.text for t in times]}"
    for t in hits:
        assert art.text[t.start:t.end] == t.text
    return hits[0]


def test_mercredi_on_publication_day(by_outlet_date):
    t = _find(by_outlet_date[("sputnik", "2019-01-16")], "mercredi")
    assert (t.value, t.precision) == ("2019-01-16", "day")


def test_le_mardi_8_janvier(by_outlet_date):
    t = _find(by_outlet_date[("almanar", "2019-01-10")], "mardi 8 janvier")
    assert (t.value, t.precision) == ("2019-01-08", "day")


def test_il_y_a_deux_jours_and_cette_semaine(by_outlet_date):
    art = by_outlet_date[("presstv", "2019-01-10")]
    t = _find(art, "Il y a deux jours")
    assert t.value == "2019-01-08"
    w = _find(art, "cette semaine")
    assert (w.value, w.end_value, w.precision) == ("2019-01-07", "2019-01-13", "week")
    j = _find(art, "jeudi")
    assert j.value == "2019-01-10"


def test_month_and_full_dates(by_outlet_date):
    t = _find(by_outlet_date[("presstv", "2019-01-15")], "décembre 2016")
    assert (t.value, t.precision) == ("2016-12", "month")
    t = _find(by_outlet_date[("presstv", "2019-01-13")], "30 décembre 2018")
    assert t.value == "2018-12-30"
    t = _find(by_outlet_date[("almanar", "2019-01-10")], "19 décembre")  # no year, before January → 2018
    assert t.value == "2018-12-19"


def test_english_expressions():
    text = "US officials said on Wednesday that two days ago, last week and on January 8 and yesterday, in December 2016."
    got = {t.text: (t.value, t.precision) for t in find_times(text, "2019-01-16", "en")}
    assert got["on Wednesday"] == ("2019-01-16", "day")
    assert got["two days ago"] == ("2019-01-14", "day")
    assert got["last week"] == ("2019-01-07", "week")
    assert got["January 8"] == ("2019-01-08", "day")
    assert got["yesterday"] == ("2019-01-15", "day")
    assert got["December 2016"] == ("2016-12", "month")


def test_no_publication_date_keeps_absolute_dates_only():
    times = find_times("Le 30 décembre 2018, hier, à Téhéran.", None, "fr")
    assert [t.value for t in times] == ["2018-12-30"]


def test_arabic_rules_and_dateparser_fallback():
    text = "قتل خمسة أمس وقال المرصد يوم الأربعاء إن القصف وقع في 8 يناير 2019"
    got = {t.text: t.value for t in find_times(text, "2019-01-17", "ar")}
    assert got["أمس"] == "2019-01-16"
    assert got["يوم الأربعاء"] == "2019-01-16"
    assert got["8 يناير 2019"] == "2019-01-08"  # Arabic month name: dateparser fallback
