"""Numbers in running text: digits, number words, vague quantities, ranges and qualifiers.

Why our own scanner and not only text2num's ``alpha2digit``: the press writes figures in
forms text2num leaves alone ("une vingtaine", "des dizaines", "dozens", "14.050" with a dot
as thousands separator, "100 mille") and a claim needs the *qualifier* in front of the
figure ("au moins", "up to") and the exact character span, which a rewrite of the string
loses. text2num still converts the word sequences we find ("vingt et un", "two hundred").

Money, ages, dates, ordinals and clock times are recognised *as such* (``unit``) so the
claim stage can refuse them rather than mistake them for tolls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import text2num

from . import numbers_ar as AR


@dataclass(frozen=True)
class Number:
    text: str
    start: int
    end: int  # end of the number (and its multiplier), excluding the noun after it
    min: float | None
    max: float | None
    qualifier: str  # exact | at_least | at_most | about
    unit: str | None = None  # money | age | date | ordinal | time | furniture | None (a count)


_WORDS = {
    "fr": ("zéro un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
           "vingt trente quarante cinquante soixante septante huitante nonante cent cents mille million millions "
           "milliard milliards"),
    "en": ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
           "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand "
           "million millions billion"),
}
# vague quantities: (min, max, qualifier); "des dizaines" is at least two tens, ACLED-style
_VAGUE = {
    "fr": [
        (r"une\s+(?:petite\s+)?dizaine", 10, 10, "about"), (r"une\s+douzaine", 12, 12, "about"),
        (r"une\s+quinzaine", 15, 15, "about"), (r"une\s+vingtaine", 20, 20, "about"),
        (r"une\s+trentaine", 30, 30, "about"), (r"une\s+quarantaine", 40, 40, "about"),
        (r"une\s+cinquantaine", 50, 50, "about"), (r"une\s+soixantaine", 60, 60, "about"),
        (r"une\s+centaine", 100, 100, "about"), (r"un\s+millier", 1000, 1000, "about"),
        (r"(?:des|plusieurs)\s+dizaines", 20, None, "at_least"), (r"(?:des|plusieurs)\s+douzaines", 24, None, "at_least"),
        (r"(?:des|plusieurs)\s+centaines", 200, None, "at_least"), (r"(?:des|plusieurs)\s+milliers", 2000, None, "at_least"),
    ],
    "en": [
        (r"a\s+dozen", 12, 12, "about"), (r"half\s+a\s+dozen", 6, 6, "about"), (r"a\s+score\s+of", 20, 20, "about"),
        (r"(?:several\s+)?dozens", 24, None, "at_least"), (r"scores", 40, None, "at_least"),
        (r"(?:several\s+)?hundreds", 200, None, "at_least"), (r"(?:several\s+)?thousands", 2000, None, "at_least"),
        (r"a\s+hundred", 100, 100, "about"), (r"a\s+thousand", 1000, 1000, "about"),
    ],
}
_EN_SMALL = (("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7), ("eight", 8), ("nine", 9), ("ten", 10))
_FR_SMALL = (("deux", 2), ("trois", 3), ("quatre", 4), ("cinq", 5), ("six", 6))
# compounds first: the alternation takes the first pattern that matches, not the longest
_VAGUE["en"] = [
    (r"tens\s+of\s+thousands", 20000, None, "at_least"), (r"hundreds\s+of\s+thousands", 200000, None, "at_least"),
    (r"tens(?=\s+of\b)", 20, None, "at_least"),
    (r"(?:several|a\s+few)\s+dozen", 24, None, "at_least"), (r"(?:several|a\s+few)\s+hundred", 200, None, "at_least"),
    (r"(?:several|a\s+few)\s+thousand", 2000, None, "at_least"), (r"millions", 2000000, None, "at_least"),
    *((rf"{w}\s+dozen", 12 * v, 12 * v, "about") for w, v in _EN_SMALL),
] + _VAGUE["en"]
_VAGUE["fr"] = [
    (r"(?:des|plusieurs)\s+dizaines\s+de\s+milliers", 20000, None, "at_least"),
    (r"(?:des|plusieurs)\s+centaines\s+de\s+milliers", 200000, None, "at_least"),
    (r"(?:des|plusieurs)\s+millions", 2000000, None, "at_least"), (r"quelques\s+dizaines", 20, None, "at_least"),
    (r"quelques\s+centaines", 200, None, "at_least"), (r"quelques\s+milliers", 2000, None, "at_least"),
    *((rf"{w}\s+douzaines", 12 * v, 12 * v, "about") for w, v in _FR_SMALL),
] + _VAGUE["fr"]
_QUALIFIERS = {
    "fr": [
        (r"pas\s+moins\s+d['’]", "at_least"), (r"plus\s+d['’]", "at_least"), (r"près\s+d['’]", "about"),
        (r"moins\s+d['’]", "at_most"), (r"autour\s+d['’]", "about"), (r"au[\s-]delà\s+d['’]", "at_least"),
        (r"pas\s+moins\s+de", "at_least"), (r"au\s+moins", "at_least"), (r"plus\s+de", "at_least"),
        (r"au[\s-]delà\s+de", "at_least"), (r"près\s+de", "about"), (r"environ", "about"), (r"quelques?", "about"),
        (r"approximativement", "about"), (r"jusqu['’]\s*à", "at_most"), (r"moins\s+de", "at_most"),
        (r"au\s+plus", "at_most"), (r"au\s+maximum", "at_most"), (r"presque", "about"), (r"autour\s+de", "about"),
    ],
    "en": [
        (r"at\s+least", "at_least"), (r"more\s+than", "at_least"), (r"over", "at_least"), (r"no\s+fewer\s+than", "at_least"),
        (r"upwards\s+of", "at_least"), (r"nearly", "about"), (r"almost", "about"), (r"about", "about"),
        (r"around", "about"), (r"approximately", "about"), (r"roughly", "about"), (r"some", "about"),
        (r"an\s+estimated", "about"), (r"up\s+to", "at_most"), (r"as\s+many\s+as", "at_most"),
        (r"fewer\s+than", "at_most"), (r"less\s+than", "at_most"), (r"at\s+most", "at_most"),
    ],
}
_WORDS["ar"] = " ".join(AR.WORDS)
_VAGUE["ar"] = AR.VAGUE
_QUALIFIERS["ar"] = AR.QUALIFIERS
_MULT = {"mille": 1e3, "milliers": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9,
         "thousand": 1e3, "million_en": 1e6, "billion": 1e9, "k": 1e3}
_MONTHS = ("janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
           "january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|"
           "jun|jul|aug|sep|sept|oct|nov|dec")
_MONEY = r"(?:de\s+)?(?:dollars?|euros?|livres?|dinars?|rials?|roubles?|livres\s+syriennes|usd|eur|\$|€|£|pounds?|lira|liras|bucks)\b"
_AGE = r"(?:ans\b|an\b|years?\b|-years?[\s-]+old|year-old|yrs?\b\.?|-yrs?\b|ans\s+et|mois\b|months?\s+old)"
_TIME = r"(?:[ap]\.\s?m\.|[ap]m\b|o['’]clock\b|h\b|heures?\b|hours?\b|minutes?\b|min\b|jours?\b|days?\b|semaines?\b|weeks?\b|mois\b|months?\b|années?\b|years?\b|km\b|kilomètres?\b|kilometres?\b|kilometers?\b|miles?\b|mètres?\b|metres?\b|meters?\b|%|pour\s*cent|per\s*cent|percent)"

_DIGITS_BY_LANG = {  # a space groups thousands in French ("1 248"), never in English ("2010 612")
    "fr": r"[1-9]\d{0,2}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?",
    "en": r"[1-9]\d{0,2}(?:[,\u00a0]\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?",
}
_DIGITS = r"\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"


def _parse_digits(s: str, lang: str) -> float | None:
    s = s.replace("\u00a0", " ").replace("\u202f", " ")
    if re.fullmatch(r"\d{1,3}(?:[ .,]\d{3})+", s):
        seps = set(re.findall(r"[ .,]", s))
        if len(seps) == 1:  # "14.050", "300,000", "1 248": thousands separators
            return float(re.sub(r"[ .,]", "", s))
    m = re.fullmatch(r"(\d{1,3}(?:[ .,]\d{3})+)([.,])(\d+)", s)
    if m:
        return float(re.sub(r"[ .,]", "", m.group(1)) + "." + m.group(3))
    s = s.replace(" ", "")
    if "," in s and "." not in s:
        s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


@lru_cache(maxsize=4)
def _regex(lang: str) -> re.Pattern[str]:
    lang = lang if lang in _WORDS else "en"
    if lang == "ar":
        return _regex_ar()
    words = sorted(_WORDS[lang].split(), key=len, reverse=True)
    word = r"(?:" + "|".join(words) + r")"
    joiner = r"(?:[\s-]+(?:et[\s-]+|and[\s-]+)?)"
    word_seq = rf"\b{word}(?:{joiner}{word})*\b"
    mult = r"(?:\s+(?:mille|milliers|millions?|milliards?|thousand|millions?|billion)\b|k\b)?"
    one = rf"(?:(?:{_DIGITS_BY_LANG[lang]}){mult}|{word_seq})"
    vague = "|".join(v[0] for v in _VAGUE[lang])
    qual = "|".join(q[0] for q in _QUALIFIERS[lang])
    rng = (r"(?:at\s+least\s+|au\s+moins\s+)?(?P<e>{one})\s+(?:and|et|but|mais)\s+(?:as\s+many\s+as|up\s+to|perhaps|possibly|"
           r"jusqu['’]\s*à|peut-être)\s+(?P<f>{one})"
           r"|(?:de|entre|from|between)\s+(?P<a>{one})\s+(?:à|a|et|to|and)\s+(?P<b>{one})"
           r"|(?P<c>{digits})\s*[-–]\s*(?P<d>{digits})\b").format(one=one, digits=r"[1-9]\d*")
    return re.compile(
        rf"(?<![\w.,:])(?:(?P<q>{qual})(?:\s+|(?<=['’])))?(?:(?P<range>{rng})|(?P<vague>\b(?:{vague})\b)|(?P<num>{one}))(?![\w])",
        re.IGNORECASE,
    )


def _regex_ar() -> re.Pattern[str]:
    """Arabic: the same named groups, with a glued clitic allowed before the figure ("وتسعة")."""
    one = rf"(?:(?:{AR.DIGITS}){AR.MULT_AFTER}|{AR.WORD_SEQ})"
    vague = "|".join(v[0] for v in sorted(AR.VAGUE, key=lambda v: len(v[0]), reverse=True))
    qual = "|".join(q[0] for q in AR.QUALIFIERS)
    rng = AR.RANGE.format(one=one)
    return re.compile(
        rf"(?:(?<![\w.,:])|(?<=(?<![\w])[وفبل]))(?:(?P<q>{qual})\s+)?"
        rf"(?:(?P<range>{rng})|(?P<vague>(?:{vague}))(?![\w])|(?P<num>{one}))(?![\w])")


def word_value(s: str, lang: str) -> float | None:
    """Value of a number written in words or digits ("neuf", "two hundred", "14.050", "100 mille")."""
    s = s.strip()
    if lang == "ar":
        return AR.value(s)
    m = re.fullmatch(rf"({_DIGITS})\s*(mille|milliers|millions?|milliards?|thousand|billion|k)?", s, re.IGNORECASE)
    if m:
        v = _parse_digits(m.group(1), lang)
        if v is not None and m.group(2):
            key = m.group(2).lower()
            v *= _MULT.get(key, 1e6 if key.startswith("million") else 1e9 if key.startswith("milliard") else 1)
        return v
    norm = re.sub(r"[\s-]+", " ", s.lower())
    if lang == "fr":
        norm = norm.replace("une", "un")
    try:
        return float(text2num(norm, "fr" if lang == "fr" else "en"))
    except (ValueError, IndexError):
        pass
    try:  # text2num wants "vingt-et-un" style in French
        return float(text2num(norm.replace(" ", "-"), "fr" if lang == "fr" else "en"))
    except (ValueError, IndexError):
        return None


def _unit(text: str, start: int, end: int, lang: str) -> str | None:
    after = text[end:end + 40].lower()
    # "for 30 to 90 days", "2 or 3 km": the unit comes after the second figure
    after = re.sub(r"^\s*(?:to|or|and|-|–|à|ou|et|إلى|أو)\s*\d[\d.,]*", "", after)
    before = text[max(0, start - 25):start].lower()
    if lang == "ar":
        if re.match(r"\s*" + AR.MONEY, after) or re.search(r"[$€£]\s*$", before):
            return "money"
        if re.match(r"[-/.]\d", after) or re.search(r"\d[-/.]$", before) or re.match(r"\s*" + AR.MONTHS, after):
            return "date"
        if re.search(r"(?:عمره|عمرها|عمرهم|العمر|البالغ|البالغة)\s*$", before) or re.match(r"\s*" + AR.AGE, after):
            return "age"
        if re.match(r"\s*" + AR.TIME, after):
            return "time"
        return None
    if re.match(r"\s*" + _MONEY, after) or re.search(r"[$€£]\s*$", before):
        return "money"
    if re.search(r"(?:url|views|tweets?|shares?|print|comments?|likes?)\s*(?:\d+\s*)?$", before):
        return "furniture"  # "Get short URL 0 612", "Views 1430": page counters
    if re.match(r"\s+block\b|\s*(?:th|st|nd|rd)?\s+(?:block|street|avenue|road|rue|route)\b", after) or re.search(
            r"\b(?:route|highway|interstate|channel|chaîne|canal|station|studio|gate|porte|bus|flight|vol)\s*$", before):
        return "address"  # "the 4200 block of N. 51st Blvd", "Route 66", "Channel 9": a place or a name
    if re.search(r"(?:^|[^\w])(?:[A-Z][\w'’-]+|[a-z]+)\s*,\s*$", text[max(0, start - 30):start]) and re.match(r"\s*,", after) \
            and re.fullmatch(r"\d{1,2}", text[start:end].strip()) and _person_before(text[max(0, start - 40):start], lang):
        return "age"  # "Dominique Garrett, 25, was killed", "Boy, 16, killed": an age set off by commas
    if re.match(r"[-\s]?(?:thirds?|quarters?|fifths?|halves|tiers|quarts|cinquièmes)\b", after):
        return "fraction"  # "two-thirds of them", "deux tiers"
    if re.match(r"[-/.]\d", after) or re.search(r"\d[-/.]$", before):
        return "date"  # "09-05-2016", "18.05.2017": a piece of a numeric date
    if re.match(r"(?:e|ème|eme|er|ère|th|st|nd|rd)\b", after):
        return "ordinal"
    if re.match(r"\s*(?:" + _MONTHS + r")\b", after) or re.search(r"(?:" + _MONTHS + r")\.?\s*$", before):
        return "date"
    if re.search(r"(?:âgée?s?\s+de|aged|age|âge\s+de)\s*$", before) or re.match(r"\s*" + _AGE, after):
        return "age"
    if re.match(r"\s*" + _TIME, after):
        return "time"
    return None


_PERSON_WORDS = ("boy", "girl", "man", "woman", "child", "teen", "teenager", "son", "daughter", "father", "mother", "victim",
                 "suspect", "driver", "officer", "homme", "femme", "garçon", "fille", "enfant", "père", "mère", "fils", "victime")
_PERSON_BEFORE = re.compile(r"\b([\w'’-]+)\s*,\s*$")


def _person_before(before: str, lang: str) -> bool:
    """A name or a person noun right before the comma: what an age set off by commas follows."""
    m = _PERSON_BEFORE.search(before)
    return bool(m) and (m.group(1)[0].isupper() or m.group(1).lower() in _PERSON_WORDS)


def find_numbers(text: str, lang: str | None = "fr", start: int = 0, end: int | None = None) -> list[Number]:
    """Every figure in ``text[start:end]`` with its qualifier and value range."""
    lang = lang if lang in _WORDS else "en"
    end = len(text) if end is None else end
    out: list[Number] = []
    for m in _regex(lang).finditer(text, start, end):
        qual = "exact"
        if m.group("q") and re.search(r"\ben\s+$", text[max(0, m.start() - 4):m.start()], re.I):
            qual = "exact"  # "en plus de 11 femmes": in addition to, not more than
        elif m.group("q"):
            qual = next(q for pat, q in _QUALIFIERS[lang] if re.fullmatch(pat, m.group("q"), re.IGNORECASE))
        lo = hi = None
        if m.group("range"):
            groups = m.groupdict()
            a = groups.get("a") or groups.get("a2") or groups.get("c") or groups.get("e")
            b = groups.get("b") or groups.get("b2") or groups.get("d") or groups.get("f")
            lo, hi = word_value(a, lang), word_value(b, lang)
            b_bare = word_value(b.split()[0], lang) if lo is not None and hi is not None else None
            if b_bare and b_bare < hi and lo < hi / 100 and len(a.split()) == 1:
                lo *= hi / b_bare  # "بين 60 و80 ألف", "3 to 5 million": the multiplier is shared
            if lo is None or hi is None or hi < lo:
                continue
            if qual == "exact" or groups.get("e"):
                qual = "about"  # "at least 13 and as many as 46": both bounds given
        elif m.group("vague"):
            for pat, vmin, vmax, vq in _VAGUE[lang]:
                hit = re.compile(pat, re.IGNORECASE).match(text, m.start("vague"))  # lookarounds see the context
                if hit and hit.end() == m.end("vague"):
                    lo, hi = float(vmin), (float(vmax) if vmax is not None else None)
                    if qual == "at_least":  # "more than a dozen": a floor, open above
                        hi = None
                    elif qual == "at_most":
                        lo = None
                    qual = vq if qual == "exact" else qual
                    break
        else:
            raw = m.group("num")
            if lang == "fr" and raw.lower() in ("un", "une"):
                continue  # the article, not a figure
            if lang == "ar" and AR.value(raw) == 1 and not re.search(r"\d", raw):
                continue  # "أحد الجنود" (one of the soldiers), "شخص واحد" after its noun: no count to read
            if lang == "en" and raw.lower() == "one" and not re.match(
                    r"\s+(?:person|man|woman|child|civilian|soldier|fighter|member|policeman)\b|\s+(?:was|has\s+been|had\s+been|is)\s+"
                    r"(?:killed|dead|injured|wounded|martyred)\b|\s+(?:other\s+)?(?:person\s+)?(?:died|dead)\b", text[m.end():m.end() + 24], re.I):
                continue
            v = word_value(raw, lang)
            if v is None:
                continue
            lo = hi = v
            if qual == "at_least":
                hi = None
            elif qual == "at_most":
                hi, lo = v, None
        n_start = m.start("range") if m.group("range") else m.start("vague") if m.group("vague") else m.start("num")
        span_start = m.start() if qual != "exact" or not m.group("q") else n_start
        unit = _unit(text, n_start, m.end(), lang)
        if unit is None and re.fullmatch(r"(?:19|20|١٩|٢٠)\d\d", m.group(0).strip()) and qual == "exact":
            unit = "date"  # a bare year
        if unit is None and re.match(r"\d{1,2}[:h]\d{2}\b", text[n_start:n_start + 6]):
            unit = "time"
        out.append(Number(text[span_start:m.end()], span_start, m.end(), lo, hi, qual, unit))
    return out
