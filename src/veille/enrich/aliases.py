"""One alias matcher for actors, outlets and places in French, English and Arabic.

Why one matcher over folded text: the same actor is written Daech, EI, État islamique, ISIS,
داعش; matching the folded token sequence (case, accents, tashkeel and hamza variants
ignored) against a dict keyed by the first token finds all of them in one linear pass,
whatever the language, and hands back offsets into the original text.

Case rule: an alias written with a capital letter in the data must start with a capital
letter in the text ("Hama", not "hama"); an alias written in lower case ("armée syrienne")
matches any case. Short all-capital aliases (EI, US, SAA) must match exactly.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..outlets import load_registry
from ..records import Outlet
from .gazetteer import PlaceEntry
from .textnorm import ARABIC_PROCLITICS, TOKEN, fold, fold_with_offsets, is_arabic, tokens


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str
    acled_inter: int | None
    acled_class: str | None
    country: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Target:
    kind: str  # actor | outlet | place
    obj: object  # Actor | Outlet | PlaceEntry
    alias: str  # as written in the data

    @property
    def id(self) -> str:
        return self.obj.id  # type: ignore[attr-defined]


@dataclass(frozen=True)
class AliasMatch:
    start: int
    end: int
    targets: tuple[Target, ...]


@lru_cache(maxsize=1)
def load_actors() -> tuple[Actor, ...]:
    try:
        text = resources.files("veille").joinpath("data/actors.csv").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return ()
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        if not row.get("id") or not row.get("name"):
            continue
        inter = (row.get("acled_inter") or "").strip()
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        out.append(Actor(row["id"], row["name"], row.get("type") or "organisation",
                         int(inter) if inter.isdigit() else None, row.get("acled_class") or None,
                         row.get("country") or None, (row["name"], *aliases)))
    return tuple(out)


def _case_ok(alias: str, original: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    if not letters or is_arabic(alias):
        return True
    if len(letters) <= 4 and all(c.isupper() for c in letters):
        return all(c.isupper() for c in original if c.isalpha())
    if alias[0].isupper():
        first = next((c for c in original if c.isalpha()), "")
        return first.isupper()
    return True


class AliasMatcher:
    def __init__(self, actors: tuple[Actor, ...], outlets: list[Outlet], places: list[PlaceEntry]):
        # single-token aliases by their token; longer ones by their first two tokens, so that a
        # frequent first token ("al", "la", "jabal") does not drag thousands of candidates along
        self.index: dict[str, list[tuple[tuple[str, ...], Target]]] = {}
        self.pairs: dict[tuple[str, str], list[tuple[tuple[str, ...], Target]]] = {}
        seen: set[tuple[tuple[str, ...], str, str]] = set()

        def add(alias: str, target: Target) -> None:
            toks = tokens(fold(alias))
            if not toks or (toks, target.kind, target.id) in seen:
                return
            seen.add((toks, target.kind, target.id))
            if len(toks) == 1:
                self.index.setdefault(toks[0], []).append((toks, target))
            else:
                self.pairs.setdefault((toks[0], toks[1]), []).append((toks, target))
                self.index.setdefault(toks[0], [])

        for a in actors:
            for alias in a.aliases:
                add(alias, Target("actor", a, alias))
        for o in outlets:
            for alias in (o.name, *o.aliases):
                add(alias, Target("outlet", o, alias))
        for p in places:
            for alias in p.aliases:
                add(alias, Target("place", p, alias))
        for cands in self.pairs.values():
            cands.sort(key=lambda tt: -len(tt[0]))

    def _candidates(self, toks: list[str], i: int):
        firsts = [toks[i]]
        if is_arabic(toks[i]):
            for pre in ARABIC_PROCLITICS:
                if toks[i].startswith(pre) and len(toks[i]) - len(pre) >= 3:
                    bare = toks[i][len(pre):]
                    firsts += [bare, "ال" + bare]  # بالرقة → رقة / الرقة
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        for first in firsts:
            if first not in self.index:
                continue
            if nxt is not None:
                yield first, self.pairs.get((first, nxt), ())
            yield first, self.index[first]

    def find(self, text: str) -> list[AliasMatch]:
        """Longest non-overlapping alias matches, left to right."""
        folded, offsets = fold_with_offsets(text)
        spans = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(folded)]
        toks = [s[2] for s in spans]
        out: list[AliasMatch] = []
        i = 0
        n = len(toks)
        while i < n:
            best_len = 0
            best: list[Target] = []
            for first, cands in self._candidates(toks, i):
                for alias_toks, target in cands:
                    k = len(alias_toks)
                    if k < best_len or i + k > n:
                        continue
                    if k > 2 and alias_toks[2:] != tuple(toks[i + 2:i + k]):
                        continue
                    s = offsets[spans[i][0]]
                    e = offsets[spans[i + k - 1][1] - 1] + 1
                    if not _case_ok(target.alias, text[s:e]):
                        continue
                    if k > best_len:
                        best_len, best = k, [target]
                    elif k == best_len:
                        best.append(target)
            if best_len:
                s = offsets[spans[i][0]]
                e = offsets[spans[i + best_len - 1][1] - 1] + 1
                out.append(AliasMatch(s, e, tuple(best)))
                i += best_len
            else:
                i += 1
        return out


@lru_cache(maxsize=1)
def matcher() -> AliasMatcher:
    """Actors and outlets (held in memory: a few thousand aliases); places come from the
    on-disk gazetteer (``Gazetteer.find``) and are merged in by ``merge_matches``."""
    return AliasMatcher(load_actors(), list(load_registry()), [])


def merge_matches(*lists: list[AliasMatch]) -> list[AliasMatch]:
    """Longest non-overlapping matches left to right over several matchers; the same span's
    targets are pooled (Hama the city and the governorate, Al Jazeera the outlet and the place)."""
    allm = sorted((m for lst in lists for m in lst), key=lambda m: (m.start, -(m.end - m.start)))
    out: list[AliasMatch] = []
    for m in allm:
        if out and m.start == out[-1].start and m.end == out[-1].end:
            out[-1] = AliasMatch(m.start, m.end, out[-1].targets + m.targets)
        elif not out or m.start >= out[-1].end:
            out.append(m)
    return out
