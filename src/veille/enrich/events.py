"""Events coded the ACLED way, one article at a time, with the article's ``main_event``.

The *main event* is what the headline, the title and the lead (first two sentences) are
about: its type comes from the highest-priority cue found there (``claim_lexicon.json``
``events.rows``, ordered like ACLED's precedence: a chemical attack before an air strike
before shelling before an explosion before a clash … before a troop movement), its place
from the first Syrian-or-elsewhere place in the lead below country level, its date from the
first resolved time expression of the lead (else the publication date).

A later sentence opens a *secondary* event only when it has its own cue and names another
place (different admin1 or town), or another day with another kind of event: re-wordings
of the same event ("the blast", "the attack", "overnight on Sunday") stay with the main event.

Fatalities (ACLED: the most conservative reported figure):
1. only non-cumulative ``killed`` claims assigned to the event count;
2. per subject (normalised: "US soldiers", "civilians", "people"…) and speaker, the bounds
   are intersected ("de 2 à 9" with "au moins 9" is 9, a self-contradicting speaker keeps its
   lowest figure); across speakers the lowest figure wins;
3. per category take the largest subject (children and women are part of civilians);
4. fatalities = max(general figure, civilians + combatants).
So "≥ 9 people; 2 vs 5 US soldiers" gives 9 and "12 civilians and 3 soldiers" 15; the sample's
Manbij event gives 2, because its title quotes the media's "de 2 à 9 morts" (another voice).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from ..records import Claim, Event, Place, stable_id
from .claims import COORDINATED, PART_OF, extract_claims
from .furniture import before_datelines, caption_spans, inside, is_dateline, trailing_related
from .lexicon import alt, fold, lang_of, lexicon, split_sentences

PRECISION = {"day": 1, "minute": 1, "week": 2, "month": 3, "year": 3}
CIVILIANS = ("Civilians", 7)


def deaccent(text: str) -> str:
    """Accents dropped, one character for one (offsets stay valid): French headlines in capitals
    drop them ("LES TERRORISTES PREPARENT UNE NOUVELLE ATTAQUE CHIMIQUE"), so cues and text are
    compared without them."""
    return "".join(unicodedata.normalize("NFD", c)[0] for c in text)


def _cues(cues) -> str:
    return alt(deaccent(c) for c in cues)


@lru_cache(maxsize=2)
def _rows(lang: str) -> list[tuple[str, str, re.Pattern[str]]]:
    rows = []
    for etype, sub, *by_lang in lexicon()["events"]["rows"]:
        cues = by_lang[{"fr": 0, "en": 1, "ar": 2}.get(lang, 1)]
        rows.append((etype, sub, re.compile(rf"\b{_cues(cues)}\b", re.IGNORECASE)))
    return rows


@lru_cache(maxsize=2)
def _irrealis(lang: str) -> re.Pattern[str]:
    return re.compile(_cues(lexicon()["events"]["irrealis"][lang]), re.IGNORECASE)


@lru_cache(maxsize=2)
def _near(lang: str) -> re.Pattern[str]:
    return re.compile(alt(lexicon()["events"]["place_precision2"][lang]) + r"\s*$", re.IGNORECASE)


@lru_cache(maxsize=2)
def _not_after(lang: str) -> re.Pattern[str]:
    return re.compile(r"\s+" + _cues(lexicon()["events"]["not_after"][lang]) + r"\b", re.IGNORECASE)


@lru_cache(maxsize=2)
def _not_before(lang: str) -> re.Pattern[str]:
    """"inspecteurs chargés des armes chimiques", "stockpile of chemical weapons": the noun comes first
    (in Arabic with no preposition: "برنامج الأسلحة الكيميائية")."""
    if lang == "ar":
        return re.compile(r"(?<![\w])" + _cues(lexicon()["events"]["not_after"][lang]) + r"\s+(?:[\w-]+\s+)?$")
    return re.compile(r"\b" + _cues(lexicon()["events"]["not_after"][lang]) + r"\s+(?:[\w'’-]+\s+){0,3}?"
                      r"(?:de|des|du|d['’]|of|on|sur|en)\s*(?:(?:les|la|le|l['’]|the|its|their|ses|leurs)\s*)?$", re.IGNORECASE)


@lru_cache(maxsize=3)
def _generic_re(lang: str) -> re.Pattern[str]:
    return re.compile(r"(?:" + _cues(lexicon()["events"]["generic"][lang]) + r")\b", re.IGNORECASE)


def _generic(text: str, pos: int, lang: str) -> bool:
    """Is the cue at ``pos`` one of the vague ones ("bombing", "strikes", "attack")?"""
    return _generic_re(lang).match(text, pos) is not None


def _priority(hit: tuple[str, str, int]) -> int:
    """ACLED precedence: the row order of ``events.rows`` (chemical before air strike before shelling …)."""
    return next(i for i, row in enumerate(lexicon()["events"]["rows"]) if (row[0], row[1]) == hit[:2])


def classify(text: str, lang: str, prefer_precise: bool = False) -> tuple[str, str, int] | None:
    """(event_type, sub_event_type, cue position) of the highest-priority realis cue in ``text``.

    A cue that names a capability or an inquiry ("chemical weapons program", "OPCW experts")
    is no event. ``prefer_precise`` (for a headline): a vague word ("raids", "bombing") yields to a
    precise one of lower precedence ("Two ISIS leaders arrested in separate raids" is about arrests)."""
    text = deaccent(text)
    vague = None
    for etype, sub, rx in _rows(lang):
        for m in rx.finditer(text):
            if _not_after(lang).match(text, m.end()) or _not_before(lang).search(text[max(0, m.start() - 60):m.start()]):
                continue
            # an irrealis cue in the same clause ("se préparent à une attaque chimique") voids it
            clause = re.split(r"[.;]", text[max(0, m.start() - 80):m.start()])[-1]
            if _irrealis(lang).search(clause):
                continue
            if prefer_precise and _generic(text, m.start(), lang):
                # "Two ISIS leaders arrested in separate raids": a vague word ("raids") yields to a precise one
                vague = vague or (etype, sub, m.start())
                break
            return etype, sub, m.start()
    return vague


def _place_precision(place: Place, text: str, lang: str) -> int:
    if place.admin1 is None or place.lat is None or place.kind in ("admin1", "country"):
        return 3
    if place.kind == "admin2":
        return 2  # ACLED: a district (admin2) is precision 2, a region 3
    if fold(place.name) == fold(place.admin1) or re.search(r"governorate|gouvernorat|province", place.name, re.I):
        return 3
    if place.start is not None and _near(lang).search(text[max(0, place.start - 40):place.start]):
        return 2
    return 1


# "Tuz Khormato, 210 kilometers (130 miles) north of Baghdad", "à 40 km au nord-ouest de Damas", "على بعد 20 كم
# شمال حلب": the reference point of a distance is not where the event happened
_DISTANCE_REF = re.compile(r"(?i)\d[\d,.]*\s*(?:km|kms|kilomet(?:er|re)s?|miles?|كم|كيلومترا?|كيلومترات)\b\s*(?:\([^)]{0,30}\)\s*)?"
                           r"(?:(?:to\s+the\s+)?(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+of|"
                           r"(?:au|à\s+l['’])\s*(?:nord|sud|est|ouest)(?:-(?:est|ouest))?\s+(?:de|d['’])|de|from|"
                           r"(?:شمال|جنوب|شرق|غرب)(?:ي)?)\s*(?:the\s+)?(?:(?:city|town|capital|ville|capitale)\s+(?:of\s+|de\s+)?)?$")
_LOCATIVE = re.compile(r"(?i)\b(?:in|near|into|across|over|inside|of|en|au|dans|vers)\s+(?:(?:n|s|e|w)\.\s*|(?:northern|southern|"
                       r"eastern|western|central|north|south|east|west|nord|sud|est|ouest)[\s-]+)?$")


def _best_place(places, start: int, end: int, text: str, lang: str, country: str | None = None,
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
        return p, _place_precision(p, text, lang)
    if inside:
        return inside[0], 3
    return None, None


def _date(times, start: int, end: int, published: str | None) -> tuple[str | None, int | None]:
    for t in times:
        if start <= t.start < end and t.value and (not published or t.value[:10] <= published[:10]):
            value = t.value if len(t.value) >= 10 else t.value + ("-01" if len(t.value) == 7 else "")
            return value[:10], PRECISION.get(t.precision, 1)
    if published:
        return published[:10], 1 if len(published) >= 10 else 3
    return None, None


_VAGUE_WORDS = re.compile(r"(?i)\b(?:dozens|hundreds|thousands|scores|tens|millions|several|few|dizaines|centaines|milliers|douzaines|quelques|"
                          r"عشرات|مئات|آلاف|العشرات|المئات|الآلاف|بضع|بضعة|عدة)\b")


def _vague(c: Claim) -> bool:
    return bool(c.number_text) and not re.search(r"\d", c.number_text or "") and bool(_VAGUE_WORDS.search(c.number_text or ""))


def _coordinated_with_previous(c: Claim, claims: list[Claim]) -> bool:
    """Is ``c`` joined by "and" to an earlier figure of its sentence about another subject?"""
    if c.number_start is None:
        return False
    for o in claims:
        if o is not c and o.start == c.start and o.number_end is not None and o.number_end <= c.number_start \
                and o.subject != c.subject and COORDINATED.fullmatch(c.text, o.number_end - c.start, c.number_start - c.start):
            return True
    return False


def _part_of_previous(c: Claim) -> bool:
    if c.number_start is None or c.start is None or not c.text:
        return False
    before = c.text[max(0, c.number_start - c.start - 40):c.number_start - c.start]
    return bool(PART_OF.search(before))


def fatalities(claims: list[Claim], extra: dict[str, int] | None = None) -> int | None:
    """``extra``: claim id → deaths that claim adds on top of its subject's figure — a figure that
    says it adds to the toll ("Another 120 soldiers … were also killed") or a companion count
    ("X alongside nine of his comrades": nine plus X)."""
    extra = extra or {}
    killed = [c for c in claims if c.kind == "killed" and not c.cumulative]
    if not killed:
        return None
    # "287 IS fighters among them 26 minors", "18 civilians including 11 children": a part of the
    # figure before it, never added to it
    whole = [c for c in killed if not _part_of_previous(c)]
    killed = whole or killed
    companions = sum(int(c.min or 0) + 1 for c in killed if extra.get(c.id) == 1)
    added = (fatalities([c for c in killed if extra.get(c.id) == 0]) or 0) + companions
    killed = [c for c in killed if c.id not in extra]
    # "dozens"/"des dizaines" is a floor we set, not a reported figure: a figure beats it
    precise = [c for c in killed if not _vague(c)]
    killed = precise or killed
    if not killed:
        return int(added) if added else None
    # one speaker's figures about one subject are read together: "at least 45" in the title and
    # "more than 40" in the lead say 45, "de 2 à 9" and "au moins 9" say 9; speakers who
    # disagree are not averaged, the lowest wins (ACLED's conservative reading)
    bounds: dict[tuple[str, tuple[str, ...]], list[tuple[float, float | None]]] = {}
    for c in killed:
        low = c.min if c.min is not None else c.max
        if low is None:
            continue
        high = c.max if c.qualifier in ("exact", "at_most") or (c.qualifier == "about" and c.min != c.max) else None
        bounds.setdefault((c.subject or "people", c.attributed_to), []).append((low, high))
    # "Two SDF members and a French mine expert were killed": coordinated figures of one sentence add up
    coordinated = {c.subject for c in killed if _coordinated_with_previous(c, killed)}
    by_subject: dict[str, float] = {}
    for (key, _speaker), pairs in bounds.items():
        low = max(lo for lo, _ in pairs)
        highs = [hi for _, hi in pairs if hi is not None]
        if highs and low > min(highs):  # the speaker contradicts itself: keep its lowest figure
            low = min(lo for lo, _ in pairs)
        by_subject[key] = min(by_subject.get(key, low), low)
    cat = {"general": 0.0, "civilian": 0.0, "combatant": 0.0, "additional": 0.0}
    for subject, value in by_subject.items():
        kind = _category(subject)
        if kind == "general" and subject in coordinated:
            kind = "additional"
        cat[kind] = max(cat[kind], value) if kind != "additional" else cat[kind] + value
    # "five women and a child", "22 children and 6 teachers": without a civilians total the
    # civilian groups add up; with one ("18 civilians including 11 children") they are part of it
    civ_groups = {k: v for k, v in by_subject.items() if _category(k) == "civilian"}
    if civ_groups and not any(k.endswith("civilians") for k in civ_groups):
        cat["civilian"] = sum(civ_groups.values())
    return int(max(cat["general"], cat["civilian"] + cat["combatant"] + cat["additional"] + added))


@lru_cache(maxsize=1)
def _categories() -> dict[str, str]:
    out = {}
    for lang in ("fr", "en", "ar"):
        for _, norm, category in lexicon()["subjects"][lang]:
            out[norm] = category
    return out


@lru_cache(maxsize=4096)
def _category(subject: str) -> str:
    """The category of a normalised subject by its longest known ending ("women", not "men")."""
    subject = subject or "people"
    ends = [norm for norm in _categories() if subject == norm or subject.endswith(" " + norm)]
    if not ends:
        return "general"
    cat = _categories()[max(ends, key=len)]
    return cat if cat in ("civilian", "combatant", "additional") else "general"


def _actors(doc, start: int, end: int, extra_text: str = "") -> list[tuple[str, int | None]]:
    """Armed/state actors mentioned in the window, in order, with their ACLED inter code."""
    by_id = {e.id: e for e in doc.entities}
    out: list[tuple[str, int | None]] = []
    for m in sorted(doc.mentions, key=lambda m: m.start):
        if not (start <= m.start < end) or m.entity_id not in by_id:
            continue
        e = by_id[m.entity_id]
        if e.acled_inter is None or e.acled_inter == 7:
            continue
        name = e.acled_class or e.name
        if name not in [a for a, _ in out]:
            out.append((name, e.acled_inter))
    return out


LEAD_SENTENCES = 3


def _lead_window(sentences, start: int) -> int:
    """End of the first ``LEAD_SENTENCES`` sentences after ``start``."""
    after = [x for x in sentences if x[1] > start]
    return after[min(LEAD_SENTENCES, len(after)) - 1][1] if after else start


def _toll_claims(claims: list[Claim], sentences, start: int) -> list[Claim]:
    """The figures that make an event's toll: the first sentence of its lead (its first three
    sentences) with a non-cumulative killed figure, else the first such sentence anywhere.
    Later figures stay on the event for reading but are too often background, a partial count
    or another incident to combine (measured on FA-KES: taking the whole lead scores lower)."""
    lead_end = _lead_window(sentences, start)
    tolls = [c for c in claims if c.kind == "killed" and not c.cumulative]
    lead = [c for c in tolls if c.start < lead_end]
    if lead:
        first = min(lead, key=lambda c: c.start)
        chosen = [c for c in lead if c.start == first.start]
        if all(_vague(c) for c in chosen):  # "killing dozens": the next figure says how many
            precise = [c for c in tolls if not _vague(c)]
            if precise:
                nxt = min(precise, key=lambda c: c.start)
                chosen += [c for c in precise if c.start == nxt.start]
        return chosen
    if tolls:
        first = min(tolls, key=lambda c: c.start)
        return [c for c in tolls if c.start == first.start]
    return []


_ADDS = re.compile(r"(?i)\b(?:another|a\s+further|an\s+additional|(?:\w+\s+)?autres?)\s+$")
# the figure's own clause says it adds: "six teachers also died", "120 soldiers … were also killed"
_ALSO = re.compile(r"(?i)^[^;:]{0,80}?\b(?:(?:were|have\s+been|had\s+been|was)\s+also\s+killed|also\s+died|also\s+killed|"
                   r"ont\s+(?:également|aussi)\s+été\s+tué)")
_CLAUSE_BREAK = re.compile(r"(?i)\b(?:while|whereas|but|said|says|tandis|alors\s+que|mais|selon)\b")
_COMPANIONS_BEFORE = re.compile(r"(?i)\b(?:alongside|along\s+with|together\s+with|aux\s+côtés\s+de|avec)\s+$")
_COMPANIONS_AFTER = re.compile(r"(?i)\s+(?:of\s+(?:his|her|their)|de\s+ses|de\s+leurs)\s+")


def _additions(tolls: list[Claim], mine: list[Claim], sentences, text: str, times=(), date: str | None = None
               ) -> tuple[list[Claim], dict[str, int]]:
    """Figures that add to the toll rather than restate it.

    "At least 287 IS fighters had been killed … Another 120 soldiers … were also killed": the
    sentence right after the toll sentence adds its figures when it says so ("another", "also
    killed"). "X alongside nine of his comrades were killed": the companions plus X."""
    extra: dict[str, int] = {}
    for c in tolls:
        pos = c.number_start if c.number_start is not None else c.start
        if _COMPANIONS_BEFORE.search(text[max(0, pos - 30):pos]) and _COMPANIONS_AFTER.match(text, c.number_end or c.end):
            extra[c.id] = 1
    if not tolls:
        return [], extra
    last = max(c.start for c in tolls)
    idx = next((i for i, (s, e) in enumerate(sentences) if s <= last < e), None)
    if idx is None or idx + 1 >= len(sentences):
        return [], extra
    s, e = sentences[idx + 1]
    if date and any(s <= t.start < e and t.value and t.precision == "day" and t.value[:10] != date[:10] for t in times):
        return [], extra  # "26 civilians were also killed yesterday": another day, another event
    more = []
    for c in mine:
        pos = c.number_start if c.number_start is not None else c.start
        if c.kind != "killed" or c.cumulative or not (s <= pos < e) or c in tolls:
            continue
        clause = _ALSO.match(text, pos, e)
        if _ADDS.search(text[max(s, pos - 20):pos]) or (clause and not _CLAUSE_BREAK.search(clause.group())):
            more.append(c)
            extra[c.id] = 0
    return more, extra


@lru_cache(maxsize=1)
def _registry():
    from ..outlets import load_registry

    return load_registry()


def _outlet_id(name: str) -> str:
    """Event.source holds outlet ids where the registry knows the speaker, else the name."""
    o = _registry().by_name(name)
    return o.id if o else name


def _title_places(article, head: str):
    """Places named in the headline/title, found by the place stages (issue 4) run on the title alone.

    The title names the event's place more reliably than the body ("Air raids kill 18 in
    Aleppo"), but ``Doc.places`` only covers ``text``; these places are used, not stored."""
    from dataclasses import replace as _replace

    from . import Doc, Pipeline, load_pipeline

    stages = [c for c in load_pipeline().components if c.name in ("language", "sentences", "entities", "places")]
    if not any(c.name == "places" for c in stages):
        return ()
    try:
        mini = Pipeline(tuple(stages))
    except Exception:
        return ()
    doc = mini(Doc(article=_replace(article, text=head, title=None, headline=None)))
    return doc.places


def build_events(doc) -> tuple[list[Event], Event | None, list[Claim]]:
    """Events of one article, its main event, and the claims with ``event_id`` filled in."""
    a = doc.article
    text = doc.text
    lang = lang_of(doc.language or a.language)
    sentences = doc.sentences or split_sentences(text)
    if not sentences:
        return [], None, list(doc.claims)
    lead_end = sentences[min(1, len(sentences) - 1)][1]
    head = " . ".join(x for x in (a.headline, a.title) if x)

    @lru_cache(maxsize=1)
    def head_claims() -> tuple[Claim, ...]:  # the headline/title's figures, read once
        return tuple(extract_claims(head, a.id, lang)) if head else ()
    # a question ("Que cache le retrait annoncé des troupes américaines ?") reports nothing: its cues do not count
    asserted = " . ".join(x for x in (a.headline, a.title) if x and not x.strip().endswith("?"))
    # the headline/title say what the article is about; a generic cue there ("attack") gives
    # way to a more specific one in the lead ("air strikes"), the lead's background clauses
    # ("après que … eurent pris le contrôle") do not override a specific headline
    hit_head = classify(asserted, lang, prefer_precise=True) if asserted else None
    hit_lead = classify(text[:lead_end], lang)
    lead_text = deaccent(text[:lead_end])
    if hit_head and hit_lead and hit_lead[:2] != hit_head[:2] and _generic(deaccent(asserted), hit_head[2], lang) \
            and (_priority(hit_lead) < _priority(hit_head) or not _generic(lead_text, hit_lead[2], lang)):
        # "Deadly bombing hits Damascus" then "a suicide bomber … explosive belt", "Aden car bombing" then "a car
        # bomb exploded": a vague headline word gives way to the lead's precise one
        hit = hit_lead
    elif hit_head and hit_head[:2] != ("Battles", "Armed clash"):
        hit = hit_head
    else:
        hit = classify(asserted + "\n" + text[:lead_end], lang) if asserted else classify(text[:lead_end], lang)
        hit = hit or hit_head
    if hit is not None and hit[0] == "Strategic developments":
        # a toll makes the article about violence ("ceasefire breached 3 times … killing 15
        # civilians"): an agreement or a deployment has no fatalities in ACLED
        if any(c.kind == "killed" and not c.cumulative for c in doc.claims):
            hit = None
    if hit is None:
        # no cue up front: the first casualty figure decides (a toll is an event) — in the
        # text, else in the title (no weapon named there either, or classify(head) had hit)
        toll = next((c for c in doc.claims if c.kind == "killed" and not c.cumulative), None) or \
            next((c for c in doc.claims if c.kind == "wounded" and not c.cumulative), None)
        source_text = text
        if toll is None and head:
            toll = next((c for c in head_claims() if c.kind in ("killed", "wounded") and not c.cumulative), None)
            source_text = head
        if toll is not None:
            hit = classify(source_text[toll.start:toll.end], lang)
            if hit is None:
                # a toll with no weapon named: ACLED codes killings of civilians as an attack on
                # them, of combatants as a clash
                civilian = _category(toll.subject or "") == "civilian"
                hit = ("Violence against civilians", "Attack", 0) if civilian else ("Battles", "Armed clash", 0)
    if hit is None:
        return [], None, list(doc.claims)
    outlet = (a.outlet,) if a.outlet else ()
    # figures of the headline/title count for the main event's toll (they have no span in
    # ``text``, so they are not stored as claims; the event's notes say so)
    head_tolls = [c for c in head_claims() if c.kind == "killed" and not c.cumulative]
    main_place, main_geo = None, None

    # the country the article is about: the country of the towns its title names ("Turkey Coalition
    # Kills 20 Daesh Terrorists in Northern Syria of Aleppo") or of a country it names as a location
    # ("23 terrorists killed in N. Syria after Turkish artillery …"; a country can be an actor:
    # "Russia, Syrian regime target opposition"), else the one the text names most
    votes = Counter(p.country for p in doc.places if p.country)
    title_all = list(_title_places(a, head)) if head else []
    title_places = [p for p in title_all if p.admin1]
    in_title = [p.country for p in title_places if p.country] or [
        p.country for p in title_all if p.country and p.start is not None and _LOCATIVE.search(head[:p.start])]
    country = in_title[0] if in_title else (votes.most_common(1)[0][0] if votes else None)
    # captions and datelines name places that are not the event's (see furniture.py)
    captions = caption_spans(text, sentences)
    tail = trailing_related(text)
    tail_start = tail[0][0] if tail else len(text)
    furniture = before_datelines(text, sentences, lambda name: _registry().by_name(name) is not None) + tail
    places = [p for p in doc.places if not inside(p.start, captions + furniture) and not is_dateline(p, text)
              and not _DISTANCE_REF.search(text[max(0, (p.start or 0) - 60):p.start or 0])]
    # the title, the lead, the whole text — in the article's country; a story about Syria that
    # names no Syrian town is coded at country level, never at the "Washington" it quotes
    pools = ((title_places, 0, len(head), head), (places, 0, lead_end, text), (places, 0, len(text), text))
    for pool, lo, hi, src in pools:
        if pool and (main_place is None or main_place.admin1 is None):
            found, geo = _best_place(pool, lo, hi, src, lang, country, strict=country is not None)
            if found is not None and (main_place is None or found.admin1 is not None):
                main_place, main_geo = found, geo
    if main_place is None and country is None:
        for pool, lo, hi, src in pools:
            if pool and main_place is None:
                main_place, main_geo = _best_place(pool, lo, hi, src, lang)
    main_date, main_tp = _date(doc.times, 0, lead_end, a.published_at)

    # secondary events: a later sentence with its own cue and another place or date
    secondary: list[tuple[int, int, tuple[str, str], Place | None, int | None, str | None, int | None]] = []
    for s, e in sentences:
        if e <= lead_end or s >= tail_start:
            continue  # the list of related headlines reports other articles' events
        e = min(e, tail_start)
        h = classify(text[s:e], lang)
        if not h:
            continue
        place, geo = _best_place(places, s, e, text, lang)
        date, tp = _date(doc.times, s, e, None)
        # a sentence that also names the main event's place reports on it ("shelled al-Midan in
        # Aleppo city" after an Aleppo lead), whatever place it names first
        names_main = main_place is not None and main_place.admin1 is not None and any(
            p.admin1 == main_place.admin1 and (main_geo != 1 or p.name == main_place.name)
            for p in places if p.start is not None and s <= p.start < e)
        other_place = place is not None and main_place is not None and place.admin1 and not names_main and (
            place.admin1 != main_place.admin1 or (geo == 1 and main_geo == 1 and place.name != main_place.name))
        other_date = date is not None and main_date is not None and date != main_date and tp == 1
        if other_place or (other_date and h[:2] != hit[:2]):  # "overnight on Sunday" re-dates the same strikes
            secondary.append((s, e, h[:2], place or main_place, geo or main_geo, date or main_date, tp or main_tp))

    # A title that names several governorates ("10 killed in rocket attacks on Aleppo and Deir
    # Ezzor") sums tolls ACLED codes as separate events, one per location: each place's report
    # runs from its first sentence to the next place's, the title's sum is nobody's toll, and the
    # main event is the deadliest of the title's places.
    title_admin1 = {p.admin1 for p in title_places if p.admin1 and (country is None or p.country == country)}
    roundup = len(title_admin1) >= 2
    if roundup:
        kept, current = [], (main_place.admin1 if main_place else None, main_date)
        for sec in secondary:
            if sec[3] is not None and (sec[3].admin1, sec[5]) == current:
                continue  # the same place's report goes on
            kept.append(sec)
            current = (sec[3].admin1 if sec[3] is not None else current[0], sec[5])
        starts = [sec[0] for sec in kept] + [len(text)]
        secondary = [(st, starts[k + 1], *rest) for k, (st, _e, *rest) in enumerate(kept)]
        head_tolls = []

    def owner(pos: int) -> int:
        for i, (s, e, *_rest) in enumerate(secondary):
            if s <= pos < e:
                return i + 1
        return 0

    groups: dict[int, list[Claim]] = {}
    for c in doc.claims:
        groups.setdefault(owner(c.number_start if c.number_start is not None else c.start), []).append(c)

    specs = [(0, lead_end, hit[:2], main_place, main_geo, main_date, main_tp)] + secondary
    lead_window = _lead_window(sentences, 0)
    events: list[Event] = []
    claims_out: list[Claim] = []
    for i, (s, e, (etype, sub), place, geo, date, tp) in enumerate(specs):
        eid = stable_id(a.id, "event", i, etype, sub)
        mine = groups.get(i, [])
        counted = [c for c in mine if not (roundup and _echoes(text, sentences, c.start, head))
                   and not inside(c.number_start if c.number_start is not None else c.start, furniture)]
        tolls = _toll_claims(counted, sentences, s if i else 0)
        # the sentence after the toll adds to it whichever event the grouping gave it to
        more, extra = _additions(tolls, list(doc.claims), sentences, text, doc.times, date)
        fat = fatalities(tolls + more, extra)
        if i == 0 and head_tolls:
            # the title's toll is read with the lead's, not with a figure paragraphs later
            # (background, another incident): a later figure does not rewrite the headline
            near = [c for c in tolls if c.start < lead_window]
            fat = fatalities(head_tolls + near + (more if near else []), extra)
        elif i == 0 and tolls and not roundup and min(c.start for c in tolls) >= lead_window:
            # neither title nor lead gives a toll and the article's first toll is about another
            # governorate ("… 287 IS fighters killed in the fight for Hasakeh" under an Idlib lead):
            # the casualties are the event the article reports, so is their place
            ts = min(c.start for c in tolls)
            te = next((se for ss, se in sentences if ss <= ts < se), ts + 1)
            there, there_geo = _best_place(places, ts, te, text, lang, country, strict=country is not None)
            if there is not None and there.admin1 and (place is None or there.admin1 != place.admin1):
                place, geo = there, there_geo
        actors = _actors(doc, s, e)
        if i == 0:
            # whoever claims the attack is its author, whatever the lead names first
            claim_rx = re.compile(alt(lexicon()["claimed_responsibility"][lang]), re.I)
            claimants = [x for cs, ce in sentences if claim_rx.search(text, cs, ce) for x in _actors(doc, cs, ce)]
            if claim_rx.search(head) and re.search(r"\b(?:daech|daesh|isis|isil|islamic state|état islamique)\b", head, re.I):
                claimants = [x for x in _actors(doc, 0, len(text)) if x[1] == 2 and "Islamic State" in x[0]] + claimants
            if claimants:
                actors = [claimants[0]] + [x for x in actors if x != claimants[0]]
        actor1, inter1 = actors[0] if actors else (None, None)
        actor2, inter2 = actors[1] if len(actors) > 1 else (None, None)
        if etype != "Strategic developments" and any(c.kind == "killed" and _category(c.subject or "") == "civilian" for c in mine):
            if actor2 is None:
                actor2, inter2 = f"{CIVILIANS[0]} ({(place.country if place else None) or 'SY'})", CIVILIANS[1]
        notes = text[s:e].strip()
        notes = (notes[:300] + "…") if len(notes) > 300 else notes
        sources = tuple(dict.fromkeys(outlet + tuple(_outlet_id(x) for c in mine for x in c.attributed_to[:1] if x)))
        if i == 0 and head_tolls:
            notes = f"headline/title figures: {', '.join(c.number_text or '' for c in head_tolls)}. {notes}"
        events.append(Event(
            event_id=eid, event_date=date, time_precision=tp, event_type=etype, sub_event_type=sub,
            actor1=actor1, actor2=actor2, country=place.country if place else None,
            admin1=place.admin1 if place else None, admin2=place.admin2 if place else None,
            location=place.name if place else None,
            latitude=place.lat if place else None, longitude=place.lon if place else None, geo_precision=geo,
            source=sources, notes=notes, fatalities=fat, claims=tuple(c.id for c in mine), articles=(a.id,),
            start=s, end=e, inter1=inter1, inter2=inter2,
        ))
        claims_out += [replace(c, event_id=eid) for c in mine]
    claims_out.sort(key=lambda c: (c.number_start or c.start))
    main = events[0]
    first_toll = {ev.event_id: min((c.start for c in claims_out if c.event_id == ev.event_id and c.kind == "killed"
                                    and not c.cumulative), default=None) for ev in events}
    if not roundup and not head_tolls and len(events) > 1 and (
            first_toll[main.event_id] is None or first_toll[main.event_id] >= lead_window):
        # title and lead give no toll: the article's first casualty report is the event it reports
        # (an Idlib offensive lead, then "287 IS fighters killed in the fight for Hasakeh")
        tolled = [ev for ev in events if ev.fatalities is not None and first_toll[ev.event_id] is not None]
        if tolled:
            main = min(tolled, key=lambda ev: first_toll[ev.event_id])
    if roundup:
        # the title's day: "On Tuesday seven civilians …" in Wednesday's roundup is another event
        candidates = [e for e in events if e.admin1 in title_admin1 and e.fatalities is not None
                      and e.event_date == events[0].event_date]
        if candidates:
            main = max(candidates, key=lambda e: (e.fatalities, -e.start))
    return events, main, claims_out


def _echoes(text: str, sentences, pos: int, head: str) -> bool:
    """Is ``pos`` in a sentence that repeats the title (scraped bodies often open with it)?"""
    if not head:
        return False
    for s, e in sentences:
        if s <= pos < e:
            title = " ".join(re.findall(r"\w+", fold(head.split(" . ")[-1])))
            return bool(title) and title in " ".join(re.findall(r"\w+", fold(text[s:e])))
    return False


class EventsComponent:
    name = "events"
    requires: tuple[str, ...] = ("claims", "entities", "places", "times")
    produces: tuple[str, ...] = ("events", "main_event")

    def __call__(self, doc):
        events, main, claims = build_events(doc)
        extra = dict(doc.extra)
        if main is not None:
            extra["main_event"] = main
        return replace(doc, events=tuple(events), claims=tuple(claims), extra=extra)
