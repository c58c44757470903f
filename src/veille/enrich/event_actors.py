"""Who acted in an event: actors named in a span, with their ACLED inter codes."""

from __future__ import annotations

import re

from .lexicon import alt, lexicon

CIVILIANS = ("Civilians", 7)


def actors(doc, start: int, end: int, extra_text: str = "") -> list[tuple[str, int | None]]:
    """Armed/state actors mentioned in the window, in order, with their ACLED inter code."""
    by_id = {e.id: e for e in doc.entities}
    out: list[tuple[str, int | None]] = []
    for m in sorted(doc.mentions, key=lambda m: m.start):
        if not (start <= m.start < end) or m.entity_id not in by_id:
            continue
        e = by_id[m.entity_id]
        if e.acled_inter is None or e.acled_inter == 7:
            continue
        name = e.acled_class or e.name
        if name not in [a for a, _ in out]:
            out.append((name, e.acled_inter))
    return out


def claimant_first(doc, actors_, sentences, head: str, lang: str) -> list[tuple[str, int | None]]:
    """Whoever claims the attack is its author, whatever the lead names first."""
    text = doc.text
    claim_rx = re.compile(alt(lexicon()["claimed_responsibility"][lang]), re.I)
    claimants = [x for cs, ce in sentences if claim_rx.search(text, cs, ce) for x in actors(doc, cs, ce)]
    if claim_rx.search(head) and re.search(r"\b(?:daech|daesh|isis|isil|islamic state|état islamique)\b", head, re.I):
        claimants = [x for x in actors(doc, 0, len(text)) if x[1] == 2 and "Islamic State" in x[0]] + claimants
    if claimants:
        return [claimants[0]] + [x for x in actors_ if x != claimants[0]]
    return actors_
