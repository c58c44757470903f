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
import re
import unicodedata
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

NUM_PERM = 128
SHINGLE = 5
SCHEME = "affine32"  # datasketch 2 default, named so stored signatures stay comparable
# Jaccard of 5-shingles above which two texts count as the same text. Republished pieces
# keep ~90 %+ of their shingles; two outlets writing the same story in their own words
# share well under 20 % (measured on the sample and BASIL: max 0.07 between outlets).
THRESHOLD = 0.6
# Texts shorter than this are too short to call a duplicate (a teaser, an empty feed item).
MIN_WORDS = 40
MAX_CHECKED = 25  # earliest candidates verified per article (bounded cost for wire copies)

_WORD = re.compile(r"\w+", re.UNICODE)
# Arabic diacritics (tashkeel) and tatweel: spelling variants of the same word.
# combining accents left by NFKD (é → e + U+0301)
_LATIN_MARKS = re.compile("[\u0300-\u036f]")
_ARABIC = re.compile("[\u0600-\u06ff]")
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def normalise(text: str) -> list[str]:
    """The text as a list of comparable words: case-folded, accents and tashkeel removed."""
    text = unicodedata.normalize("NFKD", (text or "").casefold())
    text = _ARABIC_MARKS.sub("", _LATIN_MARKS.sub("", text))
    # one alef, one yeh, one heh: the usual Arabic orthographic variants
    if _ARABIC.search(text):
        text = text.translate(_ARABIC_LETTERS)
    return _WORD.findall(text)


def text_hash(text: str) -> str | None:
    """Hash of the normalised text; None when the text is too short to be a fingerprint."""
    words = normalise(text)
    if len(words) < MIN_WORDS:
        return None
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


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


class BandIndex:
    """MinHash signatures and LSH band keys of the stored articles, kept in SQLite."""

    def __init__(self, store):
        self.db = store.db
        self.store = store

    def add(self, article) -> bool:
        """Index an article (idempotent); False when its text is too short to fingerprint."""
        m = signature(article.text)
        self.db.execute("DELETE FROM link_bands WHERE article_id = ?", (article.id,))
        if m is None:
            self.db.execute("DELETE FROM link_minhash WHERE article_id = ?", (article.id,))
            return False
        self.db.execute("INSERT OR REPLACE INTO link_minhash VALUES (?, ?)", (article.id, signature_bytes(m)))
        self.db.executemany("INSERT OR IGNORE INTO link_bands VALUES (?, ?)", [(k, article.id) for k in band_keys(m)])
        return True

    def earliest_copy(self, article) -> tuple[str, str, float] | None:
        """(article id, outlet, Jaccard) of the earliest earlier copy from another outlet.

        Candidates come from shared band keys; only the ``MAX_CHECKED`` earliest ones from
        other outlets are verified, so a wire text copied by hundreds of sites costs a bounded
        amount per new copy."""
        row = self.db.execute("SELECT sig FROM link_minhash WHERE article_id = ?", (article.id,)).fetchone()
        if row is None:
            return None
        mine = np.frombuffer(row[0], dtype="<u8")
        me = _order_key(article)
        cands = []
        for cid, outlet, published in self.db.execute(
                "SELECT DISTINCT b2.article_id, a.outlet, a.published_at FROM link_bands b1 "
                "JOIN link_bands b2 ON b1.key = b2.key JOIN articles a ON a.id = b2.article_id "
                "WHERE b1.article_id = ? AND b2.article_id != ?", (article.id, article.id)):
            key = (published or "9999", cid)
            if outlet and outlet != article.outlet and key < me:
                cands.append((key, cid, outlet))
        for _, cid, outlet in sorted(cands)[:MAX_CHECKED]:
            sig = self.db.execute("SELECT sig FROM link_minhash WHERE article_id = ?", (cid,)).fetchone()
            if sig is not None:
                sim = float(np.mean(mine == np.frombuffer(sig[0], dtype="<u8")))  # MinHash Jaccard estimate
                if sim >= THRESHOLD:
                    return cid, outlet, sim
        return None
