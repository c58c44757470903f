"""A polite HTTP fetcher: one place that decides how veille talks to other people's servers.

Why one place: every web source (a URL, a feed's items, a sitemap's pages) must obey the
same rules — robots.txt (cached per host), a per-host rate limit, retries with back-off on
429/5xx (Retry-After honoured, capped), conditional GET from validators remembered in the
store (so a re-run costs the site a 304), connect/read timeouts, a streamed size cap,
bounded redirects with loop detection and an honest User-Agent. Any failure becomes one
``InputError`` naming the URL and the reason; the caller goes on with the next input.
"""

from __future__ import annotations

import email.utils
import time
import urllib.robotparser
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import InputError
from ..records import RawDoc
from ..settings import Settings

RETRY_STATUS = {429, 500, 502, 503, 504}
REDIRECT_STATUS = {301, 302, 303, 307, 308}


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


@dataclass(frozen=True)
class Fetched:
    """One successful response (or a 304 answered from the stored capture)."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    fetched_at: str
    not_modified: bool = False

    @property
    def content_type(self) -> str:
        for k, v in self.headers:
            if k.lower() == "content-type":
                return v
        return ""

    def raw(self, media_type: str, fallback=None) -> RawDoc:
        return RawDoc(content=self.content, source=self.final_url, media_type=media_type, fetched_at=self.fetched_at,
                      headers=self.headers, fallback=fallback)


class Fetcher:
    """Fetch URLs politely. One per ingest run: it holds the robots and rate-limit state."""

    def __init__(self, settings: Settings, store=None, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        self.settings = settings
        self.store = store
        self.sleep = sleep
        self.client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(settings.timeout, connect=min(settings.connect_timeout, settings.timeout)),
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=transport,
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}
        self._last: dict[str, float] = {}
        self.waited: list[float] = []  # every back-off wait, for tests and reports

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- politeness ------------------------------------------------------------------
    def _throttle(self, host: str) -> None:
        rate = self.settings.rate_limit_per_host
        if rate and rate > 0:
            gap = 1.0 / rate
            last = self._last.get(host)
            if last is not None:
                wait = last + gap - time.monotonic()
                if wait > 0:
                    self.sleep(wait)
        self._last[host] = time.monotonic()

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser | str:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key in self._robots:
            return self._robots[key]
        rp: urllib.robotparser.RobotFileParser | str
        try:
            resp = self._request("GET", key + "/robots.txt", {}, max_bytes=512 * 1024)
            status, body = resp.status, resp.content
        except InputError:
            status, body = 0, b""
        rp = urllib.robotparser.RobotFileParser()
        if status == 200:
            rp.parse(body.decode("utf-8", errors="replace").splitlines())
        elif 400 <= status < 500 or status == 0:
            rp.parse([])  # no robots.txt (or unreachable host): nothing is disallowed
        else:
            rp = f"robots.txt answered HTTP {status}; treated as disallowing everything"
        self._robots[key] = rp
        return rp

    def allowed(self, url: str) -> str | None:
        """None when robots.txt lets us fetch ``url``, else the reason."""
        if not self.settings.respect_robots:
            return None
        rp = self._robots_for(url)
        if isinstance(rp, str):
            return rp
        agent = self.settings.user_agent.split("/")[0]
        return None if rp.can_fetch(agent, url) else "disallowed by robots.txt"

    # ---- the request loop ------------------------------------------------------------
    def _request(self, method: str, url: str, headers: dict[str, str], *, max_bytes: int | None = None):
        """One request with retries; the body read in full up to the size cap."""
        cap = max_bytes or self.settings.max_bytes
        host = urlsplit(url).netloc
        attempts = max(1, self.settings.retries + 1)
        for attempt in range(attempts):
            self._throttle(host)
            try:
                with self.client.stream(method, url, headers=headers) as resp:
                    if resp.status_code in RETRY_STATUS and attempt + 1 < attempts:
                        wait = retry_after_seconds(resp.headers.get("retry-after"))
                        if wait is None:
                            wait = self.settings.backoff * (2 ** attempt)
                        wait = min(wait, self.settings.max_retry_wait)
                        self.waited.append(wait)
                        self.sleep(wait)
                        continue
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > cap:
                        raise InputError(url, f"body of {_mb(int(declared))} is over the {_mb(cap)} limit; not fetched")
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > cap:
                            raise InputError(url, f"body over the {_mb(cap)} limit; download aborted")
                        chunks.append(chunk)
                    return _Answer(resp.status_code, resp.headers, b"".join(chunks), str(resp.url))
            except httpx.TimeoutException as exc:
                if attempt + 1 < attempts:
                    wait = min(self.settings.backoff * (2 ** attempt), self.settings.max_retry_wait)
                    self.waited.append(wait)
                    self.sleep(wait)
                    continue
                kind = "connect" if isinstance(exc, httpx.ConnectTimeout) else "read"
                raise InputError(url, f"timed out ({kind} timeout after {attempts} attempts)") from None
            except httpx.TooManyRedirects:
                raise InputError(url, "too many redirects") from None
            except httpx.ConnectError as exc:
                raise InputError(url, f"cannot connect ({_short(exc)})") from None
            except httpx.HTTPError as exc:
                raise InputError(url, f"HTTP error ({exc.__class__.__name__}: {_short(exc)})") from None
        raise AssertionError("unreachable")  # the last attempt always returns or raises

    def fetch(self, url: str) -> Fetched:
        """GET ``url`` politely; a 304 on a known URL gives back the stored capture."""
        if not url.startswith(("http://", "https://")):
            raise InputError(url, "not an http(s) URL")
        cached = self._cache_get(url)
        headers: dict[str, str] = {}
        stored = None
        if cached and cached.get("sha256") and self.store is not None:
            stored = self.store.get_capture(cached["sha256"])
            if stored is not None:
                if cached.get("etag"):
                    headers["If-None-Match"] = cached["etag"]
                if cached.get("last_modified"):
                    headers["If-Modified-Since"] = cached["last_modified"]
        current, seen = url, [url]
        for _hop in range(self.settings.max_redirects + 1):
            reason = self.allowed(current)
            if reason:
                raise InputError(url if current == url else f"{url} (redirected to {current})", reason)
            ans = self._request("GET", current, headers if current == url else {})
            if ans.status in REDIRECT_STATUS:
                location = ans.headers.get("location")
                if not location:
                    raise InputError(url, f"HTTP {ans.status} redirect without a Location")
                nxt = urljoin(current, location)
                if nxt in seen:
                    raise InputError(url, f"redirect loop ({' → '.join(seen + [nxt])})")
                seen.append(nxt)
                current = nxt
                continue
            if ans.status == 304 and stored is not None:
                return Fetched(url, cached.get("final_url") or current, 200, stored.headers, stored.content,
                               stored.fetched_at or _now(), not_modified=True)
            if ans.status >= 400:
                raise InputError(url, _status_reason(ans.status))
            if ans.status != 200:
                raise InputError(url, f"unexpected HTTP {ans.status}")
            fetched = Fetched(url, current, ans.status, tuple((k.lower(), v) for k, v in ans.headers.items()
                                                               if k.lower() not in ("set-cookie",)),
                              ans.content, _now())
            return fetched
        raise InputError(url, f"more than {self.settings.max_redirects} redirects")

    def remember(self, fetched: Fetched, sha256: str) -> None:
        """Keep the validators of a 200 so the next fetch can be conditional."""
        if self.store is None or fetched.not_modified:
            return
        h = dict(fetched.headers)
        etag, modified = h.get("etag"), h.get("last-modified")
        if not etag and not modified:
            return
        self.store.db.execute(
            "INSERT INTO http_cache VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag=excluded.etag, "
            "last_modified=excluded.last_modified, sha256=excluded.sha256, final_url=excluded.final_url, "
            "fetched_at=excluded.fetched_at",
            (fetched.url, etag, modified, sha256, fetched.final_url, fetched.fetched_at),
        )

    def _cache_get(self, url: str) -> dict | None:
        if self.store is None:
            return None
        try:
            row = self.store.db.execute("SELECT etag, last_modified, sha256, final_url FROM http_cache WHERE url = ?",
                                        (url,)).fetchone()
        except Exception:  # a database without the migration (read-only copy): no cache
            return None
        if row is None:
            return None
        return {"etag": row[0], "last_modified": row[1], "sha256": row[2], "final_url": row[3]}


@dataclass
class _Answer:
    status: int
    headers: httpx.Headers
    content: bytes
    url: str


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    return text[:120]


_REASONS = {
    401: "HTTP 401 unauthorised (the page needs a login)",
    403: "HTTP 403 forbidden",
    404: "HTTP 404 not found",
    410: "HTTP 410 gone (the page was removed)",
    429: "HTTP 429 too many requests (still refused after retries)",
}


def _status_reason(status: int) -> str:
    if status in _REASONS:
        return _REASONS[status]
    if status >= 500:
        return f"HTTP {status} server error (still failing after retries)"
    return f"HTTP {status}"
