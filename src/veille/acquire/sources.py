"""One input string → raw captures. Decides what the input is (file, folder, URL, feed, …).

A URL's kind is sniffed from what comes back (content first, declared type second): an
HTML page is one capture; a feed or a sitemap (index) expands into its pages, each fetched
politely with the entry's title/date as fallbacks. Local files go by extension; a local
feed or sitemap expands the same way, a WARC streams its records. Every failure is one
``InputError`` for that input or that item, and the rest goes on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..errors import InputError, InputNotice
from ..records import RawDoc
from ..settings import Settings
from . import files
from .feeds import Entry, parse_feed, parse_sitemap, sniff_kind
from .fetch import Fetched, Fetcher

_shared: tuple[tuple, Fetcher] | None = None


def fetcher_for(settings: Settings, store=None) -> Fetcher:
    """One fetcher per (settings, store): robots.txt cache and rate limits span all inputs of a run."""
    global _shared
    key = (settings, id(store))
    if _shared is None or _shared[0] != key or _shared[1].store is not store:
        if _shared is not None:
            _shared[1].close()
        _shared = (key, Fetcher(settings, store))
    return _shared[1]


def acquire(item: str, settings: Settings, store=None, fetcher: Fetcher | None = None) -> Iterator[RawDoc | InputError]:
    if item.startswith(("http://", "https://")):
        fetcher = fetcher or fetcher_for(settings, store)
        fetcher.trust(item)  # typed by the user: may be local; what it leads to is checked
        yield from acquire_url(item, fetcher)
        return
    for found in files.walk_paths(Path(item)):
        if isinstance(found, InputError):
            yield found
            continue
        path, media = found
        if media == "application/warc":  # streamed record by record
            from ..extract.warc import iter_warc_records

            yield from iter_warc_records(path, max_bytes=settings.max_bytes)
            continue
        if media == "application/x-ndjson":  # streamed in chunks of lines
            from ..extract.jsonl import iter_jsonl_chunks

            yield from iter_jsonl_chunks(path, settings)
            continue
        try:
            raw = files.read_file(path, media, settings.max_file_bytes)
        except InputError as exc:
            yield exc
            continue
        if media in ("application/xml", "application/rss+xml", "application/atom+xml"):
            kind = sniff_kind(raw.content, media)
            if kind == "html":
                yield RawDoc(raw.content, raw.source, "text/html", raw.fetched_at)
            elif kind in ("feed", "sitemap"):
                yield from _expand(raw.content, kind, raw.source, fetcher or fetcher_for(settings, store), depth=0)
            else:
                yield InputError(raw.source, "XML that is neither a feed nor a sitemap")
            continue
        yield raw


def _remembering(fetcher: Fetcher, fetched: Fetched, raw: RawDoc) -> RawDoc:
    fetcher.remember(fetched, raw.sha256)
    return raw


def _fetch_kind(fetcher: Fetcher, url: str) -> tuple[Fetched, str] | InputError:
    """Fetch ``url`` and tell what it is (html, feed, sitemap…), or the one-line reason it is not usable."""
    try:
        fetched = fetcher.fetch(url)
    except InputError as exc:
        return exc
    kind = kind_or_error(fetched)
    return kind if isinstance(kind, InputError) else (fetched, kind)


def acquire_url(url: str, fetcher: Fetcher, *, depth: int = 0) -> Iterator[RawDoc | InputError]:
    got = _fetch_kind(fetcher, url)
    if isinstance(got, InputError):
        yield got
        return
    fetched, kind = got
    if kind == "html":
        yield _remembering(fetcher, fetched, fetched.raw("text/html"))
        return
    yield from _expand(fetched.content, kind, url, fetcher, depth=depth)


def kind_or_error(fetched: Fetched) -> str | InputError:
    from ..textio import sniff_binary

    ctype = fetched.content_type.split(";")[0].strip().lower()
    what = sniff_binary(fetched.content) if fetched.content[:2] != b"\x1f\x8b" else None
    if what or ctype.startswith(("image/", "audio/", "video/")) or ctype in ("application/pdf", "application/zip"):
        got = what or ctype
        return InputError(fetched.url, f"expected a web page, feed or sitemap, got {got}")
    if not fetched.content.strip():
        return InputError(fetched.url, "empty response")
    kind = sniff_kind(fetched.content, ctype)
    if kind is None:
        if "xml" in ctype:
            return InputError(fetched.url, "XML that is neither a feed nor a sitemap")
        return InputError(fetched.url, f"expected a web page, feed or sitemap, got {ctype or 'no content type'}")
    return kind


def _expand(content: bytes, kind: str, source: str, fetcher: Fetcher, *, depth: int) -> Iterator[RawDoc | InputError]:
    settings = fetcher.settings
    if kind == "feed":
        try:
            entries = parse_feed(content, source)
        except InputError as exc:
            yield exc
            return
        for entry in entries:
            yield from _entry_page(entry, fetcher, {"feed": source})
        return
    # sitemap (or sitemap index): breadth-first over children, capped
    budget = settings.max_sitemap_urls
    queue = [(content, source, depth)]
    done = 0
    while queue:
        body, where, level = queue.pop(0)
        try:
            pages, children = parse_sitemap(body, where)
        except InputError as exc:
            yield exc
            continue
        for entry in pages:
            if done >= budget:
                yield InputNotice(source, f"sitemap lists more than {budget} pages; the rest were not fetched")
                return
            done += 1
            yield from _entry_page(entry, fetcher, {"sitemap": where})
        for child in children:
            if level >= 3:
                yield InputError(child, "sitemap index nested too deep; not followed")
                continue
            try:
                fetched = fetcher.fetch(child)
            except InputError as exc:
                yield exc
                continue
            queue.append((fetched.content, child, level + 1))


def _entry_page(entry: Entry, fetcher: Fetcher, origin: dict) -> Iterator[RawDoc | InputError]:
    where = next(iter(origin.values()))
    if not entry.url:
        yield InputError(where, f"item {entry.title or '(untitled)'!r} has no link")
        return
    got = _fetch_kind(fetcher, entry.url)
    if isinstance(got, InputError):
        yield got
        return
    fetched, kind = got
    if kind != "html":
        yield InputError(entry.url, f"listed as a page but is a {kind}; not followed")
        return
    fallback = {k: v for k, v in {"title": entry.title, "published_at": entry.published_at, **origin}.items() if v}
    yield _remembering(fetcher, fetched, fetched.raw("text/html", fallback))
