"""Contradictions inside one article: same kind, same (normalised) subject, same event,
different speakers, figures that cannot both be true.

Two figures agree when their intervals overlap: exact n → [n, n]; at_least n → [n, ∞);
at_most n → [0, n]; about n → [0.8 n, 1.2 n]; ranges as given. "2 US soldiers killed"
(Kurdistan 24) vs "5 US soldiers killed" (Yeni Şafak) do not overlap → one Contradiction;
"at least 9 people" is another subject and stays out. Cumulative tolls never take part.
Records go to ``Doc.extra["contradictions"]`` with ``story_id=None``.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

from ..records import Claim, Contradiction, ContradictionValue, stable_id

INF = float("inf")


def interval(c: Claim) -> tuple[float, float]:
    lo = c.min if c.min is not None else 0.0
    hi = c.max if c.max is not None else INF
    if c.qualifier == "about" and c.min is not None and c.max is not None and c.min == c.max:
        lo, hi = 0.8 * c.min, 1.2 * c.max
    return lo, hi


def disagree(a: Claim, b: Claim) -> bool:
    (alo, ahi), (blo, bhi) = interval(a), interval(b)
    return ahi < blo or bhi < alo


def article_contradictions(claims, outlet: str | None) -> list[Contradiction]:
    groups: dict[tuple, list[Claim]] = {}
    for c in claims:
        if c.cumulative or c.subject is None:
            continue
        groups.setdefault((c.kind, c.subject, c.event_id), []).append(c)
    out = []
    for (kind, subject, _event), cs in groups.items():
        involved: dict[str, Claim] = {}
        for a, b in combinations(cs, 2):
            if a.attributed_to == b.attributed_to or not disagree(a, b):
                continue
            involved[a.id], involved[b.id] = a, b
        if not involved:
            continue
        members = sorted(involved.values(), key=lambda c: c.number_start or c.start)
        values = tuple(ContradictionValue(min=c.min, max=c.max, qualifier=c.qualifier, outlet=outlet,
                                          attributed_to=c.attributed_to, article_id=c.article_id, claim_id=c.id)
                       for c in members)
        out.append(Contradiction(id=stable_id("contradiction", *(c.id for c in members)), story_id=None,
                                 kind=kind, subject=subject, values=values))
    return out


class ContradictionsComponent:
    name = "contradictions"
    requires: tuple[str, ...] = ("claims", "events")
    produces: tuple[str, ...] = ("contradictions",)

    def __call__(self, doc):
        found = article_contradictions(doc.claims, doc.article.outlet)
        return replace(doc, extra={**doc.extra, "contradictions": tuple(found)})
