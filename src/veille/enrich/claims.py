"""Claims: a figure, what it counts (kind + subject), how sure (qualifier) and who says it.

Per sentence: every count found by ``numbers.find_numbers`` (money, dates, ages, ordinals
and distances are refused there) gets
- a *subject* from the noun right after it ("deux militaires américains" → "US soldiers";
  "cinq victimes parmi les militaires US" → "US soldiers"; "550 d'entre eux" → the subject
  of the previous sentence) — see ``subjects.py``;
- a *kind* from a noun cue after it ("9 morts", "20 blessés") or else the nearest verb cue in
  the sentence ("ont trouvé la mort", "were arrested", "killing 12");
- the attribution chain of the nearest cue in its sentence (``attribution.py``).
A figure with neither a subject noun nor an adjacent cue is not a claim (too often a
resolution number, a road, a percentage). Object subjects (vehicles, trucks, strikes) are
kept only for non-casualty kinds: "15 véhicules militaires … dépêchés" is a ``deployed``
claim with subject "vehicles", never a toll. Cumulative tolls ("the war has killed
400,000") are kept with ``cumulative=True`` so events and contradictions can skip them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..records import Claim, stable_id
from . import victims
from .attribution import attribute_sentences, chain_for, cited_names
from .lexicon import NameResolver, alt, lang_of, lexicon, split_sentences
from .numbers import find_numbers
from .numbers_ar import AT_LEAST_AFTER
from .speakers import parse_speaker, speaker_phrase
from .subjects import Subject, find_subject, subject_before


@lru_cache(maxsize=2)
def _kind_res(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], dict]:
    kinds = lexicon()["kinds"]
    noun_alts, verb_alts, index = [], [], {}
    for i, (kind, cues) in enumerate(kinds.items()):
        c = cues.get(lang, {})
        if c.get("noun"):
            noun_alts.append(rf"(?P<n{i}>{alt(c['noun'])})")
        if c.get("verb"):
            verb_alts.append(rf"(?P<v{i}>{alt(c['verb'])})")
        index[f"n{i}"] = index[f"v{i}"] = kind
    noun = re.compile(r"\s*(?:de\s+|d['’]\s*|of\s+|من\s+|more\s+|other\s+|others\s+|autres\s+)?(?:" + "|".join(noun_alts) + r")\b", re.IGNORECASE)
    verb = re.compile(r"\b(?:" + "|".join(verb_alts) + r")\b", re.IGNORECASE)
    return noun, verb, index


def _kind_of(m: re.Match[str], index: dict) -> str:
    return index[next(k for k, v in m.groupdict().items() if v is not None)]


@lru_cache(maxsize=2)
def _cumulative_re(lang: str) -> re.Pattern[str]:
    return re.compile(alt(lexicon()["cumulative"][lang]), re.IGNORECASE)


@lru_cache(maxsize=2)
def _cumulative_large_re(lang: str) -> re.Pattern[str]:
    return re.compile(alt(lexicon()["cumulative_large"][lang]), re.IGNORECASE)


@lru_cache(maxsize=2)
def _toll_re(lang: str) -> re.Pattern[str]:
    return re.compile(alt(lexicon()["toll_lead"][lang]), re.IGNORECASE)


# participles and nouns count what comes before them ("16 wounded", "9 tués"), not after
_PASSIVE = re.compile(r"(?i)(?:ed|ée?s?|és|dead|morts?|wounded|injured|blessée?s?)$")
# "X and Y" between two figures of a sentence (claims: one verb for both; events: their tolls add up)
COORDINATED = re.compile(r"[^,;.:]{0,60}?\s(?:and|et|ainsi\s+que|as\s+well\s+as|plus|و)\s*", re.IGNORECASE)
# what introduces a part of the figure before it ("558 morts, dont 50 enfants", "15 قتيلا بينهم تسعة أطفال")
PART_OF = re.compile(r"(?i)(?:\b(?:dont|including|among\s+them|among\s+whom|of\s+whom|parmi\s+(?:eux|elles|lesquels|lesquelles))|"
                      r"(?<![\w])و?(?:بينهم|منهم|من\s+بينهم))[\s,:]*(?:(?:at\s+least|au\s+moins|some|about|environ|نحو)\s+)?$")
# "استشهدت طفلة، امرأتان وأربعة رجال": the next member of a list one verb governs
_LIST_COMMA = re.compile(r"\s*[،,]\s*")
_CONTINUATION = re.compile(r"\s*(?:dont|parmi eux|parmi lesquels|including|among them|of whom|و?بينهم|و?منهم|و?من بينهم)\b",
                           re.IGNORECASE)


@lru_cache(maxsize=1)
def default_resolver() -> NameResolver:
    """The shipped registry + actors table, built once (its alias regex is the costly part)."""
    return NameResolver()


@dataclass
class _Last:
    kind: str | None = None
    subject: Subject | None = None
    chain: tuple[str, ...] = ()


_TASHKEEL = re.compile("[\u064B-\u0652\u0670\u0640]")  # Arabic short vowels, shadda, sukun, tatweel


def extract_claims(text: str, article_id: str, language: str | None, sentences=None,
                   resolver: NameResolver | None = None, cited: tuple[str, ...] = (), parse=None) -> list[Claim]:
    """Claims of ``text`` (offsets into ``text``).

    Arabic written with its vowel marks ("سلّم", "تبنّى") is read without them, the cues being
    written bare; the claims' offsets and sentences are mapped back to the text as given."""
    if lang_of(language) != "ar" or not _TASHKEEL.search(text):
        return _extract_claims(text, article_id, language, sentences, resolver, cited, parse)
    keep = [i for i, ch in enumerate(text) if not _TASHKEEL.match(ch)]
    bare = "".join(text[i] for i in keep)
    pos = {orig: k for k, orig in enumerate(keep)}

    def to_bare(i: int) -> int:
        while i < len(text) and i not in pos:
            i += 1
        return pos.get(i, len(bare))

    def to_text(k: int) -> int:
        return keep[k] if k < len(keep) else len(text)

    sents = tuple((to_bare(a), to_bare(b)) for a, b in (sentences or split_sentences(text)))
    out = []
    for c in _extract_claims(bare, article_id, language, sents, resolver, cited):
        s0, e0 = to_text(c.start), to_text(c.end)
        ns = to_text(c.number_start) if c.number_start is not None else None
        ne = to_text(c.number_end) if c.number_end is not None else None
        out.append(replace(c, start=s0, end=e0, text=text[s0:e0], number_start=ns, number_end=ne,
                           number_text=text[ns:ne] if ns is not None else c.number_text))
    return out


def _extract_claims(text: str, article_id: str, language: str | None, sentences=None,
                    resolver: NameResolver | None = None, cited: tuple[str, ...] = (), parse=None) -> list[Claim]:
    lang = lang_of(language)
    if parse is None and lang in ("en", "fr"):
        parse = victims.parse(text, lang)  # a text read alone: parse it here (the pipeline hands Doc.tokens)
    parse = parse or None  # False or an empty parse: the cue reader alone (Settings.parse off, Arabic)
    sentences = tuple(sentences) if sentences else split_sentences(text)
    resolver = resolver or default_resolver()
    atts = attribute_sentences(text, sentences, lang, resolver, cited)
    noun_re, verb_re, index = _kind_res(lang)
    casualty = set(lexicon()["casualty_kinds"])
    claims: list[Claim] = []
    last = _Last()
    prev_subject: Subject | None = None
    for (s, e), sent_atts in zip(sentences, atts):
        cumulative = bool(_cumulative_re(lang).search(text, s, e))
        large_cumulative = bool(_cumulative_large_re(lang).search(text, s, e))
        verbs = list(verb_re.finditer(text, s, e))
        sent_subject: Subject | None = None
        numbers = find_numbers(text, lang, s, e)
        governs, owned = _touching_cues(text, verbs, numbers)
        by_noun: dict[int, str] = {}  # counted noun's token → claim id (coordination and parts point to it)
        pending: list[tuple[int, int]] = []
        for n in numbers:
            if n.unit is not None or (n.min is None and n.max is None) or n.max == 0:
                continue  # "0" is page furniture ("Get short URL 0 15"), not a toll
            if any(a.start <= n.start < a.end and any(n.text in name for name in a.chain) for a in sent_atts):
                continue  # part of who speaks ("Kurdistan 24", "قناة كردستان 24"), not a figure
            if lang == "ar" and re.fullmatch(r"اثن(?:ين|ان|تين|تان)|آخران|أخريان", n.text) and any(
                    x.end <= n.start and not text[x.end:n.start].strip() for x in numbers):
                continue  # "عنصرين اثنين", "اثنان آخران": the figure before already counted them
            kind = None
            tail = n.end
            reading = victims.read(parse, n.start, n.end, lang) if parse else None
            if reading is not None and (reading.role in ("age", "agent", "name", "thing") or reading.negated):
                continue  # "Dominique Garrett, 25,", "five gunmen killed …", "no one was hurt": no victims counted
            # an Arabic dual or singular noun is the figure and the noun at once ("جنديين أمريكيين", "مقتل شخص")
            dual = lang == "ar" and n.min in (1, 2) and n.min == n.max and not re.search(r"\d|اثن|واحد|أحد|إحدى", n.text)
            subject_at = n.start if dual else n.end
            mk = (noun_re.match(text, n.start, e) if dual else None) or noun_re.match(text, n.end, e)  # "شهيدان": two killed
            if mk is None and lang == "ar" and n.text.startswith("ال"):
                mk = _noun_before(noun_re, text, s, n.start)  # "الجرحى الستة": a definite figure follows its noun
            subject = find_subject(text, subject_at, e, lang)
            if mk and re.match(r"\s*\d", text[mk.end():mk.end() + 4]):
                # "Kurds kill 83 Injured 100 ISIS terrorists": a run-on list where an active verb
                # touching the figure ("kill 83") governs it, the cue after it the next figure
                touching = next((v for v in verbs if v.end() <= n.start and not text[v.end():n.start].strip()
                                 and not re.search(r"(?:ed|ée?s?)$", v.group(), re.I)), None)
                if touching is not None:
                    mk = None
                    kind = _kind_of(touching, index)
            if mk and (subject is None or mk.start() <= subject.start or subject.category == "general"):
                kind = _kind_of(mk, index)
                tail = mk.end()
                after_kind = find_subject(text, tail, e, lang, via_among=True)
                if after_kind is not None:
                    subject = after_kind
            if subject is not None:
                tail = max(tail, subject.end)
                if subject.anaphoric:
                    subject = subject_before(text, s, n.start, lang) or prev_subject or subject
            if kind is None and subject is not None and not subject.anaphoric:
                after_subject = noun_re.match(text, subject.end, e)  # "31 civilians dead"
                if after_subject:
                    kind = _kind_of(after_subject, index)
            predicate = mk.group().strip() if mk and kind is not None else None
            if kind is None:
                kind = _count_kind(text, s, n.start, lang, noun_re, verb_re, index)  # "عدد المعتقلين … إلى 17"
            if kind is None and reading is not None and reading.kind:
                kind = reading.kind  # the predicate that governs the figure's noun
                at = reading.predicate if reading.predicate is not None else reading.noun
                predicate = parse.toks[at].text if at is not None else None
            if kind is None and _toll_re(lang).search(text[max(s, n.start - 90):n.start]):
                kind = "killed"  # "the death toll rose to 12"
            if kind is None:
                own = governs.get(n.start) or next(  # "killing nine children and 14 others": one verb, two objects
                    (governs[x.start] for x in numbers if x.start in governs and x.end <= n.start
                     and (COORDINATED.fullmatch(text, x.end, n.start) or lang == "ar" and _LIST_COMMA.fullmatch(text, x.end, n.start))), None)
                kind = _kind_of(own, index) if own is not None else _nearest_kind(
                    [v for v in verbs if v.start() not in owned or (v.start() >= n.end and not text[n.end:v.start()].strip()
                                                                    and not governs.get(n.start))],
                    n.start, tail, index, adjacent=subject is None, text=text)
            if kind is None and _CONTINUATION.match(text, s) and last.kind:
                kind, subject = last.kind, subject or last.subject
            if kind is None and claims and claims[-1].start == s and (
                    PART_OF.search(text, max(s, n.start - 30), n.start) or COORDINATED.fullmatch(text, claims[-1].number_end or n.start, n.start)
                    and PART_OF.search(text, s, claims[-1].number_start or s)):
                kind = claims[-1].kind  # "558 morts, dont 50 enfants et 94 femmes": the parts of a toll are of its kind
            if kind is None:
                continue
            if subject is None and re.fullmatch(r"(?i)an?|une?", n.text) and re.search(r"(?i)\b(?:and|et)\s+$", text[max(s, n.start - 6):n.start]):
                subject = Subject("others", "additional", n.end, n.end)  # "Two SDF members and a French mine expert"
            if subject is None:
                subject = Subject("people", "general", n.end, n.end)
            if subject.category == "object" and kind in casualty:
                continue
            qualifier, low, high = n.qualifier, n.min, n.max
            later = min((x.start for x in numbers if x.start > n.start), default=e)
            if lang == "ar" and qualifier == "exact" and AT_LEAST_AFTER.match(text[n.end:later]):
                qualifier, high = "at_least", None  # "تسعة أشخاص على الأقل": the qualifier follows the noun
            chain = chain_for(n.start, sent_atts, cited)
            if not chain and _CONTINUATION.match(text, s) and last.chain:
                chain = last.chain
            if not chain and parse:
                chain = _parse_chain(text, parse, n.start, n.end, lang, resolver, cited)
            cid = stable_id(article_id, n.start, kind)
            part_of = adds_to = None
            if reading is not None and reading.role == "part":
                part_of = _whole_claim(by_noun, parse, reading.whole) or next(
                    (c.id for c in reversed(claims) if c.start == s and c.kind == kind and c.part_of is None), None)
            elif claims and claims[-1].start == s and PART_OF.search(text, max(s, n.start - 30), n.start):
                part_of = claims[-1].part_of or claims[-1].id
            elif lang == "ar" and _ONE_OF_THEM.fullmatch(n.text) and claims and claims[-1].start == s and claims[-1].kind == kind:
                part_of = claims[-1].part_of or claims[-1].id  # "أصيب جنديان، أحدهما خبير": one of the two, not a third
            elif claims and claims[-1].start == s and claims[-1].part_of and claims[-1].kind == kind \
                    and claims[-1].number_end is not None and COORDINATED.fullmatch(text, claims[-1].number_end, n.start):
                part_of = claims[-1].part_of  # "dont deux femmes et quatre enfants": a conjunct of a part is a part
            if reading is not None and reading.coordinated is not None and part_of is None:
                adds_to = by_noun.get(reading.coordinated)
                if adds_to is None:
                    pending.append((len(claims), reading.coordinated))  # a victim counted without a figure, read below
            claims.append(Claim(
                id=cid, article_id=article_id, kind=kind, min=low, max=high, qualifier=qualifier,
                subject=subject.label, text=text[s:e], start=s, end=e, attributed_to=chain,
                cumulative=cumulative or (large_cumulative and (n.min or n.max or 0) >= 1000),
                number_text=n.text, number_start=n.start, number_end=n.end,
                part_of=part_of, adds_to=adds_to, predicate=predicate,
            ))
            if reading is not None and reading.noun is not None:
                by_noun.setdefault(reading.noun, cid)
            last = _Last(kind, subject, chain)
            if subject.category != "object" and not subject.anaphoric:
                sent_subject = subject
        if parse:
            claims += _implicit_claims(text, article_id, parse, s, e, lang, claims, sent_atts, cited, cumulative, by_noun, resolver)
            for k, tok in pending:
                if tok in by_noun and by_noun[tok] != claims[k].id:
                    claims[k] = replace(claims[k], adds_to=by_noun[tok])
        if lang == "ar":
            claims += _arabic_singles(text, article_id, s, e, claims, verbs, index, sent_atts, cited, cumulative)
        claims = _enumerations(claims, s, text)
        prev_subject = sent_subject or subject_before(text, s, e, lang) or prev_subject
    claims.sort(key=lambda c: (c.number_start if c.number_start is not None else c.start))
    if parse:
        claims = _died_of_wounds(claims, parse)
    return claims


@lru_cache(maxsize=4)
def _count_re(lang: str) -> re.Pattern[str] | None:
    heads = lexicon().get("count_of", {}).get(lang)
    return re.compile(r"(?:(?<![\w])(?:[وفبل]|ال)?)(?:" + "|".join(heads) + r")\s+", re.IGNORECASE) if heads else None


@lru_cache(maxsize=4)
def _unbounded(rx: re.Pattern[str]) -> re.Pattern[str]:
    """The verb cues without their opening word boundary, to read one after a glued article ("الاعتقال")."""
    return re.compile(rx.pattern[2:] if rx.pattern.startswith(r"\b") else rx.pattern, rx.flags)


def _count_kind(text: str, s: int, at: int, lang: str, noun_re, verb_re, index) -> str | None:
    """"ارتفع عدد المعتقلين إلى 17", "بلغ عدد حالات الاعتقال نحو 22 ألفا", "the number of detainees reached 17": a count
    named before its figure in the same clause counts what its noun (or action noun) names, whatever the kind; the
    nearest count word before the figure, at most one word between it and the noun, no other figure or clause break
    between them."""
    rx = _count_re(lang)
    if rx is None:
        return None
    lo = max(s, at - 90)
    heads = list(rx.finditer(text, lo, at))
    if not heads:
        return None
    h = heads[-1]
    if re.search(r"[\d.;؛]", text[h.end():at]):
        return None
    for skip in (0, 1):
        pos = h.end()
        if skip:
            w = re.match(r"\S+\s+", text[pos:at])
            if not w:
                break
            pos += w.end()
        if lang == "ar" and text.startswith("ال", pos):
            pos += 2  # "عدد حالات الاعتقال": the action noun with its article
        m = noun_re.match(text, pos, at) or _unbounded(verb_re).match(text, pos, at)
        if m is not None:
            return _kind_of(m, index)
    return None


def _noun_before(noun_re: re.Pattern[str], text: str, s: int, at: int) -> re.Match[str] | None:
    """The cue noun right before ``at`` ("الجرحى الستة", "القتلى الأربعة"): Arabic puts a definite number after its noun."""
    last = None
    for m in noun_re.finditer(text, max(s, at - 30), at):
        if not text[m.end():at].strip():
            last = m
    return last


@lru_cache(maxsize=1)
def _arabic_person_re() -> re.Pattern[str]:
    persons = victims.table("ar").get("persons", ())
    words = "|".join(sorted((re.escape(w) for w in persons), key=len, reverse=True))
    # an indefinite object carries the accusative alif ("اعتقلت قوات الاحتلال مواطنا"): kept apart, it marks the object
    return re.compile(rf"(?<![\w])(?P<and>و)?(?P<def>ال)?(?P<noun>{words})(?P<acc>ا)?(?![\w])")


# what may stand between a casualty verb and the victim it governs, Arabic putting the subject after the verb and
# its adjuncts ("أصيب في السيارة الأخرى سيدة"): a prepositional phrase of a few words, no figure, no clause break
_AR_ADJUNCT = re.compile(r"^\s+(?:(?:في|ب|من|على|جراء|إثر|اثر|خلال|أثناء|عند|داخل)\S*)(?:\s+[^\s\d،,.؛;:«»\"]+){0,3}\s+$")
_ONE_OF_THEM = re.compile(r"(?:أحد|إحدى|احد|احدى)(?:هم|هما|هن)")
# the subject between a verb and its accusative object: a few words, no figure, no clause break
_AR_SUBJECT = re.compile(r"^(?:\s+[^\s\d،,.؛;:«»\"]+){1,4}\s+$")
_AR_LIST = re.compile(r"^(?:\s+[^\s\d،,.؛;:«»\"]+){0,2}?\s*[،,]?\s*$")


def _arabic_singles(text, article_id, s, e, claims, verbs, index, sent_atts, cited, cumulative) -> list[Claim]:
    """Arabic victims without a figure (no parser reads Arabic here): a singular person noun is one victim when a
    casualty cue of its clause governs it across a short prepositional phrase ("أصيب في السيارة الأخرى سيدة"), or
    when it is coordinated with a victim already counted ("بينهم طفلة ومسنة", "مقتل طفلة … وامرأة", "طفلة، امرأتان
    وأربعة رجال"): it adds to that count, or is a part of the same whole. The cue right before the noun is read by
    ``numbers_ar.SINGULAR``; nouns inside a counted phrase are never counted again."""
    casualty = set(lexicon()["casualty_kinds"])
    mine = sorted((c for c in claims if c.start == s and c.number_start is not None), key=lambda c: c.number_start)
    taken = [(c.number_start, c.number_end) for c in mine]
    out: list[Claim] = []
    for m in _arabic_person_re().finditer(text, s, e):
        a, b = m.start(), m.end()
        if any(x < b and a < y for x, y in taken):
            continue
        kind = adds_to = part_of = None
        prev = [c for c in mine + out if c.number_end is not None and c.number_end <= a and c.kind in casualty]
        if prev:
            p = prev[-1]
            gap = re.sub(r'["«(][^"»()]{0,24}["»)]', " ", text[p.number_end:a])  # an age in brackets: "طفلة (3 أعوام)، وامرأة"
            if PART_OF.search(text, max(p.number_end, a - 30), a):
                kind, part_of = p.kind, p.part_of or p.id  # "من بينهم طفلة": a part of the count before it
            elif (m.group("and") or "،" in gap or "," in gap) and _AR_LIST.match(gap) is not None:
                kind = p.kind
                part_of = p.part_of
                adds_to = None if part_of else (p.adds_to or p.id)
        if kind is None:
            cue = next((v for v in reversed(verbs) if v.end() <= a), None)
            if cue is not None and _AR_ADJUNCT.match(text[cue.end():a]):
                kind = _kind_of(cue, index)
            elif cue is not None and m.group("acc") and not m.group("def") and _AR_SUBJECT.match(text[cue.end():a]):
                kind = _kind_of(cue, index)  # verb, subject, object: "اعتقلت قوات الاحتلال مواطنا آخر"
        if kind is None or kind not in casualty and kind not in ("arrested", "kidnapped", "missing"):
            continue
        start = m.start("noun") if not m.group("and") else a + 1
        cid = stable_id(article_id, start, kind)
        c = Claim(id=cid, article_id=article_id, kind=kind, min=1.0, max=1.0, qualifier="exact", subject="people",
                  text=text[s:e], start=s, end=e, attributed_to=chain_for(start, sent_atts, cited), cumulative=cumulative,
                  number_text=text[start:b], number_start=start, number_end=b, part_of=part_of, adds_to=adds_to,
                  implicit=True)
        out.append(c)
        taken.append((start, b))
    return out


def _referent(parse, c: Claim) -> tuple[str, frozenset[str]]:
    """How an implicit victim is named, from the parse: a pronoun ("he"), a definite reference ("the boy"), a
    name ("Demoraea Fennell"), or a new person ("a woman", "his cousin"); and the name's words."""
    toks = parse.at(c.number_start, c.number_end)
    names = frozenset(t.text for t in toks if t.pos == "PROPN" and len(t.text) > 2)
    head = next((t for t in toks if t.head == t.i or not (c.number_start <= parse.toks[t.head].idx < c.number_end)), None)
    if head is None:
        return "new", names
    if head.pos == "PRON":
        # "he", "she", "il": a reference; "another", "un autre": one more person
        return ("pronoun" if "PronType=Prs" in head.morph or "Person=" in head.morph else "new"), names
    if head.pos == "PROPN" or names:
        return "name", names
    if head.lemma.lower() in _other_words():
        return "new", names  # "injured one of his daughters and killed the other": the other is someone else
    kids = parse.kids(head)
    if any(k.dep in ("poss", "nmod:poss") or "Poss=Yes" in k.morph for k in kids):
        return "new", names  # "his cousin", "sa fille": a new person, named through another
    if any(k.dep == "det" and "Definite=Def" in k.morph for k in kids):
        return "definite", names
    return "new", names


@lru_cache(maxsize=1)
def _other_words() -> frozenset[str]:
    """"the other", "l'autre": a person set apart from the one named before (data/lang/<xx>/casualties.json)."""
    return frozenset(w for lang in ("en", "fr") for w in victims.table(lang).get("other_words", ()))


def _died_of_wounds(claims: list[Claim], parse) -> list[Claim]:
    """One victim is counted once, as killed when they died: "17-year-old Demoraea Fennell was shot … He died at the
    hospital", "a woman had been shot inside a residence … the woman was pronounced dead", "Moses was shot … Leonard
    Moses, 26, died". A victim counted without a figure as shot (wounded) is dropped when a later or earlier mention
    of the same person is killed: the same name, or a pronoun or definite reference whose nearest antecedent among
    the article's singular victims is that person (the mention before it). Victims with a figure are never merged."""
    singles = [c for c in claims if c.implicit and c.min == 1 and c.kind in ("killed", "wounded") and c.number_start is not None]
    if not any(c.kind == "killed" for c in singles) or not any(c.kind == "wounded" for c in singles):
        return claims
    refs = {c.id: _referent(parse, c) for c in singles}
    dead_names = frozenset().union(*(refs[c.id][1] for c in singles if c.kind == "killed"))
    drop: set[str] = set()
    for k, c in enumerate(singles):
        kind, names = refs[c.id]
        if c.kind == "wounded" and names & dead_names:
            drop.add(c.id)
            continue
        if kind not in ("pronoun", "definite") or k == 0:
            continue
        before = singles[k - 1]
        if before.start == c.start and before.adds_to is None and c.adds_to == before.id:
            continue  # coordinated with it: two people
        if c.kind == "wounded" and before.kind == "killed":
            drop.add(c.id)  # "… was killed. He had been shot in the chest"
        elif c.kind == "killed" and before.kind == "wounded":
            drop.add(before.id)  # "… was shot. He died at the hospital"
    return [c for c in claims if c.id not in drop] if drop else claims


def _parse_chain(text: str, parse, start: int, end: int, lang: str, resolver: NameResolver, cited: tuple[str, ...]) -> tuple[str, ...]:
    """The speaker the parse finds for a figure the sentence patterns left to the outlet's voice
    (``speakers.parse_speaker``), named as the patterns name theirs (the registry's name, else the cleaned phrase)."""
    span = parse_speaker(parse, start, end, lang)
    if span is None:
        return cited
    phrase = text[span[0]:span[1]].strip()
    if resolver.find(phrase) is None and not (span[2] and len(phrase.split()) <= 12):
        cleaned = speaker_phrase(phrase, lang)
        if cleaned is None or cleaned[1]:
            return cited
        phrase = cleaned[0]
    name = resolver.resolve(phrase).name
    return cited + (name,) if name else cited


def _implicit_claims(text, article_id, parse, s, e, lang, claims, sent_atts, cited, cumulative, by_noun, resolver) -> list[Claim]:
    """Victims the sentence counts without a figure ("a 17-year-old girl was fatally shot": killed 1)."""
    taken = [(c.number_start, c.number_end) for c in claims if c.start == s and c.number_start is not None]
    out = []
    for im in victims.implicit(parse, s, e, lang):
        if any(a < im.end and im.start < b for a, b in taken):
            continue
        chain = chain_for(im.start, sent_atts, cited) or _parse_chain(text, parse, im.start, im.end, lang, resolver, cited)
        noun = parse.toks[im.noun]
        subject = find_subject(text, noun.idx, e, lang)
        label = subject.label if subject is not None and subject.category != "object" else "people"
        cid = stable_id(article_id, im.start, im.kind)
        out.append(Claim(
            id=cid, article_id=article_id, kind=im.kind, min=float(im.count),
            max=float(im.count), qualifier="exact", subject=label, text=text[s:e], start=s, end=e,
            attributed_to=chain, cumulative=cumulative,
            number_text=text[im.start:im.end], number_start=im.start, number_end=im.end,
            adds_to=by_noun.get(im.coordinated) if im.coordinated is not None else None,
            part_of=_whole_claim(by_noun, parse, im.whole), predicate=parse.toks[im.predicate].text, implicit=True,
        ))
        by_noun.setdefault(im.noun, cid)
    return out


_AND = re.compile(r"(?i)\b(?:and|et|ainsi\s+que|as\s+well\s+as)\b|\sو")


def _enumerations(claims: list[Claim], s: int, text: str) -> list[Claim]:
    """"killed three civilians, two women and a child", "six members of the family, four children and two women,
    were killed": a list set off by a comma after a counted group, whose figures add up to the group's, breaks
    the group down — its members are parts of it, not more victims (the parse reads them as conjuncts that add
    up). Only after a collective noun (people, civilians, members, a nationality): "two men, a woman and a child"
    adds up. A list of combatants never breaks down civilians."""
    from .tolls import category

    sent = [c for c in claims if c.start == s]
    changed: dict[str, Claim] = {}
    for r in sent:
        if r.adds_to or r.part_of or r.implicit or r.number_end is None or r.min is None or r.min != r.max:
            continue
        if not victims.collective(r.subject):
            continue
        members = sorted((c for c in sent if c.adds_to == r.id and c.kind == r.kind), key=lambda c: c.number_start or c.start)
        if not members or any(m.min is None or m.number_start is None for m in members):
            continue
        gap = text[r.number_end:members[0].number_start]
        if "," not in gap or _AND.search(gap) or sum(m.min for m in members) != r.min:
            continue
        if category(r.subject) == "civilian" and any(category(m.subject or "people") == "combatant" for m in members):
            continue
        for m in members:
            changed[m.id] = replace(m, part_of=r.id, adds_to=None)
    return [changed.get(c.id, c) for c in claims] if changed else claims


def _whole_claim(by_noun: dict[int, str], parse, whole: int | None) -> str | None:
    """The claim counting ``whole`` (the noun a part belongs to), directly or through its coordination."""
    if whole is None:
        return None
    if whole in by_noun:
        return by_noun[whole]
    head = parse.toks[whole].head
    return by_noun.get(head) if parse.toks[whole].dep == "conj" else None


def _touching_cues(text: str, verbs: list[re.Match[str]], numbers) -> tuple[dict[int, re.Match[str]], set[int]]:
    """A cue touching a figure belongs to it: an active verb to the figure after it ("kill 5 injure 50",
    "killing 12"), a participle or noun to the figure before it ("five policemen and 16 wounded"); a figure
    with its own active verb leaves the cue after it to the next figure ("kill 83 Injured 100").

    Returns (figure start → the active verb right before it, starts of the cues no other figure may take)."""
    governs: dict[int, re.Match[str]] = {}
    owned: set[int] = set()
    for v in verbs:
        nxt = next((x for x in numbers if x.start >= v.end() and not text[v.end():x.start].strip()), None)
        if nxt is not None and not _PASSIVE.search(v.group()):
            governs[nxt.start] = v
            owned.add(v.start())
    for v in verbs:
        if v.start() not in owned and any(v.start() >= x.end and not text[x.end:v.start()].strip()
                                          and x.start not in governs for x in numbers):
            owned.add(v.start())
    return governs, owned


def _nearest_kind(verbs: list[re.Match[str]], n_start: int, tail: int, index: dict, adjacent: bool,
                  text: str = "") -> str | None:
    """The verb cue closest to the figure; with no subject noun the cue must touch the figure.
    A comma between the figure and a later verb puts that verb in the next clause ("kill 83, injure 100")."""
    best = None
    for m in verbs:
        if m.start() >= tail:
            d = m.start() - tail  # the clause's own verb after its subject wins a tie
            if "," in text[tail:m.start()] or ";" in text[tail:m.start()]:
                d += 10
        elif m.end() <= n_start:
            d = n_start - m.end() + 3
            if re.search(r"(?i)\b(?:et|and|but|mais|while|tandis|whereas)\b", text[m.end():n_start]):
                d += 40  # the figure opens the next clause: "trois tuées et au moins quatorze ont été blessées",
                # "A woman was martyred and 13 other citizens, including two children, were wounded"
        elif m.start() < n_start < m.end():
            d = 0  # a cue phrase around its figure: "لقي 3 أشخاص حتفهم" (three people met their death)
        else:
            continue
        limit = 25 if adjacent else 120
        if d <= limit and (best is None or d < best[0]):
            best = (d, _kind_of(m, index))
    return best[1] if best else None


class ClaimsComponent:
    """Figures → ``Doc.claims``. Uses ``Doc.sentences``/``Doc.entities`` when issue 4's stages ran."""

    name = "claims"
    # sentences/entities (issue 4) are used when present; without them we split sentences ourselves
    requires: tuple[str, ...] = ("language", "sentences")
    produces: tuple[str, ...] = ("claims",)

    def __init__(self, resources=None):
        self.resources = resources

    def __call__(self, doc):
        resolver = self.resources.resolver if self.resources is not None else default_resolver()
        cited = cited_names(doc.article, resolver)
        parse = victims.Parse.of(doc.tokens, doc.text) if doc.tokens else False
        claims = extract_claims(doc.text, doc.article.id, doc.language or doc.article.language, doc.sentences or None,
                                resolver, cited, parse=parse)
        return replace(doc, claims=tuple(claims))
