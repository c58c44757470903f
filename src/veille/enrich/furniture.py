"""Parts of a body that are not the story: photo captions and datelines.

Why enrichment has to know them although extraction removes what it can: pasted, scraped or
JSON Lines text reaches enrichment with captions inline ("A Syrian man carries a child at the
scene of a reported air strike on … Idlib on September 10 2016. (AFP)") and with a dateline
that names where the reporter sits ("MOSCOW (Sputnik) —"), not where the event happened.
An event must not take its place from them. Claims keep them: a caption's figure is still
text the outlet published, and it stays readable with its span.

Both are recognised by the credit that marks them, not by words about a given story:
a caption is a sentence followed (or ended) by a parenthesised photo/agency credit; a dateline
is a place name followed by a parenthesised agency, or written in capitals before a dash.

Scraped pages also run a photo credit and a "related" headline into the dateline with no full
stop between them ("… program. Sputnik Dmitriy Vinogradov Syrian Airstrikes Kill Over 100 Daesh
Fighters in Hama Province WASHINGTON (Sputnik) The US-led coalition has killed …"): what stands
between the previous sentence's end and a mid-sentence dateline is page furniture, and its
figures belong to another article. Likewise a "Related" heading in the second half of a
scraped body ("… other nations. ... 55 Related Greater EU Intel Sharing …", "Source TRTWorld and
agencies Related News …") opens the list of other articles' headlines that runs to the end.
"""

from __future__ import annotations

import re

# "(AFP)", "(TRT World and Agencies)", "(Reuters/Omar Sanadiki)", "(AP Photo)": short, capitalised
_CREDIT = re.compile(r"\(\s*[A-Z][\w.&'’/ -]{0,45}\)")
_CREDIT_END = re.compile(r"[.!?]\s*\(\s*(?:[A-Z][\w.&'’/ -]{0,45})\)\s*$")  # after the caption's full stop
_DATELINE_AFTER = re.compile(r"\s*\(\s*[A-Z][\w.&'’ -]{1,30}\)\s*(?:[-—–:]\s*)?")
# "DAMASCUS — ", "DAMASCUS: ", "ARBIL, Iraq: ", "RAQQA, Syria – ", "BEIRUT, Lebanon (AP) —"
_DASH_AFTER = re.compile(r"(?:\s*,\s*[A-Z][\w’' -]{1,25}?)?\s*(?:[-—–]\s|:\s|\(\s*[A-Z])")


_OPENING_DASH = re.compile(r"\s*[-—–]\s")
_COLON_AFTER = re.compile(r"(?:\s*,\s*[\w .’'-]{1,25}?)?\s*(?::\s|\(\s*[A-Z][\w .&'’-]{1,30}\)\s*[-—–:]?\s)")


def caption_spans(text: str, sentences) -> list[tuple[int, int]]:
    """Sentences that are photo captions: the next sentence opens with a credit, or this one
    ends with one after its full stop ("… 2016. (AFP)"). An acronym closing a sentence
    ("… Democratic Forces (SDF).") has its stop after the parenthesis and is not a credit."""
    out = []
    for i, (s, e) in enumerate(sentences):
        seg = text[s:e]
        nxt = sentences[i + 1][0] if i + 1 < len(sentences) else None
        credit_next = nxt is not None and _CREDIT.match(text, nxt) is not None
        if credit_next or (_CREDIT_END.search(seg) and not seg.lstrip().startswith("(")):
            out.append((s, e))
    return out


_DATELINE = re.compile(r"\b[A-Z][A-Z.'’-]{2,}(?:[ -][A-Z][A-Z.'’-]{2,})*\s*\(\s*([A-Z][\w .&'’-]{1,30})\)")


def before_datelines(text: str, sentences, is_agency) -> list[tuple[int, int]]:
    """Spans from a sentence's start to a dateline inside it ("… Hama Province WASHINGTON (Sputnik)").

    ``is_agency(name)`` says whether the parenthesised name is a news outlet (the registry knows):
    "ISIL (Daesh)" is no dateline."""
    out = []
    for s, e in sentences:
        for m in _DATELINE.finditer(text, s, e):
            if m.start() > s and text[s:m.start()].strip() and is_agency(m.group(1).strip()):
                out.append((s, m.start()))
                break
    return out


_RELATED = re.compile(r"(?:^|(?<=[\s.)\d]))(?:Related(?:\s+(?:News|Articles|Stories|Posts|Content))?|Read\s+(?:also|more)|"
                      r"See\s+also|(?:À\s+|A\s+)?[Ll]ire\s+aussi|Sur\s+le\s+même\s+sujet)\s*:?\s+(?=[A-Z0-9À-Ý«\"“])")


def trailing_related(text: str) -> list[tuple[int, int]]:
    """The span from a "Related"/"Read also" heading in the second half of ``text`` to its end:
    the headlines of other articles that scraped pages append after the story."""
    half = len(text) // 2
    for m in _RELATED.finditer(text, half):
        return [(m.start(), len(text))]
    return []


def is_dateline(place, text: str) -> bool:
    """``MOSCOW (Sputnik)``, ``BEIRUT (AFP) -``, ``DAMASCUS —``, ``DAMASCUS:``: where the story was filed from."""
    if place.start is None or place.end is None:
        return False
    if _DATELINE_AFTER.match(text, place.end):
        return True
    name = text[place.start:place.end]
    if len(name) > 2 and name.isupper() and _DASH_AFTER.match(text, place.end) is not None:
        return True
    # "Damascus: At least 15 …", "Damascus, Feb 14: …" — a place opening the text (or a paragraph) before a colon
    opens = not text[:place.start].strip() or text[max(0, place.start - 1)] == "\n"
    # "Bangui - Deux groupes armés …": a town opening the text before a dash, in any case
    return opens and (_COLON_AFTER.match(text, place.end) is not None or _OPENING_DASH.match(text, place.end) is not None)


def inside(pos: int | None, spans: list[tuple[int, int]]) -> bool:
    return pos is not None and any(s <= pos < e for s, e in spans)
