"""A polite HTTP fetcher: one place that decides how veille talks to other people's servers.

Why one place: every web source (a URL, a feed's items, a sitemap's pages) must obey the
same rules — robots.txt (cached per host), a per-host rate limit, retries with back-off on
429/5xx (Retry-After honoured, capped), conditional GET from validators remembered in the
store (so a re-run costs the site a 304), connect/read timeouts, a streamed size cap,
bounded redirects with loop detection and an honest User-Agent. Any failure becomes one
``InputError`` naming the URL and the reason; the caller goes on with the next input.

Two guards make the fetcher safe to point at hostile servers:

- an overall deadline per fetch (``Settings.fetch_deadline``): retries, redirects, headers
  and body together. Every socket read gets at most the time left, so a server trickling
  one byte a second cannot hold a fetch longer than the deadline (a per-read timeout alone
  never fires on a trickle);
- an address policy against server-side request forgery, checked on the address actually
  connected to (``_GuardedBackend``: resolved once, at connect time, then that very address is
  dialled, so DNS rebinding cannot swap it): loopback, private, link-local, carrier-grade
  NAT, multicast and reserved addresses are refused for anything a remote server chose — a
  redirect, a feed item, a sitemap entry. A URL the user typed may be local: its origin
  (scheme, host, port) is trusted via ``Fetcher.trust``. ``Settings.allow_private`` lifts the
  policy. Proxy variables from the environment are ignored, since through a proxy the
  address could not be checked.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import time
import urllib.robotparser
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from ..errors import InputError
from ..records import RawDoc
from ..settings import Settings, cap_hint

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


class AddressRefused(httpcore.ConnectError):
    """A connection the address policy refused (the message says which address and why)."""


def address_kind(ip: str) -> str | None:
    """None for a public (globally routable) address, else what it is: 'loopback', 'private'…

    IPv4 inside IPv6 (``::ffff:127.0.0.1``, NAT64 ``64:ff9b::7f00:1``, 6to4) is judged by the
    IPv4 address it carries."""
    try:
        addr = ipaddress.ip_address(ip.split("%")[0])
    except ValueError:
        return "invalid"
    if isinstance(addr, ipaddress.IPv6Address):
        inner = addr.ipv4_mapped or addr.sixtofour
        if inner is None and addr in ipaddress.ip_network("64:ff9b::/96"):
            inner = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
        if inner is not None:
            return address_kind(str(inner))
    for test, name in ((addr.is_loopback, "loopback"), (addr.is_link_local, "link-local"),
                       (addr.is_multicast, "multicast"), (addr.is_unspecified, "unspecified"),
                       (addr.is_private, "private"), (addr.is_reserved, "reserved")):
        if test:
            return name
    if not addr.is_global:
        return "non-public"
    return None


class _Policy:
    """What may be connected to, and the deadline of the fetch in progress (one fetcher, one thread)."""

    def __init__(self, allow_private: bool, resolver: Callable[..., list] | None = None):
        self.allow_private = allow_private
        self.trusted: set[tuple[str, int]] = set()  # origins the user typed: (host, port)
        self.resolver = resolver or socket.getaddrinfo
        self.deadline: float | None = None

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses of ``host`` we may dial, or AddressRefused naming the first one refused."""
        try:
            infos = self.resolver(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host} ({exc})") from None
        ips = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not ips:
            raise httpcore.ConnectError(f"cannot resolve {host}")
        if self.allow_private or (host.lower().strip("[]"), port) in self.trusted:
            return ips
        allowed = [ip for ip in ips if address_kind(ip) is None]
        if not allowed:
            ip = ips[0]
            raise AddressRefused(f"{host} is {ip}, a {address_kind(ip)} address; refused because a remote page, "
                                 "feed or redirect led here (--allow-private allows it)")
        return allowed


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write gets at most the time left before the deadline."""

    def __init__(self, stream: httpcore.NetworkStream, policy: _Policy):
        self._stream = stream
        self._policy = policy

    def _budget(self, timeout: float | None, exc: type[Exception]) -> float | None:
        left = self._policy.remaining()
        if left is None:
            return timeout
        if left <= 0:
            raise exc("the overall fetch deadline passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._budget(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._budget(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        tls = self._stream.start_tls(ssl_context, server_hostname, self._budget(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(tls, self._policy)

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """Resolve once, check the addresses, dial exactly the address checked (no second lookup)."""

    def __init__(self, policy: _Policy):
        self.policy = policy

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        last: Exception | None = None
        for ip in self.policy.addresses(host, port):
            left = self.policy.remaining()
            if left is not None:
                if left <= 0:
                    raise httpcore.ConnectTimeout("the overall fetch deadline passed")
                timeout = left if timeout is None else min(timeout, left)
            try:
                stream = super().connect_tcp(ip, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return _DeadlineStream(stream, self.policy)
        raise last if last is not None else httpcore.ConnectError(f"cannot connect to {host}")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise AddressRefused("Unix sockets are never fetched")


def _guarded_transport(settings: Settings, policy: _Policy) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False)
    limits = httpx.Limits(max_connections=20, max_keepalive_connections=10, keepalive_expiry=5.0)
    transport._pool = httpcore.ConnectionPool(  # httpx 0.28 takes no network backend: give its pool ours
        ssl_context=httpx.create_ssl_context(trust_env=False), max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
        http1=True, http2=False, network_backend=_GuardedBackend(policy))
    return transport


def origin_of(url: str) -> tuple[str, int] | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    return parts.hostname.lower(), port


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
                 sleep: Callable[[float], None] = time.sleep, resolver: Callable[..., list] | None = None):
        self.settings = settings
        self.store = store
        self.sleep = sleep
        self.policy = _Policy(settings.allow_private, resolver)
        self.client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(settings.timeout, connect=min(settings.connect_timeout, settings.timeout)),
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=transport or _guarded_transport(settings, self.policy),
            trust_env=False,
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser | str] = {}
        self._last: dict[str, float] = {}
        self.waited: list[float] = []  # every back-off wait, for tests and reports

    def close(self) -> None:
        self.client.close()

    def trust(self, url: str) -> None:
        """The user typed this URL: its origin may be a local or private address."""
        origin = origin_of(url)
        if origin is not None:
            self.policy.trusted.add(origin)

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
        except InputError as exc:
            if "refused because" in exc.reason:  # the address policy: say so for the page itself
                return exc.reason  # not cached: a trusted origin added later may allow it
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
    def _wait(self, url: str, wait: float) -> None:
        """A back-off wait, unless it would end past the fetch's deadline."""
        left = self.policy.remaining()
        if left is not None and wait >= left:
            raise InputError(url, f"no answer within the {self.settings.fetch_deadline:g} s deadline "
                                  "(retries included); given up")
        self.waited.append(wait)
        self.sleep(wait)

    def _past_deadline(self) -> bool:
        left = self.policy.remaining()
        return left is not None and left <= 0

    def _deadline_error(self, url: str, what: str) -> InputError:
        return InputError(url, f"{what} not complete within the {self.settings.fetch_deadline:g} s deadline "
                               "(the server is too slow, or trickles); aborted")

    def _request(self, method: str, url: str, headers: dict[str, str], *, max_bytes: int | None = None):
        """One request with retries; the body read in full up to the size cap, all within the deadline."""
        cap = max_bytes or self.settings.max_bytes
        host = urlsplit(url).netloc
        attempts = max(1, self.settings.retries + 1)
        for attempt in range(attempts):
            if self._past_deadline():
                raise self._deadline_error(url, "fetch")
            self._throttle(host)
            try:
                with self.client.stream(method, url, headers=headers) as resp:
                    if resp.status_code in RETRY_STATUS and attempt + 1 < attempts:
                        wait = retry_after_seconds(resp.headers.get("retry-after"))
                        if wait is None:
                            wait = self.settings.backoff * (2 ** attempt)
                        self._wait(url, min(wait, self.settings.max_retry_wait))
                        continue
                    declared = resp.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > cap:
                        raise InputError(url, f"body of {_mb(int(declared))} is over the {_mb(cap)} limit; not fetched ({cap_hint('max_bytes')})")
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > cap:
                            raise InputError(url, f"body over the {_mb(cap)} limit; download aborted ({cap_hint('max_bytes')})")
                        if self._past_deadline():
                            raise self._deadline_error(url, "download")
                        chunks.append(chunk)
                    return _Answer(resp.status_code, resp.headers, b"".join(chunks), str(resp.url))
            except httpx.TimeoutException as exc:
                if self._past_deadline():
                    raise self._deadline_error(url, "fetch") from None
                if attempt + 1 < attempts:
                    self._wait(url, min(self.settings.backoff * (2 ** attempt), self.settings.max_retry_wait))
                    continue
                kind = "connect" if isinstance(exc, httpx.ConnectTimeout) else "read"
                raise InputError(url, f"timed out ({kind} timeout after {attempts} attempts)") from None
            except httpx.TooManyRedirects:
                raise InputError(url, "too many redirects") from None
            except httpx.ConnectError as exc:
                if isinstance(exc.__cause__, AddressRefused):
                    raise InputError(url, f"not fetched: {exc.__cause__}") from None
                raise InputError(url, f"cannot connect ({_short(exc)})") from None
            except httpx.HTTPError as exc:
                raise InputError(url, f"HTTP error ({exc.__class__.__name__}: {_short(exc)})") from None
        raise AssertionError("unreachable")  # the last attempt always returns or raises

    def fetch(self, url: str) -> Fetched:
        """GET ``url`` politely, within ``Settings.fetch_deadline``; a 304 on a known URL gives back
        the stored capture."""
        if not url.startswith(("http://", "https://")):
            raise InputError(url, "not an http(s) URL")
        if origin_of(url) is None:
            raise InputError(url, "not a valid http(s) URL")
        self.policy.deadline = time.monotonic() + self.settings.fetch_deadline if self.settings.fetch_deadline else None
        try:
            return self._fetch(url)
        finally:
            self.policy.deadline = None

    def _fetch(self, url: str) -> Fetched:
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
                if not nxt.startswith(("http://", "https://")):
                    raise InputError(url, f"redirected to {nxt[:100]!r}, not an http(s) URL")
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
        self.store.remember_http(fetched.url, etag=etag, last_modified=modified, sha256=sha256,
                                 final_url=fetched.final_url, fetched_at=fetched.fetched_at)

    def _cache_get(self, url: str) -> dict | None:
        return None if self.store is None else self.store.http_validators(url)


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
