"""Labels in the reader's language: interface words, claim kinds, subjects, ACLED categories,
country names, figures and dates, in French and English.

Why one module for everyone: the dossier, the daily review, the alerts and the web UI must
say "au moins 9 personnes tuées" / "at least 9 people killed" the same way, and a label
missing in one language must be found by a test, not by a reader. Records keep their
language-independent values (``kind="killed"``, ``subject="US soldiers"``, ACLED's English
categories, ISO country codes); only what is shown is translated, here.

The API (``t = translator("fr")``):

- ``t("review.map")`` — an interface label by key, ``{name}`` placeholders filled from keyword
  arguments: ``t("timeline.articles", n=3)``. Keys live in ``data/i18n/{fr,en}.json`` under "ui".
- ``t.kind("killed")`` — the claim kind as a column label ("tués" / "killed").
- ``t.subject("US soldiers", count=2)`` — a normalised subject (enrich/subjects.py) in the
  language, agreeing in number ("soldats américains"; "1 soldat américain").
- ``t.value(min, max, qualifier)`` — a figure as a reader says it ("au moins 9", "2–9").
- ``t.figure(kind, subject, min, max, qualifier)`` — the whole phrase
  ("au moins 9 personnes tuées", "2 US soldiers killed").
- ``t.event_type(x)``, ``t.sub_event_type(x)``, ``t.event_label(event)`` — ACLED categories;
  ``t.event_headline(event)`` the noun a reviewer's headline uses ("explosion").
- ``t.country("SY")`` — "Syrie" / "Syria" (CLDR names through babel, overridable in the JSON).
- ``t.language("ar")`` — "arabe" / "Arabic"; ``t.ownership("state")`` — an outlet's status;
  ``t.outlet_label(outlet)`` — "média d'État, Russie".
- ``t.date("2019-01-16")`` — "16 janvier 2019" / "16 January 2019"; ``style="weekday"`` adds the
  day's name; ``t.datetime("2019-01-15T17:47")`` keeps the time when the record has one.
- ``t.number(14050)`` — "14 050" / "14,050".
- ``t.speakers(chain, outlet_name)`` — the attribution chain read aloud.
- ``t.missing`` — every key, kind, subject, category or country asked for and not found (each
  fell back to the untranslated value): tests assert it stays empty on a rendered review.
- ``install(env, lang)`` — a Jinja environment gets ``t`` and filters ``kind``, ``subject``,
  ``value``, ``event_label``, ``country``, ``day``, ``when``, ``number``.

Unknown input never raises: the value is shown as is and recorded in ``missing``.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

LANGUAGES = ("fr", "en")


class UnknownLanguage(ValueError):
    pass


def check_lang(lang: str | None, default: str = "fr") -> str:
    """'fr' or 'en' from what a user typed ('FR', 'fr-FR', 'en_GB'); a one-line error otherwise."""
    if not lang:
        return default
    code = re.split(r"[-_]", lang.strip().lower())[0]
    if code not in LANGUAGES:
        raise UnknownLanguage(f"language {lang!r} is not available (choose {' or '.join(LANGUAGES)})")
    return code


@lru_cache(maxsize=None)
def _table(lang: str) -> dict[str, Any]:
    text = resources.files("veille").joinpath(f"data/i18n/{lang}.json").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=4096, typed=True)
def _format_number(x: float | int, lang: str) -> str:
    """babel's number formatting costs ~0.1 ms a call, and a page of figures repeats the same few
    numbers (a story's cross-check box lists hundreds of them): formatted once each."""
    from babel.numbers import format_decimal

    return format_decimal(x, locale=lang, format="#,##0.##")


@lru_cache(maxsize=4096)
def _format_date(d: date, pattern: str, lang: str) -> str:
    """babel's date formatting, once per date (a story's evolution and flags repeat a few dates)."""
    from babel.dates import format_date

    return format_date(d, pattern, locale=lang)


@lru_cache(maxsize=4096)
def _format_datetime(moment: datetime, pattern: str, lang: str) -> str:
    from babel.dates import format_datetime

    return format_datetime(moment, pattern, locale=lang)


def _parse_when(value: Any) -> tuple[date | datetime | None, bool]:
    """(date or datetime, has a time) from an ISO string or a date; (None, False) when unreadable."""
    if isinstance(value, datetime):
        return value, True
    if isinstance(value, date):
        return value, False
    if not value:
        return None, False
    text = str(value).strip()
    try:
        if len(text) > 10 and text[10] in "T ":
            return datetime.fromisoformat(text.replace("Z", "+00:00")), True
        if len(text) == 7:
            return date.fromisoformat(text + "-01"), False
        return date.fromisoformat(text[:10]), False
    except ValueError:
        return None, False


class Translator:
    """Everything one language says; see the module docstring for the API."""

    def __init__(self, lang: str):
        self.lang = check_lang(lang)
        self.table = _table(self.lang)
        self.missing: set[str] = set()
        self._heads = sorted(self.table["heads"], key=len, reverse=True)
        self._subjects: dict[str, tuple | None] = {}

    # ---- interface labels -------------------------------------------------------------
    def __call__(self, key: str, **values: Any) -> str:
        text = self.table["ui"].get(key)
        if text is None:
            self.missing.add(f"ui:{key}")
            text = _table("en")["ui"].get(key, key)
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self.table["ui"]

    # ---- claims -------------------------------------------------------------------------
    def kind(self, kind: str | None) -> str:
        entry = self.table["kinds"].get(kind or "")
        if entry is None:
            if kind:
                self.missing.add(f"kind:{kind}")
            return (kind or "").replace("_", " ")
        return entry["label"]

    def kind_noun(self, kind: str | None, count: float | None = None) -> str:
        """'morts' / 'deaths': the kind as a counted noun (headlines, summaries)."""
        entry = self.table["kinds"].get(kind or "")
        if entry is None:
            if kind:
                self.missing.add(f"kind:{kind}")
            return (kind or "").replace("_", " ")
        return entry["noun"] if count is not None and self._singular(count) else entry["nouns"]

    def _singular(self, count: float | None) -> bool:
        if count is None:
            return False
        return count < 2 if self.lang == "fr" else count == 1

    def _split_subject(self, subject: str) -> tuple[str | None, str | None, str] | None:
        """(nationality, group, head) of a normalised subject label, or None when unknown (once per
        label: a page of figures asks for the same few labels hundreds of times)."""
        try:
            return self._subjects[subject]
        except KeyError:
            pass
        if len(self._subjects) >= 4096:
            self._subjects.clear()
        parts = self._subjects[subject] = self._split_subject_uncached(subject)
        return parts

    def _split_subject_uncached(self, subject: str) -> tuple[str | None, str | None, str] | None:
        for head in self._heads:
            if subject == head or subject.endswith(" " + head):
                rest = subject[: len(subject) - len(head)].strip()
                nat = group = None
                if rest in self.table["groups"]:  # "Syrian army members": a group, not a nationality
                    return None, rest, head
                for key in sorted(self.table["nationalities"], key=len, reverse=True):
                    if rest == key or rest.startswith(key + " "):
                        nat, rest = key, rest[len(key):].strip()
                        break
                if rest:
                    if rest not in self.table["groups"]:
                        return None
                    group = rest
                return nat, group, head
        return None

    def subject(self, subject: str | None, count: float | None = None) -> str:
        """A normalised subject in this language, in the number ``count`` asks for."""
        if not subject:
            return ""
        parts = self._split_subject(subject)
        if parts is None:
            self.missing.add(f"subject:{subject}")
            return subject
        nat, group, head = parts
        one = self._singular(count)
        forms = self.table["heads"][head]
        noun = forms[0] if one else forms[1]
        if self.lang == "fr":
            gender = forms[2]
            words = [noun]
            if nat:
                ms, mp, fs, fp = self.table["nationalities"][nat]
                words.append({("m", True): ms, ("m", False): mp, ("f", True): fs, ("f", False): fp}[(gender, one)])
            if group:
                words.append(self.table["groups"][group])
            return " ".join(words)
        words = [self.table["nationalities"][nat]] if nat else []
        if group:
            words.append(self.table["groups"][group])
        words.append(noun)
        return " ".join(words)

    def _gender(self, subject: str | None) -> str:
        parts = self._split_subject(subject) if subject else None
        if parts is None or self.lang != "fr":
            return "m"
        return self.table["heads"][parts[2]][2]

    def number(self, x: float | int | None) -> str:
        if x is None:
            return "?"
        return _format_number(x, self.lang)

    def value(self, vmin: float | None, vmax: float | None, qualifier: str | None = None) -> str:
        """A figure as a reader says it: 'au moins 9', '2–9', 'environ 20'."""
        if vmin is not None and vmax is not None and vmin != vmax:
            n = self("qualifier.range", a=self.number(vmin), b=self.number(vmax))
        else:
            n = self.number(vmin if vmin is not None else vmax)
        key = f"qualifier.{qualifier or 'exact'}"
        return self(key, n=n) if self.has(key) else n

    def figure(self, kind: str | None, subject: str | None, vmin: float | None, vmax: float | None,
               qualifier: str | None = None) -> str:
        """'au moins 9 personnes tuées' / 'at least 9 people killed'."""
        count = vmax if vmax is not None else vmin
        value = self.value(vmin, vmax, qualifier)
        entry = self.table["kinds"].get(kind or "")
        if entry is None:
            if kind:
                self.missing.add(f"kind:{kind}")
            verb = (kind or "").replace("_", " ")
        elif self.lang == "fr":
            g = self._gender(subject)
            verb = entry[g + ("s" if self._singular(count) else "")]
        else:
            verb = entry["p"]
        noun = self.subject(subject, count) if subject else ""
        return " ".join(x for x in (value, noun, verb) if x)

    def speakers(self, chain: Iterable[str], outlet_name: str | None) -> str:
        """'Al Jazeera ← une source sur place (via Sputnik)'; the outlet itself when nobody is quoted."""
        chain = [c for c in chain if c]
        if not chain:
            return outlet_name or self("figure.the_outlet")
        return " ← ".join(chain) + (f" ({self('figure.via', outlet=outlet_name)})" if outlet_name else "")

    # ---- events, places, languages ------------------------------------------------------
    def _category(self, table: str, value: str | None, field: str) -> str:
        if not value:
            return ""
        entry = self.table[table].get(value)
        if entry is None:
            self.missing.add(f"{table}:{value}")
            return value
        return entry[field]

    def event_type(self, value: str | None) -> str:
        return self._category("event_types", value, "label")

    def sub_event_type(self, value: str | None) -> str:
        return self._category("sub_event_types", value, "label")

    def event_label(self, event: Any) -> str:
        """The most precise category of an Event (or its dict), translated."""
        sub = _get(event, "sub_event_type")
        return self.sub_event_type(sub) if sub else self.event_type(_get(event, "event_type"))

    def event_headline(self, event: Any) -> str:
        sub = _get(event, "sub_event_type")
        if sub:
            return self._category("sub_event_types", sub, "headline")
        return self._category("event_types", _get(event, "event_type"), "headline")

    def country(self, code: str | None) -> str:
        if not code:
            return ""
        code = code.upper()
        name = self.table.get("countries", {}).get(code)
        if name:
            return name
        from babel import Locale

        name = Locale(self.lang).territories.get(code)
        if name is None:
            self.missing.add(f"country:{code}")
            return code
        return name

    def language(self, code: str | None) -> str:
        if not code:
            return ""
        key = f"lang.{code}"
        if self.has(key):
            return self(key)
        from babel import Locale

        name = Locale(self.lang).languages.get(code)
        if name is None:
            self.missing.add(f"language:{code}")
            return code
        return name

    def ownership(self, value: str | None) -> str:
        entry = self.table["ownership"].get(value or "unknown")
        if entry is None:
            self.missing.add(f"ownership:{value}")
            return value or ""
        return entry

    def outlet_label(self, outlet: Any) -> str:
        """'média d'État, Russie' / 'state media, Russia': an Outlet's status and country (its free-text
        affiliation stays as written, in the registry's language)."""
        if outlet is None:
            return ""
        bits = []
        own = _get(outlet, "ownership")
        if own and own != "unknown":
            bits.append(self.ownership(own))
        if _get(outlet, "country"):
            bits.append(self.country(_get(outlet, "country")))
        return ", ".join(bits)

    # ---- dates --------------------------------------------------------------------------
    def date(self, value: Any, style: str = "day") -> str:
        """'16 janvier 2019' / '16 January 2019' (style 'weekday', 'month', 'short' too)."""
        parsed, _ = _parse_when(value)
        if parsed is None:
            return "" if not value else str(value)
        d = parsed.date() if isinstance(parsed, datetime) else parsed
        return _format_date(d, self.table["dates"][style], self.lang)

    def datetime(self, value: Any) -> str:
        """The date, with the time when the record has one ('15 janvier 2019 à 17h47')."""
        parsed, has_time = _parse_when(value)
        if parsed is None:
            return "" if not value else str(value)
        if not has_time:
            return self.date(parsed)
        return _format_datetime(parsed.replace(tzinfo=None), self.table["dates"]["datetime"], self.lang)


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def translator(lang: str | None = "fr") -> Translator:
    """A fresh translator (its ``missing`` set starts empty)."""
    return Translator(check_lang(lang))


def install(env, lang: str | None) -> Translator:
    """Give a Jinja environment the translator ``t`` and its filters; returns the translator."""
    t = translator(lang)
    env.globals["t"] = t
    env.globals["lang"] = t.lang
    env.filters.update({
        "kind": t.kind, "subject": t.subject, "event_label": t.event_label, "country": t.country,
        "day": t.date, "when": t.datetime, "number": t.number, "language": t.language,
        "value": lambda c: t.value(_get(c, "min"), _get(c, "max"), _get(c, "qualifier")),
        "figure": lambda c: t.figure(_get(c, "kind"), _get(c, "subject"), _get(c, "min"), _get(c, "max"), _get(c, "qualifier")),
    })
    return t


def keys(lang: str) -> set[str]:
    """Every key of a language's table (the completeness test compares fr with en); country names are
    overrides of CLDR's and need not be in both."""
    table = _table(check_lang(lang))
    return {f"{section}:{k}" for section, entries in table.items()
            if isinstance(entries, dict) and section != "countries" for k in entries}
