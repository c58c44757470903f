"""Entity mentions: spaCy NER (French, English) merged with the multilingual alias matcher.

Why both: spaCy finds names nobody listed (Vitaly Naoumkine), the alias table knows what
the models get wrong or cannot see — Al Jazeera is an outlet, not a person; Daech, EI and
داعش are one armed group; Arabic has no offline NER model here, so Arabic relies on the
alias table and the gazetteer alone. An alias match wins over an overlapping model span.

Capitals that act are governments: "Washington envisage de retirer", "Mais Damas est
contre" name the government; "signé à Téhéran" names the city.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from ..lang import SUPPORTED
from ..records import Entity, Mention
from . import Doc
from .aliases import Actor, AliasMatch, Target, load_actors, matcher, merge_matches
from .gazetteer import Gazetteer, PlaceEntry, gazetteer
from .places import ADMIN_KINDS, as_governorate, choose, context_countries, fuzzy_lookup, governorate_phrase
from .syntax import MODELS, load_model, ner_spans  # noqa: F401  (the one model loader; re-exported)
from .textnorm import fold


# ---------------------------------------------------------------- context rules
_LOCATIVE = {"à", "a", "au", "aux", "de", "d", "du", "des", "dans", "en", "vers", "depuis", "sur", "près", "pres",
             "par", "in", "at", "to", "from", "near", "of", "into", "via", "ville", "city", "capitale", "capital",
             "visite", "visit", "rendu", "arrivé", "arrived", "over", "across", "inside", "outside", "throughout"}
_DETERMINERS = {"l", "la", "le", "les", "the"}
_NOT_VERB = {"de", "d", "du", "des", "et", "ou", "à", "au", "aux", "en", "dans", "pour", "par", "sur", "avec",
             "and", "or", "of", "in", "on", "at", "for", "with", "to", "by", "the", "le", "la", "les", "l",
             "qui", "que", "où", "city", "ville", "airport", "aéroport", "province"}
_PREV_WORD = re.compile(r"([^\W\d_]+)\W*$")
_PREV_TWO = re.compile(r"([^\W\d_]+)\W+([^\W\d_]+)\W*$")
_NEXT_WORD = re.compile(r"^[\s\u00a0]*([^\W\d_]+)")


_EN_VERBS = frozenset("""has have had is was are were will would could should may might can must does did
says said announced rejected accused demanded warned denied wants wanted plans planned launched began agreed
called urged insisted condemned claimed refused sent ordered decided stated confirmed continues continued
threatened responded vowed struck imposed considers considered intends intended seeks sought hopes expects
backs supports opposes opposed welcomed blamed insists believes believed""".split())


_AGENT_BEFORE = re.compile(
    r"(?:\b(?:loyal|allied|close|opposed|hostile|fid[èe]les?|alli[ée]s?|hostiles?|proches?) (?:to|à|de)|"
    r"\bcalled on|\burged|\bpressed|\bwarned|\bappel[ée] |\bexhort[ée] |"
    r"\b(?:backed|supported|controlled|held|protested|condemned|rejected|denied|accused|sponsored|armed|funded|"
    r"financed|ordered|launched|carried out|blamed|criticized|criticised|welcomed|sent|deployed)(?: \w+ly)? by|"
    r"\b(?:soutenu|contr[ôo]l[ée]|appuy[ée]|arm[ée]|financ[ée]|condamn[ée]|rejet[ée]|d[ée]nonc[ée]|accus[ée]|"
    r"ordonn[ée]|lanc[ée]|men[ée]|envoy[ée]|d[ée]ploy[ée]|critiqu[ée]|salu[ée]|parrain[ée])e?s? par)\s*$",
    re.IGNORECASE)
_OFFICE_AFTER = re.compile(
    r"\s+(?:Secretary|President|Minister|Ambassador|Embassy|Department|State Department|Congress|Senate|"
    r"Special Envoy|Envoy|officials?|administration|government|Treasury)\b")


# A place name inside the name of something else: an operation ("Euphrates Shield", "Wrath of the
# Euphrates"), an institution or a newspaper ("Washington Institute", "Jordan Times").
_NOT_PLACE_AFTER = re.compile(r"\s+(?:Shield|Rage|Wrath|Storm|Dawn|Volcano|Institute|University|Post|Times|Herald|"
                              r"Journal|Daily|Observer|Review|Tribune|Gazette|Film Festival|Festival)\b")
_NOT_PLACE_BEFORE = re.compile(r"(?:\b(?:Rage|Wrath|Operation|Battle|Op[ée]ration|Bataille|Bouclier|Col[èe]re) "
                               r"(?:of|de|du|de l['’]|d['’])\s*(?:the\s+|la\s+|l['’])?)$")


def names_something_else(text: str, start: int, end: int) -> bool:
    return bool(_NOT_PLACE_AFTER.match(text[end:end + 20]) or _NOT_PLACE_BEFORE.search(text[max(0, start - 30):start]))


def acts_as_government(text: str, start: int, end: int, lang: str | None = None) -> bool:
    """A capital used as its government: subject of a verb, or a party 'entre Damas et …'."""
    if _AGENT_BEFORE.search(text[max(0, start - 40):start]):
        return True  # "militias loyal to Damascus", "protested by Damascus", "soutenus par Téhéran"
    if _OFFICE_AFTER.match(text[end:end + 30]):
        return True  # "US Secretary of Defense", "Syria government"
    if re.match(r"\.?-(?:led|backed|supported|sponsored|dirigée?s?)\b", text[end:end + 14], re.IGNORECASE):
        return True  # "US-led coalition": the government acts
    pm = _PREV_WORD.search(text[max(0, start - 30):start])
    prev = pm.group(1).lower() if pm else ""
    between = text[max(0, start - 3):start]
    if prev in ("entre", "between", "avec", "with", "contre", "against") and "\n" not in between:
        return True
    if prev in _DETERMINERS:  # "in the US …" is a place, "The US has rejected" is not
        p2 = _PREV_TWO.search(text[max(0, start - 40):start])
        if p2 and p2.group(1).lower() in _LOCATIVE:
            return False
    if prev in _LOCATIVE:
        return False
    nm = _NEXT_WORD.match(text[end:end + 40])
    if not nm:
        return False
    nxt = nm.group(1)
    if not (nxt[0].islower() and nxt.lower() not in _NOT_VERB and text[end:end + 1] in (" ", "\u00a0")):
        return False
    if lang == "en":  # English puts nouns after a country ("US troops"): ask for a verb
        return nxt in _EN_VERBS or (nxt.endswith("ed") and len(nxt) > 4)
    return True


def _governments() -> dict[str, Actor]:
    govs: dict[str, Actor] = {}
    for a in load_actors():
        if a.type == "government" and a.country and (a.country not in govs or a.id.endswith("-gov")):
            govs[a.country] = a
    return govs


_NEAR_KM = 1000.0  # a neighbour's town, not another continent's


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    a = math.sin((lat2 - lat1) * p / 2) ** 2 + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _country_entry(g: Gazetteer, cc: str) -> PlaceEntry | None:
    """A country's own entry (its centre), for the distance test of foreign homonyms."""
    info = g.country(cc)
    e = g.entry(info.entry_id) if info is not None and info.entry_id else None
    return e if e is not None and e.lat is not None and e.lon is not None else None


@lru_cache(maxsize=2)
def _capitals(g: Gazetteer | None = None) -> dict[str, Actor]:
    """Place id of a capital city → that country's government actor (``g``: the pipeline's gazetteer)."""
    govs = _governments()
    return {info.capital_id: govs[cc] for cc, info in (g or gazetteer()).countries().items()
            if info.capital_id and cc in govs}


@lru_cache(maxsize=2)
def _country_governments(g: Gazetteer | None = None) -> dict[str, Actor]:
    """Country place id → its government: "the US and Russia announced" names governments."""
    govs = _governments()
    return {info.entry_id: govs[cc] for cc, info in (g or gazetteer()).countries().items()
            if info.entry_id and cc in govs}


@lru_cache(maxsize=1)
def _registry():
    from ..outlets import load_registry

    return load_registry()


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from ..lang import spacy_stop_words

    return frozenset(fold(w) for w in spacy_stop_words("fr") | spacy_stop_words("en"))


_MEDIA_CUE = re.compile(r"(?:\bchannel|\bcha[iî]ne|\bTV|\btelevision|\bt[ée]l[ée]vision|\bnewspaper|\bjournal|"
                        r"\bdaily|\bagency|\bagence|\bwebsite)\s*$", re.IGNORECASE)
_ARABIC_CUES = ("في", "قرب", "مدينة", "بلدة", "قرية", "ريف", "محافظة", "منطقة", "بلدات", "مدينتي")
_PLACE_CUE = re.compile(r"(?:\b(?:à|a|au|dans|près de|pres de|vers|depuis|de|d['’]|du|in|at|near|from|to|of|"
                        r"village|ville|town|city|villages?|localité|region|région|province|gouvernorat|"
                        r"governorate|countryside|outskirts|banlieue|area|zone)\s*)$", re.IGNORECASE)


def _gated(targets: list[Target], text: str, start: int, end: int, ner_place: bool,
           countries: frozenset[str] = frozenset(), cue: bool = False) -> list[PlaceEntry]:
    """Place candidates worth believing: curated always; GeoNames-only needs a reason.

    ``cue``: the name sits in an admin context ("(Dori, Seno)", "X province"), which is reason
    enough; an admin unit otherwise needs the model's place label in a country the article names
    ("Est", "Centre", "Sahel" are words too)."""
    entries = [t.obj for t in targets if t.kind == "place"]
    if not entries:
        return []
    surface = text[start:end]
    if names_something_else(text, start, end):
        return []
    if _MEDIA_CUE.search(text[max(0, start - 30):start]):
        return []  # "Lebanese TV channel Al-Mayadin reported": a medium named after a place
    if any(e.curated for e in entries):  # type: ignore[union-attr]
        return entries  # type: ignore[return-value]
    key = fold(surface)
    if key in _stop_words() or len(key) < 3:
        return []
    if cue or governorate_phrase(text, start, end) or _UNIT_IN_NAME.search(surface):
        local = [e for e in entries if e.country in countries]  # type: ignore[union-attr]
        return local or entries  # type: ignore[return-value]
    multi = len(key.split()) > 1 or "-" in surface
    arabic = any("\u0600" <= c <= "\u06ff" for c in surface)
    before = text[max(0, start - 25):start]
    cue_ar = arabic and (any(before.rstrip().endswith(c) for c in _ARABIC_CUES) or not surface.startswith(("ال",)) and
                         fold(text[start - 1:start]) in ("ب", "ل"))
    # an admin unit needs the model's place label in a country the article names; Arabic has no model, so
    # there a unit of such a country after a locative cue or with a name of several words stands in for it
    # ("في الضفة الغربية", "بالضفة الغربية")
    entries = [e for e in entries if e.kind not in ADMIN_KINDS  # type: ignore[union-attr]
               or ((ner_place or (arabic and (cue_ar or multi))) and e.country in countries)]  # type: ignore[union-attr]
    if not entries or len(key) < 4:
        return []
    if arabic:
        return entries if cue_ar or multi else []  # type: ignore[return-value]
    # a village abroad needs its country named in the article; a big city abroad does not
    local = [e for e in entries if e.country in countries or e.kind == "country"  # type: ignore[union-attr]
             or e.population >= 100000]  # type: ignore[union-attr]
    if not local:
        return []
    entries = local
    if ner_place or (multi and _PLACE_CUE.search(before)):
        return entries  # type: ignore[return-value]
    if (_PLACE_CUE.search(before) or _ATTACKED_BEFORE.search(before)) and \
            max(getattr(e, "population", 0) for e in entries) >= 5000:
        return entries  # type: ignore[return-value]
    return []


_PAREN = re.compile(r"\(([^()\n]{2,90})\)")
_UNIT_IN_NAME = re.compile(r"(?:^|\s)(?:province|governorate|gouvernorat|region|r[ée]gion|oblast|state|[ée]tat|wilaya|"
                           r"district|department|d[ée]partement|county|prefecture|pr[ée]fecture|محافظة|ولاية|قضاء|مديرية)(?:\s|$)",
                           re.IGNORECASE)
_COMMA_UNIT = re.compile(r"^\s*,\s*$")


_NAME_PARTICLES = frozenset({"al", "el", "ad", "ar", "as", "at", "az", "an", "ash", "de", "du", "des", "la", "le", "les",
                             "of", "the", "d", "l", "sur", "en", "bin", "ben", "wa"})


def _admin_name(part: str) -> bool:
    """A member of an admin list in parentheses: a name of at most four words, each capitalised or a
    particle ("Gorom-Gorom", "Fada N'gourma", "Deir al-Balah"), never a phrase about someone ("Abu Awad
    al-Araj's wife", "Sector 5" passes: a name with a number)."""
    words = part.split()
    if not words or not part[0].isupper() or len(words) > 4 or re.search(r"['’]s\b", part):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.split("-")[0].lower().strip("'’") in _NAME_PARTICLES
               for w in words)


def admin_groups(text: str, matches: list[AliasMatch]):
    """Places named with their admin areas: "Seme (Toeni, Sourou)", "near Dori (Dori, Seno)".

    Returns the spans inside such groups (a cue for the gate), for each span the admin units the
    rest of its group names (to choose the candidate inside them), the countries on which two
    members of a group agree (the article is about them), for each span the countries its
    candidates must be in, the spans read as admin units (the parenthesised members: "(Gorgadji,
    Seno)" names the province Seno, not the Laotian town Ban Xeno) and the spans whose town must
    lie inside the admin units named with it ("Bama (Bama, Houet)" is not the Bama of Kossi).

    The group's country is the one of its last member's admin units when they are in one country
    ("(Solhan, Yagha)": Yagha is Burkinabe, so Solhan is no Turkish town), else the country most of
    its members can be in, the parenthesised members counting double; a member with no candidate
    there is no place of the group's ("Koflande (Mangodara, Comoe)": the Ivorian Koflande is not it).
    A lone name in parentheses with no place before it ("ISWAP (Greater Sahara)", "Bodowol (Sector 5)")
    is an aside, no group."""
    by_start = sorted(matches, key=lambda m: m.start)
    in_group: set[tuple[int, int]] = set()
    group_cc: dict[tuple[int, int], set[str]] = {}
    within: dict[tuple[int, int], list[tuple]] = {}
    agreed: set[str] = set()
    unit_spans: set[tuple[int, int]] = set()
    strict: set[tuple[int, int]] = set()

    def cands(m) -> list[PlaceEntry]:
        return [t.obj for t in m.targets if t.kind == "place"]  # type: ignore[misc]

    for pm in _PAREN.finditer(text):
        parts = [p.strip() for p in pm.group(1).split(",")]
        if not 1 <= len(parts) <= 3 or not all(_admin_name(p) for p in parts):
            continue
        lo, hi = pm.start(1), pm.end(1)
        # each member is a whole part ("Seno", "Seno province"), never a word of one ("(Abu Ali)" is a name)
        bounds, pos = [], lo
        for raw in pm.group(1).split(","):
            a = pos + len(raw) - len(raw.lstrip())
            bounds.append((a, a + len(raw.strip())))
            pos += len(raw) + 1
        members = [m for m in by_start if lo <= m.start and m.end <= hi and cands(m) and any(
            m.start == a and (m.end == b or _GOV_AFTER_UNIT.match(text[m.end:b] + " ")) for a, b in bounds)]
        if not members:
            continue
        head = [m for m in by_start if m.end <= pm.start() and pm.start() - m.end <= 2 and cands(m)][-1:]
        group = members + head
        if len(group) < 2 and len(parts) < 2:
            continue
        last_units = {e.country for e in cands(members[-1]) if e.kind in ADMIN_KINDS or e.kind == "country"}
        votes: Counter = Counter()
        for m in group:
            for cc in {e.country for e in cands(m) if e.country}:
                votes[cc] += 1 if m in head else 2
        ranked = votes.most_common()
        if len(last_units) == 1:
            cc = next(iter(last_units))
        elif ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            cc = ranked[0][0]
        else:
            cc = None
        if cc is not None and sum(1 for m in group if any(e.country == cc for e in cands(m))) >= 2:
            agreed.add(cc)
        for m in group:
            key = (m.start, m.end)
            if m in members:
                in_group.add(key)
                unit_spans.add(key)
            if cc is not None:
                group_cc[key] = group_cc.get(key, set()) | {cc}
            name = fold(text[m.start:m.end])
            others = [o for o in group if o is not m and fold(text[o.start:o.end]) != name]
            units = {(e.country, e.a1, e.a2 if e.kind != "admin1" else None) for o in others for e in cands(o)
                     if e.kind != "country" and (cc is None or e.country == cc)}
            within[key] = sorted(units, key=str)
            if any(e.kind in ADMIN_KINDS and (cc is None or e.country == cc) for o in others for e in cands(o)):
                strict.add(key)
    # "Kramatorsk, Donetsk oblast": a place followed by its admin unit
    for a, b in zip(by_start, by_start[1:]):
        if not _COMMA_UNIT.match(text[a.end:b.start]):
            continue
        surface_b = text[b.start:b.end]
        if not (_UNIT_IN_NAME.search(surface_b) or _GOV_AFTER_UNIT.match(text[b.end:b.end + 25])):
            continue
        units_b = [t.obj for t in b.targets if t.kind == "place" and t.obj.kind in ADMIN_KINDS]
        if not units_b or not any(t.kind == "place" for t in a.targets):
            continue
        in_group.update({(a.start, a.end), (b.start, b.end)})
        within.setdefault((a.start, a.end), [])
        within[(a.start, a.end)] += [(u.country, u.a1, u.a2 if u.kind == "admin2" else None) for u in units_b]
        if any(t.obj.country == u.country for t in a.targets if t.kind == "place" for u in units_b):
            agreed |= {u.country for u in units_b if any(t.obj.country == u.country for t in a.targets
                                                         if t.kind == "place")}
    return in_group, within, agreed, group_cc, unit_spans, strict


_DIRECTION_BEFORE = re.compile(r"(?:^|\s)(?:the\s+)?(north|south|east|west|northern|southern|eastern|western|nord|sud|est|ouest)"
                               r"(?:ern)?\s+(?:of\s+(?:the\s+)?|du\s+|de\s+(?:la\s+|l['’])?)?$", re.IGNORECASE)
_DIRECTION_EN = {"northern": "North", "southern": "South", "eastern": "East", "western": "West", "nord": "North",
                 "sud": "South", "est": "East", "ouest": "West"}


_BARE_DIRECTIONS = frozenset({"nord", "sud", "est", "ouest", "north", "south", "east", "west", "centre", "center",
                              "nord est", "nord ouest", "sud est", "sud ouest", "north east", "north west", "south east",
                              "south west", "northeast", "northwest", "southeast", "southwest", "centre nord",
                              "centre sud", "centre est", "centre ouest"})
_DIRECTION_LINK = re.compile(r"^(?:\s*-\s*|\s+)(?:(?:du|de\s+la|de\s+l['’]|des|of|of\s+the)\s+)?$", re.IGNORECASE)


_QUARTER_AFTER = re.compile(r"^\s+(?:neighbou?rhoods?|quarters?|camps?)\b", re.IGNORECASE)
_QUARTER_BEFORE = re.compile(r"(?:\bquartier\s+(?:du\s+|de\s+la\s+|de\s+l['’]|des\s+)?|حي\s*)$", re.IGNORECASE)
_STREET_AFTER = re.compile(r"^\s+(?:street|st\.|road|avenue|boulevard|highway|rue|route|avenue|boulevard)\b", re.IGNORECASE)
_STREET_BEFORE = re.compile(r"(?:\b(?:rue|avenue|boulevard|route)\s+(?:de\s+|d['’]|du\s+)?|شارع\s*|طريق\s*)$", re.IGNORECASE)
_BUILDING_AFTER = re.compile(r"^\s+(?:mosques?|church|schools?|hospitals?|hall|towers?|roundabout|stadium|club|association|"
                             r"complex|mall|market|bakery|clinic|hotel|bank|company|building|compound)\b", re.IGNORECASE)
_BUILDING_BEFORE = re.compile(r"(?:مسجد|مدرسة|مدرستي|مستشفى|برج|أبراج|ابراج|دوار|قاعة|جمعية|مجمع|سوق|عمارة)\s*(?:ال)?$")


_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*|[\"“«]\s*)$")


def _lower_words(text: str) -> frozenset[str]:
    """The words an article writes in lower case (once per article: a 200k-character text names many places)."""
    return frozenset(re.findall(r"(?<![\w-])[a-z][a-z'’]*(?![\w-])", text))


def _common_word_at_start(text: str, start: int, end: int, cands: list[PlaceEntry], spans,
                          lower_words: frozenset[str]) -> bool:
    """One sense per article for a capitalised word that starts a sentence: a GeoNames-only name of one word that
    the article also writes in lower case ("Camp residents said …" beside "the camp", "Police …" beside "the
    police") is that common word, unless the model labels it a town or a country (a facility label, "Camp", is
    no such evidence)."""
    surface = text[start:end]
    if " " in surface or "-" in surface or not surface[:1].isupper() or any(c.curated for c in cands):
        return False
    if not _SENTENCE_START.search(text[max(0, start - 4):start]):
        return False
    if surface.lower() not in lower_words:
        return False
    return not any(lab in ("LOC", "GPE") and s_ <= start and end <= e_ for s_, e_, lab in spans)


def _named_after(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether the name names a street (first) or a building (second) after a place: "Yarmouk street",
    "rue de Damas", "Indonesian Hospital", "مسجد اليرموك"."""
    after, before = text[end:end + 20], text[max(0, start - 12):start]
    street = bool(_STREET_AFTER.match(after) or _STREET_BEFORE.search(before))
    return street, not street and bool(_BUILDING_AFTER.match(after) or _BUILDING_BEFORE.search(before))


def directional_unit(g: Gazetteer, entry: PlaceEntry, text: str, start: int) -> PlaceEntry:
    """"the northern Gaza Strip", "le nord de la bande de Gaza": a direction before a wide area is the
    admin unit of that area named by the direction and the area's first word ("North Gaza"), when the
    gazetteer holds one; a country ("southern Lebanon") or a unit with no such part stays as it is."""
    if entry.kind not in ("region", "admin1") or not entry.country:
        return entry
    d = _DIRECTION_BEFORE.search(text[max(0, start - 30):start])
    if d is None or not entry.name.split():
        return entry
    word = d.group(1).lower()
    direction = _DIRECTION_EN.get(word, word.capitalize())
    head = entry.name.split()[0]
    units = [e for e in g.lookup(f"{direction} {head}", country=entry.country)
             if e.kind in ADMIN_KINDS and e.id != entry.id and (entry.admin1 is None or e.admin1 == entry.admin1
                                                               or entry.kind == "region")]
    return units[0] if len(units) == 1 else entry


def _inferred_country(text: str, matches: list[AliasMatch], spans) -> set[str]:
    """The article's country when it names none ("On 22 January 2019, JNIM militants detonated a
    landmine in Djibo"): the country its place-like names point to — names the model labels as places
    or that follow a place cue ("in", "village of"), whose candidates all lie in one country. One
    country must lead; a tie infers nothing."""
    place_spans = [(s_, e_) for s_, e_, lab in spans if lab in _PLACE_LABELS]
    votes: Counter = Counter()
    for m in matches:
        ents = [t.obj for t in m.targets if t.kind == "place"]
        if not ents or any(t.kind in ("actor", "outlet") for t in m.targets):
            continue
        countries = {e.country for e in ents if e.country}  # type: ignore[union-attr]
        if len(countries) != 1:
            continue
        labelled = any(s_ <= m.start and m.end <= e_ for s_, e_ in place_spans)
        cued = _PLACE_CUE.search(text[max(0, m.start - 25):m.start]) is not None
        if labelled or cued:
            votes[next(iter(countries))] += 1
    ranked = votes.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return {ranked[0][0]}
    return set()


_CAP_BEFORE = re.compile(r"(?:^|[\s(])([A-Z][\w'’]*)(?:\s|-)$")
_CAP_AFTER = re.compile(r"^(?:\s|-)[A-Z][\w'’]*")
_NOT_NAME_WORDS = frozenset({"in", "at", "near", "on", "from", "to", "the", "of", "and", "or", "by", "into", "outside",
                             "inside", "a", "an", "à", "au", "aux", "dans", "près", "vers", "de", "du", "des", "le",
                             "la", "les", "et", "en", "sur", "entre", "between", "village", "town", "city", "district",
                             "province", "region", "state", "governorate", "camp", "north", "south", "east", "west"})


def _in_longer_name(text: str, start: int, end: int) -> bool:
    """The span is one word of a longer run of capitalised words ("Abu Mustafa", "Talal Hassan Abdel-Al",
    "Al-Kurd"), not counting a capitalised preposition or article before it ("In Djibo", "Near Dori")."""
    b = _CAP_BEFORE.search(text[max(0, start - 30):start])
    if b and b.group(1).lower() not in _NOT_NAME_WORDS:
        return True
    a = _CAP_AFTER.match(text[end:end + 30])
    return bool(a and a.group(0).strip(" -").lower() not in _NOT_NAME_WORDS)


def _inside_unit(c: PlaceEntry, unit: tuple) -> bool:
    cc, a1, a2 = unit
    return c.country == cc and bool(a1) and c.a1 == a1 and (not a2 or c.a2 == a2)


_GOV_AFTER_UNIT = re.compile(r"^\s*(?:province|governorate|gouvernorat|region|oblast|state|wilaya|district|department|"
                             r"county|prefecture|local government(?: area)?|lga)\b", re.IGNORECASE)
_UNIT_LINK = re.compile(r"^\s*(?:,|in|dans|de|du|in the|dans la|dans le|, in)\s*(?:the\s+|la\s+|le\s+|l['’])?$",
                        re.IGNORECASE)


def _slug(text: str) -> str:
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^\w]+", "-", s).strip("-")[:60] or "x"


_TITLES = re.compile(r"^(?:M\.|Mme|Mlle|Dr|Pr|Mr\.?|Mrs\.?|Ms\.?|le général|general|General|cheikh|Cheikh|"
                     r"Cheik|sheikh|Sheikh)\s+")
# a locative preposition right before a name (not "de"/"of"/"from": "la déclaration de Harman")
_LOCATIVE_BEFORE = re.compile(r"(?:^|[\s(])(?:(?:à|au|dans|près de|vers|in|at|near|outside|inside)\s+|près d['’]|"
                              r"(?:state|province|region|county|governorate|oblast|district)['’]s\s+|"
                              r"(?:areas?|villages?|towns?|city|outskirts|vicinity|region|district|commune|locality|"
                              r"hamlet|home\s?town|birthplace|villes?|localités?|région|environs|périphérie|"
                              r"neighbou?rhoods?|quarters?|suburbs?|quartiers?|banlieue|"
                              r"ville\s+natale)\s+(?:of|de|du|d['’])\s*)$",
                              re.IGNORECASE)
# the object of a verb of attack or capture is where it happened: "shelled Kherson", "hit Kharkiv", "a bombardé Gao"
_ATTACKED_BEFORE = re.compile(r"(?:^|\s)(?:hit|hits|struck|strikes|shelled|shells|bombed|bombs|pounded|attacked|attacks|"
                              r"targeted|targets|raided|stormed|besieged|encircled|captured|seized|recaptured|retook|"
                              r"liberated|entered|a\s+bombardé|ont\s+bombardé|a\s+frappé|ont\s+frappé|a\s+attaqué|"
                              r"ont\s+attaqué|a\s+pilonné|ont\s+pilonné)\s+$", re.IGNORECASE)
_MOTION_BEFORE = re.compile(r"(?:^|\s)(?:on|over|across|into|towards?|sur|vers)\s+(?:the\s+)?$", re.IGNORECASE)
# where the model's label on exactly the name is not a person's ("deployed from Gaoua" read as a
# nationality, "between Dori and Essakane" as an organisation), an origin or a route names a place too
_ORIGIN_BEFORE = re.compile(r"(?:^|[\s(])(?:from|depuis|between|entre)\s+$", re.IGNORECASE)
# a building named after its town ("a press conference at the University of Dori", "l'hôpital de Kaya"): the
# model's organisation span holds the town, where the event happened
_FACILITY_OF = re.compile(r"\b(?:university|universit[ée]|hospital|h[ôo]pital|prison|airport|a[ée]roport|market|"
                          r"march[ée]|mosque|mosqu[ée]e|school|[ée]cole|lyc[ée]e|stadium|stade|gare)\s+"
                          r"(?:of|de|du|d['’])\s*$", re.IGNORECASE)
_PLACE_LABELS = {"LOC", "GPE", "FAC"}
_PERSON_LABELS = {"PER", "PERSON"}
_ORG_LABELS = {"ORG"}
_MISC_LABELS = {"MISC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
LABEL_OF_TYPE = {"person": "PER", "place": "LOC", "misc": "MISC"}


def _entity_of_actor(a: Actor) -> Entity:
    return Entity(id=a.id, name=a.name, type=a.type, aliases=a.aliases, country=a.country,
                  acled_class=a.acled_class, acled_inter=a.acled_inter)


def _entity_of_place(p: PlaceEntry) -> Entity:
    return Entity(id=p.id, name=p.name, type="place", aliases=p.aliases[:12], lat=p.lat, lon=p.lon,
                  country=p.country, admin1=p.admin1, geonames_id=p.geonames_id)


def _entity_of_outlet(o) -> Entity:
    return Entity(id=o.id, name=o.name, type="outlet", aliases=tuple(o.aliases), country=o.country)


class _Collector:
    def __init__(self, article_id: str, text: str):
        self.article_id = article_id
        self.text = text
        self.mentions: list[Mention] = []
        self.entities: dict[str, Entity] = {}
        self.surfaces: dict[str, list[str]] = {}

    def add(self, start: int, end: int, entity: Entity, label: str | None = None) -> None:
        label = label or LABEL_OF_TYPE.get(entity.type, "ORG")
        surface = self.text[start:end]
        self.mentions.append(Mention(self.article_id, start, end, label, entity.id, surface))
        self.entities.setdefault(entity.id, entity)
        self.surfaces.setdefault(entity.id, [])
        if surface not in self.surfaces[entity.id]:
            self.surfaces[entity.id].append(surface)

    def result(self) -> tuple[tuple[Mention, ...], tuple[Entity, ...]]:
        ents = []
        for eid, e in self.entities.items():
            if e.id.startswith(("per:", "org:", "misc:", "loc:")):
                e = replace(e, aliases=tuple(self.surfaces[eid]))
            ents.append(e)
        return tuple(sorted(self.mentions, key=lambda m: (m.start, m.end))), tuple(ents)


def tail_of_longer_name(text: str, start: int, end: int, place_spans: list[tuple[int, int]]) -> bool:
    """A name that ends a longer proper name the model reads as one place ("Main Street", "North
    Street", "Elm Street": GeoNames has a town named Street in England): the longer name is a street, a
    square or a building the gazetteer does not hold, and its last word is no town. Only GeoNames-only
    names are judged so (curated places and countries keep their sense: "Lake Chad")."""
    for s_, e_ in place_spans:
        if s_ < start and end <= e_ and not text[end:e_].strip(" .,'’s") and re.search(r"[A-Z]", text[s_:start]):
            return True
    return False


def names_its_country(alias: str, cc: str, g: Gazetteer) -> bool:
    """Does an alias carry its actor's country ("armée arabe syrienne", "الجيش السوري", "régime de Damas")?"""
    return _names_country(alias, cc, g)


@lru_cache(maxsize=8192)
def _names_country(alias: str, cc: str, g: Gazetteer) -> bool:
    for m in g.find(alias):
        if cc in m.demonym_of or any(e.country == cc for e in m.entries):
            return True
    return False


def role_alias(alias: str, cc: str | None, g: Gazetteer) -> bool:
    """An alias that names a role rather than the actor ("government forces", "rebels", "loyalistes",
    "civilians", "قوات النظام"): no capital letter (no proper name, no acronym) and no name or demonym
    of the actor's country. Such words say who the actor is only in that actor's country: in Goma
    "government forces" are Congo's army, near Djibo "rebels" are no Syrian rebels."""
    if not cc or any(c.isupper() for c in alias):
        return False
    return not names_its_country(alias, cc, g)


def actor_alias_fits(t: Target, text: str, start: int, end: int, named: frozenset[str],
                     person_spans: list[tuple[int, int]], g: Gazetteer) -> bool:
    """Whether an alias match names this actor here; two general reasons it does not:
    - a role word of a country-bound actor in an article that does not name that country;
    - a name that is part of another person's longer name as the model reads it ("Jeffrey" in
      "Jeffrey Smith, 34", "Bachar" in "Bachar Jaafari"), or, for an organisation, a single word the
      model reads as exactly a person's name ("Wagner, 41, was charged")."""
    a = t.obj
    if a.country and a.country not in named and role_alias(t.alias, a.country, g):  # type: ignore[union-attr]
        return False
    for s_, e_ in person_spans:
        if s_ <= start and end <= e_ and (s_, e_) != (start, end):
            if re.search(r"[A-Z\u00C0-\u00DE]\w", text[s_:start] + " " + text[end:e_]):
                return False
        elif (s_, e_) == (start, end) and a.type != "person" and len(t.alias.split()) == 1:  # type: ignore[union-attr]
            return False
    return True


def analyse_entities(article_id: str, text: str, lang: str | None, *, spans: list[tuple[int, int, str]] | None = None,
                     resources=None) -> tuple[tuple[Mention, ...], tuple[Entity, ...], list[str]]:
    """Mentions and entities of one text; notes for the user.

    ``spans``: the model's entities when the syntax stage computed them already; ``resources``: the
    pipeline's (user outlets in the alias table and the registry), else the shipped data."""
    notes: list[str] = []
    g = resources.gazetteer if resources is not None else gazetteer()
    gaz = g.find(text)
    alias_matches = merge_matches((resources.aliases if resources is not None else matcher()).find(text), [
        AliasMatch(m.start, m.end, tuple(Target("place", e, e.name) for e in m.entries)) for m in gaz if m.entries])
    if spans is None:
        spans = ner_spans(text, lang) if lang in MODELS and text.strip() else []
    if lang in MODELS:
        pass  # the model's entities are in ``spans``
    elif lang not in SUPPORTED:
        notes.append(f"no named-entity model for language {lang or 'unknown'}: alias table only")
    elif lang == "ar":
        notes.append("Arabic: entities from the alias table and gazetteer only (no offline Arabic NER model)")
    # character masks: overlap tests stay linear on 200k-character articles
    ner_place_mask = bytearray(len(text) + 1)
    for s_, e_, lab in spans:
        if lab in _PLACE_LABELS:
            ner_place_mask[s_:e_] = b"\x01" * (e_ - s_)
    covered_mask = bytearray(len(text) + 1)
    ner_org_mask = bytearray(len(text) + 1)
    for s_, e_, lab in spans:
        if lab in _ORG_LABELS:
            ner_org_mask[s_:e_] = b"\x01" * (e_ - s_)
    # the countries the article names: country names, demonyms, curated places, admin groups that agree
    in_group, group_units, agreed, group_cc, unit_spans, strict_units = admin_groups(text, alias_matches)
    country_votes: Counter = Counter()
    for m in alias_matches:
        ccs = {t.obj.country for t in m.targets if t.kind == "place" and t.obj.kind == "country"}  # type: ignore
        if len(ccs) == 1 and not any(t.kind in ("actor", "outlet") for t in m.targets):
            country_votes[next(iter(ccs))] += 2
    for m in gaz:
        for cc in m.demonym_of:
            country_votes[cc] += 1
    # an admin unit named with its unit word ("Plateau State", "la province du Loroum") names its country too,
    # when its units of that name are all in one country
    unit_countries = set()
    for m in alias_matches:
        if governorate_phrase(text, m.start, m.end) or _UNIT_IN_NAME.search(text[m.start:m.end]):
            ccs = {t.obj.country for t in m.targets if t.kind == "place" and t.obj.kind in ADMIN_KINDS}  # type: ignore
            if len(ccs) == 1 and None not in ccs:
                unit_countries |= ccs
    named = frozenset(set(country_votes) | agreed | unit_countries | {
        t.obj.country for m in alias_matches for t in m.targets  # type: ignore[union-attr]
        if t.kind == "place" and t.obj.curated and t.obj.country and len(m.targets) == 1})
    if not named:
        named = frozenset(_inferred_country(text, alias_matches, spans))
    governments = _country_governments(g)

    def cover(s_: int, e_: int) -> None:
        covered_mask[s_:e_] = b"\x01" * (e_ - s_)

    col = _Collector(article_id, text)
    capitals = _capitals(g)
    # 1. alias matches: decide outlet / actor / place
    pending_places: list[tuple[AliasMatch, list[PlaceEntry]]] = []
    # the model's other labels ("March" DATE, "Center" ORG, "Harman" PERSON): a GeoNames-only town
    # there is a word or a name, not a place (curated places and admin phrases are trusted)
    # A person label is the weakest of these: the French model reads "El Fasher" as a person. A town
    # right after a locative preposition ("à El Fasher", "near Dori") in a country the article
    # names is a place whatever the label; a bare name ("said Harman") needs such evidence.
    ner_other_mask = bytearray(len(text) + 1)
    for s_, e_, lab in spans:
        if lab not in _PLACE_LABELS:
            ner_other_mask[s_:e_] = b"\x02" * (e_ - s_) if lab in _PERSON_LABELS else b"\x01" * (e_ - s_)
    # labels of exactly a known name that the model gives places by mistake ("in Odesa" read as a LANGUAGE)
    exact_spans = {(s_, e_) for s_, e_, lab in spans if lab in _ORG_LABELS | _MISC_LABELS | {"NORP", "LANGUAGE"}}
    gated = {}
    place_spans = [(s_, e_) for s_, e_, lab in spans if lab in _PLACE_LABELS]
    for m in alias_matches:
        targets = list(m.targets)
        other = set(ner_other_mask[m.start:m.end]) - {0}
        if other and (m.start, m.end) not in in_group and not governorate_phrase(text, m.start, m.end) \
                and not _UNIT_IN_NAME.search(text[m.start:m.end]):
            # a person label, or another label on exactly this name ("in Djibo" read as an ORG), after a
            # locative preposition: a town of a country the article names
            person_only = other == {2} or (m.start, m.end) in exact_spans
            before = text[max(0, m.start - 30):m.start]
            located = (person_only and (_LOCATIVE_BEFORE.search(before) is not None or _ATTACKED_BEFORE.search(before)
                                        is not None or ((m.start, m.end) in exact_spans and
                                                        _ORIGIN_BEFORE.search(before) is not None))) \
                or _FACILITY_OF.search(before) is not None
            targets = [t for t in targets if t.kind != "place" or t.obj.curated or t.obj.kind == "country"
                       or (located and (t.obj.country in named or t.obj.population >= 1_000_000))]
        if (m.start, m.end) in group_cc:
            targets = [t for t in targets if t.kind != "place" or t.obj.country in group_cc[(m.start, m.end)]]
        if tail_of_longer_name(text, m.start, m.end, place_spans):
            targets = [t for t in targets if t.kind != "place" or t.obj.curated or t.obj.kind == "country"]
        gated[(m.start, m.end)] = _gated(targets, text, m.start, m.end, 1 in ner_place_mask[m.start:m.end], named,
                                         (m.start, m.end) in in_group)
    # one sense per article: a name accepted as a place once ("from Hasakeh") is that place where
    # the cue is missing or the model reads a person ("in the fight for Hasakeh")
    accepted = {fold(text[m.start:m.end]): gated[(m.start, m.end)] for m in alias_matches if gated[(m.start, m.end)]}
    person_spans = [(s_, e_) for s_, e_, lab in spans if lab in _PERSON_LABELS]
    for m in alias_matches:
        targets = list(m.targets)
        outlets = [t for t in targets if t.kind == "outlet"]
        actors = [t for t in targets if t.kind == "actor" and actor_alias_fits(t, text, m.start, m.end, named,
                                                                                person_spans, g)]
        if not outlets and any(t.kind == "place" for t in targets) and names_something_else(text, m.start, m.end):
            continue  # "Washington Institute", "Euphrates Shield": leave it to the model's ORG/MISC span
        places = gated[(m.start, m.end)] or (accepted.get(fold(text[m.start:m.end]), []) if not _MEDIA_CUE.search(
            text[max(0, m.start - 30):m.start]) else [])
        if places and all(p.kind == "country" for p in places) and 1 in ner_org_mask[m.start:m.end] \
                and not (actors or outlets):
            # "Syria Democratic Forces": the name is part of an organisation's; the model's ORG span stays
            org_end = m.end
            while org_end < len(text) and ner_org_mask[org_end]:
                org_end += 1
            org_start = m.start
            while org_start > 0 and ner_org_mask[org_start - 1]:
                org_start -= 1
            if org_end - org_start > m.end - m.start + 2:
                continue
        if outlets and not (places and not actors and _PLACE_CUE.search(text[max(0, m.start - 25):m.start])):
            col.add(m.start, m.end, _entity_of_outlet(outlets[0].obj), "ORG")
        elif places and (actors or any(p.id in capitals or p.id in governments for p in places)):
            if actors:
                gov = actors[0].obj
            else:
                pid = next(p.id for p in places if p.id in capitals or p.id in governments)
                gov = capitals.get(pid) or governments[pid]
            if acts_as_government(text, m.start, m.end, lang):
                col.add(m.start, m.end, _entity_of_actor(gov), "ORG")  # type: ignore[arg-type]
            else:
                pending_places.append((m, places))
        elif actors:
            a: Actor = actors[0].obj  # type: ignore[assignment]
            col.add(m.start, m.end, _entity_of_actor(a), "PER" if a.type == "person" else "ORG")
        elif places:
            pending_places.append((m, places))
        else:
            continue
        cover(m.start, m.end)
    # 2. model spans the alias table did not cover
    persons: dict[str, Entity] = {}
    registry_names = None
    fuzzy_spans: set[tuple[int, int]] = set()
    place_names = {fold(text[s_:e_].strip(" '’\"«»*")) for s_, e_, lab_ in spans if lab_ in _PLACE_LABELS}
    # the fuzzy step looks at the countries the article names and at those its exact matches leave no doubt
    # about (a name whose candidates are all in one country: "à 200 km au nord de Bamako … la région de
    # Koulikouro" is Mali's Koulikoro); its second gate below still keeps only the article's countries
    sure = {next(iter(ccs)) for ccs in ({c.country for c in cands if c.country} for _, cands in pending_places)
            if len(ccs) == 1}
    fuzzy_countries = tuple(sorted(set(named) | sure))
    for s, e, lab in spans:
        if lab in _PERSON_LABELS and fold(text[s:e].strip(" '’\"«»*")) in place_names:
            lab = "GPE"  # one sense per article: the model's place elsewhere ("from Hasakeh", "for Hasakeh")
        # the model's tokens can split a hyphenated name ("Deir el-" | "Zour"): a span ends at a word's end
        while e < len(text) and (text[e].isalnum() or (text[e] == "-" and e + 1 < len(text) and text[e + 1].isalnum())) \
                and (text[e - 1].isalnum() or text[e - 1] == "-"):
            e += 1
        if 1 in covered_mask[s:e]:
            continue
        surface = text[s:e].strip(" '’\"«»*")
        if not surface or len(surface) < 2 or fold(surface) in _stop_words():
            continue
        if lab in _PLACE_LABELS:
            cands, fuzzy = fuzzy_lookup(surface, fuzzy_countries, g)
            if cands:
                if fuzzy:
                    fuzzy_spans.add((s, e))
                pending_places.append((AliasMatch(s, e, tuple(Target("place", c, surface) for c in cands)), cands))
            elif len(surface.split()) == 1 and re.search(r"(?:ens|ais|ains|cs|ois|iens|ites|ns)$", surface):
                col.add(s, e, Entity(id=f"misc:{_slug(surface)}", name=surface, type="misc"), "MISC")  # "Turcs"
            else:
                col.add(s, e, Entity(id=f"loc:{_slug(surface)}", name=surface, type="place"), "LOC")
            cover(s, e)
            continue
        if lab not in _PERSON_LABELS | _ORG_LABELS | _MISC_LABELS:
            continue
        if registry_names is None:
            registry_names = resources.registry if resources is not None else _registry()
        outlet = registry_names.by_name(surface)
        if outlet is not None:
            col.add(s, e, _entity_of_outlet(outlet), "ORG")
        elif lab in _PERSON_LABELS:
            name = _TITLES.sub("", surface)
            last = name.split()[-1] if name.split() else name
            known = persons.get(fold(name)) or (persons.get(fold(last)) if len(name.split()) == 1 else None)
            ent = known or Entity(id=f"per:{_slug(name)}", name=name, type="person")
            persons.setdefault(fold(name), ent)
            if len(name.split()) > 1:
                persons.setdefault(fold(last), ent)
            col.add(s, e, ent, "PER")
        elif lab in _ORG_LABELS:
            col.add(s, e, Entity(id=f"org:{_slug(surface)}", name=surface, type="organisation"), "ORG")
        else:
            col.add(s, e, Entity(id=f"misc:{_slug(surface)}", name=surface, type="misc"), "MISC")
        cover(s, e)
    # 3. places, disambiguated with the article's country context
    ctx = context_countries([c for _, c in pending_places], country_votes)
    # which countries other names vouch for: each distinct name counts once, and a name that is ever one
    # word of a longer proper name ("Abu" of "Abu Awad al-Araj") vouches for nothing — a person's name
    # repeated through a report is no set of towns
    by_name: dict[str, list[PlaceEntry]] = {}
    in_longer: set[str] = set()
    as_person: set[str] = set()  # names the model reads as a person's somewhere in the article
    person_reads: dict[str, int] = {}
    located_once: set[str] = set()  # names that follow a locative word somewhere ("in", "near", "village of")
    for m, cands in pending_places:
        key = fold(text[m.start:m.end])
        by_name.setdefault(key, cands)
        if _in_longer_name(text, m.start, m.end):
            in_longer.add(key)
        if 2 in ner_other_mask[m.start:m.end]:
            as_person.add(key)
            person_reads[key] = person_reads.get(key, 0) + 1
        if _LOCATIVE_BEFORE.search(text[max(0, m.start - 30):m.start]) or governorate_phrase(text, m.start, m.end) \
                or _UNIT_IN_NAME.search(text[m.start:m.end]) or _MOTION_BEFORE.search(text[max(0, m.start - 12):m.start]) \
                or _ATTACKED_BEFORE.search(text[max(0, m.start - 20):m.start]):
            located_once.add(key)
    voters = {k: context_countries([c]) for k, c in by_name.items() if k not in in_longer}

    def vouched_by_others(cc: str | None, key: str) -> bool:
        return sum(v.get(cc, 0) for k, v in voters.items() if k != key) >= 1

    centres = [(e.lat, e.lon) for e in (_country_entry(g, cc) for cc in sorted(country_votes)) if e is not None]
    pending_places.sort(key=lambda mc: mc[0].start)
    lower_words = _lower_words(text)
    # countries the article names in its own words (country names, demonyms, agreeing admin lists), not
    # through a curated place: a building named after a place must stand in one of them
    own_named = frozenset(country_votes) | agreed
    country_starts = {m.start for m in alias_matches
                      if any(t.kind == "place" and t.obj.kind in ("country", "region") for t in m.targets)}  # type: ignore
    for i, (m, cands) in enumerate(pending_places):
        if fold(text[m.start:m.end]).replace("-", " ") in _BARE_DIRECTIONS and any(
                m.end <= cs <= m.end + 14 and _DIRECTION_LINK.match(text[m.end:cs]) for cs in country_starts):
            continue  # "Nord Burkina", "le nord du Mali", "North-East Nigeria": a part of the country, no unit "Nord"
        key_ = fold(text[m.start:m.end])
        if key_ not in located_once and (person_reads.get(key_, 0) >= 2 or (key_ in in_longer and key_ in as_person)):
            continue  # one sense per article: a name read as a person twice, or once and inside a longer name,
            # and never after a place word ("Bilal Salama … Salama's father", "Khalil, a cameraman") is a person
        if fold(text[m.start:m.end]) in in_longer and 2 in ner_other_mask[m.start:m.end]:
            # a name the model reads as a person's here and that is part of a longer proper name elsewhere
            # ("Dr. Adan Abu Amer", "Adan's grandson"): a place only in a country the article names itself
            cands = [c for c in cands if c.country in own_named]
            if not cands:
                continue
        if _common_word_at_start(text, m.start, m.end, cands, spans, lower_words):
            continue  # "Camp residents told Reuters" where the article says "the camp": a word, not Camp County
        street, building = _named_after(text, m.start, m.end)
        if street:
            continue  # "Salah al-Din Street", "شارع اليرموك": a street named after a place, not the place
        if _QUARTER_AFTER.match(text[m.end:m.end + 20]) or _QUARTER_BEFORE.search(text[max(0, m.start - 8):m.start]):
            # "the Brazil neighbourhood of Rafah", "حي البرازيل": a quarter named after a country is no country
            cands = [c for c in cands if c.kind != "country"]
            if not cands:
                continue
        if building:
            # "Yarmouk Mosque", "Al Salhi Towers", "مسجد اليرموك": a building named after a place is in the
            # article's countries; a place of that name abroad is not where it stands
            cands = [c for c in cands if c.country in own_named]
            if not cands:
                continue
        if (m.start, m.end) in fuzzy_spans:
            # second gate for fuzzy matches: only in a country the article is about
            allowed = set(ctx)
            cands = [c for c in cands if c.country in allowed or (not allowed and c.curated)]
            if not cands:
                surface = text[m.start:m.end]
                col.add(m.start, m.end, Entity(id=f"loc:{_slug(surface)}", name=surface, type="place"), "LOC")
                continue
        if centres and (m.start, m.end) not in in_group:
            # a foreign homonym: the article names its countries ("Gaza", "Palestinian"), so a
            # GeoNames-only town far from all of them ("Abu" or "Hassan" in India, "Karama" in
            # Australia) is a word or a name, unless it is a capital or a city of a million; a
            # neighbour's town ("Israeli strike near Naqoura") stays
            # an admin unit named with its unit word ("North Kivu province") is no homonym of a word
            unit_named = governorate_phrase(text, m.start, m.end)
            # other towns of that country vouch for it, unless the name is one word of a longer proper
            # name ("Abu Mustafa", "Talal Hassan Abdel-Al", "the Al-Kurd family"): a person's or a
            # family's name repeated through a report is no set of towns
            vouched = not _in_longer_name(text, m.start, m.end)
            key = fold(text[m.start:m.end])
            # a curated place abroad too, unless its name is a person's or a family's through the article
            # ("Dr. Adan Abu Amer", "Adan's son": no Aden)
            kept = [c for c in cands if (c.curated and not (key in in_longer and key in as_person)) or c.kind == "country" or c.country in named
                    or (unit_named and c.kind in ADMIN_KINDS)
                    or ((m.start, m.end) in fuzzy_spans and c.country in sure)  # looked up there for that reason
                    or (vouched and vouched_by_others(c.country, key)) or c.id in capitals
                    or c.population >= 1_000_000
                    or c.lat is None or any(_km(c.lat, c.lon, la, lo) <= _NEAR_KM for la, lo in centres)]
            if not kept:
                continue
            cands = kept
        within = list(group_units.get((m.start, m.end), ()))
        if i + 1 < len(pending_places):  # "Kramatorsk, Donetsk oblast", "Doussoula, Sourou province"
            nm, ncands = pending_places[i + 1]
            if _UNIT_LINK.match(text[m.end:nm.start]) and governorate_phrase(text, nm.start, nm.end):
                within += [(c.country, c.a1, c.a2 if c.kind == "admin2" else None) for c in ncands
                           if c.kind in ADMIN_KINDS]
        if (m.start, m.end) in strict_units and within:
            # "Bama (Bama, Houet)": a town outside the admin units named with it is another town
            cands = [c for c in cands if c.kind in ADMIN_KINDS or any(_inside_unit(c, u) for u in within)]
            if not cands:
                continue
        entry = choose(cands, text, m.start, m.end, ctx, tuple(within), unit=(m.start, m.end) in unit_spans)
        if entry is None:
            continue
        entry = as_governorate(g, entry, text, m.start, m.end)
        entry = directional_unit(g, entry, text, m.start)
        col.add(m.start, m.end, _entity_of_place(entry), "LOC")
    mentions, entities = col.result()
    return mentions, entities, notes


class EntityComponent:
    """Model entities (from the syntax stage when it ran, else a NER-only pass) merged with the alias table."""

    name = "entities"
    requires: tuple[str, ...] = ("language", "sentences")
    produces: tuple[str, ...] = ("mentions", "entities")

    def __init__(self, resources=None):
        self.resources = resources

    def __call__(self, doc: Doc) -> Doc:
        mentions, entities, notes = analyse_entities(doc.article.id, doc.text, doc.language,
                                                     spans=doc.extra.get("ner_spans"), resources=self.resources)
        return replace(doc, mentions=mentions, entities=entities, notes=doc.notes + tuple(notes))


def resolve_speaker(text: str, lang: str | None = None, resources=None) -> Entity | None:
    """The entity a speaker phrase names ("la chaîne Al Jazeera", "le conseil militaire de
    Manbij", "Mme Ahmed"), for attribution chains; None when nothing is recognised.

    Prefers outlets and actors from the alias table, then a person or organisation found by
    the model; a bare place is returned only when nothing else is named.
    """
    if not text or not text.strip():
        return None
    _, entities, _ = analyse_entities("speaker", text, lang if lang in MODELS else None, resources=resources)
    rank = {"outlet": 0, "person": 1}
    best = sorted((e for e in entities), key=lambda e: (rank.get(e.type, 2 if e.type != "place" else 3)))
    return best[0] if best else None
