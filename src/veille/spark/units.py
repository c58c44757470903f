"""Inputs → work units, on the driver.

A unit is one thing an executor hands to ``pipeline.iter_raw``: a file (a WARC, a JSON
Lines file, an HTML page, a press review) or a URL. Folders are listed here, not read, so
that their files spread over the cluster; a WARC or JSONL file is one unit, like one
WARC file is one task in cc-pyspark (a CC-NEWS WARC is ~1 GiB, tens of thousands of
records: plenty of work per task, and no random access needed into the gzip stream).

The listing is ``acquire.files.walk_paths`` itself (sorted, hidden entries skipped, files
of unknown kinds told as notices), so the Spark job sees the same inputs as ``veille run``.
A ``@FILE`` input is a manifest: one input per line (like CC-NEWS's ``warc.paths``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ..acquire.files import walk_paths
from ..errors import InputError, InputNotice


@dataclass
class Units:
    units: list[str] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)  # bytes on disk (0 for URLs): used to balance partitions
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _manifest(path: str) -> list[str]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(path, f"cannot read the list of inputs: {exc.strerror or exc}") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def expand(inputs: Iterable[str]) -> Units:
    out = Units()
    for item in inputs:
        if item.startswith("@"):
            try:
                sub = expand(_manifest(item[1:]))
            except InputError as exc:
                out.errors.append(str(exc))
                continue
            out.units += sub.units
            out.sizes += sub.sizes
            out.errors += sub.errors
            out.notices += sub.notices
            continue
        path = Path(item)
        if "://" in item or not path.is_dir():
            # files (and their errors: missing, unreadable) and URLs go to the executors as-is
            out.units.append(item)
            out.sizes.append(_size(path) if "://" not in item else 0)
            continue
        for entry in walk_paths(path):
            if isinstance(entry, InputNotice):
                out.notices.append(str(entry))
            elif isinstance(entry, InputError):
                out.errors.append(str(entry))
            else:
                child, _media = entry
                out.units.append(str(child))
                out.sizes.append(_size(child))
    return out


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def balance(sizes: list[int], partitions: int) -> list[int]:
    """Assign each unit a partition, biggest first onto the lightest partition (LPT).

    Why: one 1 GiB WARC next to a hundred small HTML files would otherwise leave most
    cores idle while one task reads the WARC.
    """
    load = [0] * max(1, partitions)
    assign = [0] * len(sizes)
    for i in sorted(range(len(sizes)), key=lambda i: -max(sizes[i], 1)):
        p = min(range(len(load)), key=load.__getitem__)
        assign[i] = p
        load[p] += max(sizes[i], 1)
    return assign
