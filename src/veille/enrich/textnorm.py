"""Folding text for alias matching while keeping a map back to the original offsets.

Why a map: every answer must point at the words it came from, but matching must ignore
case, accents, apostrophe and dash variants and, in Arabic, short vowels (tashkeel),
tatweel and the hamza/alef/teh-marbuta spelling variants. Folding changes lengths (a
removed tashkeel, 'œ' → 'oe'), so ``fold_with_offsets`` returns, for each folded
character, the index of the original character it came from.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pyarabic import araby

_ARABIC_DROP = set(araby.TASHKEEL) | {araby.TATWEEL, "\u0670"}  # + superscript alef
_ARABIC_MAP = {
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",  # أ إ آ ٱ → ا
    "\u0629": "\u0647",  # ة → ه
    "\u0649": "\u064a",  # ى → ي
    "\u0624": "\u0648",  # ؤ → و
    "\u0626": "\u064a",  # ئ → ي
}
_PUNCT_MAP = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bf": "'", "\u02be": "'", "`": "'", "\u00b4": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u00a0": " ", "\u202f": " ",
}
_SPECIAL = {"œ": "oe", "æ": "ae", "ß": "ss", "ı": "i", "ł": "l", "ø": "o", "đ": "d"}


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in _ARABIC_DROP:
        return ""
    if c in _ARABIC_MAP:
        return _ARABIC_MAP[c]
    if c in _PUNCT_MAP:
        return _PUNCT_MAP[c]
    low = c.casefold()
    if low in _SPECIAL:
        return _SPECIAL[low]
    if low.isascii():
        return low
    out = "".join(ch for ch in unicodedata.normalize("NFKD", low) if not unicodedata.combining(ch))
    return out


def fold_with_offsets(text: str) -> tuple[str, "list[int] | range"]:
    """Folded text and, per folded character, its index in ``text``.

    Fast path: when every distinct character folds to exactly one character (most French
    and English text), one ``str.translate`` does it and offsets are the identity.
    """
    table = {}
    for c in set(text):
        f = _fold_char(c)
        if len(f) != 1:
            break
        table[ord(c)] = f
    else:
        return text.translate(table), range(len(text))
    out: list[str] = []
    offsets: list[int] = []
    for i, c in enumerate(text):
        f = _fold_char(c)
        if not f:
            continue
        out.append(f)
        if len(f) == 1:
            offsets.append(i)
        else:
            offsets.extend([i] * len(f))
    return "".join(out), offsets


class _FoldTable(dict):
    """``str.translate`` table filled on first sight of each character (same result as
    ``_fold_char`` per character, at C speed: the gazetteer build folds ~1M names)."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """The one text folding of veille: case, accents, Arabic spelling variants, apostrophe and
    dash variants. Same length in most Latin text; see ``fold_with_offsets`` for the map back."""
    return text.translate(_FOLD_TABLE)


def fold_key(text: str) -> str:
    """A lookup key: the folded text's words joined by single spaces ('Yeni Şafak' ==
    'yeni  safak!'), for registries (outlets, names) that compare whole names."""
    return " ".join(TOKEN.findall(fold(text)))


TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def tokens(text: str) -> tuple[str, ...]:
    """Word tokens of already-folded text (apostrophes and dashes separate words)."""
    return tuple(TOKEN.findall(text))


def is_arabic(s: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in s) if s and not s.isascii() else False


# Arabic clitics written attached to the next word: و (and), ف, ب (in), ل (to), ك (like),
# possibly followed by the article ال. Stripped only when the bare form is a known alias.
ARABIC_PROCLITICS = ("وبال", "وال", "بال", "فال", "لل", "كال", "و", "ف", "ب", "ل", "ك")
