"""WARC / WARC.gz archives → one raw capture per archived HTML response.

A pure per-record reader (``iter_warc_records``) so the Spark job can reuse it. A truncated
or corrupt archive ends with one error naming how many records were read: those records
are kept, never thrown away with the broken tail.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Iterator

from ..errors import InputError, InputNotice
from ..records import RawDoc
from ..settings import Settings, cap_hint
from ..textio import path_name
from . import Context, Extraction, register

HTML_TYPES = ("text/html", "application/xhtml+xml")


def iter_warc_records(source: str | Path | IO[bytes], name: str | None = None,
                      max_bytes: int | None = None) -> Iterator[RawDoc | InputError]:
    """Yield a RawDoc per HTTP 200 HTML response record; then a notice for what was skipped.

    Truncation is checked two ways, because warcio reports neither as an error: a record whose
    body is shorter than its Content-Length, and bytes left after the last complete record (an
    archive cut inside a record's headers, or inside a gzip member, simply ends the iteration).
    A page over ``max_bytes`` (``Settings.max_bytes``, as for a fetched page) is skipped with
    one error and never held in memory whole."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    label = name or (path_name(source) if isinstance(source, (str, Path)) else "WARC")
    cap = max_bytes if max_bytes is not None else Settings().max_bytes
    own = isinstance(source, (str, Path))
    try:
        stream = open(source, "rb") if own else source
    except OSError as exc:
        yield InputError(label, f"cannot read: {exc.strerror or exc}")
        return
    read = skipped = 0
    try:
        it = ArchiveIterator(stream)
        last_start = 0
        for record in it:
            last_start = getattr(it, "offset", 0) or 0  # where this record starts in the file
            if record.rec_type != "response" or record.http_headers is None:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            status = record.http_headers.get_statuscode()
            ctype = record.http_headers.get_header("Content-Type") or ""
            if status != "200" or not any(t in ctype.lower() for t in HTML_TYPES):
                skipped += 1
                _drain(record.content_stream())
                continue
            body = record.content_stream()
            content = body.read(cap + 1)
            if len(content) > cap:
                more = _drain(body)
                yield InputError(f"{label}: {uri}", f"archived page of {_mb(len(content) + more)} is over the "
                                                    f"{_mb(cap)} limit; skipped ({cap_hint('max_bytes')})")
                continue
            missing = getattr(record.raw_stream, "limit", 0) or 0
            if missing > 0:  # the archive ends inside this record: a partial page is not a page
                yield InputError(label, f"truncated or corrupt WARC: the archive ends inside the record for {uri} "
                                        f"({missing} bytes missing); the {read} page(s) before are kept")
                return
            read += 1
            headers = tuple((k.lower(), v) for k, v in record.http_headers.headers if k.lower() != "set-cookie")
            yield RawDoc(content=content, source=uri, media_type="text/html",
                         fetched_at=record.rec_headers.get_header("WARC-Date"), headers=headers,
                         fallback={"warc": label})
        left = _bytes_left(stream, getattr(it, "offset", None)) or _gzip_cut(stream, last_start)
        if left:
            yield InputError(label, f"truncated or corrupt WARC: {left} byte(s) after the last complete record "
                                    f"could not be read (cut inside a record's headers?); the {read} page(s) before are kept")
            return
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, Exception) as exc:  # noqa: B014 — whatever warcio or zlib raise on a broken tail
        if isinstance(exc, (ArchiveLoadFailed, EOFError, OSError)) and str(exc):
            why = str(exc).splitlines()[0][:100]
        else:  # warcio's own slips on cut headers (AttributeError on a missing field…) say nothing useful
            why = "a record's headers are cut or malformed"
        yield InputError(label, f"truncated or corrupt WARC ({why}); the {read} page(s) before are kept")
        return
    finally:
        if own:
            stream.close()
    if read == 0 and skipped == 0:
        yield InputError(label, "no HTTP response records in this WARC")
    elif skipped:
        yield InputNotice(label, f"{skipped} non-HTML or non-200 record(s) skipped")


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _drain(body: IO[bytes]) -> int:
    """Read a record body to its end in pieces; how many bytes there were."""
    n = 0
    while True:
        piece = body.read(1024 * 1024)
        if not piece:
            return n
        n += len(piece)


def _gzip_cut(stream: IO[bytes], start: int) -> int:
    """For a .warc.gz: bytes of an unfinished gzip member from ``start`` (the last record read) on, or 0.

    warcio ends quietly when the archive is cut inside a member; decompressing again only the
    tail from the last record read settles it (a few members, whatever the archive's size)."""
    import zlib

    try:
        stream.seek(start)
        if stream.read(2) != b"\x1f\x8b":
            return 0
        stream.seek(start)
        d = zlib.decompressobj(31)
        pending = 0  # compressed bytes fed to a member not finished yet
        while True:
            chunk = stream.read(1024 * 1024)
            if not chunk:
                break
            while chunk:
                d.decompress(chunk, 1024 * 1024)
                while d.unconsumed_tail:
                    d.decompress(d.unconsumed_tail, 1024 * 1024)
                if d.eof:
                    chunk = d.unused_data
                    d = zlib.decompressobj(31)
                    pending = 0
                    if chunk and not chunk.strip(b"\x00"):
                        chunk = b""
                else:
                    pending += len(chunk)
                    chunk = b""
        return pending
    except zlib.error:
        return 1
    except (OSError, ValueError):
        return 0


def _bytes_left(stream: IO[bytes], end: int | None) -> int:
    """Non-blank bytes in the file after ``end`` (the end of the last complete record), or 0."""
    if end is None:
        return 0
    try:
        total = stream.seek(0, io.SEEK_END)
        if total <= end:
            return 0
        stream.seek(end)
        tail = stream.read(total - end if total - end <= 4096 else 4096)
    except (OSError, ValueError):
        return 0
    if not tail.strip(b"\r\n \t"):
        return 0
    return total - end


@register("application/warc")
def _extract_warc(raw: RawDoc, ctx: Context) -> Extraction:
    """A whole WARC handed over as bytes (e.g. by a job that reads binary files): each page extracted."""
    from .html import html_article_and_notices

    out = Extraction()
    for item in iter_warc_records(io.BytesIO(raw.content), raw.source, ctx.settings.max_bytes):
        if isinstance(item, InputNotice):
            out.notices.append(str(item))
        elif isinstance(item, InputError):
            out.problems.append(str(item))
        else:
            try:
                article, notices = html_article_and_notices(item, ctx)
            except InputError as exc:
                out.problems.append(str(exc))
                continue
            out.articles.append(article)
            out.notices += notices
    return out
