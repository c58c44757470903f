"""An event's toll (ACLED: the most conservative reported figure) from its claims.

1. only non-cumulative ``killed`` claims assigned to the event count;
2. per subject (normalised: "US soldiers", "civilians", "people"…) and speaker, the bounds are
   intersected ("de 2 à 9" with "au moins 9" is 9, a self-contradicting speaker keeps its lowest
   figure); across speakers the lowest figure wins;
3. per category take the largest subject (children and women are part of civilians);
4. fatalities = max(general figure, civilians + combatants).
So "≥ 9 people; 2 vs 5 US soldiers" gives 9 and "12 civilians and 3 soldiers" 15; the sample's
Manbij event gives 2, because its title quotes the media's "de 2 à 9 morts" (another voice).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..records import Claim
from .claims import COORDINATED, PART_OF
from .lexicon import lexicon


_VAGUE_WORDS = re.compile(r"(?i)\b(?:dozens|hundreds|thousands|scores|tens|millions|several|few|dizaines|centaines|milliers|douzaines|quelques|"
                          r"عشرات|مئات|آلاف|العشرات|المئات|الآلاف|بضع|بضعة|عدة)\b")


def vague(c: Claim) -> bool:
    return bool(c.number_text) and not re.search(r"\d", c.number_text or "") and bool(_VAGUE_WORDS.search(c.number_text or ""))


def _coordinated_with_previous(c: Claim, claims: list[Claim]) -> bool:
    """Is ``c`` joined by "and" to an earlier figure of its sentence about another subject?"""
    if c.number_start is None:
        return False
    if c.qualifier == "at_most":
        return False  # "at least 11 … and up to 30 civilians": the upper end of one count
    for o in claims:
        if o is not c and o.start == c.start and o.number_end is not None and o.number_end <= c.number_start \
                and o.subject != c.subject and COORDINATED.fullmatch(c.text, o.number_end - c.start, c.number_start - c.start):
            return True
    return False


def _part_of_previous(c: Claim) -> bool:
    if c.number_start is None or c.start is None or not c.text:
        return False
    before = c.text[max(0, c.number_start - c.start - 40):c.number_start - c.start]
    return bool(PART_OF.search(before))


def fatalities(claims: list[Claim], extra: dict[str, int] | None = None) -> int | None:
    """``extra``: claim id → deaths that claim adds on top of its subject's figure — a figure that
    says it adds to the toll ("Another 120 soldiers … were also killed") or a companion count
    ("X alongside nine of his comrades": nine plus X)."""
    extra = extra or {}
    killed = [c for c in claims if c.kind == "killed" and not c.cumulative]
    if not killed:
        return None
    # "287 IS fighters among them 26 minors", "18 civilians including 11 children": a part of the
    # figure before it, never added to it
    ids = {c.id for c in killed}
    whole = [c for c in killed if not _part_of_previous(c) and c.part_of not in ids]
    killed = coordinated_groups(whole or killed)
    companions = sum(int(c.min or 0) + 1 for c in killed if extra.get(c.id) == 1)
    added = (fatalities([c for c in killed if extra.get(c.id) == 0]) or 0) + companions
    killed = [c for c in killed if c.id not in extra]
    # "dozens"/"des dizaines" is a floor we set, not a reported figure: a figure beats it
    precise = [c for c in killed if not vague(c)]
    killed = precise or killed
    if not killed:
        return int(added) if added else None
    # one speaker's figures about one subject are read together: "at least 45" in the title and
    # "more than 40" in the lead say 45, "de 2 à 9" and "au moins 9" say 9; speakers who
    # disagree are not averaged, the lowest wins (ACLED's conservative reading)
    bounds: dict[tuple[str, tuple[str, ...]], list[tuple[float, float | None]]] = {}
    for c in killed:
        low = c.min if c.min is not None or c.qualifier == "at_most" else c.max  # "up to 30" bounds from above only
        if low is None and c.max is None:
            continue
        high = c.max if c.qualifier in ("exact", "at_most") or (c.qualifier == "about" and c.min != c.max) else None
        bounds.setdefault((c.subject or "people", c.attributed_to), []).append((low, high))
    # "Two SDF members and a French mine expert were killed": coordinated figures of one sentence add up
    coordinated = {c.subject for c in killed if _coordinated_with_previous(c, killed)}
    by_subject: dict[str, float] = {}
    for (key, _speaker), pairs in bounds.items():
        lows = [lo for lo, _ in pairs if lo is not None]
        highs = [hi for _, hi in pairs if hi is not None]
        low = max(lows) if lows else min(highs)
        if highs and low > min(highs):  # the speaker contradicts itself: keep its lowest figure
            low = min(lows + highs)
        by_subject[key] = min(by_subject.get(key, low), low)
    cat = {"general": 0.0, "civilian": 0.0, "combatant": 0.0, "additional": 0.0}
    for subject, value in by_subject.items():
        kind = category(subject)
        if kind == "general" and subject in coordinated:
            kind = "additional"
        cat[kind] = max(cat[kind], value) if kind != "additional" else cat[kind] + value
    # "five women and a child", "22 children and 6 teachers": without a civilians total the
    # civilian groups add up; with one ("18 civilians including 11 children") they are part of it
    civ_groups = {k: v for k, v in by_subject.items() if category(k) == "civilian"}
    if civ_groups and not any(k.endswith("civilians") for k in civ_groups):
        cat["civilian"] = sum(civ_groups.values())
    return int(max(cat["general"], cat["civilian"] + cat["combatant"] + cat["additional"] + added))


def coordinated_groups(claims: list[Claim]) -> list[Claim]:
    """Victims coordinated under one predicate are one figure: "two men and a woman were killed" is 3,
    "Ramadan al-Sabta alongside nine of his comrades" 10 (``Claim.adds_to``, read from the parse). The
    group keeps its first figure's subject when every member is of one category, else "people"."""
    by_id = {c.id: c for c in claims}

    def root(c: Claim) -> Claim:
        seen = set()
        while c.adds_to in by_id and c.id not in seen:
            seen.add(c.id)
            c = by_id[c.adds_to]
        return c

    if not any(c.adds_to in by_id for c in claims):
        return list(claims)
    groups: dict[int, list[Claim]] = {}
    for c in claims:
        # "at least 11 … and up to 30": the two ends of one count, never a sum
        r = root(c) if c.adds_to in by_id and c.qualifier != "at_most" else c
        groups.setdefault(id(r), []).append(c)
    out = []
    for members in groups.values():
        if len(members) == 1:
            out.append(members[0])
            continue
        r = next((m for m in members if m.adds_to not in by_id), members[0])
        lows = [m.min if m.min is not None else m.max for m in members]
        if any(x is None for x in lows):
            out += members
            continue
        highs = [m.max for m in members]
        cats = {category(m.subject or "people") for m in members}
        out.append(replace(r, min=float(sum(lows)), max=float(sum(highs)) if all(h is not None for h in highs) else None,
                           qualifier="exact" if all(m.qualifier == "exact" for m in members) else "at_least",
                           subject=r.subject if len(cats) == 1 else "people"))
    return out


@lru_cache(maxsize=1)
def _categories() -> dict[str, str]:
    out = {}
    for lang in ("fr", "en", "ar"):
        for _, norm, category in lexicon()["subjects"][lang]:
            out[norm] = category
    return out


@lru_cache(maxsize=4096)
def category(subject: str) -> str:
    """The category of a normalised subject by its longest known ending ("women", not "men")."""
    subject = subject or "people"
    ends = [norm for norm in _categories() if subject == norm or subject.endswith(" " + norm)]
    if not ends:
        return "general"
    cat = _categories()[max(ends, key=len)]
    return cat if cat in ("civilian", "combatant", "additional") else "general"


LEAD_SENTENCES = 3


def lead_window(sentences, start: int) -> int:
    """End of the first ``LEAD_SENTENCES`` sentences after ``start``."""
    after = [x for x in sentences if x[1] > start]
    return after[min(LEAD_SENTENCES, len(after)) - 1][1] if after else start


def toll_claims(claims: list[Claim], sentences, start: int) -> list[Claim]:
    """The figures that make an event's toll: the first sentence of its lead (its first three
    sentences) with a non-cumulative killed figure, else the first such sentence anywhere.
    Later figures stay on the event for reading but are too often background, a partial count
    or another incident to combine (measured on FA-KES: taking the whole lead scores lower)."""
    lead_end = lead_window(sentences, start)
    tolls = [c for c in claims if c.kind == "killed" and not c.cumulative]
    lead = [c for c in tolls if c.start < lead_end]
    if lead:
        first = min(lead, key=lambda c: c.start)
        chosen = [c for c in lead if c.start == first.start]
        if all(vague(c) for c in chosen):  # "killing dozens": the next figure says how many
            precise = [c for c in tolls if not vague(c)]
            if precise:
                nxt = min(precise, key=lambda c: c.start)
                chosen += [c for c in precise if c.start == nxt.start]
        return chosen
    if tolls:
        first = min(tolls, key=lambda c: c.start)
        return [c for c in tolls if c.start == first.start]
    return []


_ADDS = re.compile(r"(?i)\b(?:another|a\s+further|an\s+additional|(?:\w+\s+)?autres?)\s+$")
# the figure's own clause says it adds: "six teachers also died", "120 soldiers … were also killed"
_ALSO = re.compile(r"(?i)^[^;:]{0,80}?\b(?:(?:were|have\s+been|had\s+been|was)\s+also\s+killed|also\s+died|also\s+killed|"
                   r"ont\s+(?:également|aussi)\s+été\s+tué)")
_CLAUSE_BREAK = re.compile(r"(?i)\b(?:while|whereas|but|said|says|tandis|alors\s+que|mais|selon)\b")
_COMPANIONS_BEFORE = re.compile(r"(?i)\b(?:alongside|along\s+with|together\s+with|aux\s+côtés\s+de|avec)\s+$")
_COMPANIONS_AFTER = re.compile(r"(?i)\s+(?:of\s+(?:his|her|their)|de\s+ses|de\s+leurs)\s+")


def additions(tolls: list[Claim], mine: list[Claim], sentences, text: str, times=(), date: str | None = None
               ) -> tuple[list[Claim], dict[str, int]]:
    """Figures that add to the toll rather than restate it.

    "At least 287 IS fighters had been killed … Another 120 soldiers … were also killed": the
    sentence right after the toll sentence adds its figures when it says so ("another", "also
    killed"). "X alongside nine of his comrades were killed": the companions plus X."""
    extra: dict[str, int] = {}
    for c in tolls:
        pos = c.number_start if c.number_start is not None else c.start
        if c.adds_to is None and _COMPANIONS_BEFORE.search(text[max(0, pos - 30):pos]) and _COMPANIONS_AFTER.match(text, c.number_end or c.end):
            extra[c.id] = 1
    if not tolls:
        return [], extra
    last = max(c.start for c in tolls)
    idx = next((i for i, (s, e) in enumerate(sentences) if s <= last < e), None)
    if idx is None or idx + 1 >= len(sentences):
        return [], extra
    s, e = sentences[idx + 1]
    if date and any(s <= t.start < e and t.value and t.precision == "day" and t.value[:10] != date[:10] for t in times):
        return [], extra  # "26 civilians were also killed yesterday": another day, another event
    more = []
    for c in mine:
        pos = c.number_start if c.number_start is not None else c.start
        if c.kind != "killed" or c.cumulative or not (s <= pos < e) or c in tolls:
            continue
        clause = _ALSO.match(text, pos, e)
        if _ADDS.search(text[max(s, pos - 20):pos]) or (clause and not _CLAUSE_BREAK.search(clause.group())):
            more.append(c)
            extra[c.id] = 0
    return more, extra
