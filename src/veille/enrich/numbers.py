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

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import text2num

from . import numbers_ar as AR
from .lexicon import DATA, lang_data


@dataclass(frozen=True)
class Number:
    text: str
    start: int
    end: int  # end of the number (and its multiplier), excluding the noun after it
    min: float | None
    max: float | None
    qualifier: str  # exact | at_least | at_most | about
    unit: str | None = None  # money | age | date | ordinal | time | furniture | None (a count)


def _data(lang: str) -> dict:
    """A language's number words, vague quantities, qualifiers and units (data/lang/<xx>/numbers.json);
    Arabic's live in ``numbers_ar`` (its clitics and duals are mechanism, not lists)."""
    return lang_data(lang, "numbers")


_WORDS = {lang: " ".join(_data(lang)["words"]) for lang in ("fr", "en")}
# vague quantities: (pattern, min, max, qualifier); compounds come first in the files (the alternation
# takes the first pattern that matches, not the longest)
_VAGUE = {lang: [tuple(v) for v in _data(lang)["vague"]] for lang in ("fr", "en")}
_QUALIFIERS = {lang: [tuple(q) for q in _data(lang)["qualifiers"]] for lang in ("fr", "en")}
_WORDS["ar"] = " ".join(AR.WORDS)
_VAGUE["ar"] = AR.VAGUE
_QUALIFIERS["ar"] = AR.QUALIFIERS
_MONTHS = "|".join(sorted({m for lang in ("fr", "en") for m in json.loads((DATA / "months.json").read_text(encoding="utf-8"))[lang]},
                          key=len, reverse=True))


@lru_cache(maxsize=4)
def _units(lang: str) -> dict[str, re.Pattern[str]]:
    d = _data(lang)

    def alt_of(key: str) -> str:
        return "(?:" + "|".join(d.get(key, ())) + ")"

    return {
        "money": re.compile(r"\s*(?:" + d.get("money_prefix", "") + r")?" + alt_of("money") + r"(?:\b|(?<=\W))", re.I),
        "age_after": re.compile(r"\s*" + alt_of("age_after"), re.I),
        "age_before": re.compile(alt_of("age_before") + r"\s*$", re.I),
        "time": re.compile(r"[\s-]*" + alt_of("time_after"), re.I),
        "fraction": re.compile(r"[-\s]?" + alt_of("fractions") + r"\b", re.I),
        "ordinal": re.compile(alt_of("ordinal_suffixes") + r"\b", re.I),
        "furniture": re.compile(alt_of("furniture_before") + r"\s*(?:\d+\s*)?$", re.I),
        "address_after": re.compile(r"\s+block\b|\s*(?:th|st|nd|rd)?\s+" + alt_of("address_after") + r"\b", re.I),
        "address_before": re.compile(r"\b" + alt_of("address_before") + r"\s*$", re.I),
    }


def _multiplier(word: str) -> float:
    word = word.lower()
    for lang in ("fr", "en"):
        if word in _data(lang)["multipliers"]:
            return float(_data(lang)["multipliers"][word])
    return 1e6 if word.startswith("million") else 1e9 if word.startswith("milliard") else 1.0


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
           r"|(?P<c>{digits})\s*[-–]\s*(?P<d>{digits})\b"
           # "30 à 32 personnes", "three to four people": a bare range before the noun it counts
           r"|(?P<g>{one})\s+(?:à|to)\s+(?P<h>{one})(?=\s+[^\W\d])").format(one=one, digits=r"[1-9]\d*")
    return re.compile(
        rf"(?<![\w.,:])(?:(?P<q>{qual})(?:\s+|(?<=['’])))?(?:(?P<range>{rng})|(?P<vague>\b(?:{vague})\b)|(?P<num>{one}))(?![\w])",
        re.IGNORECASE,
    )


def _regex_ar() -> re.Pattern[str]:
    """Arabic: the same named groups, with a glued clitic allowed before the figure ("وتسعة")."""
    one = rf"(?:{AR.COMPOUND}|(?:{AR.DIGITS}){AR.MULT_AFTER}|{AR.WORD_SEQ})"
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
            v *= _multiplier(m.group(2))
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
    u = _units(lang)
    if u["money"].match(after) or re.search(r"[$€£]\s*$", before):
        return "money"
    if u["furniture"].search(before):
        return "furniture"  # "Get short URL 0 612", "Views 1430": page counters
    if u["address_after"].match(after) or u["address_before"].search(before):
        return "address"  # "the 4200 block of N. 51st Blvd", "Route 66", "Channel 9": a place or a name
    if re.search(r"(?:^|[^\w])(?:[A-Z][\w'’-]+|[a-z]+)\s*,\s*$", text[max(0, start - 30):start]) and re.match(r"\s*,", after) \
            and re.fullmatch(r"\d{1,2}", text[start:end].strip()) and _person_before(text[max(0, start - 40):start], lang):
        return "age"  # "Dominique Garrett, 25, was killed", "Boy, 16, killed": an age set off by commas
    if u["fraction"].match(after):
        return "fraction"  # "two-thirds of them", "deux tiers"
    if re.match(r"[-/.]\d", after) or re.search(r"\d[-/.]$", before):
        return "date"  # "09-05-2016", "18.05.2017": a piece of a numeric date
    if u["ordinal"].match(after):
        return "ordinal"
    if re.match(r"\s*(?:" + _MONTHS + r")\b", after) or re.search(r"(?:" + _MONTHS + r")\.?\s*$", before):
        return "date"
    if u["age_before"].search(before) or u["age_after"].match(after):
        return "age"
    if u["time"].match(after):
        return "time"
    return None


_PERSON_BEFORE = re.compile(r"\b([\w'’-]+)\s*,\s*$")


def _person_before(before: str, lang: str) -> bool:
    """A name or a person noun right before the comma: what an age set off by commas follows."""
    m = _PERSON_BEFORE.search(before)
    return bool(m) and (m.group(1)[0].isupper() or m.group(1).lower() in _data(lang).get("person_words", ()))


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
            a = groups.get("a") or groups.get("a2") or groups.get("c") or groups.get("e") or groups.get("g")
            b = groups.get("b") or groups.get("b2") or groups.get("d") or groups.get("f") or groups.get("h")
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
                    r"(?:killed|dead|injured|wounded|martyred)\b|\s+(?:other\s+)?(?:person\s+)?(?:died|dead)\b|"
                    r"\s+of\s+(?:them|whom|those)\b|,?\s+(?:fatally|mortally|critically|seriously)\b", text[m.end():m.end() + 24], re.I):
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
