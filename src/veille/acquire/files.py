"""Local files and folders → raw captures.

A folder is walked recursively in a stable order; files of a kind we do not read are
listed as skipped, never silently ignored. An unreadable file is an error for that file
alone: the walk goes on.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from ..errors import InputError, InputNotice
from ..records import RawDoc

# suffix → media type the extractors dispatch on
MEDIA_TYPES = {
    ".txt": "text/x-press-review",
    ".text": "text/x-press-review",
    ".md": "text/x-press-review",
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "text/html",
    ".jsonl": "application/x-ndjson",
    ".ndjson": "application/x-ndjson",
    ".warc": "application/warc",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
}
COMPOUND = {".html.gz": "text/html", ".htm.gz": "text/html", ".warc.gz": "application/warc", ".jsonl.gz": "application/x-ndjson"}


def media_type_for(path: Path) -> str | None:
    name = path.name.lower()
    for suffix, media in COMPOUND.items():
        if name.endswith(suffix):
            return media
    return MEDIA_TYPES.get(path.suffix.lower())


def read_file(path: Path, media_type: str | None = None) -> RawDoc:
    try:
        content = path.read_bytes()
    except IsADirectoryError:
        raise InputError(str(path), "is a directory") from None
    except FileNotFoundError:
        raise InputError(str(path), "no such file (or a broken link)") from None
    except PermissionError:
        raise InputError(str(path), "permission denied") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if path.name.lower().endswith(".gz") and media_type != "application/warc":
        import gzip

        try:
            content = gzip.decompress(content)
        except (OSError, EOFError) as exc:
            raise InputError(str(path), f"corrupt gzip data ({exc})") from None
    mtime = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).replace(microsecond=0).isoformat()
    return RawDoc(content=content, source=str(path), media_type=media_type or media_type_for(path) or "text/x-press-review",
                  fetched_at=mtime)


def walk(path: Path) -> Iterator[RawDoc | InputError]:
    """A file, or every readable file below a folder (sorted, hidden files skipped)."""
    for item in walk_paths(path):
        if isinstance(item, InputError):
            yield item
            continue
        child, media = item
        try:
            yield read_file(child, media)
        except InputError as exc:
            yield exc


def walk_paths(path: Path) -> Iterator[tuple[Path, str] | InputError]:
    """Like ``walk`` but without reading: (file, media type) pairs, so big archives (WARC) can be streamed."""
    if not path.exists() and not path.is_symlink():
        yield InputError(str(path), "no such file or folder")
        return
    if not path.is_dir():
        yield path, media_type_for(path) or "text/x-press-review"
        return
    for root, dirs, names in os.walk(path, onerror=lambda e: None):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            child = Path(root) / name
            media = media_type_for(child)
            if media is None:
                yield InputNotice(str(child), "skipped: not a kind of file veille reads (by its extension)")
                continue
            yield child, media
