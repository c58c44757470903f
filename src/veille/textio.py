"""Bytes → text, with a clear refusal for what is not text.

Why here and not in each extractor: every text input (reviews, JSON Lines, feeds read as
text) needs the same rules — UTF-8 (with or without BOM) first, then the legacy code pages
analysts' files really come in (cp1252, latin-1), and a one-line reason for anything binary.
"""

from __future__ import annotations

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


def sniff_binary(content: bytes) -> str | None:
    """What binary thing this is, or None when it looks like text."""
    for magic, what in _MAGIC.items():
        if content.startswith(magic):
            return what
    head = content[:8192]
    if b"\x00" in head and not (head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff")):
        return "binary data (NUL bytes)"
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and controls / len(head) > 0.05:
        return "binary data (control bytes)"
    return None


def decode_text(content: bytes, source: str) -> tuple[str, str]:
    """Decode to str; returns (text, encoding used). Raises InputError for empty/binary input."""
    if not content.strip():
        raise InputError(source, "empty file")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "utf-16"
    what = sniff_binary(content)
    if what:
        raise InputError(source, f"not text: looks like {what}")
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return content.decode("latin-1"), "latin-1"
