"""What kind of event a span of text reports: ACLED's event type and sub-event type.

Today a cue table (``claim_lexicon.json`` ``events.rows``, ordered like ACLED's precedence: a
chemical attack before an air strike before shelling before an explosion before a clash … before
a troop movement) read with irrealis and capability filters. ``classify`` is the one entry point
the event builder calls; the mechanism behind it belongs here alone.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .lexicon import alt, lexicon


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
