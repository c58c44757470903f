"""Turning what a user types into a safe FTS5 query, and filtering hits.

Why quote every term: FTS5 has its own syntax (AND/OR/NOT/NEAR, column filters, ^, +, -,
parentheses); an analyst typing «Al-Tanf» or «Daech: bilan» should get matches, never a
syntax error. Phrases in double quotes stay phrases; a trailing * keeps prefix search.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from ..records import Article
from ..store import Store

MAX_QUERY = 500
MAX_LIMIT = 200
OPEN, CLOSE = "\x02", "\x03"  # snippet hit marks: control characters never occur in clean text

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def fts_query(text: str) -> str | None:
    """``Al-Tanf "police militaire" Dae*`` → ``"Al-Tanf" "police militaire" "Dae"*`` (None if empty)."""
    parts = []
    for phrase, word in _TOKEN.findall(text.replace("\x00", " ")):
        term = (phrase or word).strip()
        prefix = bool(word) and term.endswith("*") and len(term.rstrip("*")) > 0
        term = term.rstrip("*") if prefix else term
        if not re.search(r"\w", term):
            continue
        parts.append('"' + term.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(parts) or None


@dataclass(frozen=True)
class Filters:
    outlet: str | None = None
    language: str | None = None
    since: str | None = None
    until: str | None = None
    place: str | None = None

    def keep(self, a: Article) -> bool:
        if self.outlet and a.outlet != self.outlet:
            return False
        if self.language and a.language != self.language:
            return False
        day = (a.published_at or "")[:10]
        if self.since and (not day or day < self.since):
            return False
        if self.until and (not day or day > self.until):
            return False
        if self.place:
            needle = self.place.casefold()
            names = [p.name for p in a.places] + ([a.main_event.location] if a.main_event and a.main_event.location else [])
            if not any(needle in (n or "").casefold() for n in names):
                return False
        return True


@dataclass(frozen=True)
class Hit:
    article: Article
    snippet: str  # raw text with OPEN/CLOSE marks; escape before display


MESSAGES = {"no_words": "La requête ne contient aucun mot cherchable.",
            "unreadable": "La requête n'a pas pu être interprétée."}


def run_search(store: Store, q: str, filters: Filters, limit: int, t=None) -> tuple[list[Hit], str | None]:
    """Hits best first, and a message when the query could not be run (in ``t``'s language when a
    page gives its translator; the JSON API keeps the French messages it always gave)."""
    def say(key: str) -> str:
        return t(f"web.search.{key}") if t is not None else MESSAGES[key]

    query = fts_query(q) if q else None
    if query is None:
        if q and q.strip():
            return [], say("no_words")
        narrow = filters.outlet or filters.language or filters.place  # filters read from the records themselves
        arts = [a for a in store.articles(since=filters.since, until=filters.until, limit=None if narrow else limit)
                if filters.keep(a)][:limit]
        return [Hit(a, a.lead or a.text[:240]) for a in arts], None
    # filters apply to the ranked hits; widen the window when a narrow filter leaves too few
    # (no filter: the first ``limit`` hits are the answer, and each hit's snippet has a cost)
    windows = (limit * 10, 10_000) if any(vars(filters).values()) else (limit,)
    for window in windows:
        try:
            pairs = store.search(query, limit=window, marks=(OPEN, CLOSE))
        except sqlite3.OperationalError:
            return [], say("unreadable")
        hit_ids = [p[0] for p in pairs]
        # no filter: what a hit shows is read out of the records, not whole texts parsed (a search's cost)
        by_id = store.article_cards(hit_ids) if len(windows) == 1 else {a.id: a for a in store.articles(ids=hit_ids)}
        hits = [Hit(by_id[i], snip) for i, snip in pairs if i in by_id and filters.keep(by_id[i])]
        if len(hits) >= limit or len(pairs) < window:
            break
    return hits[:limit], None
