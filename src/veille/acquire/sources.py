"""One input string → raw captures. Decides what the input is (file, folder, URL, …).

Web sources (URLs, feeds, sitemaps, WARC) plug in here; a local path is read as a file or
walked as a folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..records import RawDoc
from ..settings import Settings
from . import files


def acquire(item: str, settings: Settings, store=None) -> Iterator[RawDoc | InputError]:
    if item.startswith(("http://", "https://")):
        yield InputError(item, "web inputs are not supported in this build")
        return
    yield from files.walk(Path(item))
