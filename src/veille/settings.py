"""One settings object instead of long flag lists.

The CLI, the web UI and the Spark job all build a ``Settings`` and hand it down; stages read
only what they need from it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _default_user_outlets() -> tuple[Path, ...]:
    paths = []
    env = os.environ.get("VEILLE_OUTLETS")
    if env:
        paths.extend(Path(p) for p in env.split(os.pathsep) if p)
    config = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) / "veille" / "outlets.json"
    paths.append(config)
    return tuple(paths)


@dataclass(frozen=True)
class Settings:
    db: Path = Path("veille.db")
    out: Path = Path("dossier")
    topic: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    outlet_files: tuple[Path, ...] = field(default_factory=_default_user_outlets)
    # acquisition (web sources)
    user_agent: str = "veille/0.1 (+https://github.com/veille; offline-first media monitoring)"
    rate_limit_per_host: float = 1.0  # requests per second
    timeout: float = 20.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3
    respect_robots: bool = True
    connect_timeout: float = 10.0
    backoff: float = 1.0  # first retry wait (s), doubled each retry; Retry-After wins when given
    max_retry_wait: float = 30.0  # cap on any single wait (Retry-After included)
    max_sitemap_urls: int = 5000  # per sitemap input, index children included
    fetch_deadline: float = 60.0  # seconds for one fetch, all retries, redirects and the body included
    allow_private: bool = False  # let redirects, feeds and pages lead to loopback/private addresses
    # size caps on local input (issue 18): over a cap an input or record is refused with a one-line reason
    max_file_bytes: int = 64 * 1024 * 1024  # a file read whole (review, HTML, feed/sitemap), after gunzip
    max_record_bytes: int = 32 * 1024 * 1024  # one JSON Lines line (JSONL and WARC are streamed)
    max_article_chars: int = 16_000_000  # the text of one article, whatever the input kind
    progress: bool | None = None  # None: only on a terminal
    # enrichment
    workers: int | None = None  # analysis processes; None: the cores available
    lang: str = "fr"  # language of the dossier's labels (fr | en); records keep their own values
    parse: bool = True  # the spaCy parse (Doc.tokens) for the figure and event readers; False: NER only

