"""The story algorithm as one pure call per batch, for drivers without the SQLite store (Spark).

    from veille.link.batch import MemoryState, assign_stories
    from veille.link.features import article_features

    feats = [article_features(article, mentions, vector, furniture) for ...]
    stories, state = assign_stories(feats)             # {article id: (story id, probability)}
    more, state = assign_stories(next_feats, state)     # a later batch joins the same stories

``assign_stories`` runs ``link.link_batch`` — the very function the CLI's ``link_store``
runs — over a ``MemoryState``: the part of ``state.LinkState`` the story decision reads and
writes (document frequencies, article count and vector sum, story profiles, the postings
stories are found by, the story of each article), kept in memory with the same look-up rules
(``candidates``: the same key/day filter, the same order, the same ``MAX_POSTINGS`` cap). So the
same articles, with the same inputs, give the same stories as ``veille run`` does when it links
them in one batch, run after run, whatever order the batch comes in (``order_key`` sorts it).

Inputs the caller computes per article, as the CLI does: the vector of
``embed.story_text(article)`` (``embed.Embedder``), the mentions of the analysis, ``furniture``
from ``dedup.shares_furniture`` over the article's band members (the republication stage's
groups give them), and the republication mark (``extra["republication"]``, from
``dedup.find_republications``) which makes a copy join its original's story.

``state.story_records(meta, vector_of, copies)`` then gives the ``Story`` records ``link_store``
writes (title, dates, outlets, languages, copies refused at ingest).

A ``MemoryState`` holds every story it has seen (a profile is a few kB); ``forget_before``
drops the stories no dated article on or after a day can reach any more (last article more
than ``FOLLOW_DAYS`` before it), to bound memory over a long stream — an undated article (linked
last) then no longer sees them, which is the one difference with an unbounded run.
The state pickles (``pickle.dumps``), so a driver can carry it between batches.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from .cluster import FOLLOW_DAYS, WINDOW_DAYS, Stats, StoryProfile
from .state import MAX_POSTINGS


class MemoryState:
    """What ``link_batch`` needs of ``LinkState``, in memory (see the module docstring)."""

    def __init__(self):
        self.df: dict[str, int] = {}
        self.n = 0
        self.total: np.ndarray | None = None
        self.profiles: dict[str, StoryProfile] = {}
        self.postings: dict[str, dict[str, int | None]] = {}  # key → story → day
        self.posted: dict[str, list[str]] = {}  # story → its keys (to forget it)
        self.members: dict[str, str] = {}  # article → story (or a story merged since: see ``merged``)
        self.merged: dict[str, str] = {}  # story merged into another → that story

    # ---- statistics (as LinkState) -------------------------------------------------------------
    def load_df(self, terms: Iterable[str]) -> None:
        for t in terms:
            self.df.setdefault(t, 0)

    def count(self, terms: Iterable[str], vector: np.ndarray, sign: int = 1) -> None:
        for t in terms:
            self.df[t] = max(0, self.df.get(t, 0) + sign)
        self.n = max(0, self.n + sign)
        self.total = vector.astype(np.float32) * sign if self.total is None else self.total + sign * vector

    def stats(self) -> Stats:
        return Stats(self.n, self.df, self.total if self.total is not None else np.zeros(0, dtype=np.float32))

    # ---- stories -------------------------------------------------------------------------------
    def current(self, story_id: str) -> str:
        while story_id in self.merged:
            story_id = self.merged[story_id]
        return story_id

    def story_of(self, article_id: str) -> str | None:
        sid = self.members.get(article_id)
        return self.current(sid) if sid is not None else None

    def _resolve(self) -> None:
        """Members point at the stories they are in now; the merge records are then spent."""
        if self.merged:
            self.members = {a: self.current(s) for a, s in self.members.items()}
            self.merged.clear()

    def profile(self, story_id: str) -> StoryProfile | None:
        return self.profiles.get(story_id)

    def candidates(self, keys: Sequence[tuple[str, int]], day: int | None) -> list[StoryProfile]:
        """``LinkState.candidates``: per key the ``MAX_POSTINGS`` most recent stories (day
        descending, undated last, then story id) within the key's horizon."""
        ids: set[str] = set()
        for key, horizon in keys:
            posted = self.postings.get(key)
            if not posted:
                continue
            if horizon and day is not None:
                rows = [(d, s) for s, d in posted.items() if d is not None and day - horizon <= d <= day + horizon]
            else:
                rows = list(posted.items())
                rows = [(d, s) for s, d in rows]
            rows.sort(key=lambda r: (r[0] is None, -(r[0] or 0), r[1]))
            ids.update(s for _d, s in rows[:MAX_POSTINGS])
        out = [self.profiles.get(i) for i in sorted(ids)]
        return [p for p in out if p is not None and p.n > 0]

    def put_profile(self, p: StoryProfile, stats: Stats | None = None) -> None:
        self.profiles[p.id] = p
        keys = self.posted.setdefault(p.id, [])
        for key, d in p.keys(stats):
            posted = self.postings.setdefault(key, {})
            if p.id not in posted:
                keys.append(key)
            posted[p.id] = d

    def merge(self, keep: str, gone: str, stats: Stats | None = None) -> None:
        """``LinkState.merge``: story ``gone`` becomes part of story ``keep``."""
        kept = self.profiles[keep]
        kept.absorb(self.profiles.pop(gone))
        self._unpost(gone)
        self.merged[gone] = keep
        self.put_profile(kept, stats)

    def _unpost(self, sid: str) -> None:
        """Take a story out of the candidate postings (merged away or forgotten)."""
        for key in self.posted.pop(sid, ()):
            posted = self.postings.get(key)
            if posted is not None:
                posted.pop(sid, None)
                if not posted:
                    del self.postings[key]

    def evict(self, before_day: int) -> None:
        """Nothing to write back: ``link_batch`` calls it; memory is bounded by ``forget_before``."""

    def flush(self, only: Iterable[str] | None = None) -> None:
        """Nothing to write (``LinkState`` writes its tables here)."""

    def story_records(self, meta, vector_of, copies=(), title_of=lambda _aid: "") -> list:
        """The ``Story`` records of the articles linked so far (``link.story_records``, what
        ``build_stories`` gives the CLI): ``meta`` article → (outlet, published_at, language,
        title), ``vector_of(ids)`` article → vector, ``copies`` (copy, original) refused at ingest."""
        from . import story_records

        self._resolve()
        return story_records(sorted(self.members.items()), meta, {sid: p.vec_total for sid, p in self.profiles.items()},
                             vector_of, copies, title_of)

    def forget_before(self, day: int) -> int:
        """Drop the stories whose last article is before ``day - FOLLOW_DAYS - WINDOW_DAYS``
        (unreachable from a dated article on or after ``day``); returns how many."""
        self._resolve()
        old = [sid for sid, p in self.profiles.items() if p.last_day is not None and p.last_day < day - FOLLOW_DAYS - WINDOW_DAYS]
        gone = set(old)
        for sid in old:
            del self.profiles[sid]
            self._unpost(sid)
        self.members = {a: s for a, s in self.members.items() if s not in gone}
        return len(old)


def assign_stories(features: Sequence, state: MemoryState | None = None, model=None) -> tuple[dict[str, tuple[str, float]], MemoryState]:
    """Link one batch of ``features.ArticleFeatures``: article id → (story id, probability),
    and the state to hand the next batch (pure: the state passed in is updated and returned)."""
    from . import link_batch

    state = state if state is not None else MemoryState()
    out = link_batch(list(features), state, model)
    for aid, (sid, _p) in sorted(out.items()):
        state.members[aid] = sid
    return out, state
