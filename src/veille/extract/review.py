"""Split a compiled press review (plain text) into articles.

A review is what an analyst pastes from several sites into one document: per entry, the
reviewer's own upper-case headline, the outlet's title, a date line, photo captions and
credits (often printed twice), rubric and share widgets, the body with related-article
teasers in it, and finally the source URL on a line of its own. The URL line is the only
reliable boundary, so an entry ends there.

Each line is classified by an ordered set of small rules (``_classify_*``). Whatever is not
article prose goes to ``Article.boilerplate`` with its kind and line number — nothing is
dropped — and every line of prose stays in the text, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from ..errors import InputError
from ..lang import detect_language
from ..outlets import OutletRegistry, fold
from ..records import Article, Boilerplate, InputRef, stable_id
from ..urls import URL_LINE, canonical_url, date_from_url
from .dates import parse_date_line

# ---- line shapes ------------------------------------------------------------------------

_LETTERS = re.compile(r"[^\W\d_]")
_SENTENCE_END = re.compile(r"[.!?…»\"”)\]:;]\s*$")
_CREDIT = re.compile(r"^(?:©|\(c\)\s|Photo\s*:|Crédit(?:s)?\s*(?:photo)?\s*:|Credit\s*:|Copyright\b)", re.I)
_INLINE_CREDIT = re.compile(r"©\s*[\w][\w .&/'’-]{0,40}$")
_CAPTION_MARK = re.compile(
    r"\((?:photo|capture|image|illustration|archives?|photo d['’]archives?|photo d['’]illustration|"
    r"capture d['’]écran|screenshot|file photo)[^)]*\)\s*$",
    re.I,
)
_SHORT_URL = re.compile(r"^(?:URL courte|Short URL|Lien court|Lien permanent|Permalink)$", re.I)
_COUNTER = re.compile(r"^\d{1,7}(?:\s*(?:partages?|shares?|vues|views|commentaires?|comments?))?$", re.I)
_READ_ALSO = re.compile(
    r"^(?:Lire (?:aussi|également|la suite)|[AÀ] lire (?:aussi|également)|Voir aussi|"
    r"Read (?:also|more)|See also|Related|اقرأ أيضا|اقرأ أيضاً)\b\s*:?",
    re.I,
)
_IMAGE_FILE = re.compile(r"^[a-z0-9][a-z0-9_\-]*(?:\.(?:jpe?g|png|gif|webp|svg))?$")
_STAFF = re.compile(r"^(?:Rédaction du site|La rédaction|Rédaction|Par la rédaction|Avec agences|Avec AFP|Staff|Editorial staff)$", re.I)
_SOURCE = re.compile(r"^(?:Sources?|Source de l['’]article|Via)\s*:\s*(.+)$", re.I)
_GENERIC_SOURCES = {"divers", "agences", "various", "agencies", "sources diverses", "medias", "reseaux sociaux"}
_AUTHOR = re.compile(
    r"^(?:(?:Par|By|Auteur|Author)\s*:?\s+)?"
    r"((?:[A-ZÀ-ÝĀ-Ž][\w'’-]*\.?\s?(?:(?:de|du|al|el|ben|bin|von|van|la)\s)?){1,4})$"
)
_RUBRIC_PART = r"[\w'’.-]+(?:\s[\w'’.-]+){0,4}"
_RUBRIC = re.compile(rf"^{_RUBRIC_PART}(?:\s[-–|>/»]\s{_RUBRIC_PART})+$")


def _clean(line: str) -> str:
    return re.sub(r"\s+", " ", line.replace("\u00a0", " ").replace("\u200b", "")).strip()


def is_upper(line: str) -> bool:
    letters = _LETTERS.findall(line)
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) >= 0.9


def is_prose(line: str) -> bool:
    """Looks like article prose rather than a title, caption or widget."""
    return len(line) >= 100 or (len(line) >= 30 and bool(_SENTENCE_END.search(line)))


def is_short_title(line: str) -> bool:
    return len(line) <= 160 and not re.search(r"[.;]\s*$", line) and not line.endswith("»")


def _same(a: str, b: str) -> bool:
    return fold(a) == fold(b) and bool(fold(a))


def _words(text: str) -> set[str]:
    return {w for w in fold(text).split() if len(w) > 2}


def is_section(line: str) -> bool:
    """A review's section line: 'SYRIE', 'IRAK', 'MOYEN-ORIENT' (short, upper-case, no colon)."""
    return is_upper(line) and len(line) <= 30 and len(line.split()) <= 3 and ":" not in line


def is_headline(line: str) -> bool:
    return is_upper(line) and len(line) >= 12 and not is_section(line)


def is_rubric(line: str) -> bool:
    if _RUBRIC.match(line) and not _SENTENCE_END.search(line) and len(line) <= 80:
        return True
    return is_upper(line) and len(line.split()) <= 2 and len(line) <= 25 and ":" not in line


def is_image_file(line: str) -> bool:
    return " " not in line and len(line) <= 60 and bool(_IMAGE_FILE.match(line))


# ---- splitting --------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the file
    text: str


@dataclass(frozen=True)
class Entry:
    lines: tuple[Line, ...]  # non-blank lines, URL excluded
    url: str | None
    line_start: int
    line_end: int
    section: str | None


def split_entries(text: str) -> list[Entry]:
    """Cut the review at its URL lines; carry the current section over entries."""
    entries: list[Entry] = []
    section: str | None = None
    current: list[Line] = []
    start: int | None = None
    for no, raw in enumerate(text.splitlines(), start=1):
        line = _clean(raw)
        if not line:
            continue
        m = URL_LINE.match(line)
        if m:
            if current:
                section = _take_section(current, section)
                entries.append(Entry(tuple(l for l in current if l.text not in ("",)), m.group(1), start or no, no, section))
            current, start = [], None
            continue
        if start is None:
            start = no
        current.append(Line(no, line))
    if current:
        section = _take_section(current, section)
        entries.append(Entry(tuple(current), None, start or current[0].no, current[-1].no, section))
    return entries


def _take_section(lines: list[Line], section: str | None) -> str | None:
    """Leading section lines belong to the review, not the article: pop them."""
    while lines and is_section(lines[0].text) and len(lines) > 1:
        section = lines.pop(0).text
    return section


# ---- one entry → Article ----------------------------------------------------------------


@dataclass
class _Acc:
    kept: list[Line]
    removed: list[Boilerplate]

    def drop(self, kind: str, line: Line) -> None:
        self.removed.append(Boilerplate(kind, line.text, line.no))


def parse_entry(entry: Entry, registry: OutletRegistry, path: str) -> Article:
    lines = list(entry.lines)
    acc = _Acc([], [])
    headline = None
    if lines and is_headline(lines[0].text):
        headline = lines.pop(0).text

    published_at = precision = None
    title: str | None = None
    authors: list[str] = []

    # 1. header zone: everything before the first line of prose
    i = 0
    candidates: list[Line] = []
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        t = line.text
        if published_at is None and (parsed := parse_date_line(t)):
            published_at, precision = parsed
            acc.drop("date", line)
        elif nxt is not None and _same(t, nxt.text):
            acc.drop("caption", line)
            acc.drop("caption", nxt)
            i += 1
        elif _CREDIT.match(t):
            acc.drop("credit", line)
        elif _INLINE_CREDIT.search(t) or _CAPTION_MARK.search(t):
            acc.drop("caption", line)
        elif _SHORT_URL.match(t):
            acc.drop("short-url", line)
        elif _COUNTER.match(t):
            acc.drop("share-count", line)
        elif _STAFF.match(t):
            acc.drop("byline", line)
        elif is_image_file(t):
            acc.drop("image-file", line)
        elif is_rubric(t):
            acc.drop("rubric", line)
        elif (m := re.match(r"^(?:Par|By)\s+(.{3,60})$", t)) and not is_prose(t):
            authors.append(m.group(1).strip())
            acc.drop("byline", line)
        elif is_prose(t) and not (published_at is None and _date_ahead(lines, i)):
            break
        else:
            candidates.append(line)
        i += 1

    if candidates:
        hint = _words((headline or "") + " " + urlsplit(entry.url or "").path.replace("-", " ").replace("/", " "))
        best = max(candidates, key=lambda c: (len(_words(c.text) & hint), -candidates.index(c)))
        title = best.text
        for c in candidates:
            if c is not best:
                acc.drop("caption", c)

    # 2. trailing credits and signatures, read backwards from the URL
    body = lines[i:]
    cited: list[str] = []
    source_names: list[str] = []
    while body:
        t = body[-1].text
        if m := _SOURCE.match(t):
            source_names.extend(s.strip() for s in re.split(r"[,/;]| et | and ", m.group(1)) if s.strip())
            acc.drop("source", body.pop())
        elif _STAFF.match(t):
            acc.drop("byline", body.pop())
        elif _AUTHOR.match(t) and len(t) <= 40 and not is_prose(t) and len(t.split()) <= 4 and _looks_like_name(t):
            authors.insert(0, re.sub(r"^(?:Par|By|Auteur|Author)\s*:?\s+", "", t))
            acc.drop("byline", body.pop())
        else:
            break

    # 3. the body: prose stays, widgets and teasers go to boilerplate
    j = 0
    while j < len(body):
        line = body[j]
        t = line.text
        nxt = body[j + 1] if j + 1 < len(body) else None
        if _READ_ALSO.match(t):
            acc.drop("read-also", line)
        elif nxt is not None and _same(t, nxt.text):
            if is_short_title(t) and not _CAPTION_MARK.search(t) and not _INLINE_CREDIT.search(t):
                # a related-article teaser: its title printed twice, then a one-paragraph blurb
                acc.drop("teaser", line)
                acc.drop("teaser", nxt)
                j += 1
                blurb = body[j + 1] if j + 1 < len(body) else None
                if blurb is not None and len(blurb.text) <= 400 and not _same(blurb.text, t):
                    acc.drop("teaser-blurb", blurb)
                    j += 1
            else:
                acc.drop("caption", line)
                acc.drop("caption", nxt)
                j += 1
        elif _CREDIT.match(t):
            # an image block inside the body: caption above the credit, maybe a teaser title below
            if acc.kept and acc.kept[-1].no > (lines[i].no if i < len(lines) else 0) and not is_prose(acc.kept[-1].text):
                acc.drop("caption", acc.kept.pop())
            acc.drop("credit", line)
            if nxt is not None and not is_prose(nxt.text) and is_short_title(nxt.text):
                acc.drop("teaser", nxt)
                j += 1
        elif _INLINE_CREDIT.search(t) or _CAPTION_MARK.search(t):
            acc.drop("caption", line)
        elif _SHORT_URL.match(t):
            acc.drop("short-url", line)
        elif is_image_file(t):
            acc.drop("image-file", line)
        elif _STAFF.match(t):
            acc.drop("byline", line)
        else:
            acc.kept.append(line)
        j += 1

    for name in source_names:
        if fold(name) in _GENERIC_SOURCES:
            continue
        outlet = registry.by_name(name)
        cited.append(outlet.id if outlet else name)

    outlet = registry.by_url(entry.url)
    if published_at is None and entry.url and (from_url := date_from_url(entry.url)):
        published_at, precision = from_url
    canon = canonical_url(entry.url) if entry.url else None
    republished_from = None
    resolved = [c for c in cited if registry.get(c)]
    if len(resolved) == 1 and (outlet is None or resolved[0] != outlet.id):
        republished_from = resolved[0]
    paragraphs = [l.text for l in acc.kept]
    text = "\n\n".join(paragraphs)
    article_id = stable_id(canon) if canon else stable_id(outlet.id if outlet else None, title or headline, published_at, text[:200])
    return Article(
        id=article_id,
        text=text,
        url=entry.url,
        canonical_url=canon,
        outlet=outlet.id if outlet else None,
        section=entry.section,
        headline=headline,
        title=title,
        published_at=published_at,
        date_precision=precision,
        authors=tuple(authors),
        lead=paragraphs[0] if paragraphs else None,
        boilerplate=tuple(sorted(acc.removed, key=lambda b: b.line or 0)),
        cited_sources=tuple(dict.fromkeys(cited)),
        republished_from=republished_from,
        input=InputRef(path=path, line_start=entry.line_start, line_end=entry.line_end),
    )


def _date_ahead(lines: list[Line], i: int, window: int = 3) -> bool:
    """A date line just below means we are still in the title block (titles may end in '?' or '»')."""
    return any(parse_date_line(l.text) for l in lines[i + 1 : i + 1 + window])


_PARTICLES = {"de", "du", "al", "el", "ben", "bin", "von", "van", "la", "par", "by"}


def _looks_like_name(text: str) -> bool:
    words = re.sub(r"^(?:Par|By|Auteur|Author)\s*:?\s+", "", text).replace(".", ". ").split()
    return bool(words) and all(w[0].isupper() or w.lower() in _PARTICLES for w in words)


def parse_review(text: str, registry: OutletRegistry, path: str) -> tuple[list[Article], list[str]]:
    """All articles of a review, and the problems found (one line each, naming the place)."""
    problems: list[str] = []
    articles: list[Article] = []
    for entry in split_entries(text):
        if not any(is_prose(l.text) for l in entry.lines):
            if entry.url is None:
                problems.append(f"{path}: lines {entry.line_start}-{entry.line_end}: trailing text with no article and no source URL; ignored")
            else:
                problems.append(f"{path}: lines {entry.line_start}-{entry.line_end}: entry for {entry.url} has no article text; skipped")
            continue
        article = parse_entry(entry, registry, path)
        article = replace(article, language=detect_language(article.text))
        if entry.url is None:
            problems.append(
                f"{path}: lines {entry.line_start}-{entry.line_end}: last entry has no source URL line; "
                "stored without URL or outlet"
            )
        articles.append(article)
    if not articles and not problems:
        raise InputError(path, "no article found (a review entry ends with its source URL on a line of its own)")
    return articles, problems


def _extract_review(raw, ctx) -> "Extraction":
    from . import Extraction
    from ..textio import decode_text

    text, encoding = decode_text(raw.content, raw.source)
    articles, problems = parse_review(text, ctx.registry, raw.source)
    notices = [] if encoding.startswith("utf") else [f"{raw.source}: not UTF-8; decoded as {encoding}"]
    return Extraction(articles, problems, notices)


from . import register as _register  # noqa: E402

_register("text/x-press-review", "text/plain")(_extract_review)
