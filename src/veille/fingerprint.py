"""Text fingerprints shared by ingest (exact duplicates) and link (near-duplicates, stories).

A neutral module: the store refuses an exact copy at ingest with ``text_hash`` and the link
stage shingles the same ``normalise``d words, so both agree on what "the same text" is,
without the store importing a stage.
"""

from __future__ import annotations

import hashlib

from .enrich.textnorm import TOKEN, fold

# Texts shorter than this are too short to call a duplicate (a teaser, an empty feed item).
MIN_WORDS = 40



def normalise(text: str) -> list[str]:
    """The text as a list of comparable words, folded by veille's one folding
    (``enrich.textnorm.fold``: case, accents, tashkeel and the Arabic alef/yeh/heh/hamza
    variants), so ingest, link and the cross-check agree with the matchers on "the same word"."""
    return TOKEN.findall(fold(text or ""))


def text_hash(text: str) -> str | None:
    """Hash of the normalised text; None when the text is too short to be a fingerprint."""
    words = normalise(text)
    if len(words) < MIN_WORDS:
        return None
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()
