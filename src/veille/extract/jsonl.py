"""JSON Lines input (DESIGN §5): one article per line.

``{"url", "title", "text", "published_at", "language", "outlet", "id"}`` — only ``text`` is
required. A given ``id`` is kept as the article id; ``outlet`` is an outlet id or a name
resolved through the registry (else the URL's domain); unknown fields go to
``Article.extra``. A bad line is one problem naming the file and line; the others are kept.

Why files are streamed in chunks (``iter_jsonl_chunks``): a JSON Lines export can hold a
million articles, and a ``.jsonl.gz`` of 200 KB can expand to one 200 MB line. Reading a
file line by line, with a cap on each line (``Settings.max_record_bytes``), keeps memory
bounded whatever the file; each chunk of lines is one capture, extracted and committed on
its own, so a corrupt tail never costs the lines before it.

Hostile lines are one problem each, never a traceback: nesting deeper than ``MAX_DEPTH``,
NUL bytes, lone surrogates (``"\\ud800"``), ``NaN``/``Infinity`` (not JSON: exported as null,
with a note), numbers of thousands of digits.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Iterator, Mapping

from ..errors import InputError
from ..lang import detect_language
from ..records import Article, InputRef, RawDoc, stable_id
from ..settings import Settings, cap_hint
from ..textio import _MAGIC, clean_str, decode_bytes, path_name
from ..urls import canonical_url
from . import Context, Extraction, register

KNOWN = {"url", "title", "text", "published_at", "language", "outlet", "id", "authors", "section", "lead"}
MAX_DEPTH = 64  # nesting of one record: real exports use 2 or 3
MAX_ID = 200  # characters of a given id kept as is; longer ids are replaced by a stable hash
CHUNK_BYTES = 4 * 1024 * 1024  # lines per capture: bounded memory, few enough transactions
CHUNK_LINES = 2000
MAX_PROBLEMS = 20  # bad lines reported one by one per chunk; the rest are counted
_BAD_ID = re.compile(r"[\x00-\x1f\x7f\s]")


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def record_to_article(obj: Mapping[str, Any], ctx: Context, source: str, line: int) -> tuple[Article, list[str]]:
    """One decoded JSON object → Article (pure per record; the Spark job reuses it)."""
    from .html import normalise_date

    where = f"{source}: line {line}"
    if not isinstance(obj, Mapping):
        raise InputError(where, f"expected a JSON object, got {type(obj).__name__}")
    notices: list[str] = []
    obj = _sanitize(obj, where, notices)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, "no 'text' (the one required field)")
    cap = ctx.settings.max_article_chars
    if len(text) > cap:
        raise InputError(where, f"text of {len(text):,} characters is over the limit of {cap:,}"
                                f"; record not stored ({cap_hint('max_article_chars')})")
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
    if isinstance(raw_date, bool):
        raw_date = str(raw_date)
    if isinstance(raw_date, (int, float)) and raw_date is not None:
        published, precision = _epoch(raw_date) or (None, None)
        if published:
            notices.append(f"{where}: published_at {raw_date!r} read as a Unix time ({published} UTC)")
        else:
            notices.append(f"{where}: published_at {raw_date!r} is a number but not a Unix time; kept in extra")
    elif isinstance(raw_date, str) and raw_date.strip():
        parsed = normalise_date(raw_date)
        if parsed:
            published, precision = parsed
        else:
            notices.append(f"{where}: published_at {raw_date!r} not understood; kept in extra")
    elif raw_date not in (None, ""):
        notices.append(f"{where}: published_at of type {type(raw_date).__name__} not understood; kept in extra")
    title = obj.get("title") if isinstance(obj.get("title"), str) else None
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    clean = "\n\n".join(paragraphs)
    extra = {k: v for k, v in obj.items() if k not in KNOWN}
    given_id = obj.get("id")
    if isinstance(given_id, (str, int)) and not isinstance(given_id, bool) and str(given_id).strip():
        article_id = str(given_id)
        if len(article_id) > MAX_ID or _BAD_ID.search(article_id):
            extra["given_id"] = article_id
            article_id = "id-" + stable_id(article_id, length=24)
            notices.append(f"{where}: id of {len(extra['given_id'])} characters"
                           f"{' with spaces or control characters' if _BAD_ID.search(extra['given_id']) else ''}"
                           f" replaced by {article_id} (the given id is kept in extra.given_id)")
    elif canon:
        article_id = stable_id(canon)
    else:
        article_id = stable_id(outlet.id if outlet else None, title, published, clean[:200])
    if given_id is not None and not isinstance(given_id, (str, int)) or isinstance(given_id, bool):
        extra["given_id"] = given_id
        notices.append(f"{where}: id of type {type(given_id).__name__} is not an id; a stable one was made")
    if outlet is None and isinstance(name, str) and name.strip():
        extra["outlet_name"] = name
    if raw_date not in (None, "") and not published:
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


def _epoch(value: float) -> tuple[str, str] | None:
    """A number as a Unix time in seconds (or milliseconds), when it falls between 1990 and 2100."""
    if not math.isfinite(value):
        return None
    for scale in (1, 1000):
        seconds = value / scale
        if 631152000 <= seconds <= 4102444800:
            return datetime.fromtimestamp(seconds, timezone.utc).replace(tzinfo=None).isoformat(timespec="minutes"), "minute"
    return None


def _sanitize(obj: Mapping[str, Any], where: str, notices: list[str]) -> dict[str, Any]:
    """The record with what cannot be stored or exported as JSON made safe, iteratively (no recursion).

    Lone surrogates → U+FFFD; NaN/±Infinity → null (told); deeper than MAX_DEPTH → refused."""
    fixed: set[str] = set()

    def clean(value: Any, key: str) -> Any:
        if isinstance(value, str):
            out = clean_str(value)
            if out is not value:
                fixed.add(f"invalid characters in {key!r}")
            return out
        if isinstance(value, float) and not math.isfinite(value):
            spelled = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
            fixed.add(f"{spelled} in {key!r} (not JSON) stored as null")
            return None
        return value

    root: dict[str, Any] = {}
    stack: list[tuple[Any, Any, str, int]] = [(obj, root, "", 0)]
    while stack:
        src, dst, key, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(where, f"record nested deeper than {MAX_DEPTH} levels")
        items = src.items() if isinstance(src, Mapping) else enumerate(src)
        for k, v in items:
            top = key or str(k)
            k2 = clean_str(k) if isinstance(k, str) else k
            if isinstance(v, Mapping):
                child: Any = {}
            elif isinstance(v, list):
                child = []
            else:
                child = clean(v, top)
                if isinstance(dst, dict):
                    dst[k2] = child
                else:
                    dst.append(child)
                continue
            if isinstance(dst, dict):
                dst[k2] = child
            else:
                dst.append(child)
            stack.append((v, child, top, depth + 1))
    for what in sorted(fixed):
        notices.append(f"{where}: {what}")
    return root


def _parse_line(line: str, where: str) -> Any:
    """``json.loads`` with every way a hostile line can fail turned into one InputError."""
    if "\x00" in line:
        raise InputError(where, "NUL bytes in the line (binary data); skipped")
    depth = max_depth(line)
    if depth > MAX_DEPTH:
        raise InputError(where, f"record nested deeper than {MAX_DEPTH} levels; skipped")
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer of more than 4300 digits
        raise InputError(where, f"not usable JSON ({str(exc).splitlines()[0][:100]})") from None


_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def max_depth(line: str) -> int:
    """How deep brackets nest in a JSON line (strings skipped), without parsing it."""
    depth = best = 0
    for m in _TOKENS.finditer(line):
        ch = m.group()
        if ch in "[{":
            depth += 1
            if depth > best:
                best = depth
        elif ch in "]}":
            depth -= 1
    return best


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) without copying the text into a list of lines."""
    pos, n = 0, len(text)
    while pos < n:
        end = text.find("\n", pos)
        if end < 0:
            end = n
        yield pos, text[pos:end]
        pos = end + 1


@register("application/x-ndjson", "application/jsonl")
def _extract_jsonl(raw: RawDoc, ctx: Context) -> Extraction:
    fallback = dict(raw.fallback or {})
    first = int(fallback.get("jsonl_line") or 1)
    encoding = fallback.get("encoding")
    out = Extraction()
    if first == 1 and any(raw.content.startswith(m) for m in _MAGIC):
        decode_bytes(raw.content, raw.source)  # raises the one-line "not text: looks like …"
    text, used = _decode_chunk(raw.content, raw.source, encoding)
    if first == 1 and not used.startswith("utf"):
        out.notices.append(f"{raw.source}: not UTF-8; decoded as {used}")
    elif encoding and used != encoding:
        out.notices.append(f"{raw.source}: lines from {first} on decoded as {used}")
    bad = 0
    for no, (_, line) in enumerate(_lines(text), start=first):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        where = f"{raw.source}: line {no}"
        try:
            obj = _parse_line(line, where)
            article, notices = record_to_article(obj, ctx, raw.source, no)
        except InputError as exc:
            bad += 1
            if bad <= MAX_PROBLEMS:
                out.problems.append(str(exc))
            continue
        out.articles.append(article)
        out.notices += notices
    if bad > MAX_PROBLEMS:
        out.problems.append(f"{raw.source}: {bad - MAX_PROBLEMS} more bad line(s) from line {first} on (first "
                            f"{MAX_PROBLEMS} shown)")
    if not out.articles and not out.problems and first == 1 and not fallback.get("more"):
        raise InputError(raw.source, "no JSON Lines records")
    return out


def _decode_chunk(content: bytes, source: str, encoding: str | None) -> tuple[str, str]:
    if not content.strip():
        return "", encoding or "utf-8"
    if encoding:
        try:
            return content.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            pass
    # binary content is judged line by line (a NUL in one line refuses that line, not the file)
    return decode_bytes(content, source, check_binary=False)


def iter_jsonl_chunks(path: Path, settings: Settings, name: str | None = None) -> Iterator[RawDoc | InputError]:
    """A JSON Lines file (or ``.jsonl.gz``) → captures of up to ``CHUNK_LINES`` lines / ``CHUNK_BYTES``.

    Each capture's ``fallback`` carries its first line number (errors and ``Article.input``
    name the real line) and the file's encoding (chosen on the first chunk). A line over
    ``max_record_bytes`` is skipped with one error, read in pieces so it never sits in memory;
    a truncated ``.gz`` ends with one error after the lines read are yielded."""
    import gzip
    import zlib

    label = name or path_name(path)
    cap = settings.max_record_bytes
    try:
        raw_stream: IO[bytes] = open(path, "rb")
        mtime = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).replace(microsecond=0).isoformat()
    except IsADirectoryError:
        yield InputError(label, "is a directory")
        return
    except FileNotFoundError:
        yield InputError(label, "no such file (or a broken link)")
        return
    except PermissionError:
        yield InputError(label, "permission denied")
        return
    except OSError as exc:
        yield InputError(label, f"cannot read: {exc.strerror or exc}")
        return
    stream: IO[bytes] = gzip.GzipFile(fileobj=raw_stream) if path.name.lower().endswith(".gz") else raw_stream
    lines: list[bytes] = []
    size = 0
    first = 1
    no = 0
    encoding: str | None = None
    produced = False

    def chunk(more: bool) -> RawDoc:
        nonlocal encoding
        content = b"".join(lines)
        if encoding is None and content.strip():
            try:
                _, encoding = decode_bytes(content, label, check_binary=False)
            except InputError:
                encoding = None
        fallback = {"jsonl_line": first, "more": more or first > 1}
        if encoding:
            fallback["encoding"] = encoding
        return RawDoc(content=content, source=label, media_type="application/x-ndjson", fetched_at=mtime,
                      fallback=fallback)

    try:
        while True:
            try:
                line = stream.readline(cap + 1)
            except (OSError, EOFError, zlib.error) as exc:
                if lines or produced:
                    yield chunk(True)
                yield InputError(label, f"corrupt or truncated gzip data after line {no} "
                                        f"({str(exc).splitlines()[0][:80] if str(exc) else exc.__class__.__name__}); "
                                        "the lines before are kept")
                return
            if not line:
                break
            no += 1
            if no == 1 and any(line.startswith(m) for m in _MAGIC if m != b"\x1f\x8b"):
                yield InputError(label, f"not text: looks like {next(v for m, v in _MAGIC.items() if line.startswith(m))}")
                return
            if len(line) > cap and not line.endswith(b"\n"):
                skipped = len(line)
                while True:
                    try:
                        more = stream.readline(1024 * 1024)
                    except (OSError, EOFError, zlib.error):
                        more = b""
                    skipped += len(more)
                    if not more or more.endswith(b"\n"):
                        break
                yield InputError(f"{label}: line {no}", f"record of {_mb(skipped)} is over the {_mb(cap)} limit"
                                                        f"; skipped ({cap_hint('max_record_bytes')})")
                line = b"\n"  # keeps the line numbers of the chunk right
            lines.append(line)
            size += len(line)
            if size >= CHUNK_BYTES or len(lines) >= CHUNK_LINES:
                yield chunk(True)
                produced = True
                first = no + 1
                lines, size = [], 0
        if lines or not produced:
            if not produced and not b"".join(lines).strip():
                yield InputError(label, "empty file")
                return
            yield chunk(produced)
    finally:
        stream.close()
        raw_stream.close()
