"""JSON Lines input (DESIGN §5): one article per line.

``{"url", "title", "text", "published_at", "language", "outlet", "id"}`` — only ``text`` is
required. A given ``id`` is kept as the article id; ``outlet`` is an outlet id or a name
resolved through the registry (else the URL's domain); unknown fields go to
``Article.extra``. A bad line is one problem naming the file and line; the others are kept.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from ..errors import InputError
from ..lang import detect_language
from ..records import Article, InputRef, stable_id
from ..textio import decode_text
from ..urls import canonical_url
from . import Context, Extraction, register

KNOWN = {"url", "title", "text", "published_at", "language", "outlet", "id", "authors", "section", "lead"}


def record_to_article(obj: Mapping[str, Any], ctx: Context, source: str, line: int) -> tuple[Article, list[str]]:
    """One decoded JSON object → Article (pure per record; the Spark job reuses it)."""
    from .html import normalise_date

    where = f"{source}: line {line}"
    if not isinstance(obj, Mapping):
        raise InputError(where, f"expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, "no 'text' (the one required field)")
    notices: list[str] = []
    url = obj.get("url") if isinstance(obj.get("url"), str) and obj.get("url") else None
    canon = canonical_url(url) if url and url.startswith(("http://", "https://")) else None
    outlet = None
    name = obj.get("outlet")
    if isinstance(name, str) and name.strip():
        outlet = ctx.registry.get(name) or ctx.registry.by_name(name)
        if outlet is None:
            notices.append(f"{where}: outlet {name!r} is not in the registry; kept in extra")
    if outlet is None and url:
        outlet = ctx.registry.by_url(url)
    published, precision = None, None
    raw_date = obj.get("published_at")
    if isinstance(raw_date, str) and raw_date.strip():
        parsed = normalise_date(raw_date)
        if parsed:
            published, precision = parsed
        else:
            notices.append(f"{where}: published_at {raw_date!r} not understood; kept in extra")
    title = obj.get("title") if isinstance(obj.get("title"), str) else None
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    clean = "\n\n".join(paragraphs)
    given_id = obj.get("id")
    if given_id is not None and str(given_id).strip():
        article_id = str(given_id)
    elif canon:
        article_id = stable_id(canon)
    else:
        article_id = stable_id(outlet.id if outlet else None, title, published, clean[:200])
    extra = {k: v for k, v in obj.items() if k not in KNOWN}
    if outlet is None and isinstance(name, str) and name.strip():
        extra["outlet_name"] = name
    if raw_date and not published:
        extra["published_at_raw"] = raw_date
    authors = obj.get("authors")
    authors = tuple(a for a in authors if isinstance(a, str)) if isinstance(authors, list) else ()
    language = obj.get("language") if isinstance(obj.get("language"), str) and obj.get("language") else detect_language(clean)
    article = Article(
        id=article_id, text=clean, url=url, canonical_url=canon, outlet=outlet.id if outlet else None,
        section=obj.get("section") if isinstance(obj.get("section"), str) else None, title=title,
        published_at=published, date_precision=precision, language=language, authors=authors,
        lead=paragraphs[0] if paragraphs else None, input=InputRef(path=source, line_start=line, line_end=line), extra=extra,
    )
    return article, notices


@register("application/x-ndjson", "application/jsonl")
def _extract_jsonl(raw, ctx: Context) -> Extraction:
    text, encoding = decode_text(raw.content, raw.source)
    out = Extraction()
    if not encoding.startswith("utf"):
        out.notices.append(f"{raw.source}: not UTF-8; decoded as {encoding}")
    for no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            out.problems.append(f"{raw.source}: line {no}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        try:
            article, notices = record_to_article(obj, ctx, raw.source, no)
        except InputError as exc:
            out.problems.append(str(exc))
            continue
        out.articles.append(article)
        out.notices += notices
    if not out.articles and not out.problems:
        raise InputError(raw.source, "no JSON Lines records")
    return out
