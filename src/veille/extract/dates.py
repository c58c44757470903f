"""Publication-date lines as printed by outlets and press reviews.

Explicit patterns first (fast, exact, keep the precision); dateparser only as a fallback
for short lines, always with the languages we support.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from importlib import resources


def _load_months() -> dict[str, int]:
    """Month names of every language we read, from ``data/months.json`` (shared with ``enrich.timex``)."""
    table = json.loads(resources.files("veille.data").joinpath("months.json").read_text(encoding="utf-8"))
    return {name: number for lang, names in table.items() if not lang.startswith("_") for name, number in names.items()}


MONTHS = _load_months()
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_EN = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?"
_WEEKDAY_FR = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_TIME = r"(?:\s*(?:[àa,-]|at)?\s*(?P<h>\d{1,2})\s*[:h]\s*(?P<mi>\d{1,2})\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?(?:\s*(?:GMT|UTC|CET|CEST)[+-]?\d*)?)?"

_PATTERNS = [
    # Tue Jan 15, 2019 5:47PM  /  Thu Jan 10, 2019 6:8PM
    re.compile(rf"^(?:{_WEEKDAY_EN}\s+)?(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}}){_TIME}$", re.I),
    # (Depuis 5 heures) (mardi) 13 janvier 2019 (à 14h30)
    re.compile(
        rf"^(?:(?:Depuis|Il y a|Publié(?: le)?|Mis à jour(?: le)?|Updated|Published)\s+[^0-9]*?(?:\d+\s+\w+\s+)?)?"
        rf"(?:{_WEEKDAY_FR}\s+|{_WEEKDAY_EN}\s+)?(?P<d>\d{{1,2}})(?:er)?\s+(?P<mon>{_MONTH})\.?\s+(?P<y>\d{{4}}){_TIME}$",
        re.I,
    ),
    # 15/01/2019 (14:30) — day first, as French and Arabic outlets print it
    re.compile(rf"^(?P<d>\d{{1,2}})[/.](?P<m>\d{{1,2}})[/.](?P<y>\d{{4}}){_TIME}$"),
    # 2019-01-15(T14:30)
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::\d{2})?)?(?:Z|[+-]\d{2}:?\d{2})?$"),
]


def _build(g: dict) -> tuple[str, str] | None:
    try:
        month = int(g["m"]) if g.get("m") else MONTHS[g["mon"].lower().rstrip(".")]
        day, year = int(g["d"]), int(g["y"])
        if g.get("h") is not None:
            hour, minute = int(g["h"]), int(g["mi"])
            ampm = (g.get("ampm") or "").lower().replace(".", "")
            if ampm == "pm" and hour < 12:
                hour += 12
            elif ampm == "am" and hour == 12:
                hour = 0
            return datetime(year, month, day, hour, minute).isoformat(timespec="minutes"), "minute"
        return datetime(year, month, day).date().isoformat(), "day"
    except (KeyError, ValueError):
        return None


def parse_date_line(line: str) -> tuple[str, str] | None:
    """A line that is (only) a date → (ISO 8601, precision). Prose mentioning a date → None."""
    text = re.sub(r"\s+", " ", line.replace("\u00a0", " ")).strip()
    if not text or len(text) > 60 or not re.search(r"\d{4}", text):
        return None
    for pattern in _PATTERNS:
        m = pattern.match(text)
        if m:
            return _build(m.groupdict())
    return None
