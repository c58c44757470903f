"""Where an event happened: the place, admin area and ACLED geo_precision of an event span.

The event builder hands over the article's places (``Doc.places``), the span's bounds and the
article's country; this module decides which place the span is about. Captions, datelines, the
reference point of a distance ("210 km north of Baghdad"), a person's place of origin ("a medic from
Cairo") and scraped related headlines never give an event its place.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from functools import lru_cache

from ..records import Place
from .furniture import before_datelines, caption_spans, inside, is_dateline, trailing_related
from .lexicon import alt, fold, lexicon


@lru_cache(maxsize=2)
def _near(lang: str) -> re.Pattern[str]:
    return re.compile(alt(lexicon()["events"]["place_precision2"][lang]) + r"\s*$", re.IGNORECASE)


def place_precision(place: Place, text: str, lang: str) -> int:
    if place.admin1 is None or place.lat is None or place.kind in ("admin1", "country"):
        return 3
    if place.kind == "admin2":
        return 2  # ACLED: a district (admin2) is precision 2, a region 3
    if re.search(r"governorate|gouvernorat|province", place.name, re.I):
        return 3
    if fold(place.name) == fold(place.admin1) and not _named_as_town(place, text):
        return 3  # the unit itself, or a place of the unit's name not said to be the town
    if place.start is not None and _near(lang).search(text[max(0, place.start - 40):place.start]):
        return 2
    if place.start is not None and _AREA_OF_UNKNOWN.search(text[max(0, place.start - 60):place.start]):
        return 2  # "Koflande (Mangodara, Comoe)" with Koflande unknown: the event is near Mangodara
    return 1


_TOWN_KINDS = frozenset({"populated", "city"})
_TOWN_CUE = re.compile(r"(?i)(?:\b(?:city|town|ville|localité)\s+(?:of|de|d['’])\s*|(?:مدينة|بلدة)\s*)$")


def _named_as_town(place: Place, text: str) -> bool:
    """A town that shares its name with its admin1 unit ("Idlib", "Odesa", "Ménaka") is ambiguous — "a blast in
    Idlib" often means the province, and a town inside it may follow — so it stays the unit (precision 3)
    unless the text says the town: "the city of Odesa", "Marib city", "la ville de Ménaka", "مدينة مأرب"."""
    if place.kind not in _TOWN_KINDS or place.start is None or place.end is None:
        return False
    from .places import governorate_phrase

    if governorate_phrase(text, place.start, place.end):
        return False
    return bool(_TOWN_CUE.search(text[max(0, place.start - 20):place.start]) or
                re.match(r"\s*(?:city|ville)\b", text[place.end:place.end + 8], re.IGNORECASE))


# a place named as the admin area of a name before it ("Gassel (Gorgadji, Seno)"): when it is the event's
# place, that name was no known place, so the event is only near it
_AREA_OF_UNKNOWN = re.compile(r"[^\W\d_][\w'’-]*\s*\((?:[^()]*,\s*)?$")


# "Tuz Khormato, 210 kilometers (130 miles) north of Baghdad", "à 40 km au nord-ouest de Damas", "على بعد 20 كم
# شمال حلب": the reference point of a distance is not where the event happened
_DISTANCE_REF = re.compile(r"(?i)(?:\d[\d,.]*|\w+aines?\s+d[e'’])\s*(?:km|kms|kilom[eè]t(?:er|re)s?|miles?|كم|كيلومترا?|كيلومترات)\b\s*(?:\([^)]{0,30}\)\s*)?"
                           r"(?:(?:to\s+the\s+)?(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+of|"
                           r"(?:au|à\s+l['’])\s*(?:nord|sud|est|ouest)(?:-(?:est|ouest))?\s+(?:de|d['’])|de|from|"
                           r"(?:شمال|جنوب|شرق|غرب)(?:ي)?)\s*(?:the\s+)?(?:(?:city|town|capital|ville|capitale)\s+(?:of\s+|de\s+)?)?$")
# where a person comes from is not where the event happened: "an Egyptian citizen from Cairo", "Her husband, from
# Jordan, survived", "originally from Homs", "originaire de Kaya" (a motion's "withdrew from Mosul" is left alone)
_ORIGIN = re.compile(r"(?i)(?:\b(?:citizens?|nationals?|natives?|journalists?|doctors?|medics?|nurses?|students?|"
                     r"volunteers?|workers?|husband|wife|father|mother|son|daughter|brother|sister|cousin|uncle|aunt|"
                     r"originally|hails?|hailing)\s+from|\bnative\s+of|[\w’']\s?,\s+from|\boriginaires?\s+d[e'’]|"
                     r"\bnatifs?\s+d[e'’]|\bnatives?\s+d[e'’])\s+(?:the\s+|la\s+|le\s+)?$")


# a country named as the one acting or speaking, not as where: "US strikes hit Houthi targets near Hodeidah",
# "Israel's army said", "the United States condemned"
_ACTOR_AFTER = re.compile(r"(?i)^(?:['’]s)?[\s-]+(?:(?:led|backed|made|supplied)\s+)?(?:air\s?strikes?|air\s?raids?|strikes?|"
                          r"forces?|troops|army|military|jets?|warplanes?|aircraft|drones?|missiles?|navy|naval|soldiers|"
                          r"officials?|government|authorities|embassy|ministry|president|envoy|diplomats?|warships?|"
                          r"artillery|coalition|defen[cs]e|said|says|has\s+said|had\s+said|condemned|urged|accused|"
                          r"warned|called\s+(?:on|for)|announced|denied|dit|a\s+dit|a\s+annoncé|a\s+condamné)\b")


def is_actor_country(p: Place, text: str) -> bool:
    """A country name used for its state acting ("US strikes", "Russia's army", "a US-led coalition")."""
    return p.kind == "country" and p.end is not None and _ACTOR_AFTER.match(text[p.end:p.end + 30]) is not None


# where something was said or published is not where the event happened: "a report issued in New York", "told
# reporters in Geneva", "a déclaré à Paris"
# (a thing "released"/"announced"/"published" in a place is a text only when a text is named: "two prisoners were
# released in Juba", "a curfew was announced in Kano" happen there)
_SAID_IN = re.compile(r"(?i)(?:\b(?:said|says|told\s+reporters|speaking|spoke|briefing|conference|statement|interview|"
                      r"a\s+déclaré|a\s+indiqué|conférence\s+de\s+presse)|\b(?:report|statement|study|communiqué|"
                      r"rapport|déclaration|document|video|vidéo)s?\b(?:\s+[\w’'-]+){0,3}?\s+(?:issued|published|released|"
                      r"announced|publiée?s?|diffusée?s?))\s+(?:on\s+\w+\s+|\w+day\s+|here\s+)?(?:in|à)\s+$")


_COUNTRY_LOCATIVE = re.compile(
    r"(?i)(?:\b(?:in|into|inside|across|throughout|within|to|towards?|on|over|near|at|of|from|en|au|aux|dans|vers|"
    r"sur|de|du|des)\s+|\b[dl]['’]|à\s+)(?:the\s+|la\s+|le\s+|l['’])?(?:(?:north|south|east|west|north-?east|north-?west|"
    r"south-?east|south-?west|central|nord|sud|est|ouest|centre)(?:ern)?\s+(?:of\s+)?)?$")


def _vote(p: Place, text: str, tokens=(), starts=()) -> float:
    if p.kind != "country" or p.start is None or any("\u0600" <= c <= "\u06ff" for c in p.name + text[p.start:p.start + 2]):
        return 1.0
    if is_actor_country(p, text):
        return 0.01
    if tokens:
        # the parse says how the name is used: the object of a preposition ("strikes on Syria") is a location;
        # a modifier ("U.S. lawmakers", "the U.S. CBS network") or a subject or object ("draw the U.S. into") is not
        i = bisect_right(starts, (p.end or p.start) - 1) - 1
        if 0 <= i < len(tokens) and tokens[i].start < (p.end or p.start):
            return 1.0 if tokens[i].dep in ("pobj", "obl", "nmod", "obl:arg", "appos", "conj") else 0.4
    return 1.0 if _COUNTRY_LOCATIVE.search(text[max(0, p.start - 30):p.start]) else 0.4


def is_origin(p: Place, text: str) -> bool:
    """A place named as where a person comes from ("a medic from Cairo") or where something was said ("a report
    issued in New York")."""
    if p.start is None:
        return False
    before = text[max(0, p.start - 40):p.start]
    return _ORIGIN.search(before) is not None or _SAID_IN.search(before) is not None


_LOCATIVE = re.compile(r"(?i)\b(?:in|near|into|across|over|inside|of|en|au|dans|vers)\s+(?:(?:n|s|e|w)\.\s*|(?:northern|southern|"
                       r"eastern|western|central|north|south|east|west|nord|sud|est|ouest)[\s-]+)?$")


def best_place(places, start: int, end: int, text: str, lang: str, country: str | None = None,
                strict: bool = False) -> tuple[Place | None, int | None]:
    """The first place named below country level in ``[start, end)``, preferring the article's country.

    ``strict``: only places in ``country`` (the caller then widens the window before it accepts a
    place abroad: a lead that names only "Moscow says" is not about Moscow)."""
    inside = [p for p in places if p.start is not None and start <= p.start < end]
    sub_country = [p for p in inside if p.admin1]
    if country and (strict or any(p.country == country for p in sub_country)):
        # datelines and context ("BEIRUT (Reuters)", "Moscow says") name places abroad
        sub_country = [p for p in sub_country if p.country == country]
        inside = [p for p in inside if p.country == country]
    if sub_country:
        # the first place named below country level: leads name the event's place first
        p = min(sub_country, key=lambda p: p.start)
        p = _town_inside(p, sub_country, text)
        return p, place_precision(p, text, lang)
    if inside:
        return inside[0], 3
    return None, None


_NOT_TOWNS = frozenset({"admin1", "admin2", "country", "region", "river", "sea", "lake", "mountain", "desert",
                        "plain", "valley", "hill"})
_SENTENCE_END = re.compile(r"[.!?؟]\s|\n")


def _town_inside(p: Place, places: list[Place], text: str) -> Place:
    """An admin unit or a wider area (a curated region: "the Gaza Strip", "Eastern Ghouta") named first,
    then a town inside it in the same sentence ("Dans l'oblast de Donetsk, la ville de Kramatorsk a été
    visée", "in North Kivu province, where M23 seized Bunagana"): the town is the event's place, the unit
    only says where the town is. A district inside the region named first is narrower in the same way ("in
    Katsina State's Faskari local government area")."""
    if p.kind not in ("admin1", "admin2", "region") or p.end is None:
        return p
    for q in sorted(places, key=lambda q: q.start):
        if q.start < p.end or q.lat is None or (q.kind in _NOT_TOWNS and not (p.kind in ("region", "admin1")
                                                                              and q.kind == "admin2")):
            continue
        if _SENTENCE_END.search(text[p.end:q.start]) and p.kind != "region":
            break  # a wide area ("the Gaza Strip") gives way to the first place inside it anywhere in the window
        if p.kind == "region" and q.country == p.country and q.admin1 == p.admin1 and fold(q.name) != fold(p.name):
            return q  # "in the northern Gaza Strip, in the Al Alami area of Jabalia Camp": the camp
        if q.country == p.country and q.admin1 == p.admin1 and (p.kind == "admin1" or q.admin2 == p.admin2):
            return q
    return p


def title_places(title_doc_fn, article, head: str, body_places=()):
    """Places named in the headline/title, found by the place stages run on the title alone.

    The title names the event's place more reliably than the body ("Air raids kill 18 in
    Aleppo"), but ``Doc.places`` only covers ``text``; these places are used, not stored.
    ``title_doc_fn`` runs the pipeline's language/sentences/entities/places stages on an article.

    A title is short: read alone, a name there has no country to choose among its homonyms (a
    title's "Nord" is a Swiss quarter as much as a Burkinabe region). When the body names places,
    a title place below country level in none of the body's countries is such a homonym, and is
    dropped; the body then places the event."""
    from dataclasses import replace as _replace

    if not head or title_doc_fn is None:
        return ()
    doc = title_doc_fn(_replace(article, text=head, title=None, headline=None))
    found = tuple(doc.places) if doc is not None else ()
    # one sense per article: a title town the body names too is the body's reading of it, which had the
    # body's context ("curfew in Ferguson" read alone is Ferguson, Montana; the body's "Missouri" says which)
    by_name: dict[str, Place] = {}
    for p in body_places:
        if p.admin1 and p.kind not in ("country", "admin1", "admin2"):
            by_name.setdefault(fold(p.name), p)
    found = tuple(_replace(by_name[fold(p.name)], start=p.start, end=p.end)
                  if p.kind not in ("country", "admin1", "admin2") and fold(p.name) in by_name
                  and by_name[fold(p.name)].entity_id != p.entity_id else p for p in found)
    body = {p.country for p in body_places if p.country}
    if not body:
        return found
    # a short country name in the title is the body's country that holds it ("Rebels in Congo …" over a body
    # naming the Democratic Republic of Congo; "Sudan" over South Sudan, "Guinea" over Guinea-Bissau)
    body_countries = [p for p in body_places if p.kind == "country" and p.country]
    found = tuple(_body_country(p, head, body, body_countries) for p in found)
    return tuple(p for p in found if p.kind == "country" or not p.country or p.country in body)


def _body_country(p: Place, head: str, body: set, body_countries: list[Place]) -> Place:
    from dataclasses import replace as _replace

    if p.kind != "country" or p.country in body or p.start is None or p.end is None:
        return p
    words = fold(head[p.start:p.end]).split()
    for q in body_countries:
        name = fold(q.name).split()
        if words and any(name[i:i + len(words)] == words for i in range(len(name) - len(words) + 1)):
            return _replace(q, start=p.start, end=p.end)
    return p


def article_country(doc, title_all, head: str) -> str | None:
    """The country the article is about: the country of the towns its title names ("Turkey Coalition
    Kills 20 Daesh Terrorists in Northern Syria of Aleppo") or of a country it names as a location
    ("23 terrorists killed in N. Syria after Turkish artillery …"; a country can be an actor:
    "Russia, Syrian regime target opposition"), else the one the text names most."""
    # a country acting ("US strikes …") counts only where nothing else names a country; a country named
    # otherwise than as a location ("U.S. lawmakers", "as the United States pushes for …") counts less than a
    # town or a country after a locative word ("strikes on Syria", "in northern Mali")
    votes: Counter = Counter()
    tokens = tuple(getattr(doc, "tokens", ()) or ())
    starts = [t.start for t in tokens]
    for p in doc.places:
        if p.country and not is_origin(p, doc.text):
            votes[p.country] += _vote(p, doc.text, tokens, starts)
    title_places_ = [p for p in title_all if p.admin1]
    in_title = [p.country for p in title_places_ if p.country] or [
        p.country for p in title_all if p.country and p.start is not None and _LOCATIVE.search(head[:p.start])]
    return in_title[0] if in_title else (votes.most_common(1)[0][0] if votes else None)


def event_places(doc, sentences, is_outlet) -> tuple[list[Place], list[tuple[int, int]], int]:
    """The article's places that may locate an event, the furniture spans (captions, datelines,
    related-headline lists) and where the trailing related-headline list starts."""
    text = doc.text
    captions = caption_spans(text, sentences)
    tail = trailing_related(text)
    tail_start = tail[0][0] if tail else len(text)
    furniture = before_datelines(text, sentences, is_outlet) + tail
    places = [p for p in doc.places if not inside(p.start, captions + furniture) and not is_dateline(p, text)
              and not _DISTANCE_REF.search(text[max(0, (p.start or 0) - 60):p.start or 0]) and not is_origin(p, text)
              and not is_actor_country(p, text)]
    return places, furniture, tail_start


def is_reference(p: Place, text: str) -> bool:
    """The reference point of a distance ("à une soixantaine de km de Djibo", "210 km north of Baghdad")."""
    return p.start is not None and _DISTANCE_REF.search(text[max(0, p.start - 60):p.start]) is not None


def near_reference(found: Place | None, geo: int | None, doc, lead_end: int, lang: str, country: str | None
                   ) -> tuple[Place | None, int | None]:
    """No place of the event's own below country level ("à Touronata, à une soixantaine de km de Djibo", the
    village unknown): the event is near its reference point, as ACLED codes it (precision 2) — its admin
    areas are usually the event's too."""
    if found is not None and found.admin1 is not None:
        return found, geo
    refs = [p for p in doc.places if p.admin1 and is_reference(p, doc.text) and (country is None or p.country == country)]
    if not refs:
        return found, geo
    lead = [p for p in refs if p.start < lead_end]
    return min(lead or refs, key=lambda p: p.start), 2


@lru_cache(maxsize=4)
def _national(lang: str) -> re.Pattern[str] | None:
    from .lexicon import lang_data, lang_of

    pats = lang_data(lang_of(lang), "geo_scope").get("national", [])
    return re.compile(r"(?<!\w)" + alt(pats) + r"(?!\w)", re.IGNORECASE) if pats else None


def country_level(found: Place | None, geo: int | None, doc, lead_end: int, lang: str, country: str | None,
                  g=None) -> tuple[Place | None, int | None]:
    """An event with no place of its own below country level. Its country is still the article's (a
    dateline's "DAMASCUS, Syria (AP) —" is furniture, but says which country a report is about), at
    precision 3; and an event the lead says spans the whole country ("a curfew across the country", "sur
    l'ensemble du territoire national") is coded, as ACLED codes national-level events, at the capital
    with precision 3 (its admin areas are the capital's)."""
    if found is not None and found.admin1 is not None:
        return found, geo
    cc = found.country if found is not None and found.country else country
    if cc is None:
        return found, geo
    if g is None:
        from .gazetteer import gazetteer

        g = gazetteer()
    info = g.country(cc)
    if found is None:
        named = [p for p in doc.places if p.kind == "country" and p.country == cc]
        entry = g.entry(info.entry_id) if info is not None and info.entry_id else None
        if named:
            found = named[0]
        elif entry is not None:
            found = Place(name=entry.name, lat=entry.lat, lon=entry.lon, country=cc, geonames_id=entry.geonames_id,
                          entity_id=entry.id, kind="country")
        else:
            return found, geo
        geo = 3
    scope = _national(lang)
    capital = g.entry(info.capital_id) if info is not None and info.capital_id else None
    if scope is not None and capital is not None and capital.admin1 and scope.search(doc.text[:lead_end]):
        return Place(name=capital.name, lat=capital.lat, lon=capital.lon, country=cc, admin1=capital.admin1,
                     admin2=capital.admin2, geonames_id=capital.geonames_id, entity_id=capital.id,
                     kind=capital.kind), 3
    return found, geo


def main_place(title_places_, places, head: str, text: str, lead_end: int, lang: str, country: str | None
               ) -> tuple[Place | None, int | None]:
    """The main event's place: the title, the lead, the whole text — in the article's country; a story
    about Syria that names no Syrian town is coded at country level, never at the "Washington" it quotes."""
    found_place, found_geo = None, None
    pools = ((title_places_, 0, len(head), head), (places, 0, lead_end, text), (places, 0, len(text), text))
    for pool, lo, hi, src in pools:
        if pool and (found_place is None or found_place.admin1 is None):
            found, geo = best_place(pool, lo, hi, src, lang, country, strict=country is not None)
            if found is not None and (found_place is None or found.admin1 is not None):
                found_place, found_geo = found, geo
    if found_place is None and country is None:
        for pool, lo, hi, src in pools:
            if pool and found_place is None:
                found_place, found_geo = best_place(pool, lo, hi, src, lang)
    return found_place, found_geo
