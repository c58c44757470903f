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
from . import Context, Extraction, register

HTML_TYPES = ("text/html", "application/xhtml+xml")


def iter_warc_records(source: str | Path | IO[bytes], name: str | None = None) -> Iterator[RawDoc | InputError]:
    """Yield a RawDoc per HTTP 200 HTML response record; then a notice for what was skipped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    label = name or str(source)
    own = isinstance(source, (str, Path))
    try:
        stream = open(source, "rb") if own else source
    except OSError as exc:
        yield InputError(label, f"cannot read: {exc.strerror or exc}")
        return
    read = skipped = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            status = record.http_headers.get_statuscode()
            ctype = record.http_headers.get_header("Content-Type") or ""
            if status != "200" or not any(t in ctype.lower() for t in HTML_TYPES):
                skipped += 1
                record.content_stream().read()
                continue
            content = record.content_stream().read()
            missing = getattr(record.raw_stream, "limit", 0) or 0
            if missing > 0:  # the archive ends inside this record: a partial page is not a page
                yield InputError(label, f"truncated WARC: the archive ends inside the record for {uri} "
                                        f"({missing} bytes missing); the {read} page(s) before it are kept")
                return
            read += 1
            headers = tuple((k.lower(), v) for k, v in record.http_headers.headers if k.lower() != "set-cookie")
            yield RawDoc(content=content, source=uri, media_type="text/html",
                         fetched_at=record.rec_headers.get_header("WARC-Date"), headers=headers,
                         fallback={"warc": label})
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, Exception) as exc:  # noqa: B014 — whatever warcio or zlib raise on a broken tail
        yield InputError(label, f"truncated or corrupt WARC after {read} page(s) ({exc.__class__.__name__}: "
                                f"{str(exc).splitlines()[0][:100] if str(exc) else 'unexpected end'}); the pages read before are kept")
        return
    finally:
        if own:
            stream.close()
    if read == 0 and skipped == 0:
        yield InputError(label, "no HTTP response records in this WARC")
    elif skipped:
        yield InputNotice(label, f"{skipped} non-HTML or non-200 record(s) skipped")


@register("application/warc")
def _extract_warc(raw: RawDoc, ctx: Context) -> Extraction:
    """A whole WARC handed over as bytes (e.g. by a job that reads binary files): each page extracted."""
    from .html import html_article_and_notices

    out = Extraction()
    for item in iter_warc_records(io.BytesIO(raw.content), raw.source):
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
