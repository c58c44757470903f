"""What the story linker knows about one article: ``ArticleFeatures`` (a pure function of records).

An incident is a place, a date and the people in it; a story is what outlets write about
one incident over days. So an article is described by the evidence enrich already produced
and by its words, each kept apart because each fails differently:

- ``title`` / ``head`` / ``body``: word counts of the title, the title + first
  ``HEAD_CHARS`` characters, and the first ``BODY_WORDS`` words. Separate because pages
  differ in how much of the body is page furniture (video playlists, newsletter boxes,
  "Related" lists): the title is the most reliable and the shortest, the body the richest;
- ``names``: language-independent keys of who and where — entity ids from mentions (the
  alias table maps Daech = ISIS = داعش; spaCy names in French and English), GeoNames ids of
  the article's places and of its main event's place, the ages the title and lead give
  (``ages``). Arabic has no NER: its names come from
  the alias table and the gazetteer only, and may be empty — every feature copes with that;
- ``event_day``: the main event's date, only when known to the day (``time_precision`` 1);
- ``day``: the publication day, the one date every article has (or None);
- ``vector``: the multilingual sentence vector (``embed.py``) of title + lead;
- ``copy_of``: the earlier article this one republishes (``dedup``), which decides its story.

Words are folded as the ingest fingerprint folds them (``fingerprint.normalise``), stop
words of French, English and Arabic removed (spaCy's lists), digits kept (ages, tolls and
street numbers tell incidents apart).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Iterable, Mapping

import numpy as np

from ..fingerprint import normalise

HEAD_CHARS = 400
BODY_WORDS = 600
MAX_BODY_TERMS = 200  # distinct body words kept per article (the most frequent)
MIN_LEN = 3
NAME_LABELS = {"PER", "PERSON", "ORG", "LOC", "GPE", "FAC", "NORP"}


def day_of(value: str | None) -> int | None:
    """The proleptic ordinal of an ISO date's day (None when absent or unreadable)."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Stop words of the three analysed languages, folded as the text is."""
    from ..lang import spacy_stop_words

    out = set()
    for w in (*spacy_stop_words("en"), *spacy_stop_words("fr"), *spacy_stop_words("ar")):
        out.update(normalise(w))
    return frozenset(out)


def content_words(tokens: Iterable[str]) -> list[str]:
    stop = stop_words()
    return [w for w in tokens if len(w) >= MIN_LEN and w not in stop]


def words(text: str) -> list[str]:
    return content_words(normalise(text))


@dataclass(frozen=True, eq=False)
class ArticleFeatures:
    id: str
    day: int | None
    language: str | None
    outlet: str | None
    title: Mapping[str, int]
    head: Mapping[str, int]
    body: Mapping[str, int]
    names: tuple[str, ...]
    event_day: int | None
    vector: np.ndarray = field(repr=False)
    copy_of: str | None = None
    title_parts: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (outlet segment key, its words): see ``title_segments``
    told_days: tuple[int, ...] = ()  # days the title and lead name, to the day ("on Nov. 2", "Sunday"): see ``told_days``

    def terms(self) -> set[str]:
        """Every term whose document frequency the linker keeps (words, ``@``names and the
        ``~``keys of title segments)."""
        return set(self.body) | set(self.head) | set(self.title) | {"@" + n for n in self.names} | {k for k, _w in self.title_parts}


TITLE_SEP = re.compile(r"\s+[-–—|·•]+\s+|\s*\|\s*|\s+::\s+")


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def outlet_label(outlet: str | None) -> str:
    """The name part of an outlet's host ("www.wmcactionnews5.com" → "wmcactionnews5")."""
    if not outlet:
        return ""
    host = outlet.casefold().removeprefix("www.").split("/")[0]
    parts = host.split(".")
    return _squash(parts[-2] if len(parts) >= 2 else parts[0])


def title_segments(title: str, outlet: str | None) -> tuple[str, list[tuple[str, str]]]:
    """A page title is often the headline plus the site's name and tagline ("Four shot during
    Halloween party - Toledo News Now, News, Weather, Sports"; "CBS 58 - Milwaukee Police
    Identify …"). Those words are the outlet's, not the incident's, yet they make two
    unrelated stories of one outlet look alike. Returns the title without the segments that
    name the outlet's host, and the other side segments (``(key, text)``, never the longest
    one, the headline): a segment the same outlet repeats in other titles is its site name
    too — the key counts its titles (``Weighted`` drops it when it recurs)."""
    segs = [x.strip() for x in TITLE_SEP.split(title) if x and x.strip()]
    if len(segs) < 2:
        return title, []
    label = outlet_label(outlet)
    head = max(range(len(segs)), key=lambda i: (len(segs[i]), -i))

    def names_outlet(seg: str) -> bool:
        sq = _squash(seg)
        return len(label) >= 3 and len(sq) >= 3 and (label in sq or (len(sq) >= 4 and sq in label))

    site = {i for i, x in enumerate(segs) if i != head and names_outlet(x)}
    first_after = min((i for i in site if i > head), default=len(segs))
    site |= set(range(first_after, len(segs)))  # the tagline after the site's name is the site's too
    kept = [x for i, x in enumerate(segs) if i not in site]
    side = [("~" + (outlet or "") + "|" + _squash(x)[:60], x) for i, x in enumerate(segs) if i != head and i not in site]
    return " ".join(kept), side


def name_keys(article, mentions: Iterable = ()) -> tuple[str, ...]:
    """Entity ids of the named people, organisations and places, and place ids."""
    out = set()
    for m in mentions:
        if m.entity_id and (m.label or "").upper() in NAME_LABELS:
            out.add(m.entity_id)
    for p in article.places or ():
        if p.geonames_id:
            out.add(f"g:{p.geonames_id}")
        elif p.entity_id:
            out.add(p.entity_id)
    ev = article.main_event
    if ev is not None and ev.location:
        out.add("ev:" + " ".join(normalise(ev.location)))
    head = (article.title or "") + "\n" + (article.text or "")[:HEAD_CHARS * 2]
    out.update(ages(head))
    return tuple(sorted(out))


AGE = re.compile(r"\b(\d{1,3})[- ](?i:(year|month|week|day)s?[- ]old)\b|\b[A-Z][a-z]+ ([A-Z][a-z]+), (\d{1,2}),")
MONTH_NAMES = frozenset("january february march april may june july august september october november december".split())


def ages(text: str) -> set[str]:
    """The ages the text gives its people ("a 16-year-old boy", "a 9-month-old", "Fred
    Duhart, 38,") as names (``age:16``, ``age:9m``): who the victims are is what tells two
    shootings in one town apart, and what a follow-up repeats. Like every name, an age
    weighs by its rarity in the archive, and reaches a story weeks back only while rare."""
    out = set()
    for m in AGE.finditer(text):
        if not m.group(1) and m.group(3).lower() in MONTH_NAMES:
            continue  # "Sunday November 27, 2016" is a date
        n, unit = (m.group(1), m.group(2).lower()) if m.group(1) else (m.group(4), "year")
        if 0 < int(n) < 110:
            out.add(f"age:{int(n)}" + ("" if unit == "year" else unit[0]))
    return out


def article_features(article, mentions: Iterable = (), vector: np.ndarray | None = None,
                     furniture: bool = False) -> ArticleFeatures:
    """The linker's view of one article (pure: records in, features out).

    ``furniture``: the captured body is page furniture shared with unrelated pages
    (``dedup.shares_furniture``): the article is read by its title alone."""
    from .embed import DIM

    title, side = title_segments(article.title or (article.headline or ""), article.outlet)
    text = article.text or ""
    ev = article.main_event
    event_day = day_of(ev.event_date) if ev is not None and ev.event_date and (ev.time_precision or 1) == 1 else None
    if furniture:
        text = ""
    body = Counter(content_words(normalise(text)[:BODY_WORDS * 2])[:BODY_WORDS])
    if len(body) > MAX_BODY_TERMS:
        body = Counter(dict(sorted(body.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_BODY_TERMS]))
    rep = (article.extra or {}).get("republication") or {}
    return ArticleFeatures(
        id=article.id, day=day_of(article.published_at), language=article.language, outlet=article.outlet,
        title=Counter(words(title)), head=Counter(words(title + "\n" + text[:HEAD_CHARS])), body=body,
        names=name_keys(article, mentions), event_day=event_day,
        vector=vector if vector is not None else np.zeros(DIM, dtype=np.float32),
        copy_of=rep.get("of_article"), title_parts=tuple((k, tuple(words(x))) for k, x in side),
        told_days=told_days(title, text, article.published_at, article.language))


TOLD_CHARS = 1200


def told_days(title: str, text: str, published_at: str | None, language: str | None) -> tuple[int, ...]:
    """The days the title and the lead name, resolved to the day against the publication date
    (``enrich.timex``: "on Nov. 2", "late Sunday"). A follow-up tells when its incident
    happened even when enrich took another date — the death, the arrest, the day of
    publication — for its main event: "Duhart was one of five people injured in the incident
    that occurred late in the evening on Nov. 2"."""
    from ..enrich.timex import find_times

    if not published_at:
        return ()
    out = set()
    for t in find_times(title + "\n" + text[:TOLD_CHARS], published_at, language):
        if t.precision == "day":
            d = day_of(t.value)
            if d is not None:
                out.add(d)
    return tuple(sorted(out))


def tfidf(counts: Mapping[str, int], idf) -> dict[str, float]:
    """Sub-linear tf × idf, L2-normalised (empty when nothing weighs)."""
    v = {w: (1.0 + math.log(c)) * idf(w) for w, c in counts.items()}
    norm = math.sqrt(sum(x * x for x in v.values()))
    return {w: x / norm for w, x in v.items()} if norm > 0 else {}
