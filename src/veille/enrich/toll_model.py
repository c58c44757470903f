"""The learned choice of an event's toll among the tolls its article states.

Why learned: an article states several tolls — the title's, the lead's, a later update, another
speaker's, a background figure, a partial count — and which one is the event's toll was decided by
rules written row by row ("the first lead sentence, unless …"), which held on the rows they were
written for and not on new text. Here every way of reading the toll is a *candidate value*, each
described by language-independent features (where it is stated, how often, whether the title agrees,
whether it is the largest or the smallest, vague or implicit, summed, qualified, attributed, on
another day), and a small logistic model trained on the development sets' weak labels (FA-KES dev,
GVA articles, Airwars and ACLED records: is this value the labelled toll?) picks one.
The model is data (``data/toll_scorer.json``, a few dozen weights) written by ``bench/train_tolls.py``
from the development sets; the candidates and their values keep ACLED's conservative rule (a
candidate's value is ``fatalities`` of its claims), so the chosen toll names the claims it came from.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Callable, Sequence

from ..records import Claim

FEATURES = (
    "none", "in_title", "title_agrees", "first", "second", "rank", "in_lead", "position", "support", "is_max",
    "is_min", "only", "vague", "implicit", "summed", "at_least", "about", "attributed", "other_day",
    "civilian", "combatant", "log_value", "parse", "far_from_lead", "shot_dead",
)  # what is the same for every candidate of an article (whether the title has a toll, how many values) cannot
#    tell them apart under a conditional logit, so it is no feature


@dataclass(frozen=True)
class Candidate:
    value: int  # 0 for "no toll"
    claims: tuple[Claim, ...]
    features: dict[str, float]


def _sentence_of(pos: int, sentences) -> int:
    for k, (s, e) in enumerate(sentences):
        if s <= pos < e:
            return k
    return len(sentences)


def toll(claims: Sequence[Claim], kind: str, extra: dict[str, int] | None = None) -> int | None:
    """ACLED's conservative reading of ``claims`` of one ``kind`` (``fatalities`` for killed; the same rule
    for the injured)."""
    from .tolls import fatalities

    same = [c if c.kind == "killed" else replace(c, kind="killed") for c in claims if c.kind == kind]
    return fatalities(same, extra)


def event_candidates(kind: str, head: Sequence[Claim], mine: Sequence[Claim], everything: Sequence[Claim], sentences,
                     text: str, times=(), date: str | None = None) -> list[Candidate]:
    """Every value an event's toll of ``kind`` can take from its article: the title's figures, each
    sentence's (with the figures the next sentence says it adds), the title's with the first sentence's,
    and none. ``mine``: the claims grouped to the event; ``everything``: the article's claims."""
    from .tolls import additions as _additions

    def other_day(k: int) -> bool:
        if not date or k >= len(sentences):
            return False
        s, e = sentences[k]
        return any(s <= t.start < e and t.value and t.precision == "day" and t.value[:10] != date[:10] for t in times)

    def combine(cs: list[Claim]) -> tuple[int | None, list[Claim]]:
        if kind == "killed":
            more, extra = _additions(cs, list(everything), sentences, text, times, date)
            return toll(cs + more, kind, extra), cs + more
        value = toll(cs, kind)
        # "Ten people were shot, one of them fatally": the killed among the hurt are not injured
        ids = {c.id for c in cs}
        dead = [c for c in everything if c.kind == "killed" and c.part_of in ids and c.min is not None]
        if value is not None and dead:
            value = max(0, value - int(sum(c.min for c in dead)))
        return value, cs

    dead = any(c.kind == "killed" and not c.cumulative for c in everything)  # the article reports deaths
    return candidates(kind, head, mine, sentences, len(text), combine, other_day, dead=dead)


def candidates(kind: str, head: Sequence[Claim], body: Sequence[Claim], sentences, text_len: int,
               combine: Callable[[list[Claim]], tuple[int | None, list[Claim]]],
               other_day: Callable[[int], bool] = lambda k: False, lead_sentences: int = 3,
               dead: bool = False) -> list[Candidate]:
    """Every value the article's ``kind`` figures give for its event: the title's, each sentence's
    (with the title's for the first), and none — each with its features.

    ``combine`` turns a set of claims into (value, the claims it used) by ACLED's conservative rule;
    ``other_day(k)`` says whether sentence k dates itself to another day than the event's."""
    body = [c for c in body if c.kind == kind and not c.cumulative]
    head = [c for c in head if c.kind == kind and not c.cumulative]
    by_sentence: dict[int, list[Claim]] = {}
    for c in body:
        by_sentence.setdefault(_sentence_of(c.number_start if c.number_start is not None else c.start, sentences), []).append(c)
    order = sorted(by_sentence)
    readings: list[tuple[str, int | None, list[Claim]]] = []  # (where, sentence rank, claims)
    if head:
        readings.append(("title", None, list(head)))
    for rank, k in enumerate(order):
        readings.append(("body", rank, by_sentence[k]))
        if head and rank == 0:
            readings.append(("title+lead", rank, list(head) + by_sentence[k]))
    values: dict[int, list[tuple[str, int | None, list[Claim]]]] = {}
    head_value = combine(list(head))[0] if head else None
    for where, rank, cs in readings:
        v, used = combine(cs)
        if v is None:
            continue
        values.setdefault(int(v), []).append((where, rank, used))
    distinct = sorted(values)
    # the value the article states first (its title, else its first sentence with a figure): a candidate far from it
    # (a war's total beside a strike's, one victim named beside the group) is seldom the event's toll
    lead_value = head_value if head_value is not None else next(
        (v for v, sup in values.items() if any(w == "body" and r == 0 for w, r, _c in sup)), None)
    out = []
    for v, support in values.items():
        ranks = [r for _w, r, _c in support if r is not None]
        first_rank = min(ranks) if ranks else None
        first_k = order[first_rank] if first_rank is not None else None
        cs = [c for _w, _r, group in support for c in group]
        f = dict.fromkeys(FEATURES, 0.0)
        f["in_title"] = float(any(w == "title" for w, _r, _c in support))
        f["title_agrees"] = float(head_value is not None and v == head_value and bool(ranks))
        f["first"] = float(first_rank == 0)
        f["second"] = float(first_rank == 1)
        f["rank"] = min(first_rank, 5) / 5 if first_rank is not None else 1.0
        f["in_lead"] = float(first_k is not None and first_k < lead_sentences)
        f["position"] = (sentences[first_k][0] / max(1, text_len)) if first_k is not None and first_k < len(sentences) else 0.0
        f["support"] = math.log1p(len(set(ranks)) + f["in_title"])
        f["is_max"] = float(v == distinct[-1] and len(distinct) > 1)
        f["is_min"] = float(v == distinct[0] and len(distinct) > 1)
        f["only"] = float(len(distinct) == 1)
        f["vague"] = float(all(_vague(c) for c in cs))
        f["implicit"] = float(all(c.implicit for c in cs))
        f["summed"] = float(any(any(c.adds_to for c in group) or len({c.number_start for c in group if c.part_of is None}) > 1
                                for _w, _r, group in support))
        f["at_least"] = float(any(c.qualifier == "at_least" for c in cs))
        f["about"] = float(any(c.qualifier == "about" for c in cs))
        f["attributed"] = float(any(c.attributed_to for c in cs))
        f["other_day"] = float(first_k is not None and other_day(first_k))
        f["civilian"] = float(any(_category(c.subject) == "civilian" for c in cs))
        f["combatant"] = float(any(_category(c.subject) == "combatant" for c in cs))
        f["log_value"] = math.log1p(v) / 5
        f["parse"] = float(any(c.predicate is not None for c in cs))
        # victims counted one by one from a bare shooting verb ("X was shot"), in an article with deaths: most often
        # the dead themselves, named before or after the word that says they died
        f["shot_dead"] = float(kind == "wounded" and dead and bool(cs) and all(
            c.implicit and (c.predicate or "").lower() in _shooting_forms() for c in cs))
        if lead_value is not None and v and lead_value:
            f["far_from_lead"] = min(abs(math.log(v) - math.log(lead_value)), 6.0) / 6
        first_support = min(support, key=lambda x: (x[1] is None, x[1] if x[1] is not None else 0))
        out.append(Candidate(v, tuple(first_support[2]), {k: round(x, 6) for k, x in f.items()}))
    none = dict.fromkeys(FEATURES, 0.0)
    none["none"] = 1.0
    none["only"] = float(not distinct)
    out.append(Candidate(0, (), {k: round(x, 6) for k, x in none.items()}))
    return out


@lru_cache(maxsize=1)
def _shooting_forms() -> frozenset[str]:
    """The predicates of the "shot" cue class in every language with a parse table (data/lang/<xx>/casualties.json)."""
    from .victims import table

    return frozenset(w for lang in ("en", "fr") for w in table(lang).get("shooting_forms", ()))


def _vague(c: Claim) -> bool:
    from .tolls import vague

    return vague(c)


def _category(subject: str | None) -> str:
    from .tolls import category

    return category(subject or "people")


@lru_cache(maxsize=4)
def weights(name: str = "toll_scorer.json") -> dict[str, dict[str, float]]:
    """The shipped model: per kind (killed, wounded) a weight per feature."""
    path = resources.files("veille") / "data" / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))["weights"]
    except FileNotFoundError:
        return {}


def score(c: Candidate, w: dict[str, float]) -> float:
    return sum(w.get(k, 0.0) * v for k, v in c.features.items())


def choose(cands: Sequence[Candidate], kind: str, w: dict[str, float] | None = None) -> Candidate | None:
    """The candidate the model scores highest (ties: the earlier-stated, then the smaller value)."""
    w = w if w is not None else weights().get(kind)
    if not w or not cands:
        return None
    return max(cands, key=lambda c: (score(c, w), -c.features["rank"], -c.value))


@dataclass(frozen=True)
class Tolls:
    """An event's tolls as the model chose them, with the claims each came from and every candidate."""

    killed: int | None
    killed_claims: tuple[str, ...]
    injured: int | None
    injured_claims: tuple[str, ...]
    candidates: dict  # kind -> [Candidate], and "inputs": what they were computed from (the training script reads them)


def read_tolls(head: Sequence[Claim], counted: Sequence[Claim], everything: Sequence[Claim], sentences, text: str,
               times=(), date: str | None = None, rule: tuple[int | None, Sequence[Claim]] | None = None) -> Tolls:
    """The event's fatalities and injured, each the candidate the shipped model scores highest; without
    a shipped model for a kind, the rule's reading (``rule``: its value and claims) for killed, none for
    injured. A chosen "none" is ``None`` (no figure), as the rule gives."""
    out: dict[str, tuple[int | None, tuple[str, ...]]] = {}
    cands_by_kind: dict = {"inputs": (tuple(head), tuple(counted), tuple(everything), tuple(sentences), text, tuple(times), date)}
    for kind in ("killed", "wounded"):
        cands = event_candidates(kind, head, counted, everything, sentences, text, times, date)
        cands_by_kind[kind] = cands
        pick = choose(cands, kind)
        if pick is None:
            if kind == "killed" and rule is not None:
                out[kind] = (rule[0], tuple(c.id for c in rule[1]))
            else:
                out[kind] = (None, ())
        else:
            out[kind] = (pick.value or None, tuple(dict.fromkeys(c.id for c in pick.claims)))
    return Tolls(out["killed"][0], out["killed"][1], out["wounded"][0], out["wounded"][1], cands_by_kind)
