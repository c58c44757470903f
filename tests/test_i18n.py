"""i18n: every label veille can show exists in French and English, and reads as a reader expects."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from veille import i18n
from veille.i18n import translator

ACLED = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"],
}


def _lexicon():
    return json.loads(resources.files("veille").joinpath("data/claim_lexicon.json").read_text(encoding="utf-8"))


def test_both_languages_have_the_same_keys():
    assert i18n.keys("fr") == i18n.keys("en")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_claim_kind_subject_and_acled_category_is_translated(lang):
    """What the claims/events stages can produce (their lexicon) has a label: a new kind or subject head
    added there without a translation fails here."""
    lex = _lexicon()
    t = translator(lang)
    for kind in lex["kinds"]:
        t.kind(kind)
        t.figure(kind, "people", 3, 3, "exact")
    for rows in (v for k, v in lex["subjects"].items() if not k.startswith("_")):
        for _, head, _ in rows:
            t.subject(head, 2)
    for nat in (k for k in lex["nationalities"] if not k.startswith("_")):
        t.subject(f"{nat} soldiers")
    for group in (k for k in lex["groups"] if not k.startswith("_")):
        t.subject(f"{group} fighters")
    for etype, subs in ACLED.items():
        t.event_type(etype)
        for sub in subs:
            t.sub_event_type(sub)
            assert t.event_headline({"sub_event_type": sub})
    for row in lex["events"]["rows"]:
        t.event_type(row[0])
        t.sub_event_type(row[1])
    assert t.missing == set()


def test_sample_figures_read_naturally_in_both_languages():
    fr, en = translator("fr"), translator("en")
    assert fr.figure("killed", "people", 9, None, "at_least") == "au moins 9 personnes tuées"
    assert en.figure("killed", "people", 9, None, "at_least") == "at least 9 people killed"
    assert fr.figure("killed", "US soldiers", 2, 2, "exact") == "2 soldats américains tués"
    assert fr.figure("killed", "US soldiers", 1, 1, "exact") == "1 soldat américain tué"
    assert en.figure("killed", "US soldiers", 1, 1, "exact") == "1 US soldier killed"
    assert fr.figure("detained", "women", 584, 584, "exact") == "584 femmes détenues"
    assert fr.figure("arrested", "ISIS militiamen", 550, 550, "exact") == "550 miliciens de l'EI arrêtés"
    assert en.figure("deployed", "Syrian army members", 250, None, "at_least") == "at least 250 Syrian army members deployed"
    assert fr.figure("deployed", "Syrian army members", 250, None, "at_least") == "au moins 250 membres de l'armée syrienne déployés"
    assert fr.subject("Kazakh children") == "enfants kazakhs"
    assert fr.value(2, 9) == "2–9" and en.value(20, 20, "about") == "about 20"
    assert fr.number(14050).replace("\u202f", " ").replace("\xa0", " ") == "14 050" and en.number(14050) == "14,050"
    assert fr.missing == set() and en.missing == set()


def test_unknown_values_fall_back_and_are_recorded():
    t = translator("fr")
    assert t.subject("Martian invaders") == "Martian invaders"
    assert t.kind("teleported") == "teleported"
    assert t.sub_event_type("Alien landing") == "Alien landing"
    assert t("no.such.key") == "no.such.key"
    assert t.missing == {"subject:Martian invaders", "kind:teleported", "sub_event_types:Alien landing", "ui:no.such.key"}


def test_dates_countries_and_languages():
    fr, en = translator("fr"), translator("en")
    assert fr.date("2019-01-16") == "16 janvier 2019"
    assert fr.date("2019-01-16", "weekday") == "mercredi 16 janvier 2019"
    assert en.date("2019-01-16") == "16 January 2019"
    assert fr.datetime("2019-01-15T17:47") == "15 janvier 2019 à 17h47"
    assert en.datetime("2019-01-15T17:47") == "15 January 2019, 17:47"
    assert fr.datetime("2019-01-15") == "15 janvier 2019"  # no invented time
    assert fr.date("not a date") == "not a date"
    assert (fr.country("SY"), en.country("sy"), fr.country("BF"), fr.country("US")) == ("Syrie", "Syria", "Burkina Faso", "États-Unis")
    assert fr.language("ar") == "arabe" and en.language("fr") == "French"
    assert fr.speakers(["Al Jazeera", "une source sur place"], "Sputnik") == "Al Jazeera ← une source sur place (via Sputnik)"
    assert en.speakers([], None) == "the outlet"
    assert fr.outlet_label({"ownership": "state", "country": "RU"}) == "média d'État, Russie"
    assert en.outlet_label({"ownership": "unknown", "country": "IR"}) == "Iran"


def test_check_lang():
    assert i18n.check_lang("FR-fr") == "fr" and i18n.check_lang("en_GB") == "en" and i18n.check_lang(None) == "fr"
    with pytest.raises(i18n.UnknownLanguage, match="'de' is not available"):
        i18n.check_lang("de")


def test_install_gives_jinja_filters():
    from jinja2 import Environment

    env = Environment()
    i18n.install(env, "en")
    out = env.from_string("{{ t('review.map') }} · {{ c|figure }} · {{ '2019-01-16'|day }} · {{ 'SY'|country }}").render(
        c={"kind": "wounded", "subject": "people", "min": 20, "max": 20, "qualifier": "about"})
    assert out == "Map of the day · about 20 people wounded · 16 January 2019 · Syria"
