"""Text fingerprints shared by ingest (exact duplicates) and link (near-duplicates, stories).

A neutral module: the store refuses an exact copy at ingest with ``text_hash`` and the link
stage shingles the same ``normalise``d words, so both agree on what "the same text" is,
without the store importing a stage.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Texts shorter than this are too short to call a duplicate (a teaser, an empty feed item).
MIN_WORDS = 40

_WORD = re.compile(r"\w+", re.UNICODE)
# combining accents left by NFKD (é → e + U+0301)
_LATIN_MARKS = re.compile("[\u0300-\u036f]")
_ARABIC = re.compile("[\u0600-\u06ff]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})
# Arabic diacritics (tashkeel) and tatweel: spelling variants of the same word.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def normalise(text: str) -> list[str]:
    """The text as a list of comparable words: case-folded, accents and tashkeel removed."""
    text = unicodedata.normalize("NFKD", (text or "").casefold())
    text = _ARABIC_MARKS.sub("", _LATIN_MARKS.sub("", text))
    # one alef, one yeh, one heh: the usual Arabic orthographic variants
    if _ARABIC.search(text):
        text = text.translate(_ARABIC_LETTERS)
    return _WORD.findall(text)


def text_hash(text: str) -> str | None:
    """Hash of the normalised text; None when the text is too short to be a fingerprint."""
    words = normalise(text)
    if len(words) < MIN_WORDS:
        return None
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()
