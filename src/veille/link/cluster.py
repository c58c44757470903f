"""Incremental, incident-aware story clustering — pure functions over features and profiles.

**How an article finds its story** (single pass in publication order, the news-stream
clustering of Miranda et al. 2018: an article either joins the best of the stories it can
reach or opens a new one):

1. *Candidates — the time window.* A story is reachable in two ways:
   - *recent coverage*: it has an article published within ``WINDOW_DAYS`` (3) days of this
     one. Any story, whatever its words: on a busy beat most articles about an incident
     appear within three days (GVA dev: 93 % of the articles that join a story come less
     than 4 days after its nearest article);
   - *reference back*: a follow-up weeks later (an arrest, a funeral, a victim dying in
     hospital, a trial) names what the first articles named — the victim, the suspect, the
     street — or dates the incident. So a story is also reachable, up to ``FOLLOW_DAYS``
     (120) days after its last article, through the article's rarest names (a name in at
     most ``RARE_DF`` articles: "Chicago" is no reference back, "Deandre Banks" is) that
     some other article also holds (a name only this article holds reaches nothing, and
     follow-ups name many people the first reports did not: taking the rarest of all
     names, as before, left 7 of 296 held-out October articles with no way to their story)
     and through the days it tells before its publication — its main event's date, or a day
     its title and lead name ("the incident that occurred on Nov. 2": ``told_back``; enrich's
     main event of a follow-up is often the death or the arrest). In GVA dev, 36 of the 39 articles joining
     a story 4+ days late share such a name with it; a new incident in the same town shares
     the town, which is not rare, and no victim, so it is not even compared.
   Blocking keys (``blocking_keys``) make the candidates a key look-up: the cost per article
   is bounded by the stories active around it and the posting caps, never by the archive.

2. *Scoring.* Each candidate gets a probability of being the article's story from a small
   logistic model over features that are each evidence about the incident
   (``pair_features``): word similarity of the titles, of title + lead, and of the bodies
   (TF-IDF cosines with the story's profile; a title's segments that are the outlet's name
   and tagline, not the headline, are left out: ``features.title_segments``); the sentence-vector cosine after removing the
   archive's common direction (what every article of a beat shares); the share of the
   article's names (IDF-weighted) the story already has; the days to the story's nearest
   article; whether the main event's day agrees with or contradicts the story's incident
   days (or the article tells the story's incident day: ``back_ref``); the story's size; and how far the bodies can be trusted (``body_fit``: a scraped
   page whose body does not repeat its title captured something else — a playlist, a staff
   list — so the title speaks for it: ``title_unfit``). The
   model is the decision itself, a conditional logit over the candidates and "a new story",
   learned (``bench/stories_train.py``) on the GVA and BASIL dev sets together, never on one
   alone, and shipped in ``data/link_model.json``.
   Across languages the word features mean nothing (0 by construction), so a second model
   trained without them scores a story that has no article in the article's language:
   then sentence vectors, names, places and dates decide.

3. *Decision.* The most probable candidate wins if its probability reaches the model's
   ``threshold`` (0.5: joining it beats a new story); otherwise the article opens a new story, whose id is a hash of that first
   article's id (stable for ever). A republication (``copy_of``) joins its original's story
   without scoring.

4. *Pieces of one incident merge.* A single pass can split an incident: two reports in other
   words open two stories, and later articles join one piece or the other. When an article
   would join two stories on its own (both probabilities reach the threshold) and the model,
   reading the younger story as one article (``as_article``), would join it to the older one
   (``one_incident``), the two are one story (``link_batch``; the older keeps its id). The
   article that ties them is left out of that second question: a round-up of two shootings
   claims both and must not tie them.

**Contract for other drivers (Spark).** Everything here is a pure function of records:
``article_features`` (``features.py``) per article; ``Stats`` (number of articles, document
frequencies, sum of vectors — what the archive says is common); ``blocking_keys(f, stats)``
gives the keys to join on (``d:<day>`` publication days, ``n:<name>``, ``e:<day>``) and
``StoryProfile.keys()`` the keys a story is found by; ``ranked(weigh(f, stats), candidates,
stats, model)`` gives every candidate's probability (``choose``: the decision); ``StoryProfile.add``
folds the article into its story, ``StoryProfile.absorb`` a merged story. A driver processes articles in ``order_key`` order, giving each the
profiles its keys reach (``link.state.LinkState`` in SQLite; a Spark job through a join).
Nothing depends on iteration order of sets or dicts: candidates are sorted, ties go to the
smaller story id, so the same input gives the same stories, run after run.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Iterable, Mapping, Sequence

import numpy as np

from .features import ArticleFeatures, tfidf

WINDOW_DAYS = 3
FOLLOW_DAYS = 120
RARE_DF = 8  # a name in at most max(RARE_DF, RARE_SHARE × archive) articles is a reference back
RARE_SHARE = 0.002
MAX_NAME_KEYS = 6  # rarest names of an article used as keys
MAX_TOLD = 3  # days an article tells (before its publication) used as keys
MEAN_PRIOR = 2  # pseudo-articles: the common direction of a one- or two-article archive is only partly removed
MAX_TERMS = {"title": 40, "head": 80, "body": 250, "names": 80}

FEATURES = ("title", "head", "body", "sem", "names", "has_names", "gap", "back_ref", "event_gap", "has_event", "size",
            "title_unfit")
LEXICAL = ("title", "head", "body", "title_unfit")


@dataclass
class Stats:
    """What the archive says is common: article count, document frequencies, vector sum."""

    n: int
    df: Mapping[str, int]
    mean_total: np.ndarray

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df.get(term, 0) + 1))

    def rare(self, term: str) -> bool:
        return self.df.get(term, 0) <= max(RARE_DF, RARE_SHARE * self.n)


@dataclass(frozen=True, eq=False)
class Weighted:
    """An article's vectors under the archive's current statistics."""

    f: ArticleFeatures
    title: Mapping[str, float]
    head: Mapping[str, float]
    body: Mapping[str, float]
    names: Mapping[str, float]  # name → idf


def weigh(f: ArticleFeatures, stats: Stats) -> Weighted:
    title, head = f.title, f.head
    site = [ws for key, ws in f.title_parts if stats.df.get(key, 0) >= 2]  # the outlet's recurring title segments
    if site:
        drop = Counter(w for ws in site for w in ws)
        title, head = Counter(title), Counter(head)
        title.subtract(drop)
        head.subtract(drop)
        title, head = +title, +head
    return Weighted(f, tfidf(title, stats.idf), tfidf(head, stats.idf), tfidf(f.body, stats.idf),
                    {n: stats.idf("@" + n) for n in f.names})


def _top(d: dict, k: int) -> dict:
    if len(d) <= k:
        return d
    return dict(sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))[:k])


@dataclass
class StoryProfile:
    """A story as the linker keeps it: sums of its members' vectors, its days and names."""

    id: str
    n: int = 0
    vec_total: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32), repr=False)
    days: Counter = field(default_factory=Counter)  # publication day → articles
    event_days: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    title: dict = field(default_factory=dict)  # sums of the members' unit TF-IDF vectors (truncated)
    head: dict = field(default_factory=dict)
    body: dict = field(default_factory=dict)
    names: Counter = field(default_factory=Counter)
    norms: dict = field(default_factory=dict)  # cached L2 norms of title/head/body

    def add(self, w: Weighted) -> None:
        f = w.f
        self.n += 1
        self.vec_total = f.vector.astype(np.float32) if not self.vec_total.size else self.vec_total + f.vector
        self.days[f.day if f.day is not None else -1] += 1
        if f.event_day is not None:
            self.event_days[f.event_day] += 1
        if f.language:
            self.languages[f.language] += 1
        self._add_terms(w, f.names)

    def absorb(self, other: "StoryProfile") -> None:
        """Fold another story's profile into this one (two pieces of one incident merge)."""
        self.n += other.n
        if other.vec_total.size:
            self.vec_total = other.vec_total.astype(np.float32).copy() if not self.vec_total.size else self.vec_total + other.vec_total
        self.days.update(other.days)
        self.event_days.update(other.event_days)
        self.languages.update(other.languages)
        self._add_terms(other, other.names)

    def _add_terms(self, weights, names) -> None:
        """Add title/head/body term weights and names (an article's or another story's), keeping each
        bounded to its top terms."""
        for name in ("title", "head", "body"):
            acc = getattr(self, name)
            for term, x in getattr(weights, name).items():
                acc[term] = acc.get(term, 0.0) + x
            if len(acc) > 2 * MAX_TERMS[name]:
                setattr(self, name, _top(acc, MAX_TERMS[name]))
        self.names.update(names)
        if len(self.names) > 2 * MAX_TERMS["names"]:
            self.names = Counter(_top(dict(self.names), MAX_TERMS["names"]))
        self.norms = {}

    def norm(self, name: str) -> float:
        if name not in self.norms:
            self.norms[name] = math.sqrt(sum(x * x for x in getattr(self, name).values()))
        return self.norms[name]

    @property
    def pub_days(self) -> list[int]:
        return sorted(d for d in self.days if d >= 0)

    @property
    def last_day(self) -> int | None:
        days = self.pub_days
        return days[-1] if days else None

    @property
    def first_day(self) -> int | None:
        days = self.pub_days
        return days[0] if days else None

    def keys(self, stats: Stats | None = None) -> list[tuple[str, int | None]]:
        """(key, day) postings this story is found by: its publication days, its rare names and
        its event days, each with the story's last publication day (the horizon is measured
        from it)."""
        last = self.last_day
        out = [(f"d:{d}", d) for d in self.pub_days] or [("d:none", None)]
        out += [(f"e:{d}", last) for d in sorted(self.event_days)]
        names = sorted(self.names, key=lambda n: ((stats.df.get("@" + n, 0) if stats else 0), n))
        out += [(f"n:{n}", last) for n in names[:MAX_TERMS["names"]] if stats is None or stats.rare("@" + n)]
        return out

    # ---- persistence (JSON + vector bytes) --------------------------------------------------
    def to_json(self) -> str:
        return json.dumps({"n": self.n, "days": sorted(self.days.items()), "event_days": sorted(self.event_days.items()),
                           "languages": sorted(self.languages.items()),
                           "title": _rounded(_top(self.title, MAX_TERMS["title"])),
                           "head": _rounded(_top(self.head, MAX_TERMS["head"])),
                           "body": _rounded(_top(self.body, MAX_TERMS["body"])),
                           "names": sorted(_top(dict(self.names), MAX_TERMS["names"]).items())},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, story_id: str, text: str, vector: bytes) -> "StoryProfile":
        d = json.loads(text)
        return cls(story_id, d["n"], np.frombuffer(vector, dtype="<f4").astype(np.float32),
                   Counter(dict((int(k), v) for k, v in d["days"])), Counter(dict((int(k), v) for k, v in d["event_days"])),
                   Counter(dict(d["languages"])), dict(d["title"]), dict(d["head"]), dict(d["body"]), Counter(dict(d["names"])))


def _rounded(d: dict) -> dict:
    return {k: round(v, 5) for k, v in sorted(d.items())}


def order_key(f: ArticleFeatures) -> tuple:
    """The order articles are linked in: by publication day (undated last), then id."""
    return (f.day if f.day is not None else 10 ** 9, f.id)


def blocking_keys(f: ArticleFeatures, stats: Stats) -> list[tuple[str, int]]:
    """(key, horizon in days) to look candidates up by (see the module docstring)."""
    if f.day is None:
        keys = [("d:none", 0)]
    else:
        keys = [(f"d:{d}", 0) for d in range(f.day - WINDOW_DAYS, f.day + WINDOW_DAYS + 1)]
    back = {f.event_day} if f.event_day is not None else set()
    back |= set(told_back(f))
    for e in sorted(back):
        keys += [(f"e:{d}", FOLLOW_DAYS) for d in (e - 1, e, e + 1)]
    rare = sorted((n for n in f.names if stats.df.get("@" + n, 0) >= 2 and stats.rare("@" + n)),
                  key=lambda n: (stats.df.get("@" + n, 0), n))
    keys += [(f"n:{n}", FOLLOW_DAYS) for n in rare[:MAX_NAME_KEYS]]
    return keys


def told_back(f: ArticleFeatures) -> tuple[int, ...]:
    """The days the article tells that are at least two days before its publication: the
    incident it refers back to (at most ``MAX_TOLD`` of them, the latest)."""
    if f.day is None:
        return ()
    return tuple(d for d in f.told_days if d <= f.day - 2)[-MAX_TOLD:]


def _cos(a: Mapping[str, float], s: StoryProfile, name: str) -> float:
    norm = s.norm(name)
    if not a or norm == 0:
        return 0.0
    acc = getattr(s, name)
    return sum(x * acc.get(t, 0.0) for t, x in a.items()) / norm


def _centred_cos(vec: np.ndarray, s: StoryProfile, stats: Stats) -> float:
    """Cosine after removing the common direction of the rest of the archive (all but this
    article and this story): what is left is what is specific to the incident."""
    if not s.vec_total.size or not vec.any():
        return 0.0
    n_bg = max(0, stats.n - 1 - s.n)
    off = (stats.mean_total - vec - s.vec_total) / (n_bg + MEAN_PRIOR)
    c = s.vec_total / max(float(np.linalg.norm(s.vec_total)), 1e-9) - off
    v = vec - off
    return float(c @ v) / max(float(np.linalg.norm(c) * np.linalg.norm(v)), 1e-9)


def pair_features(w: Weighted, s: StoryProfile, stats: Stats) -> list[float]:
    """The evidence that article ``w`` belongs to story ``s`` (order: ``FEATURES``).

    Dates: a story's *incident day* is the earliest main-event day of its articles (an
    incident precedes its coverage; later articles add later events — an arrest, a death —
    or a date that defaulted to the day of publication). ``back_ref``: the article dates its
    main event at least two days before its own publication, to within a day of the story's
    incident — it refers back to that incident, so the days since the story's last article
    say nothing against it (``gap`` is then 0). ``event_gap``: days between the article's
    event and the story's incident (a new incident in the same town weeks later is far).

    Bodies: ``title_unfit`` is the title cosine times 1 − the article's ``body_fit``: the
    title counts more when the captured body cannot be trusted."""
    f = w.f
    total = sum(w.names.values())
    names = sum(x for n, x in w.names.items() if n in s.names) / total if total > 0 else 0.0
    days = s.pub_days
    gap = min(abs(f.day - d) for d in days) if f.day is not None and days else 0
    back_ref = event_gap = has_event = 0.0
    if f.event_day is not None and s.event_days:
        incident = min(s.event_days)
        has_event = 1.0
        event_gap = math.log1p(abs(f.event_day - incident))
        if f.day is not None and f.event_day <= f.day - 2 and abs(f.event_day - incident) <= 1:
            back_ref = 1.0
    if not back_ref and s.event_days and any(abs(d - min(s.event_days)) <= 1 for d in told_back(f)):
        back_ref, event_gap = 1.0, 0.0  # the article tells the story's incident day
    title = _cos(w.title, s, "title")
    fit = body_fit(f)
    return [title, _cos(w.head, s, "head"), _cos(w.body, s, "body"), _centred_cos(f.vector, s, stats), names,
            float(total > 0), 0.0 if back_ref else math.log1p(gap), back_ref, event_gap, has_event, math.log(max(s.n, 1)),
            title * (1.0 - fit)]


def body_fit(f: ArticleFeatures) -> float:
    """The share of the title's words the body repeats. Scraped pages often capture something
    else than the article as its body — a video playlist, a staff list, a cookie notice (GVA dev:
    one page in six repeats less than half of its title) — and then the body's words and the
    sentence vector (title + lead) say nothing about the incident, and only the title can speak
    for it. 1.0 when the title has no content word (nothing to check)."""
    words = set(f.title)
    return len(words & set(f.body)) / len(words) if words else 1.0


@dataclass(frozen=True)
class Model:
    """Two logistic models (same language / across languages) and the decision threshold."""

    same: dict
    cross: dict
    threshold: float

    def probability(self, x: Sequence[float], cross: bool) -> float:
        m = self.cross if cross else self.same
        z = m["bias"]
        for name, mu, sd, wt in zip(m["features"], m["mean"], m["scale"], m["weights"]):
            z += wt * (x[FEATURES.index(name)] - mu) / sd
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    @classmethod
    def from_dict(cls, d: dict) -> "Model":
        return cls(d["same_language"], d["cross_language"], float(d["threshold"]))


@lru_cache(maxsize=1)
def default_model() -> Model:
    text = resources.files("veille").joinpath("data/link_model.json").read_text(encoding="utf-8")
    return Model.from_dict(json.loads(text))


def is_cross(w: Weighted, s: StoryProfile) -> bool:
    """The story has no article in this article's language: words cannot be compared."""
    return bool(w.f.language) and bool(s.languages) and s.languages.get(w.f.language, 0) == 0


def ranked(w: Weighted, candidates: Iterable[StoryProfile], stats: Stats, model: Model | None = None) -> list[tuple[float, str]]:
    """(probability, story id) of every candidate, the most probable first (ties: the smaller id)."""
    model = model or default_model()
    out = [(model.probability(pair_features(w, s, stats), is_cross(w, s)), s.id) for s in candidates]
    return sorted(out, key=lambda x: (-x[0], x[1]))


def choose(w: Weighted, candidates: Iterable[StoryProfile], stats: Stats, model: Model | None = None) -> tuple[str | None, float]:
    """The story the article joins (None: a new one) and its probability."""
    model = model or default_model()
    best = ranked(w, candidates, stats, model)
    if not best or best[0][0] < model.threshold:
        return None, best[0][0] if best else 0.0
    return best[0][1], best[0][0]


def as_article(s: StoryProfile) -> Weighted:
    """A story read as one article — its words, names, vector, first day and incident day —
    so the model can say whether it would join another story."""
    def unit(d: Mapping[str, float]) -> dict[str, float]:
        norm = math.sqrt(sum(x * x for x in d.values()))
        return {t: x / norm for t, x in d.items()} if norm > 0 else {}

    vec = s.vec_total / max(float(np.linalg.norm(s.vec_total)), 1e-9) if s.vec_total.size else s.vec_total
    lang = min(s.languages.items(), key=lambda kv: (-kv[1], kv[0]))[0] if s.languages else None
    f = ArticleFeatures(id=s.id, day=s.first_day, language=lang, outlet=None, title=Counter(s.title), head=Counter(s.head),
                        body=Counter(s.body), names=tuple(sorted(s.names)),
                        event_day=min(s.event_days) if s.event_days else None, vector=vec)
    return Weighted(f, unit(s.title), unit(s.head), unit(s.body), {})


def one_incident(a: StoryProfile, b: StoryProfile, stats: Stats, model: Model | None = None) -> bool:
    """Whether two stories an article has just claimed both are one incident: the model, reading
    the younger story as one article (``as_article``), would join it to the older one. Names
    are weighed by the archive's IDF as an article's are."""
    model = model or default_model()
    old, young = sorted((a, b), key=lambda s: (s.first_day if s.first_day is not None else 10 ** 9, s.id))
    w = as_article(young)
    w = Weighted(w.f, w.title, w.head, w.body, {n: stats.idf("@" + n) for n in w.f.names})
    return model.probability(pair_features(w, old, stats), is_cross(w, old)) >= model.threshold
