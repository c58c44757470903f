"""A watch file (TOML) → a ``WatchSpec``; every mistake is one line naming the file, the line and why.

Why TOML: an analyst writes and reviews these by hand, often in French or Arabic; TOML is
plain, takes UTF-8 and comments, and Python reads it without a dependency (``tomllib``).
The format is documented in ``docs/watches.md``; ``examples/watch-syrie.toml`` is one.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..i18n import LANGUAGES
from .query import Query, QueryError, parse_query

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
HOUR = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd]?)$")
ALERT_KINDS = ("event", "contradiction", "story", "named")
SECTION_MODES = ("country", "section", "none")


class WatchError(InputError):
    """A malformed watch file: ``path:line: reason``."""


def duration(text: str) -> float:
    """'15m' → 900.0 seconds; ValueError otherwise."""
    m = DURATION.match(str(text).strip())
    if not m:
        raise ValueError(f"{text!r} is not a duration like 30s, 15m, 1h or 1d")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


@dataclass(frozen=True)
class Source:
    kind: str  # feed | sitemap | page | files
    location: str  # URL or path (paths resolved against the watch file's folder)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.location}"


@dataclass(frozen=True)
class AlertRule:
    name: str
    when: str  # event | contradiction | story | named
    min_deaths: int = 1
    countries: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    min_outlets: int = 0
    second_language: bool = False
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Filters:
    query: Query | None = None
    query_text: str | None = None
    countries: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Delivery:
    atom: bool = True
    terminal: bool = True
    webhook_url: str | None = None
    webhook_secret: str | None = None  # resolved from secret_env at load time when given that way
    webhook_secret_env: str | None = None
    email_host: str | None = None
    email_port: int = 25
    email_from: str | None = None
    email_to: tuple[str, ...] = ()
    email_starttls: bool = False
    email_user: str | None = None
    email_password_env: str | None = None

    @property
    def channels(self) -> tuple[str, ...]:
        out = []
        if self.atom:
            out.append("atom")
        if self.terminal:
            out.append("terminal")
        if self.webhook_url:
            out.append("webhook")
        if self.email_host and self.email_to:
            out.append("email")
        return tuple(out)


@dataclass(frozen=True)
class WatchSpec:
    name: str
    title: str
    sources: tuple[Source, ...] = ()
    every: float = 900.0
    filters: Filters = field(default_factory=Filters)
    language: str = "fr"
    hour: str = "07:00"
    timezone: str = "UTC"
    out: str | None = None
    sections: str = "country"
    alerts: tuple[AlertRule, ...] = ()
    delivery: Delivery = field(default_factory=Delivery)
    text: str = ""  # the TOML as written, stored whole
    path: str | None = None

    def out_dir(self, base: Path | None = None) -> Path:
        if self.out:
            p = Path(self.out)
            return p if p.is_absolute() or base is None else base / p
        return (base or Path(".")) / "reviews" / self.name


class _Reader:
    """Reads one table, naming the file and the line of the key at fault."""

    def __init__(self, text: str, where: str):
        self.lines = text.splitlines()
        self.where = where

    def line_of(self, key: str, table: str | None = None, nth: int = 0) -> int | None:
        start = 0
        if table:
            seen = -1
            for i, line in enumerate(self.lines):
                s = line.strip()
                if s in (f"[{table}]", f"[[{table}]]"):
                    seen += 1
                    if seen == nth:
                        start = i
                        break
        pat = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in range(start, len(self.lines)):
            if pat.match(self.lines[i]):
                return i + 1
        return start + 1 if table else None

    def fail(self, reason: str, key: str | None = None, table: str | None = None, nth: int = 0) -> WatchError:
        line = self.line_of(key, table, nth) if key else None
        return WatchError(f"{self.where}:{line}" if line else self.where, reason)


def _strings(r: _Reader, data: dict, key: str, table: str, nth: int = 0) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise r.fail(f"'{key}' must be a list of non-empty strings", key, table, nth)
    return tuple(v.strip() for v in value)


def _known(r: _Reader, data: dict, allowed: set[str], table: str | None, nth: int = 0) -> None:
    for key in data:
        if key not in allowed:
            raise r.fail(f"unknown setting '{key}'{f' in [{table}]' if table else ''} (expected one of: {', '.join(sorted(allowed))})",
                         key, table, nth)


def parse_watch(text: str, where: str = "<watch>", base: Path | None = None) -> WatchSpec:
    """Parse and check a watch file's text. ``base``: the folder relative paths are read from."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg) or "not valid TOML"
        raise WatchError(f"{where}:{m.group(1)}" if m else where, f"not valid TOML: {reason}") from None
    r = _Reader(text, where)
    _known(r, data, {"name", "title", "sources", "filters", "review", "alerts", "deliver"}, None)
    name = data.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise r.fail("'name' is required: letters, digits, '-' or '_' (at most 64)", "name") if name is not None \
            else WatchError(where, "'name' is required (a short slug such as name = \"syrie\")")
    title = data.get("title", name)
    if not isinstance(title, str):
        raise r.fail("'title' must be a string", "title")

    src = data.get("sources", {})
    if not isinstance(src, dict):
        raise r.fail("[sources] must be a table", "sources")
    _known(r, src, {"feeds", "sitemaps", "pages", "files", "every"}, "sources")
    sources: list[Source] = []
    for key, kind in (("feeds", "feed"), ("sitemaps", "sitemap"), ("pages", "page")):
        for url in _strings(r, src, key, "sources"):
            if not url.startswith(("http://", "https://")):
                if kind == "page":
                    raise r.fail(f"'{url}' is not an http(s) URL (local files go in 'files')", key, "sources")
                path = Path(url) if base is None or Path(url).is_absolute() else base / url
                sources.append(Source(kind, str(path)))
                continue
            sources.append(Source(kind, url))
    for path in _strings(r, src, "files", "sources"):
        p = Path(path).expanduser()
        sources.append(Source("files", str(p if p.is_absolute() or base is None else (base / p))))
    try:
        every = duration(src.get("every", "15m"))
    except ValueError as exc:
        raise r.fail(str(exc), "every", "sources") from None
    if every < 1:
        raise r.fail("'every' must be at least 1s", "every", "sources")

    flt = data.get("filters", {})
    if not isinstance(flt, dict):
        raise r.fail("[filters] must be a table", "filters")
    _known(r, flt, {"query", "countries", "places", "outlets", "languages", "event_types"}, "filters")
    query_text = flt.get("query")
    query = None
    if query_text is not None:
        if not isinstance(query_text, str):
            raise r.fail("'query' must be a string", "query", "filters")
        try:
            query = parse_query(query_text)
        except QueryError as exc:
            raise r.fail(f"query: {exc}", "query", "filters") from None
    countries = tuple(c.upper() for c in _strings(r, flt, "countries", "filters"))
    for c in countries:
        if not re.fullmatch(r"[A-Z]{2}", c):
            raise r.fail(f"country '{c}' is not an ISO 3166 two-letter code (SY, IQ, BF…)", "countries", "filters")
    languages = tuple(x.lower() for x in _strings(r, flt, "languages", "filters"))
    filters = Filters(query, query_text, countries, _strings(r, flt, "places", "filters"),
                      tuple(x.lower() for x in _strings(r, flt, "outlets", "filters")), languages,
                      _strings(r, flt, "event_types", "filters"))

    rev = data.get("review", {})
    if not isinstance(rev, dict):
        raise r.fail("[review] must be a table", "review")
    _known(r, rev, {"language", "hour", "timezone", "out", "sections"}, "review")
    language = str(rev.get("language", "fr")).lower()
    if language not in LANGUAGES:
        raise r.fail(f"review language '{language}' is not available (choose {' or '.join(LANGUAGES)})", "language", "review")
    hour = str(rev.get("hour", "07:00"))
    if not HOUR.match(hour):
        raise r.fail(f"'hour' must be HH:MM, got '{hour}'", "hour", "review")
    tz = str(rev.get("timezone", "UTC"))
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(tz)
    except Exception:
        raise r.fail(f"unknown time zone '{tz}' (e.g. UTC, Europe/Paris)", "timezone", "review") from None
    sections = str(rev.get("sections", "country"))
    if sections not in SECTION_MODES:
        raise r.fail(f"'sections' is one of {', '.join(SECTION_MODES)}", "sections", "review")
    out = rev.get("out")
    if out is not None and not isinstance(out, str):
        raise r.fail("'out' must be a folder path", "out", "review")
    if out is not None and base is not None and not Path(out).expanduser().is_absolute():
        out = str(base / Path(out).expanduser())

    rules = []
    raw_rules = data.get("alerts", [])
    if not isinstance(raw_rules, list):
        raise r.fail("alerts are written as [[alerts]] tables", "alerts")
    for i, rule in enumerate(raw_rules):
        _known(r, rule, {"name", "when", "min_deaths", "countries", "places", "min_outlets", "second_language", "names"},
               "alerts", i)
        when = rule.get("when")
        if when not in ALERT_KINDS:
            raise r.fail(f"alert 'when' must be one of {', '.join(ALERT_KINDS)}, got {when!r}", "when", "alerts", i)
        min_deaths = rule.get("min_deaths", 1)
        min_outlets = rule.get("min_outlets", 0)
        for key, val in (("min_deaths", min_deaths), ("min_outlets", min_outlets)):
            if not isinstance(val, int) or isinstance(val, bool) or val < 0:
                raise r.fail(f"'{key}' must be a whole number ≥ 0", key, "alerts", i)
        second = rule.get("second_language", False)
        if not isinstance(second, bool):
            raise r.fail("'second_language' is true or false", "second_language", "alerts", i)
        names = _strings(r, rule, "names", "alerts", i)
        if when == "named" and not names:
            raise r.fail("a 'named' alert needs names = [\"…\"]", "when", "alerts", i)
        if when == "story" and not (min_outlets or second):
            raise r.fail("a 'story' alert needs min_outlets = K or second_language = true", "when", "alerts", i)
        rname = rule.get("name", f"{when}-{i + 1}")
        if not isinstance(rname, str) or not NAME.match(rname):
            raise r.fail("alert 'name' must be a short slug", "name", "alerts", i)
        rules.append(AlertRule(rname, when, min_deaths, tuple(c.upper() for c in _strings(r, rule, "countries", "alerts", i)),
                               _strings(r, rule, "places", "alerts", i), min_outlets, second, names))
    if len({x.name for x in rules}) != len(rules):
        raise WatchError(where, "two alerts have the same name")

    dl = data.get("deliver", {})
    if not isinstance(dl, dict):
        raise r.fail("[deliver] must be a table", "deliver")
    _known(r, dl, {"atom", "terminal", "webhook", "email"}, "deliver")
    hook = dl.get("webhook") or {}
    mail = dl.get("email") or {}
    if not isinstance(hook, dict) or not isinstance(mail, dict):
        raise r.fail("webhook and email are tables: webhook = { url = \"…\", secret_env = \"…\" }", "webhook" if not isinstance(hook, dict) else "email", "deliver")
    if hook:
        _known(r, hook, {"url", "secret", "secret_env"}, "deliver")
        if not str(hook.get("url", "")).startswith(("http://", "https://")):
            raise r.fail("webhook 'url' must be an http(s) URL", "webhook", "deliver")
    if mail:
        _known(r, mail, {"host", "port", "from", "to", "starttls", "user", "password_env"}, "deliver")
        if not mail.get("host") or not mail.get("to"):
            raise r.fail("email needs 'host' and 'to'", "email", "deliver")
    to = mail.get("to", [])
    delivery = Delivery(
        atom=bool(dl.get("atom", True)), terminal=bool(dl.get("terminal", True)),
        webhook_url=hook.get("url"), webhook_secret=hook.get("secret"), webhook_secret_env=hook.get("secret_env"),
        email_host=mail.get("host"), email_port=int(mail.get("port", 25)), email_from=mail.get("from") or f"veille@{mail.get('host', 'localhost')}",
        email_to=tuple([to] if isinstance(to, str) else to), email_starttls=bool(mail.get("starttls", False)),
        email_user=mail.get("user"), email_password_env=mail.get("password_env"))
    return WatchSpec(name, title, tuple(sources), every, filters, language, hour, tz, out, sections, tuple(rules), delivery,
                     text, where)


def load_watch(path: Path | str) -> WatchSpec:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise WatchError(str(path), "no such file") from None
    except OSError as exc:
        raise WatchError(str(path), exc.strerror or str(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WatchError(str(path), "not UTF-8 text (save the watch file as UTF-8)") from None
    return parse_watch(text, str(path), path.resolve().parent)


def describe(spec: WatchSpec) -> dict[str, Any]:
    """Plain data for `veille watch show` and the web UI."""
    f = spec.filters
    return {
        "name": spec.name, "title": spec.title, "every_seconds": spec.every,
        "sources": [{"kind": s.kind, "location": s.location} for s in spec.sources],
        "filters": {"query": f.query_text, "countries": list(f.countries), "places": list(f.places), "outlets": list(f.outlets),
                    "languages": list(f.languages), "event_types": list(f.event_types)},
        "review": {"language": spec.language, "hour": spec.hour, "timezone": spec.timezone, "sections": spec.sections,
                   "out": str(spec.out_dir())},
        "alerts": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(a).items()} for a in spec.alerts],
        "deliver": list(spec.delivery.channels),
    }
