"""Long texts analysed in segments, with every span kept as an offset into the whole text.

Why: the analysis of one article holds its whole parse in memory (a token record per word, the
model's working arrays per chunk), so its peak grows with the text: a 10 MB JSON Lines "article"
once took 14.5 GB. News articles are a few thousand characters; what reaches ``SEGMENT_CHARS``
is a book, a transcript or a concatenation, and reading it as consecutive segments costs nothing
in meaning that matters at that scale. Each segment (paragraph-aligned, else sentence, else
word) goes through the very same pipeline as a short article; its results are shifted back to
offsets into the whole text and merged; only one segment's parse is alive at a time.

What is per article stays with the first segment: the headline, title and lead (and so the
main event) are read once, there. Ids stay unique: the first segment runs under the article's
own id (its claims and events get the ids a whole-text analysis would give them), segment k
under ``<id>~seg<k>``, rewritten to the article's id wherever a record names its article.
In-article contradictions are looked for inside each segment, not across segments.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..records import Article, Claim, Contradiction, Entity, Event, Mention, Place

if TYPE_CHECKING:  # pragma: no cover
    from . import Analysis, Pipeline

SEGMENT_CHARS = 100_000  # characters per segment; shorter texts are analysed whole, as always


def segments(text: str, size: int = SEGMENT_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive pieces of at most ``size`` characters covering ``text``,
    cut at a paragraph break, else after a sentence, else at a space."""
    out = []
    start, n = 0, len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            for sep, keep in (("\n\n", 2), (". ", 2), ("\n", 1), (" ", 1)):
                cut = text.rfind(sep, start + size // 2, end)
                if cut > start:
                    end = cut + keep
                    break
        out.append((start, end))
        start = end
    return out


def _shift(value: int | None, by: int) -> int | None:
    return None if value is None else value + by


def _seg_id(article_id: str, k: int) -> str:
    return article_id if k == 0 else f"{article_id}~seg{k}"


def analyze_in_segments(article: Article, nlp: "Pipeline", size: int = SEGMENT_CHARS) -> "Analysis":
    """``analyze_article`` for a text longer than ``size``: the same records, in bounded memory."""
    from . import Analysis, Doc

    pieces = segments(article.text, size)
    ids = {_seg_id(article.id, k) for k in range(len(pieces))}

    def own(aid: str) -> str:
        return article.id if aid in ids else aid

    def event(ev: Event, by: int) -> Event:
        return replace(ev, articles=tuple(dict.fromkeys(own(a) for a in ev.articles)),
                       start=_shift(ev.start, by), end=_shift(ev.end, by))

    mentions: list[Mention] = []
    entities: dict[str, Entity] = {}
    claims: list[Claim] = []
    events: list[Event] = []
    places: list[Place] = []
    contradictions: list[Contradiction] = []
    notes: dict[str, None] = {}
    language = article.language
    main_event: Any = None
    for k, (start, end) in enumerate(pieces):
        first = k == 0
        seg = replace(article, id=_seg_id(article.id, k), text=article.text[start:end], language=language,
                      headline=article.headline if first else None, title=article.title if first else None,
                      lead=article.lead if first else None, places=(), main_event=None)
        doc = nlp(Doc(article=seg))
        if first:
            language = doc.language  # the whole text is read in the language its opening is in
            main_event = doc.extra.get("main_event")
        mentions += [replace(m, article_id=own(m.article_id), start=m.start + start, end=m.end + start) for m in doc.mentions]
        for e in doc.entities:
            if e.id in entities:
                known = entities[e.id]
                if e.aliases and set(e.aliases) - set(known.aliases):
                    entities[e.id] = replace(known, aliases=tuple(dict.fromkeys(known.aliases + e.aliases)))
            else:
                entities[e.id] = e
        claims += [replace(c, article_id=own(c.article_id), start=c.start + start, end=c.end + start,
                           number_start=_shift(c.number_start, start), number_end=_shift(c.number_end, start))
                   for c in doc.claims]
        events += [event(ev, start) for ev in doc.events]
        places += [replace(p, start=_shift(p.start, start), end=_shift(p.end, start)) for p in doc.places]
        contradictions += [replace(c, values=tuple(replace(v, article_id=own(v.article_id)) for v in c.values))
                           for c in doc.extra.get("contradictions", ())]
        notes.update(dict.fromkeys(doc.notes))
        del doc  # only one segment's parse alive at a time
    notes[f"long text ({len(article.text):,} characters): analysed in {len(pieces)} segments of at most "
          f"{size:,}; contradictions looked for within each segment"] = None
    if isinstance(main_event, Event):
        main_event = event(main_event, 0)
    updated = replace(article, language=language, places=tuple(places) or article.places,
                      main_event=main_event if main_event is not None else article.main_event)
    return Analysis(updated, tuple(mentions), tuple(entities.values()), tuple(claims), tuple(events), tuple(notes),
                    tuple(contradictions))
