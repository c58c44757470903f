"""Near-duplicates and republication: MinHash signatures over word shingles.

Why MinHash: outlets that republish a wire or a partner's piece change a few words (a
credit line, a rubric, a headline), so an exact hash misses them, while comparing every
pair of texts is quadratic. A MinHash signature estimates the Jaccard similarity of two
texts' word 5-shingles; cutting it into LSH bands gives candidate pairs by key look-up.
The band keys are stored in SQLite (``link_bands``) rather than in an in-memory
``MinHashLSH``, so a new article is checked against everything already stored without
rebuilding an index on each run — the banding parameters are datasketch's own optimum for
the chosen threshold.

Two notions, kept apart:
- *exact duplicate*: the same normalised text from the same outlet (a page fetched under
  two URLs, a feed item re-issued) — stored once, the copy counted (``store.duplicates``);
- *republication*: the same (or nearly the same) text under another outlet — both kept,
  the later one gets ``republished_from`` = the earlier one's outlet.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Sequence

import numpy as np

from ..fingerprint import MIN_WORDS, normalise, text_hash  # noqa: F401  (re-exported)

NUM_PERM = 128
SHINGLE = 5
SCHEME = "affine32"  # datasketch 2 default, named so stored signatures stay comparable
# Jaccard of 5-shingles above which two texts count as the same text. Republished pieces
# keep ~90 %+ of their shingles; two outlets writing the same story in their own words
# share well under 20 % (measured on the sample and BASIL: max 0.07 between outlets).
THRESHOLD = 0.6
MAX_CHECKED = 25  # earliest candidates verified per article (bounded cost for wire copies)
NEAR_EXACT = 0.9  # a copy this close needs no headline in common
HEADLINE_OVERLAP = 0.2  # share of content words two titles of one text have in common (Jaccard)


def shingles(words: Sequence[str], k: int = SHINGLE) -> set[bytes]:
    if len(words) < k:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


def signature(text: str):
    """A datasketch ``MinHash`` of the text's word shingles (None for too-short texts)."""
    from datasketch import MinHash

    words = normalise(text)
    if len(words) < MIN_WORDS:
        return None
    # crc32: a stable 32-bit shingle hash (signatures are persisted), ~5x cheaper than sha1;
    # the permutations are drawn once per process
    m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32, permutations=_permutations(), scheme=SCHEME)
    grams = list(shingles(words))
    for i in range(0, len(grams), 20_000):  # a book-length text: the (perm × shingle) array stays small
        m.update_batch(grams[i:i + 20_000])
    return m


@lru_cache(maxsize=1)
def _permutations():
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def signature_bytes(m) -> bytes:
    return m.hashvalues.astype("<u8").tobytes()


@lru_cache(maxsize=None)
def _bands() -> tuple[int, int]:
    from datasketch.lsh import _optimal_param

    return _optimal_param(THRESHOLD, NUM_PERM, 0.5, 0.5)


def band_keys(m) -> list[str]:
    """The LSH band keys of a signature: two texts sharing one key are candidates."""
    b, r = _bands()
    hv = m.hashvalues
    return [f"{i}:" + hashlib.blake2b(hv[i * r:(i + 1) * r].astype("<u8").tobytes(), digest_size=8).hexdigest()
            for i in range(b)]


@dataclass(frozen=True)
class Republication:
    article_id: str
    source_article: str | None  # the earlier copy found in the store, if any
    outlet: str                 # the outlet it came from
    similarity: float | None    # estimated Jaccard with the earlier copy
    credit: str | None          # the credit line printed by the article ("Source: PressTV")


def marked(article, rep: "Republication"):
    """The article with ``rep``'s mark (``republished_from`` + ``extra["republication"]``), or None
    when it already carries that very mark — so a re-run rewrites nothing (CLI and Spark alike)."""
    from dataclasses import replace

    info = {"of_article": rep.source_article, "similarity": rep.similarity, "credit": rep.credit}
    if article.republished_from == rep.outlet and article.extra.get("republication") == info:
        return None
    return replace(article, republished_from=rep.outlet, extra={**article.extra, "republication": info})


def credit_line(article) -> str | None:
    for b in article.boilerplate:
        if b.kind == "source":
            return b.text
    return None


def _order_key(article) -> tuple[str, str]:
    return (article.published_at or "9999", article.id)


def find_republications(new_articles: Iterable, index: "BandIndex") -> list[Republication]:
    """For each new article: the earliest stored text from another outlet it copies.

    Rule: the earlier publication (then the smaller id) is the original. When no stored copy
    is found but the article credits another known outlet in a ``Source: …`` line
    (``cited_sources`` from extraction), that credit is itself a declared republication.
    """
    found = []
    for art in sorted(new_articles, key=_order_key):
        credit = credit_line(art)
        best = index.earliest_copy(art)
        if best is not None:
            found.append(Republication(art.id, best[0], best[1], round(best[2], 3), credit))
        else:
            credited = [c for c in art.cited_sources if c and c != art.outlet]
            if credited:
                found.append(Republication(art.id, None, credited[0], None, credit))
    return found


def same_headline(a: str | None, b: str | None) -> bool:
    """Whether two titles can head one text: they share at least ``HEADLINE_OVERLAP`` of their
    content words, or one is missing or too short to judge."""
    from .features import words

    wa, wb = set(words(a or "")), set(words(b or ""))
    if len(wa) < 2 or len(wb) < 2:
        return True
    return len(wa & wb) / len(wa | wb) >= HEADLINE_OVERLAP


def earliest_copy(article, sig: bytes, members: Iterable[tuple],
                  signature_of: Callable[[str], bytes | None]) -> tuple[str, str, float] | None:
    """(article id, outlet, Jaccard) of the earliest earlier copy from another outlet — pure.

    ``members``: (id, outlet, published_at, title) of the articles sharing a band key with this
    one, however they were gathered (SQLite here, a join in Spark); ``signature_of`` gives a
    member's signature bytes. Only the ``MAX_CHECKED`` earliest from other outlets are
    verified, so a wire text copied by hundreds of sites costs a bounded amount per new copy.

    A copy under a headline that shares next to nothing with the article's must be a
    near-exact copy (``NEAR_EXACT``): pages whose captured body is the same page furniture (a
    newsletter box, a consent notice, a video playlist) with only a name changed share 60–70 %
    of their shingles and have unrelated titles (GVA dev: 20 such pairs across four outlets
    of one CMS); a republisher that retitles keeps the text whole."""
    mine = np.frombuffer(sig, dtype="<u8")
    me = _order_key(article)
    cands = []
    for cid, outlet, published, title in members:
        key = (published or "9999", cid)
        if outlet and outlet != article.outlet and key < me:
            cands.append((key, cid, outlet, title))
    for _, cid, outlet, title in sorted(cands)[:MAX_CHECKED]:
        other = signature_of(cid)
        if other is None:
            continue
        sim = float(np.mean(mine == np.frombuffer(other, dtype="<u8")))  # MinHash Jaccard estimate
        if sim >= THRESHOLD and (sim >= NEAR_EXACT or same_headline(article.title, title)):
            return cid, outlet, sim
    return None


def shares_furniture(article, sig: bytes, members: Iterable[tuple],
                     signature_of: Callable[[str], bytes | None]) -> bool:
    """Whether the article's body is another article's body under an unrelated headline —
    page furniture captured instead of the text (see ``earliest_copy``) — pure, same inputs.
    The story linker then reads such an article by its title alone."""
    mine = np.frombuffer(sig, dtype="<u8")
    others = sorted((cid, title) for cid, _outlet, _published, title in members if cid != article.id)
    for cid, title in others[:MAX_CHECKED]:
        if same_headline(article.title, title):
            continue
        other = signature_of(cid)
        if other is not None and THRESHOLD <= float(np.mean(mine == np.frombuffer(other, dtype="<u8"))) < NEAR_EXACT:
            return True
    return False


class BandIndex:
    """MinHash signatures and LSH band keys of the stored articles (kept by ``LinkState``)."""

    def __init__(self, state):
        self.state = state

    def add(self, article) -> bool:
        """Index an article (idempotent); False when its text is too short to fingerprint."""
        m = signature(article.text)
        self.state.put_signature(article.id, None if m is None else signature_bytes(m), [] if m is None else band_keys(m))
        return m is not None

    def earliest_copy(self, article) -> tuple[str, str, float] | None:
        sig = self.state.signature(article.id)
        if sig is None:
            return None
        return earliest_copy(article, sig, self.state.band_members(article.id), self.state.signature)

    def furniture(self, article) -> bool:
        sig = self.state.signature(article.id)
        return sig is not None and shares_furniture(article, sig, self.state.band_members(article.id), self.state.signature)
