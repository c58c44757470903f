"""The world gazetteer: admin units and towns of any country, event places in the Sahel, Ukraine and
Sudan, ACLED country names, and the index's failure modes.

The sentences are our own, written in the shape of wire copy and ACLED notes (no ACLED row is
copied here); the coordinates asserted are GeoNames' (towns) or a unit's seat, checked by hand."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from veille.enrich import Doc, load_pipeline
from veille.enrich.acled import acled_fields
from veille.enrich.gazetteer import gazetteer, index_ok
from veille.records import Article


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def run(nlp, text, lang="en"):
    return nlp(Doc(article=Article(id="t", text=text, language=lang, published_at="2022-05-02")))


def test_lookup_admin_units_and_towns_anywhere():
    g = gazetteer()
    seno = [e for e in g.lookup("Seno") if e.country == "BF"]
    assert seno and seno[0].kind == "admin2" and seno[0].admin1 == "Sahel"
    assert g.lookup("Kadiogo")[0].admin1 == "Centre"
    kr = g.lookup("Kramatorsk", country="UA")[0]
    assert kr.admin1 == "Donetsk" and km((kr.lat, kr.lon), (48.72, 37.56)) < 10
    assert g.lookup("Donetsk oblast")[0].kind == "admin1"
    darfur = g.lookup("North Darfur")[0]
    assert darfur.country == "SD" and darfur.kind == "admin1"
    assert g.lookup("الخرطوم", country="SD")  # Arabic names of towns and states
    assert g.lookup("Idlib")[0].curated  # the curated CSV wins ties
    assert g.country("PS").acled_name == "Palestine" and g.country("BF").region == "Western Africa"


def test_place_named_with_its_admin_units(nlp):
    """'Town (department, province)' as ACLED notes write it: the province disambiguates and gives admin1."""
    d = run(nlp, "On 3 May 2022, suspected militants killed two traders near Dori (Dori, Seno) and burned their truck.")
    by = {d.text[p.start:p.end]: p for p in d.places}
    assert by["Seno"].kind == "admin2" and by["Seno"].country == "BF"  # not the Spanish village
    ev = d.extra["main_event"]
    assert ev.country == "BF" and ev.admin1 == "Sahel" and ev.admin2 == "Seno" and ev.location == "Dori"
    assert km((ev.latitude, ev.longitude), (14.03, -0.03)) < 5


def test_province_phrase_is_the_unit(nlp):
    d = run(nlp, "Gunmen attacked a market in Doussoula, Sourou province, killing one trader on Monday.")
    units = [p for p in d.places if p.kind == "admin2"]
    assert units and units[0].name == "Sourou" and units[0].admin1 == "Boucle du Mouhoun"


def test_ukraine_town_with_its_oblast(nlp):
    d = run(nlp, "Russian missiles struck Kramatorsk, Donetsk oblast, on Tuesday, killing three civilians, "
                 "the regional governor said.")
    ev = d.extra["main_event"]
    assert ev.country == "UA" and ev.admin1 == "Donetsk" and ev.location == "Kramatorsk" and ev.geo_precision == 1
    row = acled_fields(ev)
    assert row["country"] == "Ukraine" and row["region"] == "Europe" and row["iso"] == 804


def test_french_sudan_sentence(nlp):
    d = run(nlp, "Des combats entre l'armée soudanaise et les Forces de soutien rapide ont fait 12 morts à El Fasher, "
                 "selon des sources médicales.", "fr")
    ev = d.extra["main_event"]
    assert ev.country == "SD" and ev.admin1 == "North Darfur" and ev.location == "El Fasher"


def test_mali_town_in_french(nlp):
    d = run(nlp, "Une attaque contre un poste de l'armée malienne à Tessit, dans la région de Gao, a fait quatre morts.", "fr")
    names = {(p.name, p.country) for p in d.places}
    assert ("Tessit", "ML") in names or any(p.country == "ML" and p.admin1 == "Gao" for p in d.places)


def test_lowercase_words_are_not_towns(nlp):
    d = run(nlp, "Herders clashed with farmers in the north west of the country on Sunday.")
    assert not any(p.country == "US" for p in d.places)


def test_corrupt_index_is_not_trusted(tmp_path):
    bad = tmp_path / "gaz.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    assert not index_ok(bad)
    assert index_ok(gazetteer().path)


def test_index_from_another_build_recipe_is_stale(tmp_path):
    """A kept index (a fixed $VEILLE_GAZETTEER path) built by other build code or data is not read: its
    stamp differs from this code's fingerprint, so it is rebuilt."""
    import sqlite3

    from veille.enrich.gazetteer_build import SCHEMA_VERSION, fingerprint

    def index(stamp: str):
        path = tmp_path / f"gaz-{stamp}.sqlite"
        con = sqlite3.connect(path)
        con.executescript("CREATE TABLE meta(key TEXT, value TEXT); CREATE TABLE places(rid INTEGER);"
                          "CREATE TABLE names(key TEXT);")
        con.executemany("INSERT INTO meta VALUES (?, ?)",
                        [("complete", "1"), ("schema", str(SCHEMA_VERSION)), ("fingerprint", stamp)])
        con.commit()
        con.close()
        return path

    assert index_ok(index(fingerprint()))
    assert not index_ok(index("0123456789abcdef"))


def test_unwritable_index_location_is_one_line(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    env = dict(os.environ, VEILLE_GAZETTEER=str(blocker / "gaz.sqlite"))
    proc = subprocess.run([sys.executable, "-m", "veille", "gazetteer", "lookup", "Dori"], capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "veille gazetteer build" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_cli_lookup():
    proc = subprocess.run([sys.executable, "-m", "veille", "gazetteer", "lookup", "Kramatorsk", "--country", "UA"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "Donetsk" in proc.stdout


def test_many_places_and_foreign_script(nlp):
    text = ", ".join(["Dori", "Djibo", "Kaya", "Ouahigouya", "Fada N'Gourma"] * 60) + ". Київ і Харків."
    d = run(nlp, text)
    assert len(d.places) >= 100  # no crash, no cap hit; unknown script ignored


def test_components_use_the_resources_gazetteer(monkeypatch):
    """Place stages reach the gazetteer through the pipeline's Resources, never the process default."""
    from veille.enrich import Pipeline, default_components, entities, gazetteer as gz_mod, places
    from veille.enrich.resources import Resources
    from veille.settings import Settings

    res = Resources(Settings(outlet_files=()))
    pipe = Pipeline(tuple(default_components(res)))

    def forbidden():
        raise AssertionError("a component reached the module-level gazetteer")

    entities._capitals.cache_clear()
    entities._country_governments.cache_clear()
    for mod in (gz_mod, entities, places):
        monkeypatch.setattr(mod, "gazetteer", forbidden)
    d = pipe(Doc(article=Article(id="t", text="Russian missiles struck Kramatorsk, Donetsk oblast, on Tuesday, "
                                             "killing three civilians near Slovyansk.", language="en",
                                 published_at="2022-05-02")))
    assert any(p.name == "Kramatorsk" and p.country == "UA" for p in d.places)
    assert d.extra["main_event"].admin1 == "Donetsk"


def test_map_borders_for_the_events_countries_only():
    """Maps everywhere: a Sahel dossier carries Burkina and its neighbours, a Gaza one Palestine, none the world."""
    from veille.publish.assets import borders_near

    sahel = {f["properties"]["name"] for f in borders_near([(14.03, -0.03), (12.37, -1.52)])["features"]}
    assert {"Burkina Faso", "Mali", "Niger"} <= sahel and "Syria" not in sahel
    gaza = {f["properties"]["iso"] for f in borders_near([(31.52, 34.45)])["features"]}
    assert "275" in gaza and "854" not in gaza  # Palestine, not Burkina Faso
    assert borders_near([])["features"] == [] and borders_near([(float("nan"), 1.0)])["features"] == []


def test_gaza_neighbourhood_and_no_foreign_homonym(nlp):
    """A Gaza neighbourhood GeoNames lacks comes from the curated CSV; a family name that is a town in
    India ("Abu", "Hassan") is not a place in an article about Gaza."""
    d = run(nlp, "An Israeli airstrike hit a house in Sheikh Radwan, in Gaza City, killing five members of the "
                 "Abu Hassan family, Palestinian medics said.")
    assert not any(p.country in ("IN", "JP") for p in d.places)
    ev = d.extra["main_event"]
    assert ev.country == "PS" and ev.location == "Sheikh Radwan" and ev.geo_precision == 1
    assert km((ev.latitude, ev.longitude), (31.53, 34.46)) < 3


def test_admin_list_in_parentheses_names_units_of_one_country(nlp):
    """"(department, province)": the last member is a province (Seno, not the Laotian town Ban Xeno); the
    group's country rules out foreign homonyms of its members (the Ivorian Koflande, the Turkish Solhan);
    a lone aside in parentheses is no admin list ("(Greater Sahara)", "(Sector 5)")."""
    d = run(nlp, "On 9 May 2022, suspected ISWAP (Greater Sahara) militants killed two herders in the village of "
                 "Gassel (Gorgadji, Seno).")
    assert not any(p.country in ("LA", "YE") for p in d.places)
    ev = d.extra["main_event"]
    assert (ev.country, ev.admin1, ev.admin2, ev.geo_precision) == ("BF", "Sahel", "Seno", 2)
    d = run(nlp, "Soldiers repelled an ambush near Koflande (Mangodara, Comoe) and near Nyapsi (Solhan, Yagha).")
    assert {p.country for p in d.places} == {"BF"}
    ev = d.extra["main_event"]  # Koflande is no known place: the event is near its department's seat
    assert (ev.admin1, ev.location, ev.geo_precision) == ("Cascades", "Mangodara", 2)
    d = run(nlp, "Gunmen stole cattle in the Bodowol (Sector 5) neighbourhood, residents said.")
    assert not any(p.country in ("RO", "AE") for p in d.places)


def test_town_outside_the_units_named_with_it_is_another_town(nlp):
    """GeoNames' only Burkinabe Bama is in Kossi; "Bama (Bama, Houet)" is the other one: the event is placed
    in Houet, whose region is right, not at the wrong town."""
    d = run(nlp, "On 2 June 2022, residents protested against a land allocation in Bama (Bama, Houet).")
    ev = d.extra["main_event"]
    assert ev.admin1 == "Hauts-Bassins" and ev.admin2 == "Houet" and ev.location != "Bama"


def test_district_without_a_town_of_its_own_still_places_the_event(nlp):
    """Poni's seat is filed under no district in cities500: the district takes its region's point, so the
    event keeps its admin areas (precision 2) instead of being dropped."""
    d = run(nlp, "Airstrikes hit militant positions around Djigoue (Djigoue, Poni) on 5 February 2022.")
    ev = d.extra["main_event"]
    assert (ev.country, ev.admin1, ev.admin2, ev.geo_precision) == ("BF", "Sud-Ouest", "Poni", 2)
    assert ev.latitude is not None


def test_country_from_the_places_when_the_text_names_none(nlp):
    """A note that names no country: the towns it names after a place word decide it (Djibo is Burkinabe)."""
    d = run(nlp, "On 12 June 2022, a landmine killed three soldiers in Djibo; militants later attacked a "
                 "checkpoint near Dori.")
    ev = d.extra["main_event"]
    assert ev.country == "BF" and ev.location == "Djibo" and ev.admin1 == "Sahel"


def test_admin_units_carry_their_english_names(nlp):
    """ACLED writes admin1 in English: GeoNames' French or local primary name gives way to the English
    alias that respells it ("Nord-Kivu" → "North Kivu", "Banaadir" → "Banadir"), and an oblast named by
    its seat's adjective is named by the seat ("Belgorodskaya oblast'" → "Belgorod")."""
    d = run(nlp, "À Goma, dans la province du Nord-Kivu, des affrontements entre l'armée congolaise et le M23 ont "
                 "fait 15 morts.", "fr")
    ev = d.extra["main_event"]
    assert (ev.country, ev.admin1, ev.location) == ("CD", "North Kivu", "Goma")
    ev = run(nlp, "A suicide bomber killed five people at a cafe in Mogadishu, Somali police said.").extra["main_event"]
    assert (ev.country, ev.admin1) == ("SO", "Banadir")
    ev = run(nlp, "Ukrainian drones struck an oil depot in Russia's Belgorod region overnight, the governor said."
             ).extra["main_event"]
    assert (ev.country, ev.admin1) == ("RU", "Belgorod")
    g = gazetteer()
    assert [e.admin1 for e in g.lookup("Kursk", country="RU") if e.kind == "admin1"] == ["Kursk"]
    assert g.lookup("Sahel", country="BF")[0].admin1 == "Sahel"  # French names ACLED keeps stay


def test_full_country_name_and_unit_word_beat_a_shorter_homonym(nlp):
    """"Democratic Republic of Congo" is the DRC, not the "Congo" inside it; "North Kivu province" is an
    admin unit even when the article's only country name is a bare "Congo"."""
    ev = run(nlp, "Gunmen killed 14 villagers in Ituri province in northeastern Democratic Republic of Congo, "
                  "the army said on Sunday.").extra["main_event"]
    assert (ev.country, ev.admin1) == ("CD", "Ituri")
    ev = run(nlp, "M23 rebels seized the town of Rubaya in North Kivu province, eastern Congo, after fighting with "
                  "the army, residents said.").extra["main_event"]
    assert (ev.country, ev.admin1) == ("CD", "North Kivu")
    ev = run(nlp, "Des affrontements ont opposé l'armée aux miliciens en RDC, dans la province de l'Ituri.",
             "fr").extra["main_event"]
    assert ev is None or ev.country == "CD"


def test_direction_inside_a_compound_and_town_inside_the_unit_named_first(nlp):
    """"Darfour-Nord": the "Nord" of a compound is no place (not Sudan's Northern state); "Dans l'oblast de
    Donetsk, la ville de Kramatorsk": the town inside the unit named first is the event's place."""
    d = run(nlp, "Les combats se poursuivent à El-Fasher, capitale de l'État du Darfour-Nord, où au moins 20 "
                 "civils ont été tués.", "fr")
    assert not any(p.admin1 == "Northern" for p in d.places)
    ev = d.extra["main_event"]
    assert (ev.admin1, ev.location, ev.geo_precision) == ("North Darfur", "El Fasher", 1)
    ev = run(nlp, "Dans l'oblast de Donetsk, la ville de Kramatorsk a été visée par des missiles, faisant trois "
                  "morts, a indiqué le gouverneur.", "fr").extra["main_event"]
    assert (ev.admin1, ev.location, ev.geo_precision) == ("Donetsk", "Kramatorsk", 1)


def test_title_homonym_outside_the_body_countries_is_dropped(nlp):
    """A title read alone: its "Nord" is also a Swiss quarter. The body is Burkinabe, so the title's foreign
    homonym is dropped and the body places the event."""
    art = Article(id="t", title="Attaque dans le Nord: quatre soldats tués", language="fr", published_at="2022-05-02",
                  text="Quatre soldats burkinabè ont été tués dans l'explosion d'un engin près de Titao, dans la "
                       "province du Loroum, a-t-on appris de sources sécuritaires.")
    ev = nlp(Doc(article=art)).extra["main_event"]
    assert (ev.country, ev.admin1, ev.admin2) == ("BF", "Nord", "Loroum")


def test_family_names_are_no_foreign_towns(nlp):
    """Names repeated through a report ("the Al-Kurd family", "Talal Hassan Abdel-Al", "Abu Mustafa") are one
    word of a longer proper name: GeoNames' Iranian Kord and Indian Abu and Hassan do not vouch for each
    other as the article's context; the curated region after the town is no town inside it."""
    d = run(nlp, "An Israeli strike hit the home of the Al-Kurd family in Deir al-Balah, in the Gaza Strip, on "
                 "Wednesday. Talal Hassan Abdel-Al and Abu Mustafa Hassan were among the dead, the Al-Kurd family "
                 "said, and Basma Hassan Abdel-Al was wounded.")
    assert not any(p.country in ("IR", "IN") for p in d.places)
    ev = d.extra["main_event"]
    assert ev.country == "PS" and ev.location != "Gaza Strip"


def test_short_country_names_and_places_the_model_mislabels(nlp):
    """"Burkina" alone is the country (a press name no package holds); a town the model labels as an
    organisation or a nationality is a place after "area of" or "from" in that country, and "the area of"
    or "between" puts the event only near it (ACLED's precision 2)."""
    g = gazetteer()
    assert [e.id for e in g.lookup("Burkina") if e.kind == "country"] == ["cc:BF"]
    assert any(e.kind == "country" and e.country == "AE" for e in g.lookup("UAE"))
    d = run(nlp, "On 4 May 2022, suspected militants killed a cattle trader, the cousin of a former chief of staff "
                 "of Burkina's armed forces, and seized his herd in the Tondiata (Sector 2) area of Djibo.")
    ev = d.extra["main_event"]
    assert (ev.country, ev.admin1, ev.location, ev.geo_precision) == ("BF", "Sahel", "Djibo", 2)
    d = run(nlp, "On 9 May 2022, youths from two villages clashed over farmland and four people were wounded; "
                 "gendarmes were sent from Gaoua to restore calm.")
    assert any(p.name == "Gaoua" and p.admin1 == "Sud-Ouest" for p in d.places)
    d = run(nlp, "On 8 May 2022, gunmen killed a driver on the road between Dori (Dori, Seno) and Gorom-Gorom "
                 "(Gorom-Gorom, Oudalan).")
    assert d.extra["main_event"].geo_precision == 2


def test_first_order_units_filed_under_a_region_without_code_are_admin1(nlp):
    """ISO files Erbil, Dahuk and Sulaymaniyah under the Kurdistan Region, which has no GeoNames code:
    they are GeoNames' (and ACLED's) first-order units, so their towns' admin1 is theirs, with its code."""
    g = gazetteer()
    zakho = g.lookup("Zakho", country="IQ")[0]
    assert (zakho.admin1, zakho.a1) == ("Dahuk", "08")
    assert g.admin_unit("IQ", "08").kind == "admin1"
    assert not [e for e in g.lookup("Sulaymaniyah", country="IQ") if e.kind == "admin2"]


def test_town_inside_the_name_of_a_building(nlp):
    """"a press conference at the University of Dori": the model's organisation holds the town where it
    happened."""
    d = run(nlp, "On 6 May 2022, the police raided a meeting of students at the University of Dori and arrested "
                 "twelve of them.")
    assert any(p.name == "Dori" and p.admin2 == "Seno" for p in d.places)


def test_a_name_in_parentheses_is_no_admin_list_and_a_region_gives_way_to_its_camp(nlp):
    """"(Abu Ali)" and "(Abu Awad al-Araj's wife)" are asides about people, not "(department, province)" lists:
    their words are no Indian towns agreeing on a country. "In the northern Gaza Strip, in the Al Alami area of
    Jabalia camp": the camp, not the whole Strip; "the northern Gaza Strip" alone is North Gaza."""
    d = run(nlp, "An Israeli airstrike hit a house in the Nuseirat camp on Tuesday, killing seven members of the al-Araj "
                 "family. Relatives named the dead, among them Umm Awad (Abu Awad al-Araj’s wife) and Hassan Ziad Sakr "
                 "(Abu Ali). Abu Ali was a teacher, neighbours said.")
    assert not any(p.country == "IN" for p in d.places)
    assert d.extra["main_event"].location == "Nuseirat camp"
    ev = run(nlp, "On 1 November 2023, an Israeli aircraft bombed a house in the northern Gaza Strip, in the Al Alami "
                  "area of Jabalia Camp, wounding two children.").extra["main_event"]
    assert (ev.country, ev.location) == ("PS", "Jabalia camp")
    ev = run(nlp, "Civilians were injured when Israeli jets bombed a family home in the northern Gaza Strip on "
                  "Sunday.").extra["main_event"]
    assert (ev.country, ev.admin1, ev.location) == ("PS", "Gaza Strip", "North Gaza")


def test_fuzzy_keys_are_one_countrys_names_and_slice_by_first_letter():
    """The fuzzy step reads a country's keys from their own index range (no scan of the world):
    a Syrian key is there, a French one is not, and the first-letter slice is exactly the keys
    that start with it."""
    g = gazetteer()
    sy = g.fuzzy_keys("SY")
    assert sy == sorted(sy) and all(len(k) >= 5 for k in sy)
    assert "manbij" in sy and "marseille" not in sy
    m = g.fuzzy_keys("SY", "m")
    assert m == [k for k in sy if k.startswith("m")] and "manbij" in m


def test_a_direction_of_a_country_a_distance_reference_and_an_opening_dateline(nlp):
    """"Nord Mali", "le nord du Niger": a part of the country, not a unit named "Nord"; a village we do not know
    "à une trentaine de kilomètres de Gao" puts the event near Gao (precision 2), its admin areas Gao's; a town
    opening the text before a dash ("Niamey - …") is where the story was filed, not where it happened."""
    d = run(nlp, "Des hommes armés ont tué cinq civils mardi à Inabelbel, à une trentaine de kilomètres de Gao (Nord "
                 "Mali), ont indiqué des sources locales.", "fr")
    assert not any(p.kind in ("admin1", "admin2") for p in d.places)
    ev = d.extra["main_event"]
    assert (ev.country, ev.admin1, ev.location, ev.geo_precision) == ("ML", "Gao", "Gao", 2)
    ev = run(nlp, "Niamey - Des soldats nigériens ont été tués lors d'une embuscade près de Tillabéri, dans le "
                  "nord-ouest du Niger, a annoncé le ministère de la Défense.", "fr").extra["main_event"]
    assert (ev.country, ev.location) == ("NE", "Tillaberi")


def test_streets_and_buildings_named_after_places_elsewhere(nlp):
    """"Salah al-Din Street", "Yarmouk Mosque", "شارع اليرموك" in Gaza are no Iraqi governorate and no Damascus
    camp; a person named like a curated place ("Dr. Adan Abu Amer", "Adan's son") is no Aden; "the Central Gaza
    Strip" is no Israeli Central District."""
    d = run(nlp, "An Israeli strike hit a car on Salah al-Din Street in Deir al-Balah on Monday, and another hit the "
                 "Yarmouk Mosque nearby, killing two worshippers.")
    assert not any(p.country in ("IQ", "SY") for p in d.places)
    assert d.extra["main_event"].country == "PS"
    d = run(nlp, "Apartments in Nuseirat camp in the Central Gaza Strip were hit on Friday. Dr. Adan Abu Amer was "
                 "wounded; Adan's grandson was killed, relatives said.")
    assert not any(p.country in ("YE", "IL") for p in d.places)
    assert d.extra["main_event"].location == "Nuseirat camp"


def test_a_town_the_model_reads_as_a_person_after_a_place_noun(nlp):
    """The English model reads "Kryvyi Rih" as a person; after "the hometown of" in an article about Ukraine it
    is the town, with its oblast."""
    ev = run(nlp, "A Russian missile killed four people in the Ukrainian president's hometown of Kryvyi Rih on "
                  "Friday, the regional governor said.").extra["main_event"]
    assert (ev.country, ev.admin1) == ("UA", "Dnipropetrovsk")


def test_a_town_s_alternate_name_that_is_another_unit_s_name(nlp):
    """GeoNames lists "Missouri" among Bozeman's alternate names: a town's alternate name that is the name of
    another first-order unit of its country is that unit's ("Missouri Gov. Jay Nixon" is Missouri, not Montana);
    a title town read alone takes the body's reading of the same name (one sense per article)."""
    g = gazetteer()
    assert [e.kind for e in g.lookup("Missouri", country="US")] == ["admin1"]
    d = run(nlp, "Missouri Gov. Jay Nixon declared a state of emergency on Saturday in Ferguson, a St. Louis suburb.")
    assert not any(p.admin1 == "Montana" for p in d.places)
    assert d.extra["main_event"].admin1 == "Missouri"
    art = Article(id="t", title="Governor orders curfew in Ferguson after night of unrest", language="en",
                  published_at="2014-08-17",
                  text="FERGUSON, Mo. (AP) — Missouri's governor imposed a midnight curfew on Sunday in the St. Louis "
                       "suburb, where police fired tear gas at protesters for a second night.")
    ev = nlp(Doc(article=art)).extra["main_event"]
    assert (ev.country, ev.admin1, ev.location) == ("US", "Missouri", "Ferguson")


def test_a_name_read_as_a_person_is_a_person_through_the_article(nlp):
    """"Bilal Salama … Bilal Salama's father": a witness, not the Israeli village Salama; a name read as a person
    and never after a place word is a person everywhere in the article (one sense per article)."""
    d = run(nlp, "An Israeli strike hit a mosque in Gaza City on Friday. Felesteen News spoke to a witness named Bilal "
                 "Salama (38 years old) who described the strike. Bilal Salama’s father and mother were taken to "
                 "hospital.")
    assert not any(p.name == "Salama" for p in d.places)
    assert d.extra["main_event"].location == "Gaza City"


def test_arabic_admin_units_and_demonyms_in_their_inflected_forms(nlp):
    """Arabic has no model to label places: an admin unit of a country the article names is a place after a
    locative cue or with a name of several words ("في الضفة الغربية"); "قضاء X" (a Lebanese district) is a unit
    phrase; a demonym names its country in its indefinite and plural forms too ("15 فلسطينيا")."""
    d = run(nlp, "اعتقلت القوات الإسرائيلية 15 فلسطينيا خلال مداهمات ليلية في الضفة الغربية المحتلة، بحسب نادي "
                 "الأسير.", lang="ar")
    assert [(p.country, p.admin1, p.kind) for p in d.places] == [("PS", "West Bank", "admin1")]
    ev = d.extra["main_event"]
    assert (ev.country, ev.admin1) == ("PS", "West Bank")
    d = run(nlp, "استهدفت غارة إسرائيلية دراجة نارية قرب بلدة صغيرة في قضاء بنت جبيل جنوبي لبنان، ما أدى إلى مقتل "
                 "شخصين.", lang="ar")
    ev = d.extra["main_event"]
    assert (ev.country, ev.admin1, ev.geo_precision) == ("LB", "Nabatiyeh", 2) and "Jbail" in ev.admin2
    # a bare admin unit with no cue and one word is no place in Arabic ("الوسطى" is also "the middle")
    assert not run(nlp, "قالت المصادر إن الوسطى شهدت هدوءا.", lang="ar").places


def test_a_short_country_name_in_the_title_is_the_body_s_country(nlp):
    """"Congo" in a title read alone is the Republic of Congo; the body names the Democratic Republic of
    Congo, which holds the name: the title's country is the body's, and the body places the event."""
    art = Article(id="t", title="Militia kills 12 in Congo camp attack", language="en", published_at="2022-05-02",
                  text="Militiamen attacked a displacement camp in the Democratic Republic of Congo's Ituri province "
                       "on Tuesday, killing 12 civilians, a local official said.")
    ev = nlp(Doc(article=art)).extra["main_event"]
    assert (ev.country, ev.admin1) == ("CD", "Ituri")


def test_an_event_with_no_place_keeps_the_article_s_country_and_a_national_one_is_at_the_capital(nlp):
    """A dateline is furniture but says which country the report is about: an event with no place of its own
    is coded at country level, never left without a country. An event the lead says spans the whole country
    is coded at the capital with precision 3, as ACLED codes national-level events."""
    from veille.enrich.event_places import country_level

    ev = run(nlp, "BAGHDAD, Iraq (AP) — Gunmen attacked an army checkpoint near a remote village on Sunday, killing "
                  "three soldiers, officials said.").extra["main_event"]
    assert (ev.country, ev.admin1, ev.geo_precision) == ("IQ", None, 3)
    text = ("Le gouvernement a instauré un couvre-feu nocturne sur l'ensemble du territoire national après des "
            "attaques qui ont tué douze soldats au Niger.")
    d = run(nlp, text, lang="fr")
    place, geo = country_level(None, None, d, len(text), "fr", "NE")
    assert (place.country, place.admin1, place.name, geo) == ("NE", "Niamey", "Niamey", 3)
    # the same lead without a national scope: the country, no capital
    plain = "Des attaques ont tué douze soldats au Niger, selon le gouvernement."
    d = run(nlp, plain, lang="fr")
    place, geo = country_level(None, None, d, len(plain), "fr", "NE")
    assert (place.kind, place.admin1, geo) == ("country", None, 3)
    # a place below country level is left as it is
    d = run(nlp, "Des hommes armés ont tué trois civils près de Djibo, dans le Soum.", lang="fr")
    ev = d.extra["main_event"]
    assert ev.admin1 == "Sahel" and ev.geo_precision in (1, 2)


def test_a_misspelt_town_is_looked_up_in_the_country_of_an_unambiguous_place():
    """The fuzzy step also searches the countries the exact matches leave no doubt about: a misspelt
    "Ouahigouia" 180 km from Ouagadougou is Burkina's Ouahigouya, though the text names only France."""
    from veille.enrich.entities import analyse_entities

    text = ("Des jihadistes ont attaqué un poste militaire à Ouahigouia, à 180 kilomètres au nord-ouest de "
            "Ouagadougou, selon l'ambassade de France.")
    spans = [(text.index(w), text.index(w) + len(w), "LOC") for w in ("Ouahigouia", "Ouagadougou", "France")]
    mentions, entities, _ = analyse_entities("t", text, "fr", spans=spans)
    by_id = {e.id: e for e in entities}
    got = [by_id[m.entity_id] for m in mentions if text[m.start:m.end] == "Ouahigouia"]
    assert got and got[0].name == "Ouahigouya"


def test_a_city_of_a_million_the_model_mislabels_and_a_town_named_like_its_region(nlp):
    """The English model reads "in Odesa" as a LANGUAGE: a known city of a million after a locative preposition
    is a place even when the article names only the attacker's country ("A Russian drone"); a town that
    shares its region's name is the town (ACLED precision 1) when the text says so ("the city of Odesa"), else
    it may be either and stays at the region's precision."""
    ev = run(nlp, "A Russian drone hit an apartment block in Odesa overnight, killing three people, regional "
                  "governor Oleh Kiper said.").extra["main_event"]
    assert (ev.country, ev.admin1, ev.location) == ("UA", "Odesa", "Odesa")
    assert ev.geo_precision == 3  # "in Odesa": the city or its region, the text does not say
    ev = run(nlp, "A Russian drone hit an apartment block in the city of Odesa overnight, killing three people, "
                  "regional governor Oleh Kiper said.").extra["main_event"]
    assert (ev.country, ev.location, ev.geo_precision) == ("UA", "Odesa", 1)
    ev = run(nlp, "Des militaires maliens ont arrêté trois suspects dans la ville de Ménaka, dans le nord-est du "
                  "pays, a annoncé l'armée.", lang="fr").extra["main_event"]
    assert (ev.country, ev.location, ev.geo_precision) == ("ML", "Menaka", 1)
    # the unit word still says the unit
    ev = run(nlp, "Shelling killed two farmers in the Odesa region on Monday, the governor said.").extra["main_event"]
    assert (ev.admin1, ev.geo_precision) == ("Odesa", 3)


def test_acled_spellings_of_somali_units_and_a_district_inside_its_state(nlp):
    """ACLED writes Somalia's regions in English ("Lower Juba", not GeoNames' "Jubbada Hoose"), and the
    spelling is an alias; a Nigerian local government area named inside its state is the event's district."""
    ev = run(nlp, "Al-Shabaab militants stormed a hotel in Kismayo, in southern Somalia's Jubaland state, killing at "
                  "least nine people.").extra["main_event"]
    assert (ev.country, ev.admin1, ev.location) == ("SO", "Lower Juba", "Kismayo")
    assert gazetteer().lookup("Lower Shabelle")[0].kind == "admin1"
    ev = run(nlp, "Gunmen killed 12 worshippers at a mosque in Katsina State's Faskari local government area, police "
                  "said.").extra["main_event"]
    assert (ev.country, ev.admin1, ev.admin2, ev.geo_precision) == ("NG", "Katsina", "Faskari", 2)


def test_a_person_s_place_of_origin_and_a_quarter_named_after_a_country(nlp):
    """Where a victim comes from is not where the strike hit ("an Egyptian citizen from Cairo", "her husband,
    from Jordan,"); "the Brazil neighbourhood of Rafah" is a quarter of Rafah, not Brazil, and the model's
    PERSON reading of Rafah after "neighbourhood of" is a place."""
    d = run(nlp, "A woman was killed in an Israeli strike on a house on Monday; her son, an Egyptian citizen from "
                 "Cairo, was wounded. He had arrived in Khan Younis a week earlier to visit his wife's family in the "
                 "Gaza Strip.")
    ev = d.extra["main_event"]
    assert ev.country == "PS" and ev.location != "Cairo"
    assert any(p.name == "Cairo" for p in d.places)  # still a place of the article, only not the event's
    ev = run(nlp, "At least 16 people were killed after an Israeli bombardment on a family home in the Brazil "
                  "neighbourhood of Rafah in the Gaza Strip at dawn on Monday.").extra["main_event"]
    assert (ev.country, ev.location) == ("PS", "Rafah")
    # a motion's "from" stays the event's place
    ev = run(nlp, "Syrian troops withdrew from Khan Sheikhoun on Tuesday after heavy fighting that killed 20 "
                  "fighters, the Observatory said.").extra["main_event"]
    assert (ev.location, ev.admin1) == ("Khan Shaykhun", "Idleb")


def test_the_target_of_an_attack_and_a_country_that_acts(nlp):
    """The English model reads "Kharkiv" as a person: the object of a verb of attack ("hit Kharkiv") is a place
    (a city of a million, so even when the text names only the attacker's country). "US strikes" names the
    United States as the one acting, not as where: the event is near Hodeidah, in Yemen."""
    ev = run(nlp, "Russian missiles hit Kharkiv and Donetsk overnight, killing four civilians, officials "
                  "said.").extra["main_event"]
    assert (ev.country, ev.admin1, ev.location) == ("UA", "Kharkiv", "Kharkiv")
    ev = run(nlp, "US strikes hit Houthi targets near Hodeidah on Saturday, killing five fighters, the Pentagon "
                  "said.").extra["main_event"]
    assert (ev.country, ev.admin1, ev.location) == ("YE", "Al Hudaydah", "Al-Hudaydah")
    # a country acting is still the event's country when nothing else names one
    ev = run(nlp, "Nigeria's army killed 20 militants in a raid on a remote village on Sunday, a spokesman "
                  "said.").extra["main_event"]
    assert (ev.country, ev.geo_precision) == ("NG", 3)


def test_words_places_of_statements_and_countries_named_as_actors_do_not_place_an_event(nlp):
    """"Camp residents said …" where the article also writes "the camp" is the word, not Camp County (Texas);
    where a report was issued ("in New York") or the Middle East (also a Baltimore neighbourhood in GeoNames)
    is not where the attack was; a country named as a modifier or a speaker ("U.S. lawmakers", "the United
    States warned") weighs less for the article's country than towns and "strikes on Syria"."""
    from veille.enrich.entities import analyse_entities

    t = ("At least 40 people were killed when barrel bombs hit a camp for displaced families near Idlib on "
         "Wednesday. The U.S. said it was horrified by the reports. Camp residents told Reuters the bombs fell at dawn.")
    spans = [(t.index(w), t.index(w) + len(w), lab) for w, lab in (("Idlib", "GPE"), ("U.S.", "GPE"), ("Camp", "FAC"),
                                                                   ("Reuters", "ORG"))]  # the model's labels
    mentions, _, _ = analyse_entities("t", t, "en", spans=spans)
    assert [t[m.start:m.end] for m in mentions if m.entity_id.startswith("adm")] == []  # no Camp County, Texas
    assert not gazetteer().lookup("Middle East")
    d = run(nlp, "Government forces were responsible for a gas attack that killed hundreds near Damascus, a rights "
                 "group said in a report issued in New York on Tuesday. The report comes as U.S. lawmakers debate "
                 "military strikes on Syria, and the United States warned of a wider war in the Middle East. U.S. "
                 "officials and U.S. diplomats met as the U.S. weighed its options.")
    ev = d.extra["main_event"]
    assert (ev.country, ev.location) == ("SY", "Damascus")


def test_a_wide_area_named_first_gives_way_to_the_camp_inside_it_in_the_lead(nlp):
    """"… in the Gaza Strip. The home was in the Nuseirat refugee camp": the lead's wide area only says where
    the camp is; the camp, named in the next sentence of the lead, is the event's place."""
    ev = run(nlp, "Seven people were killed in an Israeli airstrike on a family home in the Gaza Strip on Wednesday. "
                  "The home was in the Nuseirat refugee camp, relatives said.").extra["main_event"]
    assert ev.country == "PS" and "Nuseirat" in ev.location and ev.geo_precision == 1


@pytest.mark.parametrize("text,country,location", [
    ("A curfew was announced in Kano on Sunday after clashes between rival groups killed 12 people.", "NG", "Kano"),
    ("Two prisoners were released in Juba on Monday after rebels freed them, a spokesman said.", "SS", "Juba"),
])
def test_what_happens_where_it_is_announced_or_released_keeps_its_place(nlp, text, country, location):
    """Review of the "said/issued in" rule: a curfew announced in Kano and prisoners released in Juba happen
    there; only a text named as issued, published or released somewhere ("a report issued in New York") is
    not the event's place."""
    ev = run(nlp, text).extra["main_event"]
    assert (ev.country, ev.location) == (country, location)
