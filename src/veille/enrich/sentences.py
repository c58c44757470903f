"""Rule-based sentence splitting (French, English, Arabic) with character offsets.

Why rules and not spaCy's parser: the parser costs more than NER itself, and press French
breaks generic splitters in predictable places — abbreviations ("13 janv. 2019", "M.
Naoumkine", "Mme Ahmed", "É.-U."), initials ("A.Chatta"), numbers ("14.050") and quotations
in guillemets that run over several sentences. A quotation is kept in one sentence with its
attribution ("« … » a-t-il expliqué") because attribution (issue 5) reads it that way.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import Doc

# Words that end with a period without ending the sentence (folded to lower case).
ABBREVIATIONS = frozenset("""
m mm mme mmes mlle mlles dr pr me st ste mgr gén gen col cdt lt sgt cpt capt maj
janv févr fév avr juil sept oct nov déc jan feb mar apr jun jul aug sep dec
lun mar mer jeu ven sam dim mon tue wed thu fri sat sun
mr mrs ms prof sr jr rev gov sen rep gen lieut adm
etc cf ibid env av apr j.-c vs approx no nos n° p pp vol art al ch fig ex éd
u.s u.k u.n é.-u e.-u a.k.a aka i.e e.g
""".split())

_TERMINAL = re.compile(r"[.!?…؟]+|\n\s*\n")
_CLOSERS = "»\"”’')]"
_OPENERS = "«“"


def _prev_word(text: str, end: int) -> str:
    i = end
    while i > 0 and not text[i - 1].isspace() and text[i - 1] not in _OPENERS + "(\"":
        i -= 1
    return text[i:end]


def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) offsets of sentences, whitespace trimmed, in order."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    start = 0
    depth = 0  # open guillemets in the current paragraph
    last = 0
    for m in _TERMINAL.finditer(text):
        seg = text[last:m.start()]
        depth += seg.count("«") - seg.count("»")
        last = m.end()
        if "\n" in m.group():  # paragraph break: always a boundary
            depth = 0
            _push(text, start, m.start(), spans)
            start = m.end()
            continue
        end = m.end()
        while end < n and text[end] in _CLOSERS:
            if text[end] == "»":
                depth -= 1
            end += 1
        last = end
        if end < n and not text[end].isspace():
            continue  # "14.050", "A.Chatta", "U.S.-led"
        j = end
        while j < n and text[j] in " \t\u00a0\u202f":
            j += 1
        if j >= n:
            break
        nxt = text[j]
        if nxt == "\n":
            pass
        elif not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS + "\"(-–—" or "\u0600" <= nxt <= "\u06ff"):
            continue  # next word lower case: "… fermée », a déclaré"
        if m.group() == "." and end == m.end():
            word = _prev_word(text, m.start()).lower()
            if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
                continue
            if len(word) == 1 and word.isalpha():  # initial: "A. Chatta", "J. Jeffrey"
                continue
            if "." in word and len(word) <= 6 and word.replace(".", "").replace("-", "").isalpha():
                continue  # "É.-U.", "U.S."
        if depth > 0:
            continue  # inside a quotation: the quote and its attribution stay together
        _push(text, start, end, spans)
        start = end
    _push(text, start, n, spans)
    return tuple(spans)


def _push(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


class SentenceComponent:
    name = "sentences"
    requires: tuple[str, ...] = ("language",)
    produces: tuple[str, ...] = ("sentences",)

    def __call__(self, doc: Doc) -> Doc:
        return replace(doc, sentences=split_sentences(doc.text))
