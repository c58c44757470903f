"""Bytes → text: the one decoder every input goes through (press reviews, JSON Lines, HTML pages).

Why one place: an Arabic file saved in windows-1256 must come out as Arabic whether it is a
``.txt`` review, a ``.jsonl`` export or a web page, and a binary file must be refused with
the same one-line reason everywhere. The order is the browser's (WHATWG), plus a sniff:

1. a byte-order mark (UTF-8, UTF-16);
2. strict UTF-8 — legacy text is almost never valid UTF-8 by chance, mislabelled UTF-8
   pages are common, so valid UTF-8 wins over any declaration;
3. the charset the HTTP header declares, then ``<meta charset>`` / ``http-equiv`` in the
   first 4 KB (HTML only) — a declaration that cannot decode the bytes is ignored (servers
   lie), and a Western one on bytes that sniff as Arabic is overruled (the typical
   mislabelled windows-1256 page);
4. a sniff between the legacy code pages our inputs really come in: Arabic windows-1256
   (SANA, Al-Manar archives, Arabic Windows exports) and Western windows-1252 (French).

The encoding used is returned so callers can say "decoded as …".
"""

from __future__ import annotations

import codecs
import os
import re

from .errors import InputError

_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\x1f\x8b": "gzip-compressed data",
    b"\x7fELF": "an executable",
    b"SQLite format 3": "an SQLite database",
}

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.I)

# labels browsers map to a superset (WHATWG Encoding): latin-1 really means windows-1252
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
            "iso-8859-6": "iso8859-6", "windows-1256": "cp1256", "x-user-defined": "cp1252", "utf8": "utf-8"}
_WESTERN = {"cp1252", "latin_1", "iso8859-15", "ascii"}
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
SNIFF_BYTES = 256 * 1024  # the legacy sniff reads this much: enough for any language, linear in nothing


def sniff_binary(content: bytes) -> str | None:
    """What binary thing this is, or None when it looks like text (UTF-16 with a BOM is text)."""
    for magic, what in _MAGIC.items():
        if content.startswith(magic):
            return what
    head = content[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and controls / len(head) > 0.05:
        return "binary data (control bytes)"
    return None


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
    share of high bytes whose neighbour is also high separates the two. Read on the first
    ``SNIFF_BYTES`` only: the answer does not change further in, the cost would.
    """
    high = paired = 0
    for run in _HIGH_RUN.finditer(content[:SNIFF_BYTES]):
        n = run.end() - run.start()
        high += n
        if n > 1:
            paired += n
    if not high:
        return "cp1252"
    return "cp1256" if paired / high > 0.5 else "cp1252"


def decode_bytes(content: bytes, source: str, *, content_type: str | None = None, html: bool = False,
                 check_binary: bool = True) -> tuple[str, str]:
    """Decode any text input; returns (text, encoding used).

    ``html`` also reads ``<meta charset>``; ``content_type`` is the HTTP header (or the
    archived one). Raises ``InputError`` naming ``source`` for empty or binary input
    (``check_binary=False`` when the caller has refused binary already, e.g. per line).
    """
    if not content.strip():
        raise InputError(source, "empty file" if not html else "empty page")
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace"), "utf-8"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace"), "utf-16"
    if check_binary:
        what = sniff_binary(content)
        if what:
            raise InputError(source, f"not text: looks like {what}")
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sniffed = sniff_legacy(content)
    declared = [declared_charset(content_type)] + ([meta_charset(content)] if html else [])
    for enc in declared:
        if not enc or enc == "utf-8":
            continue
        if enc in _WESTERN and sniffed == "cp1256":
            break
        try:
            return content.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return content.decode(sniffed), sniffed
    except UnicodeDecodeError:  # cp1252 leaves five bytes undefined; latin-1 maps every byte
        return content.decode("latin-1"), "latin-1"


def decode_text(content: bytes, source: str) -> tuple[str, str]:
    """A text file (press review): ``decode_bytes`` without HTML declarations."""
    return decode_bytes(content, source)


def decode_html(content: bytes, content_type: str | None = None, source: str = "page") -> tuple[str, str]:
    """A web page: ``decode_bytes`` with the header and ``<meta>`` declarations (binary refused by the caller)."""
    return decode_bytes(content, source, content_type=content_type, html=True, check_binary=False)


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_str(value: str) -> str:
    """A string that can be stored and printed: lone surrogates (``"\\ud800"`` in JSON, undecodable
    file names) become U+FFFD. Everything else is kept as is."""
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def path_name(path: "str | os.PathLike[str]") -> str:
    """A file name as text we can store and print, even when the name is not UTF-8 on disk
    (its undecodable bytes shown as ``\\xe9``)."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", errors="backslashreplace")
