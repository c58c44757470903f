"""Contradictions: two figures flagged only when they count the same quantity and cannot both be true.

The same quantity means, checked in this order (each check one function below; the first that
fails says why there is no flag, and the checks that pass are the flag's explanation):
1. **sound figures** — neither number is an age ("Dominique Garrett, 25,"), an address, a photo
   counter, a remainder ("three others", "another 39"), a single named person ("a woman"), a part
   of a group named before it ("three of those injured", "including 26 minors"), a total
   over a period or many incidents ("since 2011", "so far this year", "a list of 7,000", "across Sudan"), survivors,
   or what the claims stage's parse says is no toll: a part (``Claim.part_of``), a term of a sum
   (``adds_to``: "two men and a woman"), a count without a figure (``implicit``), a figure no casualty
   word governs (``predicate`` a copula or a preposition; null in a sentence of several kinds);
   only tolls compare (killed, wounded, missing, kidnapped — never arrests);
2. the same **kind** (killed, wounded…) and the same **victim group** — the subject mapped to a
   language-independent key (``data/link_subjects.json``): "US soldiers" = "militaires
   américains", but "9 people" is never set against "2 US soldiers";
3. **different speakers** — one speaker's two figures are its update or its parts, never a
   disagreement (inside an article the outlet's own voice is one speaker; across articles the
   outlet speaks when nobody is cited);
4. **no update** — a sentence telling a change over time ("updating an earlier toll of 15",
   "rose to", "succumbed") makes the pair the toll's evolution, not a disagreement, when it runs
   the way the values do; so does the article's own floor that its count of victims identified
   by name reaches, above a cited source's lower figure (``named_floor``);
5. **the same incident** — neither sentence points to another incident ("in a separate attack",
   "last week"); the places named next to each figure are not apart (places as subsets: a town
   within its governorate is one place, two towns are two; a reference point — "east of Khan
   Younis" — is no place of the figure); the days named are not apart; the attacks' authors the
   figures' words name are not on two sides (state and foreign forces against rebels and
   militias: "killed by the SDF" is not "a coalition strike"); the claims belong to the same
   event (inside an article: the same ``event_id``; across articles: events of the same type,
   date and place, ``link/crosscheck.py``); and each figure is a toll of the incident as someone
   tells it — in the article's lead, or a source's report (a named speaker, a reporting word, a
   quotation): a figure further down in the writer's own voice is an aside (``headline_toll``);
   the people "on board" a downed aircraft are a group of their own;
6. **the same order of magnitude** (a tenfold gap is a total against a toll, not a dispute);
7. **incompatible values** — the intervals do not overlap: exact n → [n, n]; at least n →
   [n, ∞); at most n → [0, n]; about n → ±25 %. "At least 40" and 45 agree.

``compare`` returns a ``Verdict`` for any two readings; ``article_contradictions`` groups the
contradicting pairs of one article into ``Contradiction`` records (``story_id`` null) that carry
their explanation: the shared event, each value with its speaker chain and span, why they are
the same quantity and how far apart they are. The link stage uses the same functions across
articles. Defensive by design: it reads only what claims carry today (kind, subject, qualifier,
cumulative, number span, speakers, event) and the article's places and times, so a better
claims or events stage makes it better without changes here.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from itertools import combinations
from typing import Iterable, Sequence

from ..records import Article, Claim, Contradiction, ContradictionValue, Event, Place, stable_id

INF = float("inf")
ABOUT = 0.25  # "about n" covers n ± 25 %
NEAR_KM = 25.0  # two places closer than this can be one incident's
MAGNITUDE = 10.0  # a tenfold gap (above SMALL) is a total against a toll
SMALL = 20.0
DAYS_APART = 1  # named days more than this apart are two incidents
# the kinds whose figures are tolls an analyst compares (arrests, deployments, people who fled are counts
# of another sort: "11 total arrests" against "arrest the two suspects" is no dispute)
TOLL_KINDS = frozenset({"killed", "wounded", "missing", "kidnapped"})


# ---- cues ------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _cues() -> dict:
    return json.loads(resources.files("veille.data").joinpath("crosscheck_cues.json").read_text(encoding="utf-8"))


def _lang(lang: str | None) -> str:
    return lang if lang in ("fr", "en", "ar") else "en"


def _spaces(pattern: str) -> str:
    """A cue's spaces as runs of white space ('risen to' matches 'risen  to' and a line break), outside character classes;
    ' ?' and ' *' stay optional."""
    out, k, in_class = [], 0, False
    while k < len(pattern):
        ch = pattern[k]
        if ch == "\\":
            out.append(pattern[k:k + 2])
            k += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == " ":
            nxt = pattern[k + 1:k + 2]
            if nxt in ("?", "*"):
                out.append(r"\s*")
                k += 2
                continue
            out.append(r"\s+" if nxt != "+" else r"\s")
            k += 1
            continue
        out.append(ch)
        k += 1
    return "".join(out)


def plain(text: str) -> str:
    """The text as cues read it: an editor's brackets inside a quotation ('the death toll [had risen] to over 80',
    '[the Observatory] said') read without the brackets. Each bracket becomes a space, so every offset stays valid."""
    return text.replace("[", " ").replace("]", " ") if text and ("[" in text or "]" in text) else text


@lru_cache(maxsize=64)
def _cue_re(name: str, lang: str, anchor: str = "") -> re.Pattern[str]:
    words = _cues()[name][_lang(lang)]
    if not words:
        return re.compile(r"(?!)")  # no word of this class in the language: never matches
    body = "|".join(f"(?:{_spaces(w)})" for w in sorted(words, key=len, reverse=True))
    if lang == "ar":
        core = rf"(?<![\w])(?:{body})(?![\w])"
    else:
        core = rf"(?<![\w'’-])(?:{body})(?![\w'’])" if name not in ("not_count_after", "age_after") else rf"(?:{body})"
    if anchor == "start":
        return re.compile(r"^\s*" + core, re.IGNORECASE)
    if anchor == "end":
        return re.compile(core + r"[\s,:]*$", re.IGNORECASE)
    return re.compile(core, re.IGNORECASE)


def _window(text: str, c: Claim, before: int, after: int) -> tuple[str, str]:
    """The text of the claim's sentence just before and just after its number."""
    s = c.number_start if c.number_start is not None else c.start
    e = c.number_end if c.number_end is not None else s
    lo, hi = max(c.start, s - before), min(c.end if c.end > e else e, e + after)
    return plain(text[lo:s]), plain(text[e:hi])


def _sentence_text(text: str, c: Claim) -> str:
    if text and 0 <= c.start < c.end <= len(text):
        return plain(text[c.start:c.end])
    return plain(c.text or "")


# ---- 1. sound figures ------------------------------------------------------------------------
_STRICTLY_MORE = re.compile(r"(?i)\s*(?:more than|over|upwards of|in excess of|greater than|plus de|au-delà de|"
                            r"أكثر من|اكثر من|ما يزيد عن|ما يزيد على)\b")


def interval(c: Claim) -> tuple[float, float] | None:
    """The values a claim allows: exact n → [n, n]; at least → [n, ∞); at most → [0, n];
    about n → n ± 25 % (a range "about 9–13" is already a span and is not widened)."""
    lo = c.min if c.min is not None else c.max
    hi = c.max if c.max is not None else c.min
    if lo is None:
        return None
    if c.qualifier == "at_least":
        # "more than 25" excludes 25 ("at least 25" does not): the next whole number
        strict = _STRICTLY_MORE.match(c.number_text or "") and float(lo).is_integer()
        return (float(lo) + 1 if strict else float(lo), INF)
    if c.qualifier == "at_most":
        return (0.0, float(hi))
    if c.qualifier == "about" and lo == hi:
        return (lo * (1 - ABOUT), hi * (1 + ABOUT))
    return (float(lo), float(hi))


def is_age(text: str, c: Claim, lang: str, seg: tuple[int, int] | None = None) -> bool:
    """'Brandon Lanier, 27, was killed', 'aged 19', '25-year-old', 'âgé de 30 ans', '(32-34)', '(25 عاما)'."""
    top = c.max if c.max is not None else c.min
    if top is None or top > 120:
        return False
    before, after = _window(text, c, 40, 30)
    if _cue_re("age_after", lang, "start").match(after) or _cue_re("age_before", lang, "end").search(before):
        return True
    # a figure between commas right after a capitalised name ("Dominique Garrett, 25,")
    if lang != "ar" and re.search(r"[A-Z][\w'’.-]+\s*,\s*$", before) and re.match(r"\s*[,)]", after):
        return True
    return bool(re.search(r"[A-Z][\w'’.-]+\s*\(\s*$", before) and re.match(r"\s*\)", after))


_MONTHS_DAYS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def is_not_count(text: str, c: Claim, lang: str, seg: tuple[int, int] | None = None) -> bool:
    """An address, a time, a calibre, a photo counter, a number inside a name: '510 58th St.',
    'Image 1 of 10', '3:15', 'Arabi 21 News', 'Channel 9'."""
    before, after = _window(text, c, 25, 30)
    if _cue_re("not_count_after", lang, "start").match(after) or _cue_re("not_count_before", lang, "end").search(before):
        return True
    if lang != "ar" and (c.number_text or "").isdigit():
        prev = re.search(r"([A-Z][\w'’-]*)\s+$", before)
        nxt = re.match(r"\s+([A-Z][\w'’-]*)", after)
        if prev and nxt and prev.group(1).casefold() not in _MONTHS_DAYS and nxt.group(1).casefold() not in _MONTHS_DAYS:
            return True
    return False


def is_remainder(text: str, c: Claim, lang: str, seg: tuple[int, int] | None = None) -> bool:
    """'three others', 'another 39', 'alongside 15 other civilians', 'three civilians were also
    killed': victims counted beside others, never a whole toll."""
    before, after = _window(text, c, 20, 25)
    subject = (c.subject or "").casefold()
    rx = _cue_re("remainder", lang)
    if (_cue_re("remainder", lang, "end").search(before) or _cue_re("remainder", lang, "start").match(after)
            or any(rx.fullmatch(w) for w in subject.split())):
        return True
    _, near_after = _window(text, c, 0, 50)
    return bool(_cue_re("also", lang).search(near_after) or _cue_re("also", lang, "end").search(before))


def is_individual(c: Claim) -> bool:
    """'a woman was killed', 'his son': one person named or pointed at, not a toll to set
    against another (a toll of one says 'one')."""
    if getattr(c, "implicit", False):  # the claims stage counted a noun phrase with no figure ("the boy died")
        return True
    word = (c.number_text or "").strip().casefold()
    if word in set(_cues()["individual"]):
        return True
    return c.min == 1 and (c.max in (None, 1)) and word.isalpha() and word not in {"one", "واحد", "واحدة"}


def is_part(text: str, c: Claim, lang: str, seg: tuple[int, int] | None = None) -> bool:
    """'three of those injured', 'including 26 minors', 'dont 50 enfants', 'their two daughters',
    'eight children were among the dead'."""
    before, after = _window(text, c, 30, 40)
    if _cue_re("part_after", lang, "start").match(after) or _cue_re("part_before", lang, "end").search(before):
        return True
    if _cue_re("part_near", lang).search(after):
        return True
    return bool(getattr(c, "part_of", None))  # the claims stage may say it itself


def is_frame(text: str, c: Claim, lang: str, seg: tuple[int, int] | None = None) -> bool:
    """A total over a period or many incidents, by the claims stage's mark or a cue around the figure
    ('brought the toll for Russian soldiers killed in the Syrian conflict to 18')."""
    if c.cumulative:
        return True
    before, after = _window(text, c, 120, 90)
    window = before + " " + after
    return bool(_cue_re("frame", lang).search(window)) or spans_area(window, lang)


AREA_KINDS = frozenset({"country", "admin1", "admin2", "region", "city", "populated"})
_AREA_WORDS = re.compile(r"\s*([^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,2})")


def spans_area(window: str, lang: str) -> bool:
    """'killed across Sudan', 'à travers le Mali', 'dans tout le pays', 'في أنحاء السودان': a figure spread over an
    area — a country, a region, an admin unit or a town the gazetteer knows ('shootings across Chicago'), or an area
    noun ('the country', 'the province') — counts many incidents, never one incident's toll. A street, a border or
    a river crossed is no area."""
    lead = _cue_re("area_lead", lang, "start")
    for m in _cue_re("area_before", lang).finditer(window):
        rest = window[m.end():]
        for _ in range(3):
            skip = lead.match(rest)
            if not skip:
                break
            rest = rest[skip.end():]
        if lang == "fr":
            rest = re.sub(r"^\s*[ld]['’]", " ", rest, flags=re.IGNORECASE)
        if _cue_re("area_noun", lang, "start").match(rest):
            return True
        words = _AREA_WORDS.match(rest)
        if not words or (lang != "ar" and not words.group(1)[:1].isupper()):
            continue
        names = words.group(1).split()
        if any(_is_area(" ".join(names[:n])) for n in range(len(names), 0, -1)):
            return True
    return False


@lru_cache(maxsize=4096)
def _is_area(name: str) -> bool:
    """Is ``name`` (as written) a country, a region, an admin unit or a town of the gazetteer?"""
    import sqlite3

    from .gazetteer import GazetteerError, gazetteer

    try:
        return any(e.kind in AREA_KINDS for e in gazetteer().lookup(name, exact_case=True))
    except (GazetteerError, OSError, sqlite3.Error):  # no gazetteer index: the area nouns still apply
        return False


def is_denied(text: str, c: Claim, lang: str, seg: tuple[int, int] | None = None) -> bool:
    """'no other sources mention nine deaths', 'a démenti', 'seven unidentified bodies … have not been included
    in the lower estimate given that these may be duplicates': a figure named to be denied or set aside."""
    before, after = _window(text, c, 60, 80)
    return bool(_cue_re("denied", lang).search(before + " " + after))


def is_speculative(text: str, c: Claim, lang: str, seg: tuple[int, int] | None = None) -> bool:
    """'the death toll may reach dozens', 'pourrait s'alourdir': feared or expected, not reported."""
    before, after = _window(text, c, 40, 40)
    return bool(_cue_re("speculative", lang).search(before + " " + after))


def is_unclear_victims(text: str, c: Claim, lang: str, seg: tuple[int, int] | None = None) -> bool:
    """'All five victims were transported to hospital': 'victims' counts the dead and the hurt
    alike, so a figure whose only noun is 'victims' has a kind only if its sentence says how they
    fared (killed, died, bodies… for a toll; wounded, injured… for the hurt)."""
    head = (c.subject or "").casefold().split()[-1:] or [""]
    before, after = _window(text, c, 0, 25)
    if not re.match(r"\s*(?:victims?|victimes?|ضحايا|ضحية)\b", after, re.IGNORECASE) and head[0] not in ("victims", "victimes"):
        return False
    cue, other = {"killed": ("death", "injury"), "wounded": ("injury", "death")}.get(c.kind, (None, None))
    if cue is None:
        return False
    sentence = _sentence_text(text, c)
    if _cue_re(cue, lang).search(sentence):
        # 'Five victims have been identified, two of whom were killed and three who were injured': both fates
        # told, and the figure's own word names neither — the victims count both
        pred = getattr(c, "predicate", None) or ""
        return bool(_cue_re(other, lang).search(sentence)) and not _cue_re(cue, lang).search(pred)
    # else the sentence before, when it tells only that fate ("… deux militaires ont trouvé la mort. Yeni
    # Şafak parle de cinq victimes"), not when it tells both ("one killed and four wounded. All five victims…")
    before = _previous_sentence(text, c)
    return not (_cue_re(cue, lang).search(before) and not _cue_re(other, lang).search(before))


def is_survivor(text: str, c: Claim, lang: str, seg: tuple[int, int] | None = None) -> bool:
    """'Of the four surviving shooting victims', 'les trois rescapés': counted as alive, never a death toll."""
    if c.kind != "killed":
        return False
    before, after = _window(text, c, 12, 30)
    return bool(_cue_re("survivor", lang).search(before + " " + after))


def _previous_sentence(text: str, c: Claim) -> str:
    if not text or c.start <= 0 or c.start > len(text):
        return ""
    head = text[max(0, c.start - 300):c.start].rstrip()
    cut = max((m.end() for m in re.finditer(r"[.!?؟]\s|\n", head[:-1])), default=0)
    return head[cut:]


def is_floor(text: str, c: Claim, lang: str, seg: tuple[int, int] | None = None) -> bool:
    """What someone saw, named, identified, recovered or took to one hospital is a lower bound of
    the toll ('Airwars identified 57 victims', 'four martyrs arrived at Al-Najjar hospital')."""
    lo, hi = seg or (c.start, c.end)
    s = c.number_start if c.number_start is not None else c.start
    e = c.number_end if c.number_end is not None else s
    window = text[max(lo, s - 60):s] + " " + text[e:min(hi, e + 80)]
    if hi < c.end and _COORDINATED_FIGURES.match(text, e, hi):
        # '3 “martyrs” and 20 wounded were taken to the Baptist Hospital': the tail is every coordinated figure's
        window += " " + text[hi:min(c.end, hi + 80)]
    return bool(_cue_re("floor", lang).search(window)) or is_eyewitness(text, c, lang)


_COORDINATED_FIGURES = re.compile(r"(?i)[^\d.;:!?]{0,40}?\b(?:and|et|or|ou|و)\s*$")


def is_eyewitness(text: str, c: Claim, lang: str) -> bool:
    """A figure inside a quotation told in the first person singular ('"Three guys got shot right here, and
    I know all of them," he said'): what one witness saw, a lower bound of the toll."""
    quote = quotation(text, c)
    return quote is not None and bool(_cue_re("first_person", lang).search(quote))


def quotation(text: str, c: Claim) -> str | None:
    """The quotation the figure stands in (from its opening mark to its closing one, or the sentence's end when the
    closing mark is in a later sentence: '10/30/2023, the day of the martyrdom …, 75 martyrs.”'), else None."""
    sentence = _sentence_text(text, c)
    s = (c.number_start if c.number_start is not None else c.start) - c.start
    inside, opened = False, -1
    for k, ch in enumerate(sentence[:max(s, 0)]):
        if ch in "“«" or (ch == '"' and not inside):
            inside, opened = True, k
        elif ch in "”»" or ch == '"':
            inside = False
    if not inside:
        # a quotation opened in an earlier sentence and closed after the figure ('… 75 martyrs.”')
        rest = sentence[max(s, 0):]
        close = re.search("[”»]", rest)
        if close and not re.search("[“«]", rest[:close.start()]):
            return sentence[:s + close.start()]
        return None
    end = re.search("[\"”»]", sentence[s:])
    return sentence[opened:s + end.start()] if end else sentence[opened:]


def is_mixed(text: str, c: Claim, lang: str, seg: tuple[int, int] | None = None) -> bool:
    """'nabd.com reported that 40 people were harmed in the attack – though did not differentiate between
    fatalities and injuries': the dead and the hurt counted together, no toll of either kind."""
    if c.kind not in ("killed", "wounded"):
        return False
    return bool(_cue_re("mixed", lang).search(_sentence_text(text, c)))


def is_interstitial_headline(text: str, c: Claim, lang: str, seg: tuple[int, int] | None = None) -> bool:
    """'Two men shot, one fatally, inside Brooklyn deli' standing alone between two paragraphs of a scraped page:
    the headline of another story linked from the page (a short paragraph of one line with no closing
    punctuation, not the text's first), whose figures are that story's."""
    if not text or not (0 <= c.start < len(text)):
        return False
    lo = text.rfind("\n\n", 0, c.start)
    hi = text.find("\n\n", c.start)
    if lo < 0:
        return False  # the first paragraph: the article's own headline or lead
    para = text[lo + 2: hi if hi >= 0 else len(text)].strip()
    return bool(para) and "\n" not in para and len(para) <= 100 and not re.search(r'[.!?؟"”»:)]\s*$', para)


FIGURE_CHECKS = (("age", is_age), ("not_a_count", is_not_count), ("headline_of_another_story", is_interstitial_headline), ("mixed", is_mixed), ("remainder", is_remainder),
                 ("part", is_part), ("total_over_time", is_frame), ("speculative", is_speculative), ("denied", is_denied),
                 ("kind_unclear", is_unclear_victims), ("survivors", is_survivor))


def figure_refusal(text: str, c: Claim, lang: str | None, seg: tuple[int, int] | None = None,
                   skip: tuple[str, ...] = ()) -> str | None:
    """Why this figure never enters a comparison, or None when it is a sound incident toll."""
    lang, text = _lang(lang), plain(text)
    if interval(c) is None:
        return "no_value"
    if is_individual(c):
        return "individual"
    for name, check in FIGURE_CHECKS:
        if name not in skip and check(text, c, lang, seg):
            return name
    return None


_OTHERS = re.compile(r"\s*(?:others?|autres?|آخرين|آخرون|أخرى)(?![\w'’])", re.IGNORECASE)


def others_of_another_kind(text: str, c: Claim, siblings: Iterable[Claim], lang: str) -> bool:
    """'at least 10 members of the Bardawil family were killed and more than 25 others were injured': 'others'
    after a figure of another kind sets the injured apart from the dead — the whole count of its kind, not a
    remainder. 'another 39', 'three others … also', or an earlier figure of its own kind keep it a remainder."""
    if not text or c.number_end is None or not _OTHERS.match(text, c.number_end):
        return False
    before, _after = _window(text, c, 20, 0)
    if _cue_re("remainder", lang, "end").search(before) or _cue_re("also", lang).search(_window(text, c, 0, 50)[1]):
        return False
    s = c.number_start if c.number_start is not None else c.start
    earlier = [o for o in siblings if o.id != c.id and o.start == c.start and o.number_start is not None
               and o.number_start < s and o.kind in TOLL_KINDS]
    return bool(earlier) and all(o.kind != c.kind for o in earlier)


# ---- 2. groups -------------------------------------------------------------------------------
_STOP = {"the", "a", "an", "of", "les", "des", "de", "du", "la", "le", "d", "l", "al", "and", "et", "their", "its",
         "innocent", "unarmed", "local", "ordinary", "total", "all", "some", "several", "many", "other", "others",
         "autres", "more", "plus", "وال", "من", "في"}


@lru_cache(maxsize=1)
def _subject_words() -> dict[str, str]:
    data = json.loads(resources.files("veille.data").joinpath("link_subjects.json").read_text(encoding="utf-8"))
    from ..link.dedup import normalise

    return {" ".join(normalise(w)): key for key, words in data.items() if not key.startswith("_") for w in words}


@lru_cache(maxsize=4096)
def group_key(subject: str | None) -> str:
    """Who a figure counts, language-independent: 'US soldiers' = 'militaires américains' =
    'soldiers+us'; a null or generic subject is 'people'. Words the table does not know stay in
    the key ('YPG fighters' is not 'ISIS militants'), so an unknown group never meets another."""
    from ..link.dedup import normalise

    words = [w for w in normalise(subject or "") if w not in _STOP]
    table = _subject_words()
    keys = {table[w] for w in words if w in table}
    rest = {w for w in words if w not in table}
    if not words or (keys == {"people"} and not rest):
        return "people"
    if keys - {"people"} or rest:
        keys.discard("people")
    return "+".join(sorted(keys | rest))


def _group_of(text: str, c: Claim, lang: str) -> str:
    """The figure's group (``group_key`` of its subject), marked '+aboard' when its words count the people aboard a
    vehicle ('The Kremlin said all five people on board were assumed dead'): a downed helicopter's occupants are
    not the toll of the rocket fire the same article reports."""
    key = group_key(c.subject)
    if text and c.number_end is not None:
        after = text[c.number_end:min(len(text), c.number_end + 40, c.end if c.end > c.number_end else len(text))]
        if _cue_re("aboard", lang).search(after):
            return key + "+aboard"
    return key


# civilians counts include children and women (the casualty databases' convention, FA-KES's too)
_INSIDE = {"children": "civilians", "women": "civilians"}


@lru_cache(maxsize=1)
def _person_groups() -> set[str]:
    return set(_subject_words().values()) - {"people", "us"}


def within(sub: str, whole: str) -> bool:
    """Is group ``sub`` a part of group ``whole``? Every group is part of 'people'; children and
    women of civilians; 'soldiers+us' of 'soldiers' (the whole's words are a part of the part's)."""
    if sub == whole or sub == "people":
        return False
    if whole == "people":  # only groups of people the table knows: 'six families' counts no people
        return bool(set(sub.split("+")) & _person_groups())
    if _INSIDE.get(sub) == whole:
        return True
    return set(whole.split("+")) < set(sub.split("+"))


# ---- 3. speakers -----------------------------------------------------------------------------
_GENERIC_SPEAKER = {"source", "sources", "official", "officials", "said", "says", "local", "media", "reporter",
                    "reporters", "agency", "news", "correspondent", "report", "reports", "statement", "spokesman",
                    "spokeswoman", "spokesperson", "a", "an", "the", "une", "un", "la", "le", "les", "des", "de", "du",
                    "sur", "place", "on", "ground", "at", "of", "in", "from", "citée", "cité", "par", "according",
                    "to", "several", "some", "other", "another", "both", "two", "medical", "security", "military",
                    "activists", "residents", "witnesses", "witness", "group", "monitor", "monitoring", "britain",
                    "based", "uk", "war", "toll", "an", "its", "his", "her", "their", "مصدر", "مصادر", "مسؤول",
                    "وكالة", "قناة", "مراسل", "محلي", "محلية", "طبي", "طبية", "عسكري", "ميداني"}


def _speaker_words(name: str) -> set[str]:
    from ..link.dedup import normalise

    return {w for w in normalise(name) if w not in _GENERIC_SPEAKER and len(w) > 1}


def _acronym(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’-]*", name) if w[0].isupper() or len(w) > 3).casefold()


def _names_match(x: str, y: str) -> bool:
    wx, wy = _speaker_words(x), _speaker_words(y)
    if not wx or not wy:
        return not wx and not wy and x.strip().casefold() == y.strip().casefold()
    if wx <= wy or wy <= wx:
        return True
    ax, ay = _acronym(x), _acronym(y)
    return (len(ax) >= 3 and ax in wy) or (len(ay) >= 3 and ay in wx)


def same_speaker(a: Sequence[str], b: Sequence[str], outlet_a: str | None = None, outlet_b: str | None = None) -> bool:
    """One speaker? Across articles the outlet speaks when nobody is cited (pass the outlets);
    inside one article (no outlets) the outlet's own voice is one speaker. Two chains are one
    speaker when any name of one matches a name of the other (a relay quoting two figures is
    its own update), or when neither names anybody distinctive ('a source' and 'officials')."""
    ca = [x for x in a if x] or ([outlet_a] if outlet_a else [])
    cb = [x for x in b if x] or ([outlet_b] if outlet_b else [])
    if not ca and not cb:
        return True
    if not ca or not cb:
        return False
    if any(_names_match(x, y) for x in ca for y in cb):
        return True
    if any(_speaker_words(x) for x in ca) or any(_speaker_words(y) for y in cb):
        return False
    # neither names anybody distinctive: one speaker when they are told in the same words ('a source' twice),
    # two when the words differ ('a medical source' and 'local sources')
    return {_fold(x) for x in ca} & {_fold(y) for y in cb} != set()


# ---- 5. incidents ----------------------------------------------------------------------------
def km(lat1, lon1, lat2, lon2) -> float | None:
    if None in (lat1, lon1, lat2, lon2):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _fold(s: str | None) -> str:
    from ..link.dedup import normalise

    return " ".join(normalise(s or ""))


def _is_country(p: Place) -> bool:
    kind = getattr(p, "kind", None)
    if kind:
        return kind == "country"
    return bool(p.entity_id and len(p.entity_id) == 2) or (p.admin1 is None and p.geonames_id is None and p.lat is None)


# what a place is, as far as containing goes: an area holds what its admin fields name; a town holds the
# neighbourhoods and camps of its district; two towns (two neighbourhoods) with different names are two places
AREAS = frozenset({"country", "admin1", "admin2", "region"})
TOWNS = frozenset({"city", "populated", "town", "village", "base"})
INSIDE_TOWNS = frozenset({"neighbourhood", "camp", "border-crossing"})
TOWN_KM = 8.0  # a neighbourhood or camp farther than this from a town's centre is not inside it


def _same_name(p: Place, q: Place) -> bool:
    return bool(_fold(p.name) == _fold(q.name) or (p.entity_id and p.entity_id == q.entity_id)
                or (p.geonames_id and p.geonames_id == q.geonames_id))


def contains(p: Place, q: Place) -> bool:
    """Is ``q`` inside ``p``? An admin area holds the places its admin fields name ('Aleppo' governorate holds
    'al-Midan' whose admin1 is Aleppo); a town holds a neighbourhood or camp of its district near its centre
    ('Sabra' in 'Gaza City'). A town never holds another town."""
    kp, kq = getattr(p, "kind", None), getattr(q, "kind", None)
    if kp in AREAS:
        names = {_fold(p.name)} | ({_fold(p.admin1)} if kp == "admin1" and p.admin1 else set()) | \
            ({_fold(p.admin2)} if kp == "admin2" and p.admin2 else set())
        return bool(names & {_fold(q.admin1), _fold(q.admin2)} - {""}) and kq != "country"
    if kp in TOWNS and kq in INSIDE_TOWNS:
        if _fold(q.admin2) and _fold(q.admin2) in (_fold(p.name), _fold(p.admin2)):
            d = km(p.lat, p.lon, q.lat, q.lon)
            return d is None or d <= TOWN_KM
    return False


def places_near(p: Place, q: Place) -> bool:
    """One place, or one inside the other (``contains``): a town within its governorate is the incident's
    place told at two scales; two towns are two places, however close. Places the gazetteer gave no kind
    are near when one is the other's governorate or they lie within ``NEAR_KM``."""
    if _same_name(p, q):
        return True
    if contains(p, q) or contains(q, p):
        return True
    kp, kq = getattr(p, "kind", None), getattr(q, "kind", None)
    if kp and kq and (kp in AREAS | TOWNS | INSIDE_TOWNS) and (kq in AREAS | TOWNS | INSIDE_TOWNS):
        if kp == "region" or kq == "region":  # a region's extent is not in the gazetteer: near is near
            d = km(p.lat, p.lon, q.lat, q.lon)
            return d is not None and d <= NEAR_KM
        return False
    if _fold(p.name) in (_fold(q.admin1), ) or _fold(q.name) in (_fold(p.admin1), ):
        return True
    d = km(p.lat, p.lon, q.lat, q.lon)
    return d is not None and d <= NEAR_KM


def places_apart(a: Iterable[Place], b: Iterable[Place]) -> tuple[str, str] | None:
    """Both figures come with places below country level and none of one is near one of the other
    → (a place of each) to say so; else None."""
    pa = [p for p in a if not _is_country(p)]
    pb = [p for p in b if not _is_country(p)]
    if not pa or not pb:
        return None
    if any(places_near(p, q) for p in pa for q in pb):
        return None
    return pa[0].name, pb[0].name


# places the gazetteer may not know, read from their own words: the names given to a neighbourhood, district,
# village or camp ('targeted al-Sulimaniah and al-Furqan neighborhoods', 'the neighborhoods of Sulaiman al-Halabi
# al-Midan al-Sulimaniah and al-Furqan', 'le quartier d'Al-Midan', 'حي الميدان')
_LOCAL_NOUN = {"en": r"(?:neighbou?rhoods?|districts?|quarters?|villages?|camps?|suburbs?)",
               "fr": r"(?:quartiers?|villages?|camps?|faubourgs?|localités?)",
               "ar": r"(?:حي|أحياء|احياء|قرية|بلدة|مخيم)"}
_NAME = r"(?:(?:[Aa]l|[Ee]l|[Aa]d|[Aa]sh|[Aa]z|[Aa]r|[Aa]s|[Aa]t)-[\w'’-]+|[A-Z][\w'’-]*)"
_LIST = rf"{_NAME}(?:(?:\s*,\s*|\s+|\s+(?:and|et)\s+){_NAME})*"
_STOP_NAMES = {"the", "a", "an", "and", "et", "of", "de", "city", "ville", "in", "on", "new", "al", "el", "و"}


@lru_cache(maxsize=4)
def _local_res(lang: str) -> tuple[re.Pattern[str], re.Pattern[str] | None, re.Pattern[str] | None]:
    noun = _LOCAL_NOUN[_lang(lang)]
    if lang == "ar":
        return re.compile(noun), re.compile(r"\s+((?:ال)?[\u0621-\u064a]+(?:\s+و(?:ال)?[\u0621-\u064a]+)*)"), None
    after = re.compile(rf"\s+(?:(?i:of\s+|de\s+|d['’]\s*|du\s+|des\s+))?(?:the\s+)?({_LIST})")
    before = re.compile(rf"({_LIST})\s+$")
    return re.compile(rf"(?i)(?<![\w-]){noun}(?![\w-])"), after, before


def local_places(text: str, lo: int, hi: int, lang: str) -> frozenset[str]:
    """The words of the local places a figure's segment names beside a place noun ('al-Sulimaniah and al-Furqan
    neighborhoods' → {sulimaniah, furqan}; 'the neighborhoods of Sulaiman al-Halabi … and al-Furqan'; the names
    before the noun when there are some — 'the Al Tuffah neighbourhood of Gaza City' is Al Tuffah), folded and
    without their article: places the gazetteer may not know, compared as sets (disjoint: two places; one
    inside the other: a part)."""
    if not text or hi <= lo:
        return frozenset()
    lang = _lang(lang)
    seg = text[lo:hi]
    nouns, after, before = _local_res(lang)
    words: set[str] = set()
    for n in nouns.finditer(seg):
        m = before.search(seg[max(0, n.start() - 120):n.start()]) if before is not None else None
        if m is None:
            m = after.match(seg, n.end())
        if m is None:
            continue
        for w in re.split(r"[\s,]+", m.group(1)):
            w = re.sub(r"^(?:al|el|ad|ash|az|ar|as|at)-", "", _fold(w).replace(" ", "-")) if lang != "ar" else \
                re.sub(r"^و?ال", "", w)
            if len(w) > 1 and w not in _STOP_NAMES:
                words.add(w)
    return frozenset(words)


def is_reference_point(text: str, p: Place, lang: str) -> bool:
    """'an airstrike on a house in Jabalia, north of Gaza City', 'près de Damas': a place named to say where
    the figure's place lies is no second place of the incident (``place_reference`` cues)."""
    if p.start is None or not text:
        return False
    return bool(_cue_re("place_reference", lang, "end").search(plain(text[max(0, p.start - 40):p.start])))


_COORDINATED = re.compile(r"(?i)^[\s,;/&]*(?:(?:and|et|or|ou|as well as)\b[\s,]*|و\s*)?(?:the\s+|la\s+|le\s+|les\s+|l['’])?(?:al-|el-)?$")


def several_places(text: str, places: Iterable[Place]) -> bool:
    """Does a figure count victims of several places ('10 civilians killed in Aleppo and Deir Ezzor', '13
    civilians killed … on Aleppo Damascus')? Two places that are not one (``place_clusters``) named side by
    side or coordinated, or farther apart than ``NEAR_KM``; a place named inside the other's description ('the
    Ihyaa al-Sina mosque in the al-Daghamsha neighbourhood of al-Sabra') is no second place of the figure."""
    clusters = place_clusters(places)
    for i in range(len(clusters)):
        for j in range(i + 1, len(clusters)):
            for p in clusters[i]:
                for q in clusters[j]:
                    d = km(p.lat, p.lon, q.lat, q.lon)
                    if d is not None and d > NEAR_KM:
                        return True
                    first, second = (p, q) if (p.start or 0) <= (q.start or 0) else (q, p)
                    if first.end is not None and second.start is not None and first.end <= second.start and \
                            _COORDINATED.match(text[first.end:second.start]):
                        return True
    return False


_PLURAL_PLACES = {"en": r"(?:cities|towns|villages|provinces|governorates|(?:several|many|various|multiple) (?:areas|regions))",
                  "fr": r"(?:villes|villages|provinces|gouvernorats|localités|(?:plusieurs|diverses) (?:zones|régions))",
                  "ar": r"(?:مدن|قرى|بلدات|محافظات|عدة مناطق)"}


def places_in_plural(text: str, seg: tuple[int, int], head: tuple[int, int], lang: str) -> bool:
    """Does the figure's segment (or its sentence's words before the first figure), naming no place of its own, name
    its places with a plural place noun and no names ('Jet strikes … hit the opposition-held cities killing more than 40 people', 'strikes
    on several neighbourhoods in the east of the city')? Then the figure is a sum over places. A plural with its
    names ('al-Sulimaniah and al-Furqan neighborhoods', 'the neighborhoods of Sulaiman al-Halabi …') is a list of
    local places, read by ``local_places``."""
    noun = re.compile(rf"(?i)(?<![\w-]){_PLURAL_PLACES[_lang(lang)]}(?![\w-])")
    for lo, hi in (seg, head):
        part = text[lo:hi] if text and hi > lo else ""
        for m in noun.finditer(part):
            if re.match(r"\s+(?:of|de|d['’]|du|des)\s+(?:the\s+)?[A-Z]", part[m.end():]) or \
                    re.search(rf"{_NAME}\s+$", part[:m.start()]) and not re.search(r"(?i)\b(?:the|several|many|various|"
                                                                                 r"other|two|three|four|both|des|les|plusieurs)\s+$", part[:m.start()]):
                continue
            return True
    return False


def place_clusters(places: Iterable[Place]) -> list[list[Place]]:
    """Places below country level grouped by nearness: 'Aleppo and Deir Ezzor' are two clusters,
    'Aleppo' and 'Aleppo Governorate' one."""
    clusters: list[list[Place]] = []
    for p in places:
        if _is_country(p):
            continue
        home = next((cl for cl in clusters if any(places_near(p, q) for q in cl)), None)
        if home is None:
            clusters.append([p])
        else:
            home.append(p)
    return clusters


@dataclass(frozen=True)
class Reading:
    """One claim as the cross-check reads it: its figure, group, speaker, and what its sentence
    says about time, place and the kind of incident next to the figure."""

    claim: Claim
    outlet: str | None
    published_at: str | None
    lang: str
    group: str
    refusal: str | None  # why the figure never compares (None: a sound toll)
    update: frozenset  # its sentence tells a change over time: {"early", "late", "any"} (``update_kind``)
    other_incident: bool  # its sentence points to another incident
    places: tuple[Place, ...] = ()  # named next to the figure
    antecedent: tuple[Place, ...] = ()  # no place of its own but 'the strikes': the place named last before it
    days: tuple[str, ...] = ()  # ISO days named next to the figure
    event: Event | None = None
    text: str = ""  # the article text (offsets of the claim point into it)
    lo: float = 0.0  # the values the figure allows (a floor's top is open)
    hi: float = INF
    floor: bool = False  # a count of what was seen, named or recovered: a lower bound
    incident_type: str | None = None  # the ACLED event type its sentence's own words describe
    attackers: tuple[tuple[str, str], ...] = ()  # (ACLED name, side) of the attack's authors its words name
    local: frozenset = frozenset()  # words of the local places named next to the figure (``local_places``)
    share: bool = False  # one of a sentence's figures by place ('30 … in Aleppo province and another 39 … in Idlib')
    risen_to: float = 0.0  # the highest figure of its kind its article tells as a rise ('had risen to eight')
    named: float = 0.0  # how many of its kind the writer says were identified by name (``with_named``)


def _segment(c: Claim, siblings: Iterable[Claim]) -> tuple[int, int]:
    """The part of the claim's sentence that belongs to its figure: from the previous figure of the
    sentence to the next one ('30 killed in Aleppo …, while SANA said 12 died near Damascus')."""
    s = c.number_start if c.number_start is not None else c.start
    lo, hi = c.start, c.end
    for o in siblings:
        if o.id == c.id or o.start != c.start or o.number_start is None:
            continue
        if o.number_start < s:
            lo = max(lo, o.number_end or o.number_start)
        elif o.number_start > s:
            hi = min(hi, o.number_start)
    return lo, hi


def _local_of(text: str, c: Claim, siblings: list[Claim], lang: str, seg: tuple[int, int],
              head: tuple[int, int]) -> frozenset:
    """The local places of a figure: named in its segment, else before the sentence's first figure, else
    anywhere in its sentence when no other figure of its kind there could own them ('9 persons were killed and
    28 others were injured … when terrorists targeted al-Sulimaniah and al-Furqan neighborhoods')."""
    found = local_places(text, *seg, lang) or local_places(text, *head, lang)
    if found or not _owns_sentence(c, siblings, text):
        return found
    return local_places(text, c.start, c.end, lang)


def scope_relation(a: "Reading", b: "Reading") -> str | None:
    """How two figures' places relate: "same", "a_in_b" (every place of a inside one of b's), "b_in_a", or None
    (unknown: a side names no place, or neither holds the other)."""
    pa = [p for p in a.places if not _is_country(p)]
    pb = [p for p in b.places if not _is_country(p)]
    if a.local and b.local:
        if a.local == b.local:
            return "same"
        return "a_in_b" if a.local < b.local else "b_in_a" if b.local < a.local else None
    # a neighbourhood, village or camp named by its own words inside the town or area the other names
    if a.local and pb and (not pa or _related(pa, pb)):
        return "a_in_b"
    if b.local and pa and (not pb or _related(pb, pa)):
        return "b_in_a"
    if not pa or not pb:
        return None
    if any(_same_name(p, q) for p in pa for q in pb):
        return "same"
    if all(any(contains(q, p) for q in pb) for p in pa):
        return "a_in_b"
    if all(any(contains(p, q) for p in pa) for q in pb):
        return "b_in_a"
    return None


def _local_scope(r: "Reading") -> bool:
    """The figure's own place is a town or below (a village, a neighbourhood, a camp, a local place by its words)."""
    return bool(r.local) or any(getattr(p, "kind", None) in TOWNS | INSIDE_TOWNS for p in r.places)


def _wide_scope(r: "Reading") -> bool:
    """The figure names places, all of them a country or an admin area or region (none a town or below)."""
    return bool(r.places) and not r.local and all(_is_country(p) or getattr(p, "kind", None) in AREAS for p in r.places)


def _related(inner: list[Place], outer: list[Place]) -> bool:
    return any(_same_name(p, q) or contains(q, p) for p in inner for q in outer)


def _scope_names(r: "Reading") -> list[str]:
    return sorted(r.local) or [p.name for p in r.places if not _is_country(p)]


def _owns_sentence(c: Claim, siblings: Iterable[Claim], text: str = "") -> bool:
    """No other figure of its kind in its sentence but its parts ('eight civilians including three children were
    killed when regime warplanes struck the village of Daret Izza'): what the sentence says of places is its."""
    return not any(o.id != c.id and o.start == c.start and o.kind == c.kind and o.part_of != c.id
                   and not _partitive_between(text, c, o) for o in siblings)


def _head(c: Claim, siblings: Iterable[Claim]) -> tuple[int, int]:
    """The part of the claim's sentence before its first figure ('More rocket shells later hit al-Hamidiyeh
    neighborhood leaving one person dead and 13 others injured'): the place it names is every figure's."""
    first = min((o.number_start for o in siblings if o.start == c.start and o.number_start is not None),
                default=c.number_start)
    return c.start, first if first is not None else c.start


# refusals that mean a sibling figure is no figure at all (it cannot make a breakdown)
_NOT_FIGURES = {"no_value", "individual", "age", "not_a_count", "kind_unclear", "denied", "speculative"}


def is_breakdown(c: Claim, siblings: Iterable[Claim], text: str = "", lang: str = "en") -> bool:
    """The sentence gives one speaker's figures of this kind for several places or groups ('nine
    civilians were killed in Qaterji and two others died in Mayssar', 'two persons died … and one
    committed suicide'): each is a share of a toll, never the toll. A sibling that is no figure
    ('Arabi 21 News') does not count."""
    iv = interval(c)
    siblings = list(siblings)
    for o in siblings:
        if (o.id != c.id and o.start == c.start and o.kind == c.kind and tuple(o.attributed_to) == tuple(c.attributed_to)
                and o.number_start != c.number_start and interval(o) != iv):
            if getattr(o, "part_of", None) == c.id or _partitive_between(text, c, o) or o is range_partner(c, siblings):
                continue  # 'killed 3 people including two women': a whole and its part, not two shares
            if text and figure_refusal(text, o, lang, _segment(o, siblings)) in _NOT_FIGURES:
                continue
            return True
    return False


_PARTITIVE = re.compile(r"(?i)\b(?:including|among them|of them|of whom|among whom|out of them|out of whom|of those|"
                        r"dont|parmi eux|parmi lesquels|بينهم|منهم)\b")


_PART_OF_BEFORE = re.compile(r"(?i)\s*(?:(?:out )?of (?:them|those|whom|these)|d['’]entre eux|منهم)\b")


def _partitive_between(text: str, c: Claim, o: Claim) -> bool:
    """A partitive word between a figure and a later one of its sentence ('3 people including two women'), or right
    after the later one ('they killed 175…maybe 15 out of them'): the later one counts a part of it."""
    if not text or c.number_end is None or o.number_start is None or o.number_start <= c.number_end:
        return False
    return bool(_PARTITIVE.search(text, c.number_end, o.number_start)
                or (o.number_end is not None and _PART_OF_BEFORE.match(text, o.number_end)))


def is_shot_casualties(c: Claim, siblings: Iterable[Claim], text: str, lang: str) -> bool:
    """'they found three people shot', 'Two men shot, one fatally': a count of people shot is the dead and the
    hurt together when the report also counts deaths (of the same event), so it is no toll of the wounded."""
    if c.kind != "wounded" or not text:
        return False
    before, after = _window(text, c, 30, 30)
    if not _cue_re("shot_words", lang).search(after + " " + before[-15:]):
        return False
    if re.search(r"(?i)\b(?:non-?fatal\w*|wounded|injur\w*|hurt|survived)\b", _sentence_text(text, c)):
        return False  # 'shot and wounded', 'non-fatally shot': the hurt alone
    return any(o.kind == "killed" and o.event_id == c.event_id for o in siblings)


def range_partner(c: Claim, siblings: Iterable[Claim]) -> Claim | None:
    """'at least 78, and up to 175, people … were killed': a lower and an upper bound the claims stage read as two
    terms of a sum (``adds_to``) are one range, [78, 175]."""
    if c.qualifier not in ("at_least", "at_most"):
        return None
    other = "at_most" if c.qualifier == "at_least" else "at_least"
    for o in siblings:
        if o.id != c.id and o.kind == c.kind and o.qualifier == other and o.start == c.start and \
                (getattr(o, "adds_to", None) == c.id or getattr(c, "adds_to", None) == o.id):
            return o
    return None


def is_summed(c: Claim, siblings: Iterable[Claim]) -> bool:
    """A term of a sum the claims stage read (``Claim.adds_to``: "two men and a woman were killed" = 2 + 1,
    "X alongside nine of his comrades" = 1 + 9): neither term is the toll, so neither is set against one."""
    if getattr(c, "adds_to", None):
        return True
    return any(getattr(o, "adds_to", None) == c.id for o in siblings)


# words that make no count of a kind: when the parse finds only one of them above a figure ("Five are in
# stable condition", "Of the four surviving shooting victims", "two counts of weapon possession with …"),
# the figure's kind was not read from a casualty word
_NOT_PREDICATES = {"is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "of", "to", "in",
                   "with", "at", "from", "into", "on", "for", "by", "as", "including", "included", "among", "est",
                   "sont", "était", "étaient", "été", "de", "du", "des", "à", "avec", "dans", "parmi", "dont"}


def predicate_unread(c: Claim, text: str = "", lang: str = "en") -> bool:
    """The claims stage's parse names the word that makes the figure a count of its kind
    (``Claim.predicate``); a copula or a preposition there, with no word of the kind next to the figure
    ("two counts of weapon possession"; not "a lower toll of eight civilians killed"), means no casualty
    word governs the figure."""
    pred = (getattr(c, "predicate", None) or "").strip().casefold()
    if pred not in _NOT_PREDICATES:
        return False
    cue = {"killed": "death", "wounded": "injury"}.get(c.kind)
    if cue is None or not text:
        return True
    before, after = _window(text, c, 30, 40)
    return not _cue_re(cue, lang).search(before + " " + after)


def kind_unread(c: Claim, siblings: Iterable[Claim], text: str = "", lang: str = "en") -> bool:
    """In a sentence with figures of several kinds ("15 civilians were injured and two others were killed"),
    a figure whose kind no predicate governs (``Claim.predicate`` null: the claims stage's cue reader
    guessed it) may be the other kind's; when the parse read the article (some figure has a predicate),
    such a figure is not compared."""
    if predicate_unread(c, text, lang):
        return True
    if getattr(c, "predicate", "") is not None:  # a predicate read, or a claims stage without the field
        return False
    siblings = list(siblings)
    if not any(getattr(o, "predicate", None) for o in siblings):
        return False
    return any(o.id != c.id and o.start == c.start and o.kind != c.kind for o in siblings)


# ACLED inter codes → the side an attack's author is on: state forces (1) and foreign forces (8) against
# rebels, political and identity militias (2–4). One side's forces named differently ("Russian jets", "regime
# jets") may be two outlets' attributions of one strike; two sides' attacks are two incidents.
ATTACKER_SIDES = {1: "state", 8: "state", 2: "non-state", 3: "non-state", 4: "non-state"}


@lru_cache(maxsize=1)
def _actor_matcher():
    from .aliases import AliasMatcher, load_actors

    armed = {"state-forces", "armed-group", "coalition", "government"}  # never an agency, a party, a person
    return AliasMatcher(tuple(a for a in load_actors() if a.acled_inter in ATTACKER_SIDES and a.type in armed), [], [])


def attackers(text: str, c: Claim, lang: str, seg: tuple[int, int]) -> tuple[tuple[str, str], ...]:
    """(ACLED name, side) of the armed actors the figure's own words name as the authors of the attack: an
    actor before an attack word ('Russian airstrikes', 'coalition strikes', 'ISIS suicide blast') or after
    one ('killed by the SDF', 'frappes de la coalition', 'غارات التحالف'). An actor counted by the figure
    ('Four YPG fighters were killed') or cited as a speaker is no author."""
    lo, hi = seg
    if not text or hi <= lo:
        return ()
    text = plain(text)
    speakers = {_fold(x) for x in c.attributed_to}
    out = set()
    for m in _actor_matcher().find(text[lo:hi]):
        s, e = lo + m.start, lo + m.end
        if _fold(text[s:e]) in speakers or any(_fold(text[s:e]) in x for x in speakers):
            continue
        before, after = text[max(lo, s - 40):s], text[e:min(hi, e + 30)]
        if not (_cue_re("attack_before", lang, "end").search(before) or _cue_re("attack_after", lang, "start").match(after)
                or re.match(r"['’]s\b", after)):
            continue
        if _cue_re("attack_target", lang, "end").search(before) or _cue_re("attack_downed", lang).search(text[e:min(hi, e + 60)]):
            continue  # 'a counterattack on Syrian regime forces', 'a Russian military helicopter that was shot down'
        for t in m.targets:
            side = ATTACKER_SIDES.get(t.obj.acled_inter)
            if side:
                out.add((t.obj.acled_class or t.obj.name, side))
    return tuple(sorted(out))


def update_kind(sentence: str, lang: str) -> frozenset:
    """How a sentence tells a change over time: "early" (the figure is the earlier report: 'initially',
    'preliminary', 'soon after the strike'), "snapshot" (a count at a time of day), "any" (a revision either way:
    'updating', 'revised', 'lowered'), "late" (the later report: 'rose to', 'later', 'then reported')."""
    out = set()
    rest = plain(sentence)
    for kind, name in (("snapshot", "update_snapshot"), ("early", "update_early"), ("any", "update_any")):
        rx = _cue_re(name, lang)
        if rx.search(rest):
            out.add(kind)
            rest = rx.sub(lambda m: " " * len(m.group()), rest)
    if _cue_re("update", lang).search(rest):
        out.add("late")
    return frozenset(out)


def _told_as_update(a: "Reading", b: "Reading") -> bool:
    """Do the update words run the way the values do: the earlier report the lower, the later one the higher,
    or a revision either way? ('At 8.57 am the source then reported the death of four victims' against other
    outlets' six: a later report lower than another's figure still disagrees with it.)"""
    low, high = (a, b) if a.hi < b.lo else (b, a)
    low_top = low.hi if math.isfinite(low.hi) else low.lo
    # a snapshot ('At 11:54 AM Safa PS reported six') is superseded when the article tells the toll rising past it
    # ('At 12:53 PM the number of victims had risen to eight'); alone, it is one report among others
    snapshot_passed = "snapshot" in low.update and low.risen_to > low_top
    return bool("any" in a.update or "any" in b.update or "early" in low.update or snapshot_passed
                or "late" in high.update)


def _named_floor_above(a: "Reading", b: "Reading") -> bool:
    """The article's own toll given as a floor that is the count of victims it identified by name ('At least 64
    people were killed' … 'Airwars identified the names of 61 members of the family, and the identity of at least
    three others killed') above a cited source's lower figure ('The Palestinian News Agency reported "around 50"'):
    the names are certain, so the lower count was made before they were known — the toll's evolution, not a
    disagreement. A lower figure the article tells as the later report ('has risen to 75') still disagrees."""
    low, high = (a, b) if a.hi < b.lo else (b, a)
    if high.claim.qualifier != "at_least" or [x for x in high.claim.attributed_to if x]:
        return False
    if not high.named or high.named < high.lo:
        return False  # a floor no count of names in the article reaches
    if not [x for x in low.claim.attributed_to if x]:
        return False  # two figures in the writer's own voice: no earlier report to explain either
    return "late" not in low.update and "any" not in low.update


def _incident_type(sentence: str, lang: str) -> str | None:
    """The ACLED event type a sentence's own precise words name ('air raids', 'clashes', 'rocket
    fire'); vague words ('the attack', 'the bombing') name none, so they never set two tellings apart."""
    from .event_types import _generic, classify, deaccent

    hit = classify(sentence, lang)
    if hit is None or _generic(deaccent(sentence), hit[2], lang):
        return None
    # only a type of violence kills: 'said 45 people were killed on Saturday just hours after the new US-Russian
    # agreement was reached' names an agreement beside the toll, not the incident the toll counts
    return hit[0] if hit[0] in LETHAL_TYPES else None


LETHAL_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"})


def read(c: Claim, article: Article | None, *, text: str | None = None, lang: str | None = None,
         places: Iterable[Place] = (), times: Iterable = (), siblings: Iterable[Claim] = (),
         event: Event | None = None) -> Reading:
    """A claim with its context. ``places``/``times`` are the article's (offsets into its text);
    ``siblings`` the article's other claims (to cut the sentence between figures)."""
    text = plain(text if text is not None else (article.text if article else ""))
    lang = _lang(lang or (article.language if article else None))
    siblings = list(siblings)
    sentence = _sentence_text(text, c)
    lo, hi = _segment(c, siblings)
    s = c.number_start if c.number_start is not None else c.start
    in_segment = sorted((p for p in places if p.start is not None and lo <= p.start < hi), key=lambda p: p.start)
    # a place named to say where an earlier one lies ('Al Fakhari, east of Khan Younis') is no place of the figure;
    # the only place named ('rebel fire near Ramussa') is its place, however near
    near_places = tuple(p for k, p in enumerate(in_segment) if k == 0 or not is_reference_point(text, p, lang))
    own_local = local_places(text, lo, hi, lang)
    own_place = bool([p for p in near_places if not _is_country(p)] or own_local)
    head = _head(c, siblings)  # the sentence before its first figure: what it says of every figure in it
    for lo2, hi2 in (head, (c.start, c.end) if _owns_sentence(c, siblings, text) else (0, 0)):
        if near_places:
            break
        found = sorted((p for p in places if p.start is not None and lo2 <= p.start < hi2), key=lambda p: p.start)
        near_places = tuple(p for k, p in enumerate(found) if k == 0 or not is_reference_point(text, p, lang))
    if event is not None and event.country:  # a homonym abroad ('the Ihyaa al-Sina mosque' → Sinah, Iraq) is no place of it
        near_places = tuple(p for p in near_places if not p.country or p.country == event.country)
    # no place of its own, and its sentence points back to the incident ('two dozen people were killed in the
    # strikes'): the strikes are the last told before it, at the place named last before its sentence ('airstrikes
    # on a market in the rebel controlled city of Idlib'); used only to tell two places apart, never to join them
    antecedent: tuple[Place, ...] = ()
    if not [p for p in near_places if not _is_country(p)] and _ANAPHOR.search(sentence):
        before = [p for p in places if p.start is not None and p.start < c.start and not _is_country(p)
                  and (event is None or not event.country or not p.country or p.country == event.country)]
        if before:
            antecedent = (max(before, key=lambda p: p.start),)
    days = tuple(sorted({t.value[:10] for t in times if getattr(t, "precision", None) == "day"
                         and c.start <= t.start < c.end and lo <= t.start < hi}))
    refusal = figure_refusal(text, c, lang, (lo, hi))
    if refusal == "remainder" and others_of_another_kind(text, c, siblings, lang):
        refusal = figure_refusal(text, c, lang, (lo, hi), skip=("remainder",))
    partner = range_partner(c, siblings)
    if partner is not None and c.qualifier == "at_most":
        refusal = refusal or "range_end"  # 'at least 78, and up to 175': read once, from its lower end
    if refusal is None and partner is None and is_summed(c, siblings):
        refusal = "summed"
    if refusal is None and (kind_unread(c, siblings, text, lang) or is_shot_casualties(c, siblings, text, lang)):
        refusal = "kind_unclear"
    share = False
    if refusal is None and is_breakdown(c, siblings, text, lang):
        if own_place:  # a share of the toll by place: the toll of its own place ('30 … in Aleppo province')
            share = True
        else:
            refusal = "breakdown"
    if refusal is None and not own_place and not [p for p in near_places if not _is_country(p)] and \
            places_in_plural(text, (lo, hi), head, lang):
        refusal = "several_places"  # 'hit the opposition-held cities killing more than 40 people': a sum over places
    if refusal is None and several_places(text, near_places):
        refusal = "several_places"  # "10 civilians killed in Aleppo and Deir Ezzor": a sum over places
    iv = interval(c) or (0.0, INF)
    if partner is not None and c.qualifier == "at_least" and partner.max is not None:
        iv = (iv[0], float(partner.max))
    floor = refusal is None and is_floor(text, c, lang, (lo, hi))
    before, _after = _window(text, c, 40, 0)
    if refusal is None and _cue_re("ceiling", lang).search(before):
        iv = (0.0, iv[1])  # "maximum death toll … set at 12": at most
    prefix = text[c.start:hi] if c.start < hi else sentence
    return Reading(
        claim=c, outlet=article.outlet if article else None, published_at=article.published_at if article else None,
        lang=lang, group=_group_of(text, c, lang), refusal=refusal,
        update=update_kind(sentence, lang),
        other_incident=bool(_cue_re("other_incident", lang).search(prefix)),
        places=near_places, antecedent=antecedent, days=days, event=event, text=text,
        lo=iv[0], hi=INF if floor else iv[1], floor=floor, incident_type=_incident_type(sentence, lang) if refusal is None else None,
        attackers=attackers(text, c, lang, (lo, hi)) if refusal is None else (),
        local=_local_of(text, c, siblings, lang, (lo, hi), head) if refusal is None else frozenset(), share=share)


# ---- the comparison ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    """What two readings are to each other. ``relation``: contradiction | evolution | agree |
    not_comparable; ``reason``: the check that decided (a code); ``why``: the checks passed,
    each {"check": code, ...details} (the explanation a flag carries)."""

    relation: str
    reason: str
    why: tuple[dict, ...] = ()
    detail: dict = field(default_factory=dict)


def _days_between(a: str | None, b: str | None) -> int | None:
    from datetime import date

    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days) if a and b else None
    except ValueError:
        return None


def spread(a: Reading, b: Reading) -> dict:
    """How far apart two figures are: the gap between the nearest ends of their intervals."""
    ia, ib = (a.lo, a.hi), (b.lo, b.hi)
    low, high = (ia, ib) if ia[1] < ib[0] else (ib, ia)
    lo_top = low[1] if math.isfinite(low[1]) else low[0]
    hi_bottom = high[0]
    return {"low": lo_top, "high": hi_bottom, "difference": hi_bottom - lo_top,
            "ratio": round(hi_bottom / lo_top, 2) if lo_top else None}


def _event_dict(e: Event | None) -> dict | None:
    if e is None:
        return None
    return {"event_id": e.event_id, "date": e.event_date, "type": e.event_type, "sub_type": e.sub_event_type,
            "location": e.location, "admin1": e.admin1, "country": e.country}


def compare(a: Reading, b: Reading, *, same_event: bool | None = None, across: bool = False) -> Verdict:
    """The checks of the module docstring. ``same_event``: the caller's answer on the event link
    (across articles: ``link.crosscheck.same_incident``); None compares the claims' ``event_id``.
    Incident checks come before speaker and time checks, so an 'evolution' is always one event's."""
    ca, cb = a.claim, b.claim
    if ca.kind != cb.kind or ca.kind not in TOLL_KINDS:
        return Verdict("not_comparable", "kind")
    for r in (a, b):
        if r.refusal:
            return Verdict("not_comparable", r.refusal, detail={"claim_id": r.claim.id})
    why = [{"check": "kind", "kind": ca.kind}]
    if a.group == b.group:
        part = whole = None
        why.append({"check": "group", "group": a.group, "subjects": [ca.subject, cb.subject]})
    elif within(a.group, b.group) or within(b.group, a.group):
        # a part and its whole ("4 civilians" / "2 people") disagree only when the part exceeds the whole
        part, whole = (a, b) if within(a.group, b.group) else (b, a)
        why.append({"check": "group", "group": whole.group, "part": part.group, "subjects": [ca.subject, cb.subject]})
    else:
        return Verdict("not_comparable", "group", detail={"groups": [a.group, b.group]})
    why.append({"check": "incident_tolls"})
    if a.other_incident or b.other_incident:
        return Verdict("not_comparable", "other_incident")
    # a figure with no place of its own that points back to 'the strikes' takes the place named last before it
    where = places_apart(a.places or a.antecedent, b.places or b.antecedent)
    if where:
        return Verdict("not_comparable", "places_apart", detail={"places": list(where)})
    if a.local and b.local and not a.local & b.local:
        return Verdict("not_comparable", "places_apart", detail={"places": [sorted(a.local), sorted(b.local)]})
    scope = scope_relation(a, b)
    if scope in ("a_in_b", "b_in_a"):
        # 'al-Sulimaniah and al-Furqan' inside 'Sulaiman al-Halabi, al-Midan, al-Sulimaniah and al-Furqan', a
        # village inside its province: the figure of the smaller place is a part of the other's
        small, large = (a, b) if scope == "a_in_b" else (b, a)
        if part is not None and part is not small:  # the civilians of four neighbourhoods, the people of two
            return Verdict("not_comparable", "crossed_parts", detail={"places": [_scope_names(small), _scope_names(large)]})
        part, whole = small, large
        why[-2] = {**why[-2], "place_part": _scope_names(part), "place_whole": _scope_names(whole)}
    if scope is None and part is None:
        # a village's or neighbourhood's figure against one told only for a country or a province ('eight civilians …
        # when regime warplanes struck the village of Daret Izza' against '13 civilians killed in regime air raids on
        # northern Syria'): the village's is a part of the wider figure
        if _local_scope(a) and _wide_scope(b):
            part, whole = a, b
        elif _local_scope(b) and _wide_scope(a):
            part, whole = b, a
        if part is not None:
            why[-2] = {**why[-2], "place_part": _scope_names(part), "place_whole": _scope_names(whole) or
                       [p.name for p in whole.places]}
    if (a.share or b.share) and scope not in ("same", "a_in_b", "b_in_a"):
        # a share of a toll by place against a figure of no known scope: the share is the part
        if part is not None or (a.share and b.share):
            return Verdict("not_comparable", "breakdown")
        part, whole = (a, b) if a.share else (b, a)
        why[-2] = {**why[-2], "place_part": _scope_names(part), "place_whole": _scope_names(whole)}
    if a.days and b.days and min(_days_between(x, y) or 0 for x in a.days for y in b.days) > DAYS_APART:
        return Verdict("not_comparable", "days_apart", detail={"days": [a.days[0], b.days[0]]})
    sides_a, sides_b = {x[1] for x in a.attackers}, {x[1] for x in b.attackers}
    if sides_a and sides_b and not sides_a & sides_b:
        return Verdict("not_comparable", "attackers", detail={"attackers": [[x[0] for x in a.attackers],
                                                                             [x[0] for x in b.attackers]]})
    if same_event is None:  # inside one article: the same event, or no event stage ran at all
        same_event = ca.event_id == cb.event_id
    if not same_event:
        return Verdict("not_comparable", "event")
    if not (headline_toll(a) and headline_toll(b)):  # an aside in the writer's voice is no toll of the incident
        return Verdict("not_comparable", "not_headline")
    why.append({"check": "headline_tolls"})
    if a.incident_type and b.incident_type and a.incident_type != b.incident_type:
        return Verdict("not_comparable", "incident_type", detail={"types": [a.incident_type, b.incident_type]})
    why.append({"check": "event", "event": _event_dict(a.event or b.event)})
    apart = (a.hi < b.lo or b.hi < a.lo) if part is None else part.lo > whole.hi
    if across and part is not None and apart and not same_scope(a, b):
        # across two articles a part larger than its whole is more often two scopes (a city's civilians on
        # Friday against a province's people on Saturday) than a dispute: flagged only when both figures name
        # the same local place and the same day ("4 civilians" and "2 people" killed in one village on one day)
        return Verdict("not_comparable", "part_across")
    if apart:
        gap = spread(a, b)
        if gap["high"] > SMALL and gap["low"] > 0 and gap["high"] / gap["low"] >= MAGNITUDE:
            return Verdict("not_comparable", "magnitude", detail=gap)
    if same_speaker(ca.attributed_to, cb.attributed_to, a.outlet if across else None, b.outlet if across else None):
        return Verdict("evolution" if apart else "agree", "same_speaker", tuple(why))
    if across and a.outlet and a.outlet == b.outlet:
        return Verdict("evolution" if apart else "agree", "same_outlet", tuple(why))
    why.append({"check": "speakers", "speakers": [_speaker_label(a, across), _speaker_label(b, across)]})
    if across and part is None:  # a later report with a higher figure ("at least 9", then "at least 19" next day)
        timing = _timing(a, b)
        if timing is not None:
            return Verdict("evolution", "later_report", tuple(why), detail=timing)
    if not apart:
        return Verdict("agree", "overlap", tuple(why))
    if (a.update or b.update) and _told_as_update(a, b):
        return Verdict("evolution", "update", tuple(why))
    if not across and part is None and _named_floor_above(a, b):
        return Verdict("evolution", "named_floor", tuple(why))
    why.append({"check": "values", **gap} if part is None else {"check": "values", "part_exceeds_whole": True, **gap})
    return Verdict("contradiction", "disjoint" if part is None else "part_exceeds_whole", tuple(why), detail=gap)


LEAD_SENTENCES = 2  # an article's lead: its first sentences (a dateline or headline glued to the first one included)
_SENTENCE_END = re.compile(r"[.!?؟]\s+|\n+")


_ANAPHOR = re.compile(r"(?i)\b(?:the|this|that|these|those|le|la|les|l['’]|cette|cet|ce|ces)\s*(?:\w+\s+){0,2}?"
                      r"(?:attacks?|strikes?|airstrikes?|air ?raids?|raids?|incident|shelling|bombings?|bombardments?|blasts?|"
                      r"explosions?|massacre|shootings?|ambush|assault|attentats?|attaques?|frappes?|tueries?|fusillades?)\b")


def in_lead(r: Reading) -> bool:
    """Is the figure told in its article's lead (the first ``LEAD_SENTENCES`` sentences), where a news report gives
    its toll of the incident? A figure with no article text is taken as its own lead."""
    text = r.text or ""
    if not text:
        return True
    ends = [m.end() for m in _SENTENCE_END.finditer(text)][:LEAD_SENTENCES]
    lead_end = ends[-1] if len(ends) == LEAD_SENTENCES else len(text)
    return r.claim.start < lead_end


def headline_toll(r: Reading) -> bool:
    """Is the figure a toll of the incident as someone tells it — in the article's lead, or as a source's report
    (a speaker the claims stage names, a reporting word in its sentence: 'The observatory put the toll at six
    dead', or a quotation: '… 75 martyrs.”')? Only such figures compare, inside an article and across articles: a
    figure further down in the writer's own voice is an aside — a part (one house, the bystanders, a village of
    the province), an earlier report the article recalls, or another incident it recounts — and was most of the
    reviewers' false flags."""
    if in_lead(r) or [x for x in r.claim.attributed_to if x]:
        return True
    if not r.text:
        return True
    return bool(_cue_re("reported", r.lang).search(_sentence_text(r.text, r.claim))) or quotation(r.text, r.claim) is not None


def _disjoint(a: Claim, b: Claim) -> bool:
    ia, ib = interval(a), interval(b)
    return bool(ia and ib) and (ia[1] < ib[0] or ib[1] < ia[0])


def disagree(a: Claim, b: Claim) -> bool:
    """The values alone cannot both be true (kept for callers comparing bare claims)."""
    return _disjoint(a, b)


RISE_HOURS = 12.0


def _timing(a: Reading, b: Reading) -> dict | None:
    """A later report with a higher figure is the toll rising (published ≥ RISE_HOURS later, or a
    later day when a date has no time): the evolution, not a disagreement."""
    from datetime import datetime

    def when(r):
        try:
            return datetime.fromisoformat(r.published_at[:19]) if r.published_at else None
        except ValueError:
            return None

    ta, tb = when(a), when(b)
    if ta is None or tb is None:
        return None
    day_only = len(a.published_at or "") <= 10 or len(b.published_at or "") <= 10
    hours = (tb.date() - ta.date()).days * 24.0 if day_only else (tb - ta).total_seconds() / 3600
    if abs(hours) < RISE_HOURS:
        return None
    first, later = (a, b) if hours > 0 else (b, a)
    i_first, i_later = (first.lo, first.hi), (later.lo, later.hi)
    first_top = i_first[1] if math.isfinite(i_first[1]) else i_first[0]
    if i_later[0] > first_top:
        return {"from": first.claim.id, "to": later.claim.id, "hours": abs(hours)}
    return None


def _speaker_label(r: Reading, across: bool) -> list[str]:
    chain = [x for x in r.claim.attributed_to if x]
    return chain or ([r.outlet] if r.outlet else [])


# ---- records ---------------------------------------------------------------------------------
def value_of(r: Reading) -> ContradictionValue:
    c = r.claim
    return ContradictionValue(min=c.min, max=c.max, qualifier=c.qualifier, outlet=r.outlet,
                              attributed_to=tuple(c.attributed_to), article_id=c.article_id, claim_id=c.id,
                              subject=c.subject, text=c.text, start=c.start, end=c.end, number_text=c.number_text,
                              number_start=c.number_start, number_end=c.number_end, published_at=r.published_at)


def make_contradiction(story_id: str | None, readings: list[Reading], verdicts: list[Verdict], *,
                       event: Event | dict | None = None) -> Contradiction:
    """One flag over the readings that contradict each other pairwise (same kind, group, event)."""
    members = sorted(readings, key=lambda r: (r.published_at or "", r.claim.article_id,
                                              r.claim.number_start if r.claim.number_start is not None else r.claim.start))
    lows = [r.hi if math.isfinite(r.hi) else r.lo for r in members]
    highs = [r.lo for r in members]
    lo, hi = min(lows), max(highs)
    gap = {"low": lo, "high": hi, "difference": hi - lo, "ratio": round(hi / lo, 2) if lo else None}
    first = verdicts[0]
    why = [w for w in first.why if w["check"] not in ("values", "speakers", "event")]
    ev = event if isinstance(event, dict) or event is None else _event_dict(event)
    if ev is None:
        ev = next((w["event"] for v in verdicts for w in v.why if w["check"] == "event" and w.get("event")), None)
    why.append({"check": "event", "event": ev})
    why.append({"check": "speakers", "speakers": [_speaker_label(r, story_id is not None) for r in members]})
    values = {"check": "values", **gap}
    if any(w.get("part_exceeds_whole") for v in verdicts for w in v.why if w["check"] == "values"):
        values["part_exceeds_whole"] = True
    why.append(values)
    subject = next((r.claim.subject for r in members if r.claim.subject), members[0].group)
    ids = [r.claim.id for r in members]
    return Contradiction(id=stable_id("contradiction", story_id, *ids), story_id=story_id, kind=members[0].claim.kind,
                         subject=subject, values=tuple(value_of(r) for r in members),
                         scope="story" if story_id else "article", group=members[0].group, event=ev,
                         why=tuple(why), spread=gap)


def group_flags(readings: list[Reading], pairs: list[tuple[int, int, Verdict]]) -> list[tuple[list[Reading], list[Verdict]]]:
    """Contradicting pairs → flags: readings joined by contradicting pairs (same kind and group)."""
    parent = list(range(len(readings)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, _v in pairs:
        parent[find(i)] = find(j)
    groups: dict[int, tuple[list[int], list[Verdict]]] = {}
    for i, j, v in pairs:
        g = groups.setdefault(find(i), ([], []))
        g[1].append(v)
        for k in (i, j):
            if k not in g[0]:
                g[0].append(k)
    return [([readings[k] for k in sorted(idx)], vs) for idx, vs in groups.values()]


def article_readings(claims: Sequence[Claim], article: Article | None, *, places=(), times=(), events=(),
                     lang: str | None = None) -> list[Reading]:
    by_event = {e.event_id: e for e in events}
    readings = [read(c, article, lang=lang, places=places, times=times, siblings=claims,
                     event=by_event.get(c.event_id)) for c in claims]
    return with_named(with_rises(readings), article.text if article else "")


def with_rises(readings: list[Reading]) -> list[Reading]:
    """Each reading learns how high its article tells its kind of toll rising (``Reading.risen_to``): the largest
    sound figure of that kind whose sentence tells a later report or a revision."""
    top: dict[str, float] = {}
    for r in readings:
        if r.refusal is None and ("late" in r.update or "any" in r.update):
            top[r.claim.kind] = max(top.get(r.claim.kind, 0.0), r.lo)
    return [replace(r, risen_to=top[r.claim.kind]) if r.claim.kind in top else r for r in readings]


def same_scope(a: Reading, b: Reading) -> bool:
    """Both figures name the same local place and the same day next to them: one scope, whatever the groups."""
    return bool(set(a.days) & set(b.days)) and bool(a.local & b.local)


def with_named(readings: list[Reading], text: str) -> list[Reading]:
    """Each reading learns how many of its kind its article says were identified by name (``Reading.named``): the
    figures of a sentence in the writer's own voice that tells names identified ('Airwars identified the names of
    61 members of the family, and the identity of at least three others killed' = 61 + 3), added up, the largest
    such sentence."""
    sums: dict[tuple[str, int], float] = {}
    text = plain(text)
    for r in readings:
        c = r.claim
        if c.min is None or [x for x in c.attributed_to if x] or c.part_of:
            continue
        sentence = _sentence_text(text, c)
        if not _cue_re("identified", r.lang).search(sentence) or _cue_re("not_identified", r.lang).search(sentence):
            continue  # no names told, or names denied ('The names of the 10 victims have not been released')
        sums[(c.kind, c.start)] = sums.get((c.kind, c.start), 0.0) + float(c.min)
    top: dict[str, float] = {}
    for (kind, _start), n in sums.items():
        top[kind] = max(top.get(kind, 0.0), n)
    return [replace(r, named=top[r.claim.kind]) if r.claim.kind in top else r for r in readings]


def article_contradictions(claims: Sequence[Claim], outlet: str | None = None, *, article: Article | None = None,
                           places=(), times=(), events=(), lang: str | None = None) -> list[Contradiction]:
    """Contradictions between the speakers one article quotes (``story_id`` null)."""
    if article is None:
        text = ""
        for c in claims:  # no article given: the claims' sentences, at their offsets
            if c.end > len(text):
                text += " " * (c.end - len(text))
            text = text[:c.start] + c.text[:c.end - c.start] + text[c.start + len(c.text[:c.end - c.start]):]
        article = Article(id=claims[0].article_id if claims else "", text=text, outlet=outlet, language=lang)
    elif outlet is not None and article.outlet != outlet:
        article = replace(article, outlet=outlet)
    readings = article_readings(claims, article, places=places, times=times, events=events, lang=lang)
    pairs = []
    for i, j in combinations(range(len(readings)), 2):
        v = compare(readings[i], readings[j])
        if v.relation == "contradiction":
            pairs.append((i, j, v))
    return [make_contradiction(None, rs, vs) for rs, vs in group_flags(readings, pairs)]


class ContradictionsComponent:
    name = "contradictions"
    requires: tuple[str, ...] = ("claims", "events")
    produces: tuple[str, ...] = ("contradictions",)

    def __call__(self, doc):
        found = article_contradictions(doc.claims, doc.article.outlet, article=doc.article, places=doc.places,
                                       times=doc.times, events=doc.events, lang=doc.language)
        return replace(doc, extra={**doc.extra, "contradictions": tuple(found)})
