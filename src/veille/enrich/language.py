"""A second look at the language after ``LanguageComponent``.

Why: ``LanguageComponent`` restricts py3langid to French/English/Arabic for texts under 200
characters (short captions wander off to Catalan otherwise). That restriction also turns a
short German or Russian sentence into "en" or "fr", and the French model would then read it.
Here, when the language was detected (not given by the source), a text written mostly in a
script none of the supported languages use (Cyrillic, Greek, Hebrew, CJK…) or one the
unrestricted identifier gives confidently to another language is re-labelled, with a note,
so no model runs on it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from . import Doc

_SCRIPTS = {"CYRILLIC": "ru", "GREEK": "el", "HEBREW": "he", "CJK": "zh", "HIRAGANA": "ja", "KATAKANA": "ja",
            "HANGUL": "ko", "DEVANAGARI": "hi", "ARMENIAN": "hy", "GEORGIAN": "ka", "THAI": "th"}


def script_language(text: str) -> str | None:
    counts: dict[str, int] = {}
    letters = 0
    for c in text[:3000]:
        if not c.isalpha():
            continue
        letters += 1
        name = unicodedata.name(c, "")
        for script, code in _SCRIPTS.items():
            if name.startswith(script):
                counts[code] = counts.get(code, 0) + 1
                break
    if not letters or not counts:
        return None
    code, n = max(counts.items(), key=lambda kv: kv[1])
    return code if n / letters > 0.5 else None


class LanguageCheckComponent:
    name = "language-check"
    requires: tuple[str, ...] = ("language",)
    produces: tuple[str, ...] = ("language",)

    def __call__(self, doc: Doc) -> Doc:
        from ..lang import SUPPORTED, _identifier

        if doc.article.language or doc.language not in SUPPORTED or doc.language == "ar":
            return doc
        text = doc.text.strip()
        other = script_language(text)
        if other is None and 20 <= len(text) < 200:
            lang, prob = _identifier().classify(text[:5000])
            if lang not in SUPPORTED and prob >= 0.9:
                other = lang
        if other is None:
            return doc
        note = f"language {other} is not analysed (supported: {', '.join(SUPPORTED)})"
        return replace(doc, language=other, notes=doc.notes + (note,))
