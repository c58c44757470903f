"""Arabic figures: number words, clitics, duals and the patterns ``numbers.py`` needs for Arabic.

Why a module of its own: text2num reads no Arabic, and Arabic writes figures in ways the French
and English scanner has no slot for — a conjunction or preposition glued to the number
("وتسعة", "بنحو"), units before tens joined by "و" ("خمسة وعشرون" = 25), hundreds written as
one word ("ثلاثمئة"), a dual noun that *is* the figure ("جنديين" = two soldiers), the qualifier
after the noun ("تسعة أشخاص على الأقل") and Arabic-Indic digits with their own separators
("١٤٬٠٥٠"). The tables below are the knowledge; ``value`` is the only logic.
"""

from __future__ import annotations

import re

_UNITS = {
    "صفر": 0, "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "إثنين": 2,
    "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "اربعة": 4, "أربع": 4, "اربع": 4, "خمسة": 5, "خمس": 5,
    "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "ثمان": 8, "تسعة": 9, "تسع": 9,
    "عشرة": 10, "عشر": 10, "أحد": 1, "إحدى": 1, "احدى": 1, "اثنا": 2, "اثنتا": 2, "اثني": 2, "اثنتي": 2,
}
_TENS = {
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "أربعون": 40, "أربعين": 40, "اربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80,
    "تسعون": 90, "تسعين": 90,
}
_HUNDREDS = {
    "مئة": 100, "مائة": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200,
    **{f"{u}{h}": n * 100 for u, n in (("ثلاث", 3), ("أربع", 4), ("اربع", 4), ("خمس", 5), ("ست", 6), ("سبع", 7),
                                        ("ثمان", 8), ("ثماني", 8), ("تسع", 9)) for h in ("مئة", "مائة")},
}
_MULTIPLIERS = {"ألف": 1e3, "الف": 1e3, "آلاف": 1e3, "ألفا": 1e3, "ألفان": 2e3, "ألفين": 2e3, "مليون": 1e6,
                "ملايين": 1e6, "مليونا": 1e6, "مليار": 1e9, "مليارات": 1e9}
# a number word with the article follows its noun as an adjective ("الجنود الأربعة": the four soldiers): the forms that
# are nothing else — never "الأحد" (Sunday) or "الاثنين" (Monday), nor a short form that is another word ("الست")
_DEFINITE = {f"ال{w}": v for w, v in {**_UNITS, **_TENS}.items() if w.endswith("ة") or w in _TENS}
WORDS: dict[str, float] = {**_UNITS, **_TENS, **_HUNDREDS, **_MULTIPLIERS, **_DEFINITE}

# the clitics a number word can carry: "و" (and), "ف" (so), "ب" (with/by), "ل" (to)
CLITIC = r"(?:و|ف)?(?:ب|ل)?"
WORD = r"(?:" + "|".join(sorted((re.escape(w) for w in WORDS), key=len, reverse=True)) + r")"
# "خمسة وعشرون", "ثلاثة آلاف", "مئتين وخمسين": words joined by spaces and a glued "و"
WORD_SEQ = rf"{WORD}(?:\s+و?{WORD})*(?![\w])"
DIGITS = r"\d{1,3}(?:[,٬\u00a0]\d{3})+(?:[.٫]\d+)?|\d+(?:[.٫]\d+)?"
MULT_AFTER = r"(?:\s+(?:ألفا|ألف|الف|آلاف|مليونا|مليون|ملايين|مليار)(?![\w]))?"
_MULT = r"(?:ألفا|ألف|الف|آلاف|مليونا|مليون|ملايين|مليار)(?![\w])"
# "14 ألفا و300", "مليون و400 ألف": a thousands or millions figure goes on after "و" with the smaller part
COMPOUND = (rf"(?:(?:{DIGITS})\s*{_MULT}|{_MULT})"
            rf"(?:\s+و\s*(?:(?:{DIGITS})(?:\s*{_MULT})?|{WORD_SEQ}))+")

# vague quantities and duals: (pattern, min, max, qualifier) like numbers._VAGUE
VAGUE = [
    (r"(?:ال)?عشرات", 20, None, "at_least"), (r"(?:ال)?مئات", 200, None, "at_least"),
    (r"(?:ال)?آلاف", 2000, None, "at_least"),
    (r"(?:ال)?ألوف", 2000, None, "at_least"), (r"بضع(?:ة)?", 3, 9, "about"), (r"عدة", 3, None, "at_least"),
    (r"(?:ال)?عشرات\s+(?:ال)?آلاف", 20000, None, "at_least"),
    # a dual noun is its own figure: "جنديين أمريكيين" = two US soldiers (only forms that are never plurals)
    (r"(?:جنديين|جنديان|شخصين|شخصان|طفلين|طفلان|طفلتين|طفلتان|امرأتين|امرأتان|عنصرين|عنصران|شقيقين|شقيقان|صحفيين اثنين|"
     r"قتيلين|قتيلان|جريحين|جريحان|شهيدين|شهيدان|ضابطين|ضابطان|شرطيين|شرطيان|مسلحين اثنين|آخران|أخريان)", 2, 2, "exact"),
    # "one of them" is one person: "وأصيب أحدهما", "إحداهن"
    (r"(?:أحدهم|أحدهما|أحدهن|إحداهن|إحداهما|احدهم|احدهما)(?![\w])", 1, 1, "exact"),
]


def _persons() -> list[str]:
    """The singular person nouns of ``data/lang/ar/casualties.json`` (shared with the claims' clause reader)."""
    import json
    from importlib import resources

    try:
        return json.loads((resources.files("veille") / "data" / "lang" / "ar" / "casualties.json").read_text(encoding="utf-8"))["persons"]
    except (FileNotFoundError, KeyError):
        return []


# a singular victim right after the report is its own figure: "مقتل شخص", "قتل يمني", "استشهاد طفل", "استشهدت طفلة",
# "يوقع قتيلا" (the definite article allowed: "مقتل الطفل"); a feminine verb agrees with a feminine victim
_ONE = (r"(?:ال)?(?:" + "|".join(sorted(set(_persons()) | {"يمني", "سوري", "عراقي", "لبناني", "فلسطيني", "كردي"}, key=len,
                                      reverse=True)) + r")(?![\w])")
_ONE_BARE = r"(?:آخر|الآخر|الأخرى)(?![\w])"  # "مقتل آخر", "وأصيب الآخر": another one, only right after the cue
SINGULAR = [(rf"(?<=(?<![\w]){cue}\s)(?:{_ONE}|{_ONE_BARE})", 1, 1, "exact") for cue in
            ("مقتل", "بمقتل", "قتل", "وقتل", "قتلت", "وقتلت", "استشهاد", "باستشهاد", "استشهد", "واستشهد", "استشهدت", "واستشهدت",
             "مصرع", "بمصرع", "إصابة", "وإصابة", "أصيب", "وأصيب", "أصيبت", "وأصيبت", "اعتقال", "اعتقل", "اعتقلت", "إعدام", "أعدم",
             "اختطاف", "اختطف", "اختطفت", "لقي", "ولقي", "لقيت", "ولقيت")] + [
    (r"(?<![\d٠-٩]\s)(?<![\w])(?:قتيلا|قتيل|شهيدا|شهيد|جريحا)(?![\w])(?!\s+(?:و|من|في)?(?:ال)?(?:آخر|آخرين))", 1, 1, "exact")]
VAGUE = VAGUE + SINGULAR
QUALIFIERS = [
    (r"(?:ما\s+)?لا\s+يقل\s+عن", "at_least"), (r"أكثر\s+من", "at_least"), (r"اكثر\s+من", "at_least"),
    (r"(?:ما\s+)?يزيد\s+(?:عن|على)", "at_least"), (r"أزيد\s+من", "at_least"), (r"[وب]?نحو", "about"),
    (r"[وب]?حوالي", "about"), (r"[وب]?حوالى", "about"), (r"[وب]?قرابة", "about"), (r"[وب]?زهاء", "about"),
    (r"ما\s+يقارب", "about"), (r"ما\s+يقرب\s+من", "about"), (r"أقل\s+من", "at_most"), (r"اقل\s+من", "at_most"),
    (r"(?:ما\s+)?يصل\s+(?:إلى|الى)", "at_most"), (r"حتى", "at_most"),
]
RANGE = (r"(?:ما\s+)?بين\s+(?P<a>{one})\s+و\s*(?P<b>{one})|من\s+(?P<a2>{one})\s+(?:إلى|الى)\s+(?P<b2>{one})"
         r"|(?P<c>[1-9]\d*|[١-٩][٠-٩]*)\s*[-–]\s*(?P<d>[1-9]\d*|[١-٩][٠-٩]*)(?![\w])")
# "تسعة أشخاص على الأقل": the qualifier after the noun phrase
AT_LEAST_AFTER = re.compile(r"^[^،,.؛;:\d]{0,30}?\s(?:على\s+الأقل|على\s+الاقل)")

MONEY = r"(?:دولارا?|دولارات|يورو|ليرة|ليرات|دينارا?|ريالا?|جنيها?|\$|€)(?![\w])"
AGE = r"(?:عاما|عامًا|سنة|سنوات|أعوام)(?![\w])"
TIME = (r"(?:ساعة|ساعات|دقيقة|دقائق|يوما|يومًا|أيام|يوم|أسبوعا?|أسابيع|شهرا?|أشهر|شهور|كيلومترا?|كيلومترات|كم|كلم|"
        r"مترا?|أمتار|بالمئة|بالمائة|في\s+المئة|في\s+المائة|%|٪)(?![\w])")
MONTHS = (r"(?:يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر|"
          r"كانون\s+الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين\s+الأول|تشرين\s+الثاني|كانون\s+الأول)")


def _strip_clitic(word: str) -> str | None:
    """The number word inside a token that may carry a glued "و"/"ب"/"ل" ("وعشرون", "بنحو" is no number)."""
    if word in WORDS:
        return word
    for n in (1, 2):
        if len(word) > n + 1 and word[n:] in WORDS and all(ch in "وفبل" for ch in word[:n]):
            return word[n:]
    return None


def value(s: str) -> float | None:
    """Value of an Arabic figure in words or digits ("تسعة", "خمسة وعشرون", "ثلاثة آلاف", "١٤٬٠٥٠", "20 ألف")."""
    s = s.strip()
    m = re.fullmatch(rf"({DIGITS})\s*(ألفا|ألف|الف|آلاف|مليونا|مليون|ملايين|مليار)?", s)
    if m:
        digits = m.group(1).replace("٬", "").replace(",", "").replace("\u00a0", "").replace("٫", ".")
        try:
            v = float(digits)
        except ValueError:
            return None
        if m.group(2):
            v *= _MULTIPLIERS[m.group(2)]
        return v
    total, current, seen = 0.0, 0.0, False
    for token in s.split():
        word = _strip_clitic(token)
        if word is None:
            return _compound(s)
        seen = True
        v = WORDS[word]
        if word in _MULTIPLIERS:
            if word in ("ألفان", "ألفين"):
                total += current + 2e3
            else:
                total += max(current, 1.0) * v
            current = 0.0
        elif word in ("عشر", "عشرة") and current and current < 10:
            current += 10  # "ثلاثة عشر" = 13, "أحد عشر" = 11
        else:
            current += v
    return total + current if seen else None


def _compound(s: str) -> float | None:
    """"14 ألفا و300" = 14,300, "مليون و400 ألف" = 1,400,000: the parts after "و", each smaller than the one before."""
    parts = re.split(r"\s+و\s*", s)
    if len(parts) < 2 or not re.search(_MULT, parts[0]):
        return None
    values = [value(p) for p in parts]
    if any(v is None for v in values) or any(b >= a for a, b in zip(values, values[1:])):
        return None
    return float(sum(values))
