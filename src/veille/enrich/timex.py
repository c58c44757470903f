"""Temporal expressions resolved against the publication date, keeping their precision.

Why own rules first: news French and English use a small set of shapes ("mercredi", "le
mardi 8 janvier", "il y a deux jours", "cette semaine", "depuis décembre 2016", "on
Wednesday", "two days ago"); exact rules are fast and say what precision they resolved to
(day, week range, month, year). dateparser is only the fallback, for shapes the rules do not
know (Arabic month names), always with ``languages=[lang]``, ``RELATIVE_BASE`` and
``PREFER_DATES_FROM='past'``.

Conventions: a bare weekday is the last such day on or before publication (on the day of
publication itself it is that day); a day and month without a year take the publication
year, unless that lands more than a week after publication (then the year before).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from ..extract.dates import MONTHS
from . import Doc, TimeExpr

WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
            "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
            "الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الاربعاء": 2, "الخميس": 3, "الجمعة": 4,
            "السبت": 5, "الأحد": 6, "الاحد": 6}
NUMBERS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
           "neuf": 9, "dix": 10, "quinze": 15, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4,
           "five": 5, "six ": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "fifteen": 15, "quelques": 3,
           "few": 3, "several": 3, "plusieurs": 3}

_M = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_W = "|".join(WEEKDAYS)
_N = r"\d{1,2}|" + "|".join(sorted((k.strip() for k in NUMBERS), key=len, reverse=True))

# Compiled without IGNORECASE and run on the lower-cased text (same offsets): several times faster.
_RULES: list[tuple[str, re.Pattern]] = [(name, re.compile(p)) for name, p in [
    # "le mardi 8 janvier 2019", "8 janvier", "30 décembre 2018", "1er janvier"
    ("dmy", rf"\b(?:(?P<wd>{_W})\s+)?(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<m>{_M})\.?(?:,?\s+(?P<y>(?:19|20)\d\d))?\b"),
    # "January 8, 2019", "Jan. 8", "Wednesday, January 9"
    ("mdy", rf"\b(?:(?P<wd>{_W}),?\s+)?(?P<m>{_M})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d\d))?"),
    ("numeric", r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d\d)\b"),
    # "décembre 2016", "in December 2016", "février prochain"
    ("my", rf"\b(?P<m>{_M})\s+(?:(?P<y>(?:19|20)\d\d)|(?P<next>prochain|dernier|next|last)\b)"),
    ("ago", rf"\bil y a\s+(?P<n>{_N})\s+(?P<u>jours?|semaines?|mois|ans?|années?)\b"
            rf"|\b(?P<n2>{_N})\s+(?P<u2>days?|weeks?|months?|years?)\s+ago\b"),
    ("week", r"\b(?P<which>cette semaine|la semaine derni[èe]re|la semaine pass[ée]e|la semaine prochaine|"
             r"this week|last week|next week|earlier this week|ce mois-ci|le mois dernier|le mois pass[ée]|this month|"
             r"last month|cette ann[ée]e|l'ann[ée]e derni[èe]re|l’ann[ée]e derni[èe]re|l'an dernier|l’an dernier|"
             r"this year|last year)\b"),
    ("rel", r"\b(?P<rel>avant-hier|hier|aujourd'hui|aujourd’hui|demain|ce matin|ce soir|cette nuit|"
            r"yesterday|today|tonight|this morning|tomorrow|la veille)\b"),
    ("rel", r"(?<![\w])(?P<rel>أول أمس|أمس|اليوم)(?![\w])"),
    ("wd", rf"\b(?P<pre>(?:le|ce|on|last|this|next|يوم)\s+)?(?P<wd>{_W})(?P<post>\s+(?:dernier|prochain|soir|matin|last|next))?\b"),
    ("year", r"\b(?P<pre>en|depuis|année|l'année|l’année|fin|début|in|since|early|late|of)\s+(?P<y>(?:19|20)\d\d)\b"),
]]


def _iso(d: date) -> str:
    return d.isoformat()


def _num(s: str) -> int:
    s = s.strip().lower()
    return int(s) if s.isdigit() else NUMBERS.get(s, 1)


def _month_shift(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    return date(d.year + y, m + 1, 1)


def _resolve(name: str, g: dict, text: str, base: date | None) -> TimeExpr | None:
    def expr(value: str, precision: str, end_value: str | None = None) -> TimeExpr:
        return TimeExpr(text="", start=0, end=0, value=value, precision=precision, end_value=end_value)

    if name in ("dmy", "mdy", "numeric"):
        m = int(g["m"]) if g["m"].isdigit() else MONTHS[g["m"].lower()]
        d = int(g["d"])
        if g.get("y"):
            y = int(g["y"])
        elif base is not None:
            y = base.year
            try:
                if date(y, m, d) > base + timedelta(days=7):
                    y -= 1
            except ValueError:
                return None
        else:
            return None
        try:
            return expr(_iso(date(y, m, d)), "day")
        except ValueError:
            return None
    if name == "my":
        m = MONTHS[g["m"].lower()]
        if g.get("y"):
            return expr(f"{int(g['y']):04d}-{m:02d}", "month")
        if base is None:
            return None
        nxt = g["next"].lower() in ("prochain", "next")
        y = base.year
        if nxt and m <= base.month:
            y += 1
        if not nxt and m >= base.month:
            y -= 1
        return expr(f"{y:04d}-{m:02d}", "month")
    if name == "year":
        return expr(g["y"], "year")
    if base is None:
        return None
    if name == "ago":
        n = _num(g.get("n") or g.get("n2") or "1")
        u = (g.get("u") or g.get("u2") or "").lower()
        if u.startswith(("jour", "day")):
            return expr(_iso(base - timedelta(days=n)), "day")
        if u.startswith(("semaine", "week")):
            start = base - timedelta(days=7 * n)
            return expr(_iso(start - timedelta(days=start.weekday())), "week",
                        _iso(start + timedelta(days=6 - start.weekday())))
        if u.startswith(("mois", "month")):
            return expr(_month_shift(base, -n).strftime("%Y-%m"), "month")
        return expr(str(base.year - n), "year")
    if name == "week":
        w = g["which"].lower().replace("’", "'")
        if "semaine" in w or "week" in w:
            shift = -7 if ("derni" in w or "pass" in w or "last" in w) else 7 if ("prochaine" in w or "next" in w) else 0
            monday = base - timedelta(days=base.weekday()) + timedelta(days=shift)
            return expr(_iso(monday), "week", _iso(monday + timedelta(days=6)))
        if "mois" in w or "month" in w:
            return expr(_month_shift(base, -1 if ("derni" in w or "pass" in w or "last" in w) else 0).strftime("%Y-%m"),
                        "month")
        return expr(str(base.year - (1 if ("derni" in w or "last" in w) else 0)), "year")
    if name == "rel":
        r = g["rel"].lower().replace("’", "'")
        delta = {"avant-hier": -2, "hier": -1, "yesterday": -1, "la veille": -1, "demain": 1, "tomorrow": 1,
                 "أمس": -1, "أول أمس": -2}.get(r, 0)
        return expr(_iso(base + timedelta(days=delta)), "day")
    if name == "wd":
        wd = WEEKDAYS[g["wd"].lower()]
        pre = (g.get("pre") or "").strip().lower()
        post = (g.get("post") or "").strip().lower()
        if pre == "next" or post in ("prochain", "next"):
            days = (wd - base.weekday()) % 7 or 7
            return expr(_iso(base + timedelta(days=days)), "day")
        days = (base.weekday() - wd) % 7
        if pre == "last" or post in ("dernier", "last"):
            days = days or 7
        return expr(_iso(base - timedelta(days=days)), "day")
    return None


_ENGLISH_CAPS = {"wednesday", "monday", "tuesday", "thursday", "friday", "saturday", "sunday", "may", "march"}
_ARABIC_DATE = re.compile(r"\d{1,2}\s+[\u0600-\u06FF]{3,}(?:\s+[\u0600-\u06FF]{3,})?\s+(?:19|20)\d\d")


def publication_day(published_at: str | None) -> date | None:
    if not published_at:
        return None
    try:
        return date.fromisoformat(published_at[:10])
    except ValueError:
        return None


def find_times(text: str, published_at: str | None, lang: str | None = None) -> tuple[TimeExpr, ...]:
    """Every temporal expression the rules know, resolved; longest match wins on overlap."""
    base = publication_day(published_at)
    found: list[TimeExpr] = []
    taken: list[tuple[int, int]] = []
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lower-cased (İ): keep offsets exact
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for name, pattern in _RULES:
        for m in pattern.finditer(low):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            g = m.groupdict()
            if name == "mdy" and g["m"] in ("mar", "mai", "may") and not text[m.start("m")].isupper():
                continue  # "mar" / "may" as words
            if name in ("my", "mdy") and g["m"].lower() == "mars" and lang == "en":
                continue
            if name == "year" and (g["pre"].lower() in ("of", "in") and lang == "fr"):
                continue
            r = _resolve(name, g, text, base)
            if r is None:
                continue
            found.append(replace(r, text=text[s:e], start=s, end=e))
            taken.append((s, e))
    if lang == "ar" and base is not None:
        found.extend(_fallback(text, base, lang, taken))
    return tuple(sorted(found, key=lambda t: t.start))


def _fallback(text: str, base: date, lang: str, taken: list[tuple[int, int]]) -> list[TimeExpr]:
    """dateparser, only for shapes the rules do not know (Arabic month names)."""
    import datetime as _dt

    import dateparser

    out = []
    settings = {"RELATIVE_BASE": _dt.datetime(base.year, base.month, base.day), "PREFER_DATES_FROM": "past"}
    for m in _ARABIC_DATE.finditer(text):
        s, e = m.span()
        if any(s < te and ts < e for ts, te in taken):
            continue
        parsed = dateparser.parse(m.group(), languages=[lang], settings=settings)
        if parsed is not None:
            out.append(TimeExpr(text=m.group(), start=s, end=e, value=parsed.date().isoformat(), precision="day"))
    return out


class TimeComponent:
    name = "times"
    requires: tuple[str, ...] = ("language",)
    produces: tuple[str, ...] = ("times",)

    def __call__(self, doc: Doc) -> Doc:
        times = find_times(doc.text, doc.article.published_at, doc.language)
        notes = doc.notes
        if doc.article.published_at is None:
            notes += ("no publication date: relative time expressions were not resolved",)
        return replace(doc, times=times, notes=notes)
