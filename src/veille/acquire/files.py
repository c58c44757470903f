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
from ..settings import Settings, cap_hint
from ..textio import path_name

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


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def read_file(path: Path, media_type: str | None = None, max_bytes: int | None = None) -> RawDoc:
    """A file read whole (review, HTML page, feed), gunzipped when its name ends in ``.gz``.

    ``max_bytes`` caps the bytes read (after decompression): a bigger file is refused with
    one line naming the limit, and never read into memory beyond it (a small ``.gz`` can
    expand a thousand times)."""
    import gzip
    import zlib

    name = path_name(path)
    cap = max_bytes if max_bytes is not None else Settings().max_file_bytes
    gz = path.name.lower().endswith(".gz") and media_type != "application/warc"
    try:
        with open(path, "rb") as f:
            stream = gzip.GzipFile(fileobj=f) if gz else f
            content = stream.read(cap + 1)
            mtime = datetime.fromtimestamp(os.fstat(f.fileno()).st_mtime, timezone.utc).replace(microsecond=0).isoformat()
    except IsADirectoryError:
        raise InputError(name, "is a directory") from None
    except FileNotFoundError:
        raise InputError(name, "no such file (or a broken link)") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(name, f"corrupt gzip data ({exc})") from None
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    if len(content) > cap:
        what = "decompressed, it is" if gz else "it is"
        raise InputError(name, f"{what} over the {_mb(cap)} limit for a file read whole; not read ({cap_hint('max_file_bytes')})")
    return RawDoc(content=content, source=name, media_type=media_type or media_type_for(path) or "text/x-press-review",
                  fetched_at=mtime)


def walk(path: Path, max_bytes: int | None = None) -> Iterator[RawDoc | InputError]:
    """A file, or every readable file below a folder (sorted, hidden files skipped)."""
    for item in walk_paths(path):
        if isinstance(item, InputError):
            yield item
            continue
        child, media = item
        try:
            yield read_file(child, media, max_bytes)
        except InputError as exc:
            yield exc


def walk_paths(path: Path) -> Iterator[tuple[Path, str] | InputError]:
    """Like ``walk`` but without reading: (file, media type) pairs, so big archives (WARC) can be streamed.

    Nothing is skipped without a word: an unreadable folder is an error, a symbolic link to
    a folder (not followed: links can loop) and a file of an unknown kind are notices."""
    if not path.exists() and not path.is_symlink():
        yield InputError(path_name(path), "no such file or folder")
        return
    if not path.is_dir():
        yield path, media_type_for(path) or "text/x-press-review"
        return
    problems: list[OSError] = []
    for root, dirs, names in os.walk(path, onerror=problems.append):
        while problems:
            exc = problems.pop(0)
            yield InputError(path_name(exc.filename or root), f"folder not read: {exc.strerror or exc}")
        keep = []
        for d in sorted(dirs):
            if d.startswith("."):
                continue
            if os.path.islink(os.path.join(root, d)):
                yield InputNotice(path_name(Path(root) / d), "skipped: a link to a folder (links are not followed)")
                continue
            keep.append(d)
        dirs[:] = keep
        for name in sorted(names):
            if name.startswith("."):
                continue
            child = Path(root) / name
            media = media_type_for(child)
            if media is None:
                yield InputNotice(path_name(child), "skipped: not a kind of file veille reads (by its extension)")
                continue
            yield child, media
    while problems:
        exc = problems.pop(0)
        yield InputError(path_name(exc.filename or path), f"folder not read: {exc.strerror or exc}")
