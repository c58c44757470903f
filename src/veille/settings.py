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


# The size caps, each raised or lowered from the environment (the CLI has no flag per cap): a
# number of bytes (characters for the article text), with an optional K, M or G (powers of 1024).
SIZE_ENV = {
    "max_bytes": "VEILLE_MAX_PAGE_BYTES",
    "max_file_bytes": "VEILLE_MAX_FILE_BYTES",
    "max_record_bytes": "VEILLE_MAX_RECORD_BYTES",
    "max_article_chars": "VEILLE_MAX_ARTICLE_CHARS",
}


def size_from_env(variable: str, default: int) -> int:
    """``$variable`` as a size (``128M``, ``2G``, ``500000``), else ``default``; a bad value is a usage error."""
    import re

    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    m = re.fullmatch(r"(\d+)\s*([kKmMgG]?)[bB]?", raw)
    if m is None or int(m.group(1)) == 0:
        from .errors import UsageError

        raise UsageError(f"{variable}={raw!r}: not a size (a positive number, optionally with K, M or G: e.g. 128M)")
    return int(m.group(1)) * {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}[m.group(2).lower()]


def cap_hint(name: str) -> str:
    """How a user raises the cap ``name`` (a Settings field), for the one-line refusal."""
    return f"{SIZE_ENV[name]} raises it"


def _cap(name: str, default: int):
    return field(default_factory=lambda: size_from_env(SIZE_ENV[name], default))


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
    max_bytes: int = _cap("max_bytes", 20 * 1024 * 1024)  # a fetched or archived page
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
    # naming the variable that raises it (SIZE_ENV)
    max_file_bytes: int = _cap("max_file_bytes", 64 * 1024 * 1024)  # a file read whole (review, HTML, feed/sitemap), after gunzip
    max_record_bytes: int = _cap("max_record_bytes", 32 * 1024 * 1024)  # one JSON Lines line (JSONL and WARC are streamed)
    max_article_chars: int = _cap("max_article_chars", 16_000_000)  # the text of one article, whatever the input kind
    progress: bool | None = None  # None: only on a terminal
    # enrichment
    workers: int | None = None  # analysis processes; None: the cores available
    lang: str = "fr"  # language of the dossier's labels (fr | en); records keep their own values
    parse: bool = True  # the spaCy parse (Doc.tokens) for the figure and event readers; False: NER only

