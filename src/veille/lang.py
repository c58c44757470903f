"""Language identification, restricted to the languages veille analyses.

Why restricted: on short texts an unrestricted identifier wanders off to languages we never
see (a French caption tagged as Catalan); analysts' corpora are French, English and Arabic.
"""

from __future__ import annotations

import re
from functools import lru_cache

SUPPORTED = ("fr", "en", "ar")
_ARABIC = re.compile(r"[\u0600-\u06FF]")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(SUPPORTED) + ["de", "es", "it", "pt", "nl", "ru", "tr", "fa"])
    return ident


def detect_language(text: str, *, restrict: bool = False) -> str | None:
    """ISO 639-1 code, or None for text too short to tell.

    ``restrict`` limits the answer to the supported languages (use it for short texts).
    """
    sample = text[:5000].strip()
    if len(re.sub(r"\W", "", sample)) < 3:
        return None
    letters = re.findall(r"[^\W\d_]", sample)
    if letters and sum(1 for c in letters if _ARABIC.match(c)) / len(letters) > 0.5:
        return "ar"
    ident = _identifier()
    lang, _ = ident.classify(sample)
    if restrict and lang not in SUPPORTED:
        scores = dict(ident.rank(sample))
        lang = max(SUPPORTED, key=lambda code: scores.get(code, float("-inf")))
    return lang


@lru_cache(maxsize=None)
def spacy_stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop-word list of one language, read without importing the language's package.

    Why: ``import spacy.lang.fr`` compiles the French tokenizer exceptions (several seconds,
    once per process and per worker) although only the word list is wanted; English corpora
    then paid for French. The list's module is loaded on its own from the installed package.
    """
    import importlib.util
    import sys
    from pathlib import Path

    name = f"spacy.lang.{lang}.stop_words"
    if name in sys.modules:
        return frozenset(sys.modules[name].STOP_WORDS)
    spec = importlib.util.find_spec(f"spacy.lang.{lang}")  # imports spacy.lang only, not the language
    if spec is None or not spec.origin:
        return frozenset()
    path = Path(spec.origin).with_name("stop_words.py")
    spec = importlib.util.spec_from_file_location(f"_veille_stop_words_{lang}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return frozenset(module.STOP_WORDS)
