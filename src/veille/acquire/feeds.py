"""RSS/Atom feeds and sitemaps → the page URLs they list, with the entry's own metadata.

Why keep the entry's title and date: a page whose markup hides its date still has one in
the feed (``pubDate``) or the news sitemap (``news:publication_date``); they become
``RawDoc.fallback`` and are used only when the page itself says nothing. A sitemap's
``lastmod`` is a modification time, never taken as the publication date.
"""

from __future__ import annotations

import gzip
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from lxml import etree

from ..errors import InputError


@dataclass(frozen=True)
class Entry:
    url: str
    title: str | None = None
    published_at: str | None = None
    summary: str | None = None


def sniff_kind(content: bytes, content_type: str = "") -> str | None:
    """'feed', 'sitemap', 'html' or None, from the content first and the declared type second."""
    if content[:2] == b"\x1f\x8b":
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError):
            return None
    head = content[:4096].lstrip().lower()
    for marker, kind in ((b"<urlset", "sitemap"), (b"<sitemapindex", "sitemap"), (b"<rss", "feed"), (b"<feed", "feed"),
                         (b"<rdf:rdf", "feed")):
        if marker in head:
            return kind
    if b"<html" in head or b"<!doctype html" in head or b"<body" in head or b"<head" in head:
        return "html"
    ctype = content_type.lower()
    if "rss" in ctype or "atom" in ctype:
        return "feed"
    if "html" in ctype:
        return "html"
    return None


def _iso(struct: time.struct_time | None) -> str | None:
    if not struct:
        return None
    return datetime(*struct[:6], tzinfo=timezone.utc).replace(tzinfo=None).isoformat(timespec="minutes")


def parse_feed(content: bytes, source: str) -> list[Entry]:
    import feedparser

    parsed = feedparser.parse(content)
    if parsed.bozo and not parsed.entries:
        exc = parsed.get("bozo_exception")
        reason = str(exc).splitlines()[0][:120] if exc else "not a feed"
        raise InputError(source, f"malformed feed ({reason})")
    if not parsed.entries:
        raise InputError(source, "feed has no items")
    out = []
    for e in parsed.entries:
        link = e.get("link") or next((l.get("href") for l in e.get("links", []) if l.get("href")), None)
        out.append(Entry(link or "", e.get("title"), _iso(e.get("published_parsed") or e.get("updated_parsed")),
                         e.get("summary")))
    return out


_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}


def parse_sitemap(content: bytes, source: str) -> tuple[list[Entry], list[str]]:
    """(page entries, child sitemap URLs) of a urlset or a sitemap index."""
    if content[:2] == b"\x1f\x8b":
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError) as exc:
            raise InputError(source, f"corrupt gzip sitemap ({exc})") from None
    try:
        root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError as exc:
        raise InputError(source, f"malformed sitemap ({str(exc)[:120]})") from None

    def local(tag) -> str:
        return etree.QName(tag).localname if isinstance(tag, str) else ""

    pages: list[Entry] = []
    children: list[str] = []
    if local(root.tag) == "sitemapindex":
        for node in root:
            loc = next((c.text for c in node if local(c.tag) == "loc" and c.text), None)
            if loc:
                children.append(loc.strip())
        return pages, children
    if local(root.tag) != "urlset":
        raise InputError(source, f"not a sitemap (root element <{local(root.tag)}>)")
    for node in root:
        loc = title = published = None
        for c in node.iter():
            name = local(c.tag)
            if name == "loc" and c.text and loc is None:
                loc = c.text.strip()
            elif name == "publication_date" and c.text:
                published = c.text.strip()
            elif name == "title" and c.text:
                title = c.text.strip()
        if loc:
            pages.append(Entry(loc, title, published))
    return pages, children
