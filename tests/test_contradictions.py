"""Contradictions an analyst can trust (issue 20), on real sentences.

Every false-flag cause the issue's reviewers found is tested on a real sentence of the
development data (FA-KES dev, GVA, Airwars) and never flagged; every real case is flagged and
explains itself. The claims are what the claims stage should read from each sentence (kind,
figure, qualifier, subject, speakers, number span found in the real text), so these tests pin
the comparison rules, not the extraction; ``test_contradictions_pipeline.py`` runs the whole
enrich stage on real articles.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from veille.enrich.contradictions import article_contradictions, article_readings, compare, group_key, within
from veille.enrich.timex import find_times
from veille.link.crosscheck import crosscheck_story, same_incident
from veille.records import Article, Claim, Event, Place, stable_id

ALEPPO = (36.2021, 37.1343)
FIXTURES = {d["id"]: d["text"] for d in map(json.loads, (Path(__file__).parent / "fixtures" / "contradictions" /
                                                     "articles.jsonl").read_text(encoding="utf-8").splitlines()) if d}
DAMASCUS = (33.5102, 36.2913)
DEIR_EZZOR = (35.3359, 40.1408)


def article(text: str, aid: str = "a1", outlet: str = "x", published_at: str = "2016-09-10", lang: str = "en") -> Article:
    return Article(id=aid, text=text, outlet=outlet, published_at=published_at, language=lang)


def claim(art: Article, sentence: str, number: str, kind: str, vmin, vmax=None, qualifier: str = "exact", subject=None,
          speakers=(), event_id: str | None = "e1", nth: int = 0, cumulative: bool = False) -> Claim:
    """The claim over ``number`` inside the real ``sentence`` of the article (offsets found in its text)."""
    start = art.text.index(sentence)
    end = start + len(sentence)
    pos = start
    for _ in range(nth + 1):
        pos = art.text.index(number, pos if pos == start else pos + 1, end)
    return Claim(id=stable_id("claim", art.id, pos, kind), article_id=art.id, kind=kind, min=vmin,
                 max=vmin if vmax is None else vmax, qualifier=qualifier, subject=subject, text=sentence, start=start,
                 end=end, attributed_to=tuple(speakers), event_id=event_id, cumulative=cumulative, number_text=number,
                 number_start=pos, number_end=pos + len(number))


def place(art: Article, name: str, latlon, admin1: str, entity: str) -> Place:
    s = art.text.index(name)
    return Place(name=name, lat=latlon[0], lon=latlon[1], country="SY", admin1=admin1, start=s, end=s + len(name), entity_id=entity)


def flags(art: Article, claims, places=()):
    return article_contradictions(claims, art.outlet, article=art, places=places,
                                  times=find_times(art.text, art.published_at, art.language), lang=art.language)


def verdict(art: Article, a: Claim, b: Claim, places=()):
    ra, rb = article_readings([a, b], art, places=places, times=find_times(art.text, art.published_at, art.language))
    return compare(ra, rb)


# ---- real disagreements: flagged, and explained ------------------------------------------------
def test_two_speakers_one_incident_flagged_with_its_explanation():
    """FA-KES dev (alaraby): the article's own 10 civilians on the bus against the Observatory's 8."""
    s1 = '"As well as the 10 civilians killed in strikes on the bus...'
    s2 = ("The Syrian Observatory for Human Rights a British-based monitoring group also reported intense strikes on "
          "the road but gave a lower toll of eight civilians killed.")
    art = article(f"Regime strikes hit a bus near Aleppo. {s1} {s2}")
    a = claim(art, s1, "10", "killed", 10, subject="civilians")
    b = claim(art, s2, "eight", "killed", 8, subject="civilians", speakers=["Syrian Observatory for Human Rights"])
    [f] = flags(art, [a, b])
    assert (f.story_id, f.scope, f.kind, f.group) == (None, "article", "killed", "civilians")
    assert [(v.min, v.attributed_to) for v in f.values] == [(10, ()), (8, ("Syrian Observatory for Human Rights",))]
    # each value keeps its span and sentence; the flag says why it is one quantity and how far apart
    assert all(art.text[v.number_start:v.number_end] == v.number_text and v.text in art.text for v in f.values)
    checks = [w["check"] for w in f.why]
    assert checks == ["kind", "group", "incident_tolls", "headline_tolls", "event", "speakers", "values"]
    assert f.spread == {"low": 8, "high": 10, "difference": 2, "ratio": 1.25}


def test_a_part_larger_than_its_whole_is_a_contradiction():
    """FA-KES dev (alaraby, Old Damascus): the Observatory's four civilians against SANA's two people —
    the real disagreement the issue says went unflagged; a part is set against its whole only this way."""
    s1 = ("Four civilians were killed in the Syrian capital on Sunday after rebel shelling on the central district of "
          "Old Damascus a Britain-based monitor and a medical source said.")
    s2 = ("Meanwhile state news agency SANA said artillery fire killed two people and wounded nine others in the Bab "
          "Sharqi area of Old Damascus.")
    art = article(f"{s1} {s2}", published_at="2017-10-16")
    four = claim(art, s1, "Four", "killed", 4, subject="civilians", speakers=["a Britain-based monitor"])
    two = claim(art, s2, "two", "killed", 2, subject="people", speakers=["SANA"])
    [f] = flags(art, [four, two])
    group = next(w for w in f.why if w["check"] == "group")
    assert (group["group"], group["part"]) == ("people", "civilians")
    assert next(w for w in f.why if w["check"] == "values")["part_exceeds_whole"]
    # the other way round (more people than civilians) is no contradiction: the rest were not civilians
    more = claim(art, s2, "two", "killed", 6, subject="people", speakers=["SANA"])
    assert flags(art, [four, more]) == []


def test_about_fifty_against_at_least_sixty_four():
    """Airwars (Gaza, Sabra mosque): 'around 50' from the Palestinian News Agency against 'at least 64'."""
    s1 = ("At least 64 people were killed and at least six others were injured after an alleged Israeli airstrike on "
          "the Ihyaa al-Sina mosque in the al-Daghamsha neighbourhood of al-Sabra, south of Gaza City.")
    s2 = "The Palestinian News Agency reported “around 50” people had been killed, which Arabi 21 News corroborated."
    art = article(f"{s1} {s2}", outlet="airwars")
    a = claim(art, s1, "At least 64", "killed", 64, None, "at_least", "people")
    b = claim(art, s2, "50", "killed", 50, qualifier="about", subject="people", speakers=["The Palestinian News Agency"])
    twenty_one = claim(art, s2, "21", "killed", 21, subject="people", speakers=["The Palestinian News Agency"])
    [f] = flags(art, [a, b, twenty_one])
    assert {v.min for v in f.values} == {64, 50}  # 'Arabi 21 News' is a name, not a toll
    assert f.spread["low"] == 62.5 and f.spread["high"] == 64


def test_a_floor_the_names_reach_is_the_evolution_of_a_lower_cited_count():
    """Airwars ISPT1122 whole (labelled false/rising by the reviewer): the report's 'at least 64' is the count of the
    victims it identified by name (61 + at least 3), so the agency's 'around 50' was counted before the names were
    known. Counter-examples: names that do not reach the floor (the test above has none), and a lower figure the
    article tells as the later report ('has risen to 50'), still flag."""
    s1 = ("At least 64 people were killed and at least six others were injured after an alleged Israeli airstrike on "
          "the Ihyaa al-Sina mosque in the al-Daghamsha neighbourhood of al-Sabra, south of Gaza City.")
    s2 = "The Palestinian News Agency reported “around 50” people had been killed, which Arabi 21 News corroborated."
    s3 = "Airwars identified the names of 61 members of the family, and the identity of at least three others killed."
    art = article(f"{s1} {s2} {s3}", outlet="airwars")
    a = claim(art, s1, "At least 64", "killed", 64, None, "at_least", "people")
    b = claim(art, s2, "50", "killed", 50, qualifier="about", subject="people", speakers=["The Palestinian News Agency"])
    n1 = claim(art, s3, "61", "killed", 61, subject="members")
    n2 = claim(art, s3, "at least three", "killed", 3, None, "at_least", "others")
    assert flags(art, [a, b, n1, n2]) == []
    ra, rb = article_readings([a, b, n1, n2], art)[:2]
    assert ra.named == 64 and compare(ra, rb).reason == "named_floor"
    # the names reach only 61: the floor of 64 is not theirs, the disagreement stays
    art2 = article(f"{s1} {s2} Airwars identified the names of 61 members of the family.", outlet="airwars")
    a2 = claim(art2, s1, "At least 64", "killed", 64, None, "at_least", "people")
    b2 = claim(art2, s2, "50", "killed", 50, qualifier="about", subject="people", speakers=["The Palestinian News Agency"])
    n3 = claim(art2, "Airwars identified the names of 61 members of the family.", "61", "killed", 61, subject="members")
    assert len(flags(art2, [a2, b2, n3])) == 1
    # a later report lower than the named floor ('has risen to 50') is no earlier count: flagged
    s4 = "The Palestinian News Agency later said the toll had risen to 50."
    art3 = article(f"{s1} {s4} {s3}", outlet="airwars")
    a3 = claim(art3, s1, "At least 64", "killed", 64, None, "at_least", "people")
    b3 = claim(art3, s4, "50", "killed", 50, subject="people", speakers=["The Palestinian News Agency"])
    m1 = claim(art3, s3, "61", "killed", 61, subject="members")
    m2 = claim(art3, s3, "at least three", "killed", 3, None, "at_least", "others")
    assert len(flags(art3, [a3, b3, m1, m2])) == 1


# ---- false-flag causes: never flagged ----------------------------------------------------------
def test_ages_are_never_tolls():
    """GVA: 'Brandon Lanier, 27, was killed' against 'one man is dead' (the old code flagged 27 vs 3)."""
    s1 = "Brandon Lanier, 27, was killed, and three others were shot and taken to a local hospital."
    s2 = "Dayton police said one man is dead and three other people were shot on Ryburn Avenue late Tuesday night."
    art = article(f"{s2} {s1}", outlet="daytondailynews.com", published_at="2016-10-26")
    age = claim(art, s1, "27", "killed", 27, subject="people")
    three = claim(art, s2, "three", "killed", 3, subject="people", speakers=["Dayton police"])
    assert verdict(art, age, three).reason == "age"
    s3 = "Ten victims aged between 20 and 37 were shot, including two women and eight men, Harrison said."
    art2 = article(s3)
    assert verdict(art2, claim(art2, s3, "20", "killed", 20), claim(art2, s3, "37", "killed", 37, speakers=["x"])).reason == "age"


@pytest.mark.parametrize("sentence,number,reason", [
    ("Jimenez, who lives at 510 58th St. in Sunset Park, has one prior arrest, a police spokeswoman said.", "510", "not_a_count"),
    ("Photo: Pro 21 Video Image 1 of / 10 Caption Close Image 1 of 10 San Antonio police investigate a shooting.", "10", "not_a_count"),
    ("The most recent fatal shooting happened at 3:15 a.m. Sunday when two boys were killed.", "3", "not_a_count"),
    ("Brother of fallen officer Tim Brackeen told Channel 9 that he thinks the death has angered people.", "9", "not_a_count"),
    ("All five victims were transported to Harborview Medical Center.", "five", "kind_unclear"),
    ("On Facebook, a relative posted a photo of his son who had been killed in the strike.", "his", "individual"),
])
def test_numbers_that_count_no_victims(sentence, number, reason):
    """GVA and Airwars: addresses, photo counters, clock times, channel names, 'victims' that may be the
    wounded, a possessive read as one: never a toll."""
    before = "SEATTLE – Five people were shot in downtown Seattle Wednesday night."
    other = "Police said four people were killed in the shooting."
    art = article(f"{other} {before} {sentence}")
    v = verdict(art, claim(art, other, "four", "killed", 4, speakers=["Police"]),
                claim(art, sentence, number, "killed", 1 if number == "his" else int(number) if number.isdigit() else 5))
    assert (v.relation, v.reason) == ("not_comparable", reason)


def test_parts_are_never_set_against_their_whole():
    """FA-KES dev: 'Of those killed six were children', '287 IS fighters among them 26 minors'; GVA:
    'their two daughters' — a part of the toll, never a rival toll."""
    s1 = ("Overnight airstrikes on the Islamic State groups de facto Syrian capital Raqqa killed 25 civilians a "
          "monitoring group said on Wednesday.")
    s2 = "Of those killed six were children."
    art = article(f"{s1} {s2}")
    assert flags(art, [claim(art, s1, "25", "killed", 25, subject="civilians", speakers=["a monitoring group"]),
                       claim(art, s2, "six", "killed", 6, subject="civilians")]) == []
    s3 = "At least 287 IS fighters among them 26 minors had been killed in the fight for Hasakeh."
    art = article(s3)
    assert verdict(art, claim(art, s3, "At least 287", "killed", 287, None, "at_least", "IS fighters"),
                   claim(art, s3, "26", "killed", 26, subject="IS fighters", speakers=["x"])).reason == "part"
    s4 = "Officials say a Virginia man, his wife and their two daughters died from gunshot wounds to the head."
    s5 = "The sheriff's office said that when deputies arrived they found the four bodies in the lower level of the home."
    art = article(f"{s4} {s5}")
    assert flags(art, [claim(art, s4, "two", "killed", 2, speakers=["Officials"]),
                       claim(art, s5, "four", "killed", 4, speakers=["The sheriff's office"])]) == []
    # 'three of those injured' is a part; 'three others' is a remainder
    s6 = "Police said five people were injured in the shooting and three of those injured were taken to hospital."
    art = article(s6)
    assert verdict(art, claim(art, s6, "five", "wounded", 5, speakers=["Police"]),
                   claim(art, s6, "three", "wounded", 3, speakers=["hospital staff"])).reason == "part"


def test_a_breakdown_by_place_is_no_rival_toll():
    """FA-KES dev: 'nine civilians were killed in Qaterji and two others … in Mayssar' is the
    Observatory's breakdown of a city toll, not a figure against the outlet's 16."""
    s1 = ("Dozens of Syrian regime air strikes on Aleppo killed at least 16 civilians on Sunday a monitor said with "
          "barrel bombs causing huge damage.")
    s2 = ("The Syrian Observatory for Human Rights said nine civilians were killed in Qaterji and two others - "
          "including a child - died in the Mayssar neighbourhood of the northern city.")
    art = article(f"{s1} {s2}")
    sohr = ["Syrian Observatory for Human Rights"]
    claims = [claim(art, s1, "at least 16", "killed", 16, None, "at_least", "civilians", ["a monitor"]),
              claim(art, s2, "nine", "killed", 9, subject="civilians", speakers=sohr),
              claim(art, s2, "two", "killed", 2, subject="civilians", speakers=sohr)]
    assert flags(art, claims) == []


def test_other_incidents_places_and_days_are_never_compared():
    """FA-KES dev: another incident ('in similar terrorist attacks'), other places (Aleppo / Deir
    Ezzor), other days ('earlier this week'), other kinds of incident (rocket fire / a helicopter)."""
    s1 = "Fresh terrorist rocket attacks on residential areas in Aleppo city on Sunday killed 3 people."
    s2 = ("On Wednesday 10 civilians were killed including a child and 37 others were injured in similar terrorist "
          "attacks on residential neighborhoods in Aleppo city.")
    art = article(f"{s1} {s2}", published_at="2016-05-02")
    v = verdict(art, claim(art, s1, "3", "killed", 3), claim(art, s2, "10", "killed", 10, speakers=["SANA"]))
    assert v.reason == "other_incident"
    s3 = "Two civilians were killed in terrorist rocket attacks on neighborhoods in Deir Ezzor city."
    s4 = "A source at Aleppo police command said rocket shells killed five civilians in Aleppo."
    art = article(f"{s3} {s4}")
    places = [place(art, "Deir Ezzor", DEIR_EZZOR, "Deir ez-Zor", "sy-deir"), place(art, "Aleppo", ALEPPO, "Aleppo", "sy-aleppo")]
    v = verdict(art, claim(art, s3, "Two", "killed", 2, subject="civilians"),
                claim(art, s4, "five", "killed", 5, subject="civilians", speakers=["A source at Aleppo police command"]),
                places=places)
    assert v.reason == "places_apart"
    s5 = "Air raids on Aleppo killed 18 civilians on Saturday, the Observatory said."
    s6 = "Barrel bombs killed 11 civilians in Aleppo on Tuesday, activists said."
    art = article(f"{s5} {s6}", published_at="2016-07-16")
    v = verdict(art, claim(art, s5, "18", "killed", 18, subject="civilians", speakers=["the Observatory"]),
                claim(art, s6, "11", "killed", 11, subject="civilians", speakers=["activists"]))
    assert v.reason == "days_apart"
    s7 = "State news agency SANA said rebel rocket and sniper fire near Ramussa on Monday killed four people."
    s8 = "Four YPG fighters were killed in clashes with the Kurdish forces, the Observatory said."
    art = article(f"{s7} {s8}")
    v = verdict(art, claim(art, s7, "four", "killed", 4, speakers=["SANA"]),
                claim(art, s8, "Four", "killed", 1, speakers=["the Observatory"]))
    assert v.relation == "not_comparable"


def test_totals_over_time_are_never_set_against_an_incident():
    """FA-KES dev: a war-wide total ('since the countrys conflict began'), a running total ('brought the
    toll for Russian soldiers killed in the Syrian conflict to 18'), a list of 7,000 names (Airwars)."""
    s1 = "Rebel shelling on the Syrian capital Damascus killed four civilians on Sunday a Britain-based monitor said."
    s2 = "More than 330000 people have been killed in Syria since the countrys conflict began in March 2011."
    s3 = "The Monday downing brought the toll for Russian soldiers killed in the Syrian conflict to 18."
    art = article(f"{s1} {s2} {s3}")
    four = claim(art, s1, "four", "killed", 4, subject="civilians", speakers=["a Britain-based monitor"])
    assert verdict(art, four, claim(art, s2, "330000", "killed", 330000, None, "at_least", "people")).reason == "total_over_time"
    assert verdict(art, four, claim(art, s3, "18", "killed", 18, subject="civilians")).reason == "total_over_time"
    s4 = ("Where possible, Airwars has matched names with the Palestinian Ministry of Health list of nearly 7000 "
          "victims’ names and ID numbers released on October 26th.")
    s5 = "Magda Mahmoud reported in a post on Facebook that four people were killed in the strike."
    art = article(f"{s5} {s4}", outlet="airwars")
    assert flags(art, [claim(art, s5, "four", "killed", 4, speakers=["Magda Mahmoud"]),
                       claim(art, s4, "7000", "killed", 7000, qualifier="about")]) == []


def test_a_rising_toll_is_the_evolution_not_a_disagreement():
    """FA-KES dev: 'the Britain-based Observatory said updating an earlier toll on Sunday evening of 15'
    — one speaker's update; and across articles, the Observatory's Thursday 90 then Saturday 270."""
    s1 = "The attack killed 32 rebels as they were entering Turkey the Britain-based Observatory said updating an earlier toll on Sunday evening of 15."
    art = article(s1, published_at="2016-08-15")
    a = claim(art, s1, "32", "killed", 32, subject="rebels", speakers=["the Britain-based Observatory"])
    b = claim(art, s1, "15", "killed", 15, subject="rebels")
    assert flags(art, [a, b]) == []
    # across articles: a later, higher toll is the toll's evolution, listed with times and sources
    t1, t2 = "The Syrian Observatory for Human Rights said 90 people were killed in the air strikes.", \
        "Air strikes killed 270 people, the Syrian Observatory for Human Rights said on Saturday."
    thu = article(t1, "thu", "outlet-a", "2016-04-28")
    sat = article(t2, "sat", "outlet-b", "2016-04-30")
    ev = {aid: Event(f"ev-{aid}", "2016-04-28", 1, "Explosions/Remote violence", "Air/drone strike", location="Aleppo",
                     latitude=ALEPPO[0], longitude=ALEPPO[1], geo_precision=1) for aid in ("thu", "sat")}
    c1 = claim(thu, t1, "90", "killed", 90, speakers=["Syrian Observatory for Human Rights"], event_id="ev-thu")
    c2 = claim(sat, t2, "270", "killed", 270, speakers=["Syrian Observatory for Human Rights"], event_id="ev-sat")
    cc = crosscheck_story("s1", [c1, c2], {"thu": thu, "sat": sat}, list(ev.values()))
    assert cc.contradictions == []
    [evo] = cc.evolution
    assert [(p["min"], p["published_at"], p["outlet"]) for p in evo["points"]] == [(90, "2016-04-28", "outlet-a"),
                                                                                  (270, "2016-04-30", "outlet-b")]


def test_compatible_bounds_agree():
    """FA-KES dev (TRT): 'more than 40' from the outlet, 'At least 45' from activists, '45' from the
    Aleppo Media Center — bounds that overlap agree."""
    s1 = "Jet strikes blamed on the Syrian regime hit the opposition-held cities killing more than 40 people."
    s2 = "At least 45 people have been killed after intense airstrikes on Saturday on Aleppo according to opposition activists."
    s3 = "The Aleppo Media Center an activist collective said 45 people were killed on Saturday."
    art = article(f"{s1} {s2} {s3}")
    claims = [claim(art, s1, "more than 40", "killed", 40, None, "at_least", "people"),
              claim(art, s2, "At least 45", "killed", 45, None, "at_least", "people", ["opposition activists"]),
              claim(art, s3, "45", "killed", 45, subject="people", speakers=["The Aleppo Media Center"])]
    assert flags(art, claims) == []


def test_counts_of_what_was_seen_or_recovered_are_floors():
    """Airwars: 'Airwars identified the names of 61 members of the family' against 'more than 100 members
    … killed'; 'recovered 13 bodies' against 'about three' is still a disagreement."""
    s1 = "Airwars identified the names of 61 members of the family, and the identity of at least three others killed."
    s2 = "A tweet stated that Ahmed Daghmush had said that more than 100 members of the family were killed by the bombing."
    art = article(f"{s1} {s2}", outlet="airwars")
    assert flags(art, [claim(art, s1, "61", "killed", 61, subject="members"),
                       claim(art, s2, "more than 100", "killed", 100, None, "at_least", "members", ["Ahmed Daghmush"])]) == []


def test_groups_language_independent_and_nested():
    assert group_key("US soldiers") == group_key("militaires américains") == "soldiers+us"
    assert group_key(None) == group_key("people") == "people"
    assert group_key("YPG fighters") != group_key("ISIS militants")
    assert within("civilians", "people") and within("children", "civilians") and within("soldiers+us", "soldiers")
    assert not within("people", "civilians") and not within("families", "people")


def test_same_incident_across_articles_needs_type_date_and_place():
    base = Event("e1", "2019-01-16", 1, "Explosions/Remote violence", "Suicide bomb", location="Manbij",
                 latitude=36.5281, longitude=37.9549, geo_precision=1)
    from dataclasses import replace

    assert same_incident(base, replace(base, event_id="e2")) is None
    assert same_incident(base, replace(base, event_id="e2", event_date="2019-01-19")) == "event_date"
    assert same_incident(base, replace(base, event_id="e2", event_type="Battles")) == "event_type"
    assert same_incident(base, replace(base, event_id="e2", location="Idlib", latitude=35.93, longitude=36.63)) == "event_place"
    assert same_incident(base, replace(base, event_id="e2", location=None, latitude=None, longitude=None)) == "event_place_unknown"
    assert same_incident(base, None) == "no_event"


def _old_damascus_shelling() -> list[Event]:
    """The events stage's reading of the FA-KES Old Damascus shelling (2017-10-15), one per article."""
    return [Event(f"ev-{a}", "2017-10-15", 1, "Explosions/Remote violence", "Shelling/artillery/missile attack",
                  location="Damascus", latitude=DAMASCUS[0], longitude=DAMASCUS[1], geo_precision=1) for a in ("one", "two")]


def test_a_disagreement_one_article_tells_is_not_flagged_again_across_the_story():
    """FA-KES dev (Old Damascus, 2017-10-16): one article sets the monitor's four civilians against SANA's
    two; a second outlet repeating the monitor's four on the same shelling adds no second flag."""
    s1 = ("Four civilians were killed in the Syrian capital on Sunday after rebel shelling on the central district of "
          "Old Damascus a Britain-based monitor and a medical source said.")
    s2 = ("Meanwhile state news agency SANA said artillery fire killed two people and wounded nine others in the Bab "
          "Sharqi area of Old Damascus.")
    s3 = ("Rebel shelling on the Syrian capital Damascus killed four civilians on Sunday a Britain-based monitor and a "
          "medical source said.")
    one = article(f"{s1} {s2}", "one", "alaraby", "2017-10-16")
    two = article(s3, "two", "reuters", "2017-10-16")
    ev = _old_damascus_shelling()
    monitor = ["a Britain-based monitor"]
    claims = [claim(one, s1, "Four", "killed", 4, subject="civilians", speakers=monitor, event_id="ev-one"),
              claim(one, s2, "two", "killed", 2, subject="people", speakers=["SANA"], event_id="ev-one"),
              claim(two, s3, "four", "killed", 4, subject="civilians", speakers=monitor, event_id="ev-two")]
    [own] = flags(one, claims[:2])
    assert {v.min for v in own.values} == {4, 2}
    # across the two articles the monitor's four civilians (a part) exceed SANA's two people (its whole): a part
    # against its whole across articles is two scopes more often than a dispute, never flagged
    assert crosscheck_story("s", claims, {"one": one, "two": two}, ev).contradictions == []
    from veille.link.crosscheck import _readings, _told_inside

    by_id = {e.event_id: e for e in ev}
    rs = {r.claim.id: r for r in _readings(claims, {"one": one, "two": two}, by_id)}
    sana, reuters = rs[claims[1].id], rs[claims[2].id]
    assert compare(sana, reuters, same_event=True, across=True).reason == "part_across"
    # and the article's own flag already tells these figures: the story adds no second flag
    assert _told_inside([sana, reuters], [own])


def test_only_tolls_told_in_the_lead_or_by_a_source_compare():
    """A figure compares only as a toll of the incident someone tells — in the article's lead, or as a source's
    report (a named speaker, a reporting word, a quotation); a figure further down in the writer's own voice is an
    aside (another incident the article recounts, a part, an earlier report): most of the reviewers' false flags.
    FA-KES dev (alaraby, Old Damascus) and GVA (Navarro County), whole real articles."""
    from veille.enrich.contradictions import headline_toll

    def reading(art, sentence, number, **kw):
        c = claim(art, sentence, number, kw.pop("kind", "killed"), kw.pop("value"), **kw)
        return article_readings([c], art)[0]

    damascus = article(FIXTURES["fakes-1923102970"], "d", "alaraby", "2017-10-16")
    lead = "Rebel shelling on the Syrian capital Damascus killed four civilians on Sunday"
    assert headline_toll(reading(damascus, lead, "four", value=4, subject="civilians"))
    told = "Seven others were wounded in the attack according to the London-based Syrian Observatory"
    assert headline_toll(reading(damascus, told, "Seven", kind="wounded", value=7))
    sana = "Meanwhile state news agency SANA said artillery fire killed two people"
    assert headline_toll(reading(damascus, sana, "two", value=2, subject="people"))
    aside = "On Wednesday three suicide bombers killed at least two people near the main police headquarters"
    assert not headline_toll(reading(damascus, aside, "two", value=2, subject="people", qualifier="at_least"))
    navarro = article(FIXTURES["gva-689e8632d03d"], "n", "nbcdfw.com", "2016-11-12")
    assert not headline_toll(reading(navarro, "Authorities discovered the bodies of two adults", "two", value=2,
                                     subject="adults"))
    quoted = "\"We believe that two persons died as a result of homicidal violence"
    assert headline_toll(reading(navarro, quoted, "two", value=2, subject="persons"))


def test_across_articles_a_sources_toll_against_another_outlets_is_flagged_and_explained():
    """FA-KES dev (dailysabah, Aleppo bus strike, 2016-06-03): the White Helmets' 10 civilians on the bus against the
    Observatory's eight as another outlet tells it: both are tolls of the incident told by a source."""
    lead = ("Published June 3 2016 Regime bombing raids in and around the northern Syrian city of Aleppo killed 31 "
            "civilians Friday including 10 when their bus was hit the civil defence said in a revised toll of casualties.")
    s2 = ('"As well as the 10 civilians killed in strikes on the bus... 21 others died in intense strikes on several '
          'neighbourhoods in the east of the city since dawn" the organisation known as the White Helmets said.')
    s3 = ("The Castello road where a bus was also hit by regime bombing raids on Wednesday is a key rebel supply route "
          "out of divided Aleppo.")
    sohr = ("The Syrian Observatory for Human Rights a British-based monitoring group also reported intense strikes on "
            "the road but gave a lower toll of eight civilians killed.")
    one = article(f"{lead} {s3} {s2}", "one", "dailysabah", "2016-06-03")
    two = article(sohr, "two", "alaraby", "2016-06-03")
    ev = [Event(f"ev-{a}", "2016-06-03", 1, "Explosions/Remote violence", "Air/drone strike", location="Aleppo",
                latitude=ALEPPO[0], longitude=ALEPPO[1], geo_precision=1) for a in ("one", "two")]
    eight = claim(two, sohr, "eight", "killed", 8, subject="civilians", speakers=["Syrian Observatory for Human Rights"],
                  event_id="ev-two")
    ten = claim(one, s2, "10", "killed", 10, subject="civilians", speakers=["the White Helmets"], event_id="ev-one")
    [f] = crosscheck_story("s", [ten, eight], {"one": one, "two": two}, ev).contradictions
    assert {(v.outlet, v.min) for v in f.values} == {("dailysabah", 10), ("alaraby", 8)}
    assert any(w["check"] == "headline_tolls" for w in f.why)


def test_the_people_aboard_a_downed_aircraft_are_a_group_of_their_own():
    """FA-KES dev (fakes-1924058037, the reviewer's partly real flag): the Kremlin's five 'on board' the downed
    helicopter are not the toll of the rebel fire near Ramussa, where SANA's four and the Observatory's six
    disagree (the reviewer: 'the five is the crew and passengers of the downed helicopter, a different incident')."""
    s1 = "The Kremlin said all five people on board were assumed dead."
    s2 = ("State news agency SANA said rebel rocket and sniper fire near Ramussa on Monday killed four people including "
          "three women.")
    s3 = "The observatory put the toll at six dead."
    art = article(f"{s1} {s2} {s3}", published_at="2016-08-19")
    five = claim(art, s1, "five", "killed", 5, subject="people", speakers=["Government of Russia"])
    four = claim(art, s2, "four", "killed", 4, subject="people", speakers=["SANA"])
    six = claim(art, s3, "six", "killed", 6, subject="people")
    [f] = flags(art, [five, four, six])
    assert sorted(v.min for v in f.values) == [4, 6]
    assert verdict(art, five, six).reason == "group"


def test_a_villages_figure_is_a_part_of_a_figure_told_for_a_wider_area():
    """FA-KES dev (fakes-1923848187, the reviewer's false part_whole): the monitor's 13 civilians killed 'on northern
    Syria' count the whole province; the quoted eight 'when regime warplanes struck the village of Daret Izza' are
    a part of them (with the five killed in Taduf). Counter-example: against a figure that names no place, the
    village's eight is still compared."""
    s1 = ("13 civilians killed in regime air raids on northern Syria AFP Wednesday 15 Jul 2015 Thirteen civilians among "
          "them seven children were killed in aerial attacks by Syrias government Wednesday on the northern province of "
          "Aleppo a monitoring group said.")
    s2 = ('In the provinces west "eight civilians including three children were killed when regime warplanes struck the '
          'village of Daret Izza" held by Islamist fighters and other rebels.')
    art = article(f"{s1} {s2}", published_at="2015-07-15")
    syria = art.text.index("Syria")
    daret = art.text.index("Daret Izza")
    places = [Place(name="Syria", country="SY", start=syria, end=syria + 5, kind="country"),
              Place(name="Daret Izza", lat=36.2834, lon=36.8576, country="SY", admin1="Aleppo", start=daret,
                    end=daret + 10, kind="village")]
    thirteen = claim(art, s1, "13", "killed", 13, subject="civilians", speakers=["a monitoring group"])
    eight = claim(art, s2, "eight", "killed", 8, subject="civilians")
    assert flags(art, [thirteen, eight], places) == []
    assert verdict(art, thirteen, eight, places).reason == "overlap"  # the part is within its whole
    # no place named with the 13: nothing says it is wider, the two figures are compared
    assert len(flags(art, [thirteen, eight], places[1:])) == 1


def test_the_strikes_a_figure_points_back_to_are_at_the_place_named_last_and_plural_places_are_a_sum():
    """FA-KES dev (TRT World, 2016-09-10, the reviewer's partly real flag): Reuters' 'two dozen people were killed in
    the strikes' points back to the airstrikes on a market in Idlib, the place named last before it: not the
    activists' 45 around Aleppo. The lead's 'hit the opposition-held cities killing more than 40' sums several
    cities. Counter-examples: with Aleppo the last place named, the two dozen are compared with the 45; a plural
    with its names ('al-Sulimaniah and al-Furqan neighborhoods') is a list of places, and one city's neighbourhoods
    its toll, not a sum over places."""
    lead = ("10 Sep 2016 Jet strikes blamed on the Syrian regime hit the opposition-held cities killing more than 40 people "
            "and wounding 90 hours after the US and Russia announced a deal intended to bring a ceasefire in the "
            "war-torn country.")
    s45 = ("At least 45 people have been killed after intense airstrikes on Saturday on and around the northern "
           "rebel-held city of Aleppo according to opposition activists.")
    idlib = ("Residents inspect a damaged site after airstrikes on a market in the rebel controlled city of Idlib "
             "September 10 2016.")
    reuters = ("Reuters also reported residents and rescue workers as saying that two dozen people were killed in the "
               "strikes and that Russian jets acting in support of the Bashar al Assads regime forces identified as such "
               "because they were flying in sorties at a high altitude may have been responsible.")

    def run(text):
        art = article(text, published_at="2016-09-13")
        places = []
        for name, ll, kind in (("Aleppo", ALEPPO, "city"), ("Idlib", (35.9306, 36.6339), "city")):
            for k in range(text.count(name)):
                at = [i for i in range(len(text)) if text.startswith(name, i)][k]
                places.append(Place(name=name, lat=ll[0], lon=ll[1], country="SY", admin1=name, start=at,
                                    end=at + len(name), kind=kind))
        cs = [claim(art, lead, "more than 40", "killed", 40, None, "at_least", "people"),
              claim(art, s45, "At least 45", "killed", 45, None, "at_least", "people", speakers=["opposition activists"]),
              claim(art, reuters, "two dozen", "killed", 24, qualifier="about", subject="people", speakers=["Reuters"])]
        return art, cs, places

    art, cs, places = run(f"{lead} {s45} {idlib} {reuters}")
    rs = article_readings(cs, art, places=places)
    assert rs[0].refusal == "several_places"
    assert [p.name for p in rs[2].antecedent] == ["Idlib"]
    assert compare(rs[1], rs[2]).reason == "places_apart"
    assert flags(art, cs, places) == []
    # Aleppo the last place named before the two dozen: compared with the activists' 45 ('about 24' is 18–30)
    art2, cs2, places2 = run(f"{lead} {idlib} {s45} {reuters}")
    [f] = flags(art2, cs2, places2)
    assert sorted(v.min for v in f.values) == [24, 45]
    from veille.enrich.contradictions import places_in_plural

    named = "The attack targeted al-Sulimaniah and al-Furqan neighborhoods in Aleppo."
    assert not places_in_plural(named, (0, len(named)), (0, 0), "en")
    one_city = "air strikes on opposition-held neighborhoods of the divided second city of Aleppo killed at least 15"
    assert not places_in_plural(one_city, (0, len(one_city)), (0, 0), "en")  # one city's neighbourhoods: its toll


def test_only_a_type_of_violence_sets_two_tellings_apart():
    """FA-KES dev (TRT World, a reader-found disagreement): the Aleppo Media Center's '45 people were killed on
    Saturday just hours after the new US-Russian agreement was reached' names an agreement beside its toll, not
    the incident: it is still set against the Observatory's 30 air-strike dead. A sentence's clashes stay Battles."""
    s45 = ("The Aleppo Media Center an activist collective said 45 people were killed on Saturday just hours after the "
           "new US-Russian agreement was reached to try and end the violence in Syria.")
    s30 = ("The Britain-based Syrian Observatory for Human Rights said 30 people were killed in Aleppo province and "
           "another 39 were killed by airstrikes in neighboring Idlib province.")
    art = article(f"{s45} {s30}")
    a = claim(art, s45, "45", "killed", 45, subject="people", speakers=["The Aleppo Media Center an activist collective"])
    b = claim(art, s30, "30", "killed", 30, subject="people", speakers=["Syrian Observatory for Human Rights"])
    ra, rb = article_readings([a, b], art)
    assert ra.incident_type is None
    assert compare(ra, rb).relation == "contradiction"
    clash = ("At least 35 Islamic State jihadists were killed on Sunday in clashes with Syrian Kurdish fighters around "
             "the flashpoint town of Kobane a monitor said.")  # FA-KES dev, AFP
    art2 = article(clash)
    [r] = article_readings([claim(art2, clash, "At least 35", "killed", 35, None, "at_least", "jihadists",
                                  speakers=["a monitor"])], art2)
    assert r.incident_type == "Battles"


def test_people_caught_in_the_crossfire_are_a_part_of_the_wounded():
    """GVA (Oakland, 2016-11-05): 'eight people wounded' counts the two gunmen and the six bystanders
    'caught in the crossfire' (the reviewer's part_whole): no flag."""
    s1 = "A gun battle on the streets of Oakland left eight people wounded."
    s2 = "Police say two men exchanged gunfire, wounding six people caught in the crossfire."
    art = article(f"{s1} {s2}", "abc", "abc7news.com", "2016-11-05")
    v = verdict(art, claim(art, s1, "eight", "wounded", 8), claim(art, s2, "six", "wounded", 6, speakers=["Police"]))
    assert (v.relation, v.reason) == ("not_comparable", "part")


def test_reports_stamped_with_a_time_of_day_are_the_evolution():
    """Airwars: a source's count at a clock time ('At 11:54 AM Safa PS reported six'), 'by evening'
    ('By evening the Gaza Ministry of Health noted … around 90'), 'soon after the strike' — one point
    of the toll's evolution during the day, not a rival toll."""
    s1 = ("The strike killed between 9 and 13 civilians, including four women, four children, and one man, and injured a "
          "number of others.")
    s2 = "At 11:54 AM Safa PS reported six civilians deaths."
    rise = "At 12:53 PM the number of victims had risen to eight."
    art = article(f"{s1} {s2} {rise}", outlet="airwars", published_at="2023-10-20")
    a = claim(art, s1, "between 9 and 13", "killed", 9, 13, subject="civilians")
    b = claim(art, s2, "six", "killed", 6, subject="civilians", speakers=["Safa PS"])
    eight = claim(art, rise, "eight", "killed", 8, subject="civilians", speakers=["Safa PS"])
    ra, rb, _r8 = article_readings([a, b, eight], art)
    v = compare(ra, rb)  # the article tells the toll rising past the 11:54 count
    assert (v.relation, v.reason) == ("evolution", "update")
    s3 = "Soon after the strike, the Ministry of Health reported that 50 people had been killed."
    rise = "Another ministry official declared that “the death tool [had risen] to over 80.”"
    s4 = "Shehab Agency, however, reported that over 200 had been killed."
    art = article(f"{s3} {rise} {s4}", outlet="airwars", published_at="2023-11-18")
    fifty = claim(art, s3, "50", "killed", 50, speakers=["the Ministry of Health"])
    eighty = claim(art, rise, "over 80", "killed", 80, None, "at_least", speakers=["Another ministry official"])
    shehab = claim(art, s4, "over 200", "killed", 200, None, "at_least", speakers=["Shehab Agency"])
    r = {x.claim.id: x for x in article_readings([fifty, eighty, shehab], art)}
    assert (compare(r[fifty.id], r[shehab.id]).relation, compare(r[fifty.id], r[shehab.id]).reason) == ("evolution", "update")
    # a snapshot no rise supersedes is one report among others (reader round, half A: the municipality workers)
    s7 = "At 8.57 am the source then reported the death of four victims."
    s8 = "Several other news outlets including Alaraby and Akhbar Al Yawm reported six deaths and a number of injuries."
    art = article(f"{s7} {s8}", outlet="airwars", published_at="2024-10-23")
    v = verdict(art, claim(art, s7, "four", "killed", 4, speakers=["Safa News"]),
                claim(art, s8, "six", "killed", 6, speakers=["The New Arab"]))
    assert v.relation == "contradiction"
    # 'victims' that count both fates, told in the same sentence, are no toll of either
    s9 = "Five victims have been identified, two of whom were killed and three who were injured."
    art = article(s9)
    from dataclasses import replace as _r

    five = _r(claim(art, s9, "Five", "killed", 5, subject="victims"), predicate="victims")
    assert article_readings([five], art)[0].refusal == "kind_unclear"
    # a clock time that is the incident's, not a report's, changes nothing
    s5 = "At 11:54 PM an airstrike hit the family home and killed 33 civilians."
    s6 = "The Ministry of Health said 20 civilians were killed in the strike on the home."
    art = article(f"{s5} {s6}", outlet="airwars", published_at="2023-10-22")
    v = verdict(art, claim(art, s5, "33", "killed", 33, subject="civilians"),
                claim(art, s6, "20", "killed", 20, subject="civilians", speakers=["The Ministry of Health"]))
    assert v.relation == "contradiction"


def test_an_upper_estimate_is_a_ceiling():
    """Airwars: 'The upper estimate for this incident is 150 civilians killed' allows 'around 90'."""
    s1 = ("The upper estimate for this incident is 150 civilians killed, accounting for local reporting that emerged "
          "following the strikes.")
    s2 = "The Gaza Ministry of Health noted that the death toll was around 90."
    art = article(f"{s1} {s2}", outlet="airwars")
    v = verdict(art, claim(art, s1, "150", "killed", 150, subject="civilians"),
                claim(art, s2, "90", "killed", 90, qualifier="about", speakers=["the Gaza Ministry of Health"]))
    assert v.relation == "agree"


def test_one_of_several_incidents_is_never_the_incident_toll():
    """Airwars: 'two massacres … the first one killing two brothers' and a maximum 'for this incident and
    for ISPT0145' (a sum over two incidents): neither is this incident's toll."""
    s1 = ("On Facebook, Umm Mohammad Abu Hilal, referred to “two massacres” which hit her family the same day, the first "
          "one killing two brothers, and the second one leading to the death of Amani Muhammad Hassan Abu Hilal and her "
          "children.")
    s2 = ("Airwars’ maximum death toll estimates for this incident and for ISPT0145 was set at 12, as no further "
          "information was available regarding these four additional victims.")
    art = article(f"{s1} {s2}", outlet="airwars")
    two = claim(art, s1, "two", "killed", 2, nth=1, speakers=["Umm Mohammad Abu Hilal"])
    twelve = claim(art, s2, "12", "killed", 12)
    assert flags(art, [two, twelve]) == []
    v = verdict(art, two, twelve)
    assert (v.relation, v.reason) == ("not_comparable", "other_incident")


# ---- what the claims stage's parse says about a figure (Claim.predicate, adds_to, implicit) -----------
def test_figures_the_parse_does_not_read_as_tolls_are_never_compared():
    """GVA: a copula with no casualty word next to the figure, 'two counts of
    weapon possession … with' (a preposition), 'Of the four surviving shooting victims' (alive), 'Slayings of
    14- and 18-Year-Olds' (ages), '11 total arrests' (no toll): none is set against the toll."""
    from dataclasses import replace as _r

    s1 = "A gun battle on the streets of Oakland left eight people wounded."
    s2 = "Five were hurt by the gunfire, police said."
    art = article(f"{s1} {s2}", outlet="abc7news.com")
    eight = _r(claim(art, s1, "eight", "wounded", 8), predicate="wounded")
    five = _r(claim(art, s2, "Five", "wounded", 5, speakers=["hospital"]), predicate="were")
    assert verdict(art, eight, five).relation == "contradiction"  # a copula, but the figure's own words say hurt
    s2 = "Five are at the scene and one is in jail."
    art = article(f"{s1} {s2}", outlet="abc7news.com")
    eight = _r(claim(art, s1, "eight", "wounded", 8), predicate="wounded")
    five = _r(claim(art, s2, "Five", "wounded", 5, speakers=["hospital"]), predicate="are")
    assert verdict(art, eight, five).reason == "kind_unclear"
    s3 = "Dayton police said one man is dead and three other people were shot on Ryburn Avenue late Tuesday night."
    s4 = ("The charges for McShann are one count of aggravated robbery with a deadly weapon and two counts of weapon "
          "possession as a felon.")
    art = article(f"{s3} {s4}")
    one = _r(claim(art, s3, "one", "killed", 1, speakers=["Dayton police"]), predicate="dead")
    assert verdict(art, one, _r(claim(art, s4, "two", "killed", 2), predicate="with")).reason == "kind_unclear"
    s5 = "Police are searching for the shooter who killed two teenagers and wounded four other people after a party."
    s6 = "Of the four surviving shooting victims, two remain in the hospital, police said."
    s7 = "Police Seek Shooter in Slayings of 14- and 18-Year-Olds"
    art = article(f"{s7}. {s5} {s6}")
    two = _r(claim(art, s5, "two", "killed", 2), predicate="killed")
    assert verdict(art, two, claim(art, s6, "four", "killed", 4, speakers=["police"])).reason == "survivors"
    assert verdict(art, two, claim(art, s7, "14", "killed", 14, speakers=["x"])).reason == "age"
    s8 = ("Harrison told WDSU, adding to 11 total arrests for the same offense in the two days after the shooting.")
    s9 = "Investigators would do everything possible to arrest the two suspects, Landrieu said."
    art = article(f"{s8} {s9}")
    v = verdict(art, claim(art, s8, "11", "arrested", 11, speakers=["Harrison"]),
                claim(art, s9, "two", "arrested", 2, speakers=["Landrieu"]))
    assert (v.relation, v.reason) == ("not_comparable", "kind")


def test_terms_of_a_sum_and_counts_without_a_figure_are_not_tolls():
    """GVA (Navarro County): 'the bodies of two adults – a man and a woman – and the body of an 8-year-old
    child' is 2 + 1 (``adds_to``), never 2 against 'three people dead'; 'the boy died' (``implicit``) is one
    victim named, not a toll."""
    from dataclasses import replace as _r

    s1 = ("The Navarro County Sheriff's Department says they discovered three people dead Thursday, including a young "
          "child, in an apparent murder-suicide.")
    s2 = ("Authorities discovered the bodies of two adults – a man and a woman – and the body of an 8-year-old child.")
    art = article(f"{s1} {s2}")
    three = _r(claim(art, s1, "three", "killed", 3, speakers=["The Navarro County Sheriff's Department"]), predicate="dead")
    two = _r(claim(art, s2, "two", "killed", 2), predicate="bodies")
    child = _r(claim(art, s2, "an 8-year-old child", "killed", 1), predicate="body", implicit=True, adds_to=two.id)
    assert verdict(art, three, two).relation == "contradiction"  # what the old reading flagged
    assert flags(art, [three, two, child]) == []
    ra, rb, _rc = article_readings([three, two, child], art)
    assert compare(ra, rb).reason == "summed"
    assert compare(ra, _rc).reason == "individual"


def test_a_toll_of_n_is_read_through_its_words_and_a_witness_count_is_a_floor():
    """FA-KES dev: 'gave a lower toll of eight civilians killed' — the parse's predicate is 'of', but the
    figure's own words say killed: still flagged against the 10 on the bus. GVA: 'Five are in stable
    condition' is a part of the wounded; '"Three guys got shot right here, and I know all of them," he
    said' is what one witness saw (a floor), not a rival of 'the four people who were injured'."""
    from dataclasses import replace as _r

    s1 = '"As well as the 10 civilians killed in strikes on the bus...'
    s2 = ("The Syrian Observatory for Human Rights a British-based monitoring group also reported intense strikes on "
          "the road but gave a lower toll of eight civilians killed.")
    art = article(f"Regime strikes hit a bus near Aleppo. {s1} {s2}")
    a = _r(claim(art, s1, "10", "killed", 10, subject="civilians"), predicate="killed")
    b = _r(claim(art, s2, "eight", "killed", 8, subject="civilians", speakers=["Syrian Observatory for Human Rights"]),
           predicate="of")
    assert len(flags(art, [a, b])) == 1
    s3 = "A gun battle on the streets of Oakland left eight people wounded."
    s4 = "Five are in stable condition and one is in critical condition."
    art = article(f"{s3} {s4}")
    eight = _r(claim(art, s3, "eight", "wounded", 8), predicate="wounded")
    assert verdict(art, eight, _r(claim(art, s4, "Five", "wounded", 5, speakers=["x"]), predicate="in")).reason == "part"
    s5 = '"Three guys got shot right here, and I know all of them," he said.'
    s6 = "NBC2 is working to find out the conditions of the four people who were injured."
    art = article(f"{s5} {s6}")
    v = verdict(art, _r(claim(art, s5, "Three", "wounded", 3, speakers=["Jackson"]), predicate="shot"),
                _r(claim(art, s6, "four", "wounded", 4), predicate="of"))
    assert v.relation == "agree"
    # a quotation without a first-person witness is a report like any other
    s7 = '"Three people were shot in the parking lot," the police chief said.'
    art = article(f"{s7} {s6}")
    v = verdict(art, _r(claim(art, s7, "Three", "wounded", 3, speakers=["the police chief"]), predicate="shot"),
                _r(claim(art, s6, "four", "wounded", 4), predicate="of"))
    assert v.relation == "contradiction"


# ---- places as subsets ---------------------------------------------------------------------------
# the gazetteer's records of these places (kind, admin1, admin2, point), as the pipeline gives them
GAZA = dict(country="PS", admin1="Gaza Strip")
FUKHARI = dict(lat=31.285, lon=34.33, admin2=None, kind="village", **GAZA)
ABASAN = dict(lat=31.32, lon=34.35, admin2="Khan Yunis", kind="town", **GAZA)
KHAN_YUNIS = dict(lat=31.34018, lon=34.30627, admin2="Khan Yunis", kind="populated", **GAZA)


def gplace(art: Article, name: str, spec: dict, nth: int = 0) -> Place:
    s = -1
    for _ in range(nth + 1):
        s = art.text.index(name, s + 1)
    return Place(name=name, start=s, end=s + len(name), **spec)


def test_places_as_subsets_two_towns_are_two_places():
    """Airwars dev: Al Fakhari's three civilians and the Abasan strike's 'at least 14', two towns 4 km apart east
    of Khan Younis (a reference point in both sentences, never the figure's place): two places, two incidents.
    Before, any two places within 25 km were one place."""
    s1 = ("Three civilians were killed and others were reportedly injured by an alleged Israeli strike in the town of "
          "Al Fakhari, east of Khan Younis, on June 21, 2024.")
    s2 = ("On October 10th, 2023, at least 14 people were killed, including five children and two women, while three "
          "others were injured after an alleged Israeli airstrike hit the Qadeeh residence in the Abasan area east of "
          "Khan Yunis.")
    art = article(f"{s1} {s2}", outlet="airwars", published_at="2024-06-21")
    places = [gplace(art, "Al Fakhari", FUKHARI), gplace(art, "Khan Younis", KHAN_YUNIS),
              gplace(art, "Abasan", ABASAN), gplace(art, "Khan Yunis", KHAN_YUNIS)]
    a = claim(art, s1, "Three", "killed", 3, subject="civilians")
    b = claim(art, s2, "at least 14", "killed", 14, None, "at_least", "people", speakers=["Safa"])
    ra, rb = article_readings([a, b], art, places=places)
    # 'east of Khan Younis' says where Al Fakhari lies: one place per figure, no sum over two places
    assert [p.name for p in ra.places] == ["Al Fakhari"] and ra.refusal is None
    assert [p.name for p in rb.places] == ["Abasan"]
    assert compare(ra, rb).reason == "places_apart"


def test_places_as_subsets_a_town_is_inside_its_governorate_and_district():
    from veille.enrich.contradictions import places_near

    aleppo_gov = Place(name="Aleppo Governorate", lat=36.25, lon=37.5, country="SY", admin1="Aleppo", kind="admin1")
    aleppo = Place(name="Aleppo", lat=36.20124, lon=37.16117, country="SY", admin1="Aleppo", kind="city")
    gaza_strip = Place(name="Gaza Strip", lat=31.42, lon=34.36, kind="region", admin2="Deir El Balah", **GAZA)
    gaza_city = Place(name="Gaza City", lat=31.5016, lon=34.4667, admin2="Gaza City", kind="city", **GAZA)
    sabra = Place(name="Sabra", lat=31.5, lon=34.452, admin2="Gaza City", kind="neighbourhood", **GAZA)
    jabalya = Place(name="Jabalya", lat=31.5272, lon=34.48347, admin2="North Gaza", kind="populated", **GAZA)
    beit_lahia = Place(name="Bayt Lahya", lat=31.5464, lon=34.49514, admin2="North Gaza", kind="populated", **GAZA)
    assert places_near(aleppo_gov, aleppo) and places_near(aleppo, aleppo_gov)
    assert places_near(gaza_strip, Place(name="Khan Yunis", **KHAN_YUNIS))
    assert places_near(gaza_city, sabra)  # a neighbourhood of the city
    assert not places_near(jabalya, beit_lahia)  # two towns 2.5 km apart
    assert not places_near(sabra, jabalya)


def test_same_incident_across_articles_reads_places_as_subsets():
    """Across articles: an event told at the governorate ('Aleppo Governorate', ACLED precision 3) and at its
    city is one place; two towns' events are two, however close."""
    from dataclasses import replace

    city = Event("e1", "2016-09-10", 1, "Explosions/Remote violence", "Air/drone strike", country="SY", admin1="Aleppo",
                 location="Aleppo", latitude=36.20124, longitude=37.16117, geo_precision=1)
    gov = replace(city, event_id="e2", location="Aleppo Governorate", latitude=36.25, longitude=37.5, geo_precision=3)
    assert same_incident(city, gov) is None
    jabalya = Event("e3", "2023-10-31", 1, "Explosions/Remote violence", "Air/drone strike", country="PS",
                    admin1="Gaza Strip", admin2="North Gaza", location="Jabalya", latitude=31.5272, longitude=34.48347,
                    geo_precision=1)
    beit_lahia = replace(jabalya, event_id="e4", location="Bayt Lahya", latitude=31.5464, longitude=34.49514)
    assert same_incident(jabalya, beit_lahia) == "event_place"


# ---- the attack's authors ----------------------------------------------------------------------
@pytest.mark.parametrize("sentence, number, authors", [
    # FA-KES dev: the authors before an attack word, after 'by', never the target or the victims
    ("Published June 8 2016 Syrian government air strikes on opposition-held neighborhoods of the divided second city "
     "of Aleppo killed at least 15 civilians and injured 20 on Wednesday a monitor said.", "at least 15",
     ["Government of Syria (2000-)"]),
    ("On Wednesday three suicide bombers killed at least two people near the main police headquarters in Damascus in an "
     "attack claimed by the Islamic State group.", "at least two", ["Islamic State (Syria)"]),
    ("Last updated at Jun 142016 BEIRUT A Daesh counterattack on Syrian regime forces advancing towards a militant "
     "stronghold on Monday left 28 militants dead a monitor said.", "28", ["Islamic State (Syria)"]),
    ("All five people on board a Russian military helicopter that was shot down over Syria on Monday are believed to "
     "have died the Kremlin said.", "five", []),
    ("Four YPG fighters were killed in those clashes with the Kurdish forces capturing the strategic Tal Baghdaq hilltop "
     "the Observatory said.", "Four", []),
])
def test_the_attacks_authors_named_next_to_a_figure(sentence, number, authors):
    from veille.enrich.contradictions import attackers

    art = article(sentence)
    c = claim(art, sentence, number, "killed", 2)
    assert [a for a, _side in attackers(art.text, c, "en", (c.start, c.end))] == authors


def test_attacks_by_two_sides_are_two_incidents():
    """FA-KES dev: the regime's air strikes on Aleppo and an attack claimed by the Islamic State, both on a
    Wednesday: the authors the figures' words name are on two sides, so the figures are two incidents' tolls."""
    s1 = ("Published June 8 2016 Syrian government air strikes on opposition-held neighborhoods of the divided second "
          "city of Aleppo killed at least 15 civilians and injured 20 on Wednesday a monitor said.")
    s2 = ("On Wednesday three suicide bombers killed at least two people near the main police headquarters in Damascus "
          "in an attack claimed by the Islamic State group.")
    art = article(f"{s1} {s2}", published_at="2016-06-08")
    a = claim(art, s1, "at least 15", "killed", 15, None, "at_least", "civilians", speakers=["a monitor"])
    b = claim(art, s2, "at least two", "killed", 2, None, "at_least", "people")
    ra, rb = article_readings([a, b], art)
    v = compare(ra, rb)
    assert v.reason == "attackers" and v.detail["attackers"] == [["Government of Syria (2000-)"], ["Islamic State (Syria)"]]


# ---- second review round (half A): local places, 'others' of another kind, updates' direction ------
def test_local_places_the_gazetteer_does_not_know_are_compared_as_sets():
    """FA-KES dev (SANA, Aleppo): two neighbourhoods' rocket attacks are two incidents; the people killed in two
    of the four neighbourhoods another sentence lists are a part of that toll, never its rival."""
    from veille.enrich.contradictions import local_places

    s1 = ("SANA reporter quoted a source at Aleppo Police Command as saying that two women were killed and 16 other "
          "people were injured as the terrorist organizations fired rocket shells on al-Sayyed Ali neighborhood in the city.")
    s2 = "More rocket shells later hit al-Hamidiyeh neighborhood leaving one person dead and 13 others injured."
    art = article(f"{s1} {s2}", outlet="sana", published_at="2016-10-16")
    two_women = claim(art, s1, "two", "killed", 2, subject="women", speakers=["SANA", "a source at Aleppo Police Command"])
    a = claim(art, s1, "16", "wounded", 16, subject="people", speakers=["SANA", "a source at Aleppo Police Command"])
    one = claim(art, s2, "one", "killed", 1)
    b = claim(art, s2, "13", "wounded", 13, subject="others")
    readings = {r.claim.id: r for r in article_readings([two_women, a, one, b], art)}
    assert readings[b.id].local == {"hamidiyeh"}  # named before the sentence's first figure: every figure's place
    assert compare(readings[a.id], readings[b.id]).reason == "places_apart"
    s3 = ("Thirteen civilians were killed on Friday due to terrorist rocket attacks that targeted the neighborhoods of "
          "Sulaiman al-Halabi al-Midan al-Sulimaniah and al-Furqan in Aleppo city.")
    s4 = ("A source at Aleppo Governorate said that 9 persons were killed and 28 others were injured including children "
          "and women when terrorists targeted al-Sulimaniah and al-Furqan neighborhoods as worshipers were leaving "
          "mosques after Friday prayers.")
    assert local_places(s3, 0, len(s3), "en") == {"sulaiman", "halabi", "midan", "sulimaniah", "furqan"}
    art = article(f"{s3} {s4}", outlet="sana", published_at="2016-09-30")
    thirteen = claim(art, s3, "Thirteen", "killed", 13, subject="civilians")
    nine = claim(art, s4, "9", "killed", 9, subject="people", speakers=["A source at Aleppo Governorate"])
    injured = claim(art, s4, "28", "wounded", 28, subject="others", speakers=["A source at Aleppo Governorate"])
    assert flags(art, [thirteen, nine, injured]) == []  # 9 people of two neighbourhoods inside 13 civilians of four
    assert local_places("Les frappes ont visé le quartier d'Al-Midan à Alep.", 0, 50, "fr") == {"midan"}


def test_others_after_a_figure_of_another_kind_are_the_whole_count():
    """Airwars dev (Nuseirat, the Bardawil home): 'more than 25 others were injured' after the dead is the whole
    count of the injured — and 'more than 25' is not 25; 'another 39' and 'three others … also' stay remainders."""
    s1 = ("On the night of October 11th 2023, at least 10 members of the Bardawil family were killed and more than 25 "
          "others were injured in their home in al-Hasayna area in Nuseirat in the Gaza Strip when it was hit by "
          "airstrikes allegedly carried out by the Israeli military.")
    s2 = "Abdulrahman tweeted that 10 people were killed and 25 others were injured in the Bardawil family home."
    art = article(f"{s1} {s2}", outlet="airwars", published_at="2023-10-11")
    k1 = claim(art, s1, "at least 10", "killed", 10, None, "at_least", "members")
    w1 = claim(art, s1, "more than 25", "wounded", 25, None, "at_least", "others")
    k2 = claim(art, s2, "10", "killed", 10, speakers=["Abdulrahman"])
    w2 = claim(art, s2, "25", "wounded", 25, subject="others", speakers=["Abdulrahman"])
    [f] = flags(art, [k1, w1, k2, w2])
    assert f.kind == "wounded" and {v.number_text for v in f.values} == {"more than 25", "25"}
    s3 = ("The Britain-based Syrian Observatory for Human Rights said 30 people were killed in Aleppo province and "
          "another 39 were killed by airstrikes in neighboring Idlib province.")
    art = article(s3)
    r = article_readings([claim(art, s3, "30", "killed", 30), claim(art, s3, "39", "killed", 39)], art)
    assert r[1].refusal == "remainder"


def test_updates_run_the_way_their_words_say():
    """Airwars dev: 'Soon after the strike' marks the Ministry's 50 as an early count, so Shehab's 'over 200' is
    the toll's evolution; a clock-time stamp is a snapshot too; 'updating' revises either way; a later report
    ('rose to', 'then reported') only explains a higher figure."""
    from veille.enrich.contradictions import update_kind

    s1 = "Soon after the strike, the Ministry of Health reported that 50 people had been killed."
    s2 = "Shehab Agency, however, reported that over 200 had been killed."
    assert update_kind(s1, "en") == {"early"} and update_kind(s2, "en") == frozenset()
    assert update_kind("At 8.57 am the source then reported the death of four victims.", "en") == {"snapshot"}
    assert update_kind("Initially, a source reported three dead.", "en") == {"early"}
    assert update_kind("قتل خمسة مدنيين في حي الميدان", "ar") == frozenset()
    assert update_kind("The toll later rose to 12, the Observatory said.", "en") == {"late"}
    assert "any" in update_kind("The attack killed 32 rebels as they were entering Turkey the Britain-based "
                                "Observatory said updating an earlier toll on Sunday evening of 15.", "en")
    art = article(f"{s1} {s2}", outlet="airwars")
    a = claim(art, s1, "50", "killed", 50, speakers=["the Ministry of Health"])
    b = claim(art, s2, "over 200", "killed", 200, None, "at_least", speakers=["Shehab Agency"])
    from dataclasses import replace as _r

    ra, rb = article_readings([a, b], art)
    assert compare(_r(ra, update=frozenset({"early"})), rb).relation == "evolution"
    late_low = _r(ra, update=frozenset({"late"}))  # the lower figure told as the later report: still a dispute
    assert compare(late_low, rb).relation == "contradiction"
    assert compare(_r(ra, update=frozenset()), _r(rb, update=frozenset({"late"}))).relation == "evolution"


def test_a_share_by_place_is_the_toll_of_its_place():
    """FA-KES dev (Aleppo, 10 Sep 2016): the Observatory's '30 … in Aleppo province and another 39 … in
    neighboring Idlib province' gives the toll of Aleppo province; the activists' 'at least 45' on and around
    Aleppo city is a part of it, and larger: a disagreement a reader finds (reader round, half A)."""
    s1 = ("(TRT World and Agencies) At least 45 people have been killed after intense airstrikes on Saturday on and "
          "around the northern rebel-held city of Aleppo according to opposition activists.")
    s2 = ("The Britain-based Syrian Observatory for Human Rights said 30 people were killed in Aleppo province and "
          "another 39 were killed by airstrikes in neighboring Idlib province.")
    art = article(f"{s1} {s2}", outlet="trt", published_at="2016-09-10")
    aleppo = gplace(art, "Aleppo", dict(lat=36.20124, lon=37.16117, country="SY", admin1="Aleppo", kind="city"))
    province = gplace(art, "Aleppo province", dict(lat=36.25, lon=37.5, country="SY", admin1="Aleppo", kind="admin1"))
    idlib = gplace(art, "Idlib province", dict(lat=35.8, lon=36.6, country="SY", admin1="Idlib", kind="admin1"))
    a = claim(art, s1, "At least 45", "killed", 45, None, "at_least", "people", speakers=["opposition activists"])
    b = claim(art, s2, "30", "killed", 30, subject="people", speakers=["Syrian Observatory for Human Rights"])
    c = claim(art, s2, "39", "killed", 39, subject="people", speakers=["Syrian Observatory for Human Rights"])
    [f] = flags(art, [a, b, c], places=[aleppo, province, idlib])
    assert {v.number_text for v in f.values} == {"At least 45", "30"}
    group = next(w for w in f.why if w["check"] == "group")
    assert group["place_part"] == ["Aleppo"] and group["place_whole"] == ["Aleppo province"]
    assert next(w for w in f.why if w["check"] == "values").get("part_exceeds_whole")
    from veille.outlets import load_registry
    from veille.publish.crosscheck import contradiction_views

    [view] = contradiction_views([f], {art.id: art}, load_registry(), lang="en")  # what the dossier, review and UI say
    assert "Aleppo lies inside Aleppo province: its figure is a part of the other's, flagged because it counts more" \
        in view.explanation
    # a share of no place of its own stays out ('two persons died … and one committed suicide')
    s3 = "Two persons died as a result of homicidal violence and one person committed suicide, officials said."
    art = article(s3)
    r = article_readings([claim(art, s3, "Two", "killed", 2), claim(art, s3, "one", "killed", 1, nth=0)], art)
    assert r[0].refusal == "breakdown"


def test_a_whole_with_its_part_is_a_toll():
    """FA-KES dev: 'killed 3 people including two women' — the part does not make the whole a share."""
    s = ("Fresh terrorist rocket attacks on residential areas in Aleppo city on Sunday killed 3 people including two "
         "women and left 29 other people injured.")
    art = article(s)
    whole = claim(art, s, "3", "killed", 3)
    part = claim(art, s, "two", "killed", 2, subject="women")
    r = {x.claim.id: x for x in article_readings([whole, part], art)}
    assert r[whole.id].refusal is None and r[part.id].refusal == "part"


def test_counts_of_the_dead_and_the_hurt_together_are_no_toll_of_either():
    """GVA dev: 'found three people shot' after 'a woman dead, four others wounded' counts the dead with the hurt;
    Airwars dev: nabd.com's 40 'harmed … though did not differentiate between fatalities and injuries'."""
    s1 = ("SAN ANTONIO - A shooting near a Southside night club has left a woman dead, four others wounded and police "
          "looking for the shooters.")
    s2 = ("Police say they got a call for a shooting across the street from the club, and when they arrived they found "
          "three people shot.")
    art = article(f"{s1} {s2}", outlet="ksat.com")
    dead = claim(art, s1, "a woman", "killed", 1, subject="women")
    four = claim(art, s1, "four", "wounded", 4, subject="others")
    three = claim(art, s2, "three", "wounded", 3, speakers=["Police"])
    assert flags(art, [dead, four, three]) == []
    assert {r.claim.id: r.refusal for r in article_readings([dead, four, three], art)}[three.id] == "kind_unclear"
    s3 = ("Between 15 and 18 civilians were killed and up to 23 were reportedly injured, including four children, when "
          "an alleged Israeli bomb hit the four-storey home of the Abu Hayya family on October 12th 2023.")
    s4 = ("Local sources reported that more than 40 people were inside the building when the incident occurred, while "
          "nabd.com reported that 40 people were harmed in the attack – though did not differentiate between fatalities "
          "and injuries.")
    art = article(f"{s3} {s4}", outlet="airwars")
    a = claim(art, s3, "up to 23", "wounded", None, 23, "at_most")
    b = claim(art, s4, "40", "wounded", 40, speakers=["nabd.com"], nth=1)
    assert verdict(art, a, b).reason == "mixed"


def test_what_one_hospital_received_or_a_report_set_aside_is_no_rival_toll():
    """Airwars dev: '3 “martyrs” and 20 wounded were taken to the Baptist Hospital' is what one hospital received
    (a floor, for both coordinated figures); 'seven unidentified bodies … have not been included in the lower
    estimate given that these may be duplicates' is set aside; 'five of Souma's children' is a part."""
    s1 = ("At around 3:30 PM on Saturday, September 7th 2024, an Israeli aircraft bombed the Amr Ibn Al Aas School in "
          "Gaza City, causing the death of at least four people and injuring at least 20 people, including several children.")
    s2 = "Al-Jazeera reported that 3 “martyrs” and 20 wounded were taken to the Baptist Hospital."
    art = article(f"{s1} {s2}", outlet="airwars")
    four = claim(art, s1, "at least four", "killed", 4, None, "at_least")
    three = claim(art, s2, "3", "killed", 3, speakers=["Al Jazeera"])
    wounded = claim(art, s2, "20", "wounded", 20, speakers=["Al Jazeera"])
    r = {x.claim.id: x for x in article_readings([four, three, wounded], art)}
    assert r[three.id].floor and r[wounded.id].floor
    assert flags(art, [four, three, wounded]) == []
    s3 = ("Additional reporting such as incidents of seven unidentified bodies arriving at a nearby hospital have not "
          "been included in the lower estimate given that these may be duplicates with named victims.")
    art = article(s3)
    assert article_readings([claim(art, s3, "seven", "killed", 7)], art)[0].refusal == "denied"
    s4 = ("A post from Abu Mustafa Abdel-Al mentioned that five of Souma’s children had been killed in the strike, but "
          "did not provide the additional names.")
    art = article(s4)
    assert article_readings([claim(art, s4, "five", "killed", 5)], art)[0].refusal == "part"


def test_a_range_is_one_figure_and_a_part_named_after_its_figure_is_a_part():
    """Airwars dev (the Kashko home, reader round half A): 'at least 78, and up to 175, people … were killed' is
    one range [78, 175], not 78 + 175 — against the family's 75 it disagrees; '[they] killed 175…maybe 15 out of
    them are my cousins': 15 is a part of 175, which stays a toll."""
    s1 = ("On the night of October 30, 2023, at least 78, and up to 175, people from the same large extended family, "
          "including a journalist, 16 women, and 38 children, were killed and at least four others were injured in an "
          "alleged Israeli airstrike.")
    s2 = "10/30/2023, the day of the martyrdom of the most precious human beings, 75 martyrs.”"
    art = article(f"{s1} {s2}", outlet="airwars", published_at="2023-10-30")
    from dataclasses import replace as _r

    low = claim(art, s1, "at least 78", "killed", 78, None, "at_least")
    high = _r(claim(art, s1, "up to 175", "killed", None, 175, "at_most"), adds_to=low.id)
    women = _r(claim(art, s1, "16", "killed", 16, subject="women"), part_of=low.id)
    family = claim(art, s2, "75", "killed", 75, speakers=["Rami Ahmed"])
    r = {x.claim.id: x for x in article_readings([low, high, women, family], art)}
    assert (r[low.id].refusal, r[low.id].lo, r[low.id].hi) == (None, 78, 175) and r[high.id].refusal == "range_end"
    [f] = flags(art, [low, high, women, family])
    assert {v.number_text for v in f.values} == {"at least 78", "75"}
    s3 = ("In a November 14 interview with Arab News, surviving family member Ibrahim Kishko explained that on October "
          "30, “[the Israelis] bombed three houses … they killed 175…maybe 15 out of them are my cousins and others, my "
          "relatives.")
    art = article(s3)
    r = article_readings([claim(art, s3, "175", "killed", 175), claim(art, s3, "15", "killed", 15)], art)
    assert r[0].refusal is None and r[1].refusal == "part"


def test_speakers_without_a_name_are_one_only_when_told_alike():
    from veille.enrich.contradictions import same_speaker

    assert same_speaker(["a source"], ["a source"])
    assert not same_speaker(["a medical source"], ["local sources"])
    assert same_speaker(["the Observatory"], ["Syrian Observatory for Human Rights", "a source"])


def test_a_linked_headline_between_paragraphs_is_another_story():
    """GVA dev (a scraped New York Daily News page): 'Two men shot, one fatally, inside Brooklyn deli' stands alone
    between the story's paragraphs — another story's headline, never a rival of 'Four men … were wounded'; 'In an
    unrelated incident' points to another incident."""
    text = ("Four men, including three bystanders, were wounded early Saturday when a gunman fired into a Brooklyn "
            "bodega, police and witnesses said.\n\n“There must have been six or seven shots,” he added.\n\n"
            "Two men shot, one fatally, inside Brooklyn deli\n\nFour men were wounded in the incident.\n\n"
            "In an unrelated incident, a 25-year-old woman was shot outside a Brooklyn bar about 2:30 a.m., cops said.")
    art = article(text, outlet="nydailynews.com")
    s1 = text.split("\n\n")[0]
    four = claim(art, s1, "Four", "wounded", 4, subject="men", speakers=["police and witnesses"])
    two = claim(art, "Two men shot, one fatally, inside Brooklyn deli", "Two", "wounded", 2, subject="men")
    r = {x.claim.id: x for x in article_readings([four, two], art)}
    assert r[four.id].refusal is None and r[two.id].refusal == "headline_of_another_story"
    assert flags(art, [four, two]) == []
    woman = claim(art, text.split("\n\n")[-1], "a 25-year-old woman", "wounded", 1)
    assert article_readings([woman], art)[0].other_incident


def test_editors_brackets_are_read_without_them():
    """An editor's brackets inside a quotation ('the death tool [had risen] to over 80', Airwars dev) are read as
    plain words by every cue, whichever cue they split: the same dev sentences quoted with an editor's insertion
    ('[In] total', 'have not [been] included') keep their reading, and every offset stays valid."""
    from veille.enrich.contradictions import plain, update_kind

    rise = "Another ministry official declared that “the death tool [had risen] to over 80.”"
    assert update_kind(rise, "en") == {"late"} and len(plain(rise)) == len(rise)
    assert update_kind("“The toll [had] later [risen] to 12,” the Observatory said.", "en") == {"late"}
    s1 = "“[In] total, 45 people were killed in the airstrikes on Saturday,” the Observatory said."
    s2 = ("Additional reporting such as incidents of seven unidentified bodies arriving at a nearby hospital have not "
          "[been] included in the lower estimate.")
    art = article(f"{s1} {s2}", outlet="airwars")
    total = claim(art, s1, "45", "killed", 45, subject="people", speakers=["the Observatory"])
    seven = claim(art, s2, "seven", "killed", 7, subject="bodies")
    r = {x.claim.id: x for x in article_readings([total, seven], art)}
    assert r[total.id].refusal == "total_over_time" and r[seven.id].refusal == "denied"
    assert r[total.id].claim.text == s1  # the claim itself keeps the writer's brackets


def test_a_toll_spread_over_an_area_is_a_frame():
    """'across', 'throughout', 'à travers', 'dans tout le', 'في أنحاء' + an area noun or any country, region, admin
    unit or town of the gazetteer: a count over many incidents, never one incident's toll. GVA dev ('shootings
    across Chicago between Friday evening and Monday morning') and FA-KES dev ('across Country'); the other
    countries (no dev row names them) in the wires' wording; a street or a border crossed is no area."""
    gva = ("At least 17 people, including four teenagers, were killed and 41 others were wounded in shootings across "
           "Chicago between Friday evening and Monday morning.")
    art = article(gva)
    killed = claim(art, gva, "At least 17", "killed", 17, None, "at_least", subject="people")
    wounded = claim(art, gva, "41", "wounded", 41, subject="others")
    assert article_readings([killed, wounded], art)[1].refusal == "total_over_time"
    fakes = "More than 100 Terrorists Killed in Syrian Army Operations across Country."
    art = article(fakes)
    r = article_readings([claim(art, fakes, "More than 100", "killed", 100, None, "at_least", subject="terrorists")], art)
    assert r[0].refusal == "total_over_time"
    for text, number, lang in (
            ("At least 40 civilians were killed in fighting across Sudan on Monday, a doctors' group said.", "40", "en"),
            ("Russian strikes across Ukraine killed at least 12 people overnight, officials said.", "12", "en"),
            ("Clashes throughout Burkina Faso left 25 soldiers dead, the army said.", "25", "en"),
            ("Au moins 30 civils ont été tués à travers le Mali lors d'attaques de groupes armés.", "30", "fr"),
            ("Dix-huit personnes ont été tuées dans tout le pays depuis lundi, selon la police.", "Dix-huit", "fr"),
            ("قتل 25 مدنيا في أنحاء السودان خلال اشتباكات يوم الاثنين.", "25", "ar")):
        art = article(text, lang=lang)
        assert article_readings([claim(art, text, number, "killed", 25)], art)[0].refusal == "total_over_time", text
    for text, number in (("Five people were killed in a strike on a house across the street from the mosque.", "Five"),
                         ("Three smugglers were shot dead as they crossed the border into Sudan.", "Three"),
                         ("Two fishermen were killed across the river from Kherson, the governor said.", "Two")):
        art = article(text)
        assert article_readings([claim(art, text, number, "killed", 5)], art)[0].refusal is None, text


def test_names_denied_are_no_floor_of_names():
    """Review of the 'identified' cue ('names of'): a sentence that denies the names ('have not been released')
    tells no victims identified, so a lower count from a speaker stays a disagreement, not the toll's evolution
    (the cue alone made it a floor of names, 10, and hid the flag)."""
    s1 = "At least 10 people were killed in a shooting at a nightclub in Nairobi on Sunday."
    s2 = "Police said eight people had died."
    s3 = "The names of the 10 victims have not been released."
    art = article(f"{s1} {s2} {s3}", outlet="nation")
    a = claim(art, s1, "At least 10", "killed", 10, None, "at_least", "people")
    b = claim(art, s2, "eight", "killed", 8, subject="people", speakers=["Police"])
    n = claim(art, s3, "10", "killed", 10, subject="victims")
    assert not article_readings([a, b, n], art)[0].named
    [f] = flags(art, [a, b, n])
    assert {v.min for v in f.values} == {10, 8}


def test_a_part_larger_than_its_whole_across_articles_flags_in_one_scope():
    """Review of 'part_across': across two outlets a group's figure ('four civilians') above another's whole
    ('two people') is two scopes when the places differ (test above), but a dispute when both name the same
    neighbourhood and day."""
    s1 = ("Four civilians were killed in the Bab Sharqi neighbourhood of Old Damascus on Sunday after rebel shelling, a "
          "Britain-based monitor said.")
    s2 = "State news agency SANA said artillery fire killed two people in the Bab Sharqi neighbourhood of Old Damascus on Sunday."
    one = article(s1, "one", "alaraby", "2017-10-16")
    two = article(s2, "two", "sana", "2017-10-16")
    ev = _old_damascus_shelling()
    claims = [claim(one, s1, "Four", "killed", 4, subject="civilians", speakers=["a Britain-based monitor"],
                    event_id="ev-one"),
              claim(two, s2, "two", "killed", 2, subject="people", speakers=["SANA"], event_id="ev-two")]
    from veille.link.crosscheck import _readings

    by_id = {e.event_id: e for e in ev}
    monitor, sana = _readings(claims, {"one": one, "two": two}, by_id)
    assert monitor.days and monitor.local & sana.local
    assert compare(monitor, sana, same_event=True, across=True).reason != "part_across"
    [f] = crosscheck_story("s", claims, {"one": one, "two": two}, ev).contradictions
    assert {v.min for v in f.values} == {4, 2}
