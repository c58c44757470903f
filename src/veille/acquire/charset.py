"""Bytes of a web page → text, with the encoding chosen the way a browser would, plus a sniff.

Order: a byte-order mark; the charset the HTTP header declares; ``<meta charset>`` /
``http-equiv`` in the first 4 KB; strict UTF-8; then a sniff between the legacy code pages
our outlets really use — Arabic windows-1256 (SANA, Al-Manar archives) and Western
windows-1252/latin-1 (French sites). A declared charset that cannot decode the bytes is
ignored rather than trusted (servers lie), and the choice is reported so the caller can say
"decoded as …".
"""

from __future__ import annotations

import codecs
import re

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.I)

# labels browsers map to a superset (WHATWG Encoding): latin-1 really means windows-1252
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
            "iso-8859-6": "iso8859-6", "windows-1256": "cp1256", "x-user-defined": "cp1252", "utf8": "utf-8"}


def _norm(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(content_type: str | None) -> str | None:
    m = _HEADER.search(content_type or "")
    return _norm(m.group(1)) if m else None


def meta_charset(content: bytes) -> str | None:
    m = _META.search(content[:4096])
    return _norm(m.group(1).decode("ascii", "ignore")) if m else None


def sniff_legacy(content: bytes) -> str:
    """Arabic (cp1256) or Western (cp1252) for non-UTF-8 bytes.

    Why this works: Arabic words are runs of high bytes (every letter is ≥ 0xC1 in cp1256),
    while in French/Western text a high byte is an accent between ASCII letters. So the
    share of high bytes whose neighbour is also high separates the two.
    """
    high = [i for i, b in enumerate(content) if b >= 0x80]
    if not high:
        return "cp1252"
    paired = sum(1 for i in high if (i + 1 < len(content) and content[i + 1] >= 0x80) or (i > 0 and content[i - 1] >= 0x80))
    return "cp1256" if paired / len(high) > 0.5 else "cp1252"


_WESTERN = {"cp1252", "latin_1", "iso8859-15", "ascii"}


def decode_html(content: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding used).

    Valid UTF-8 with non-ASCII bytes wins over any declaration (legacy text is almost never
    valid UTF-8 by chance; mislabelled UTF-8 pages are common). A Western declaration on
    bytes that sniff as Arabic is overruled too: that is the typical mislabelled cp1256 page.
    """
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace"), "utf-8"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace"), "utf-16"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sniffed = sniff_legacy(content)
    for enc in (declared_charset(content_type), meta_charset(content)):
        if not enc or enc == "utf-8":
            continue
        if enc in _WESTERN and sniffed == "cp1256":
            break
        try:
            return content.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    return content.decode(sniffed, errors="replace"), sniffed
