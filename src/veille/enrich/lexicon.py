"""Shared loaders for the claim/event stages: the cue lexicon, sentence spans, speaker names.

Why an adapter module: the claim stage runs after the entity stage (issue 4) when it is
there, and on its own when it is not (tests, other languages, a partial pipeline). Every
fallback lives here, so claims.py/attribution.py/events.py read the same ``Doc`` either way.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

from .sentences import split_sentences  # noqa: F401  the one splitter, re-exported for the stages
from .textnorm import fold_key as fold

DATA = resources.files("veille") / "data"


@lru_cache(maxsize=1)
def lexicon() -> dict:
    return json.loads((DATA / "claim_lexicon.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=32)
def lang_data(lang: str, name: str) -> dict:
    """One language's data file (``data/lang/<lang>/<name>.json``, as spaCy's ``lang/xx/``): the words a
    rule reads, kept out of the code so a language is added by adding its folder. Missing → {}."""
    try:
        return json.loads((DATA / "lang" / lang / f"{name}.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, OSError):
        return {}


def words(lang: str, name: str, key: str) -> frozenset[str]:
    """A word list of a language's data file, as a set."""
    return frozenset(lang_data(lang, name).get(key, ()))


def lang_of(language: str | None) -> str:
    """The cue tables to read a text with: French, Arabic, else English."""
    return language if language in ("fr", "ar") else "en"


def alt(patterns: Iterable[str]) -> str:
    pats = sorted(patterns, key=len, reverse=True)
    return r"(?:" + "|".join(pats) + r")"




@dataclass(frozen=True)
class Name:
    """A speaker or actor name resolved to a registry entry (outlet or entity)."""

    name: str
    id: str | None
    kind: str  # outlet | entity | text


class NameResolver:
    """Outlet registry first, then the actors table (issue 4) if it is shipped, then the text.

    Convention for ``Claim.attributed_to``: the registry's canonical display name
    (``Outlet.name``: "Al Jazeera", "Syrian Observatory for Human Rights" for OSDH/SOHR),
    else the actors table's canonical name, else the phrase as written ("une source sur place").
    """

    def __init__(self, registry=None, entities: Iterable = ()):
        if registry is None:
            from ..outlets import load_registry

            registry = load_registry()
        self.registry = registry
        self.names: dict[str, tuple[str, str, str]] = {}  # folded alias -> (name, id, kind)
        for alias, oid in registry.names().items():
            outlet = registry.get(oid)
            if outlet and len(alias) > 1:
                self.names[alias] = (outlet.name, outlet.id, "outlet")
        for row in _actor_rows():
            for alias in row["aliases"]:
                self.names.setdefault(fold(alias), (row["name"], row["id"], "entity"))
        for e in entities:
            for alias in (e.name, *getattr(e, "aliases", ())):
                if alias:
                    self.names.setdefault(fold(alias), (e.name, e.id, "entity"))
        keys = sorted((k for k in self.names if len(k) >= 2), key=len, reverse=True)
        self._re = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")\b") if keys else None

    def find(self, phrase: str) -> Name | None:
        """The best-known name inside ``phrase``: outlets before entities, then the longest alias.

        Entity aliases only count when written with a capital in the phrase ("Daech", not the
        adjective "russe" that an alias table may list for "Government of Russia").
        """
        if not self._re:
            return None
        folded = fold(phrase)
        best = None
        for m in self._re.finditer(folded):
            name, nid, kind = self.names[m.group()]
            if kind != "outlet" and not _capitalised(phrase, m.group()):
                continue
            rank = (kind == "outlet", len(m.group()))
            if best is None or rank > best[0]:
                best = (rank, Name(name, nid, kind))
        return best[1] if best else None

    def resolve(self, phrase: str) -> Name:
        found = self.find(phrase)
        if found:
            return found
        return Name(clean_phrase(phrase), None, "text")


def _capitalised(phrase: str, folded_alias: str) -> bool:
    words = phrase.split()
    first = folded_alias.split()[0]
    for w in words:
        fw = fold(w)
        if fw == first or fw.endswith(" " + first) or fw.startswith(first):
            letters = re.sub(r"^[^\w]*(?:[ldLD]['’])?", "", w)
            # a script without case (Arabic) names with any word
            return bool(letters) and (letters[0].isupper() or letters[0].lower() == letters[0].upper())
    return False


def clean_phrase(phrase: str) -> str:
    p = re.sub(r"\s+", " ", phrase).strip(" ,;:.«»\"“”'’")
    p = re.sub(r"\s+(?:via|sur|on|in a|in an|dans un|dans une)\s+(?:sa|son|ses|leur|its|his|her|their|a|an)\b.*$", "", p)
    p = re.sub(r"\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|aujourd['’]hui|hier|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|on)\s*$", "", p).strip()
    return p


@lru_cache(maxsize=1)
def _actor_rows() -> tuple[dict, ...]:
    """Rows of data/actors.csv (issue 4's alias table) when present; tolerant of its columns."""
    path = DATA / "actors.csv"
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return ()
    rows = []
    for r in csv.DictReader(text.splitlines()):
        name = r.get("name") or r.get("canonical") or ""
        if not name:
            continue
        aliases = [a for a in re.split(r"[|;]", r.get("aliases") or "") if a.strip()] + [name]
        inter = r.get("acled_inter") or r.get("inter") or ""
        rows.append({"id": r.get("id") or fold(name).replace(" ", "-"), "name": name, "aliases": aliases,
                     "type": r.get("type"), "acled_class": r.get("acled_class") or None,
                     "acled_inter": int(inter) if str(inter).strip().isdigit() else None,
                     "country": r.get("country") or None})
    return tuple(rows)


def actor_rows() -> tuple[dict, ...]:
    return _actor_rows()
