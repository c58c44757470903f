"""Fault suite, network side: a hostile server on 127.0.0.1 that trickles, redirects to other local
services and serves feeds and sitemaps pointing at them. The fetcher must stop at its deadline and
never let a remote answer steer it to a loopback or private address (checked on the address it
dials), while a URL the user typed may be local."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import run_cli
from veille.acquire import sources
from veille.acquire.fetch import Fetcher, address_kind
from veille.errors import InputError
from veille.settings import Settings

PAGE = (Path(__file__).parent / "fixtures" / "web" / "presstv-police.html").read_bytes()


class Server:
    """One local HTTP server; ``routes`` maps a path to a function of (handler, server)."""

    def __init__(self, routes: dict):
        self.log: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                server.log.append(self.path)
                fn = routes.get(self.path.split("?")[0])
                try:
                    if fn is None:
                        send(self, 404, b"not found")
                    else:
                        fn(self, server)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def send(h, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", headers: dict | None = None) -> None:
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(body)


def trickle_body(h, _server) -> None:
    """Headers at once, then one byte every 0.2 s: no read ever times out."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    for _ in range(200):
        h.wfile.write(b"x")
        h.wfile.flush()
        time.sleep(0.2)


def trickle_headers(h, _server) -> None:
    """The status line and headers themselves, one byte every 0.2 s."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"p" * 200:
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        time.sleep(0.2)


@pytest.fixture(scope="module")
def internal():
    """Another local service (a different port): what an attacker wants the fetcher to reach."""
    with Server({"/admin": lambda h, s: send(h, 200, PAGE), "/robots.txt": lambda h, s: send(h, 404)}) as srv:
        yield srv


@pytest.fixture(scope="module")
def hostile(internal):
    def rss(items: list[str]) -> bytes:
        body = "".join(f"<item><title>t{i}</title><link>{u}</link></item>" for i, u in enumerate(items))
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><link>http://x/</link>'
                f"<description>x</description>{body}</channel></rss>").encode()

    routes = {
        "/robots.txt": lambda h, s: send(h, 404),
        "/page": lambda h, s: send(h, 200, PAGE),
        "/trickle": trickle_body,
        "/trickle-headers": trickle_headers,
        "/to-internal": lambda h, s: send(h, 302, headers={"Location": internal.base + "/admin"}),
        "/to-metadata": lambda h, s: send(h, 302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}),
        "/to-self": lambda h, s: send(h, 302, headers={"Location": "/page"}),
        "/to-file": lambda h, s: send(h, 302, headers={"Location": "file:///etc/passwd"}),
        "/feed.xml": lambda h, s: send(h, 200, rss([s.base + "/page", internal.base + "/admin",
                                                    f"http://rebind.test:{s.port}/page", "http://[::1]:1/x"]),
                                       "application/rss+xml"),
        "/sitemap.xml": lambda h, s: send(h, 200, (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{internal.base}/admin</loc></url><url><loc>{s.base}/page</loc></url></urlset>").encode(),
            "application/xml"),
    }
    with Server(routes) as srv:
        yield srv


def settings(**over) -> Settings:
    values = dict(rate_limit_per_host=0, backoff=0.01, max_retry_wait=0.05, timeout=5.0, connect_timeout=1.0, retries=1,
                  fetch_deadline=1.0, outlet_files=())
    values.update(over)
    return Settings(**values)


def resolver(host, port, type=0, **_):
    """Every name resolves to loopback (as a rebinding DNS would answer); literal IPs to themselves."""
    if host == "rebind.test":
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
    return socket.getaddrinfo(host, port, type=type)


def collect(item: str, st: Settings):
    raws, errors = [], []
    fetcher = Fetcher(st, resolver=resolver)
    try:
        for got in sources.acquire(item, st, fetcher=fetcher):
            (errors if isinstance(got, InputError) else raws).append(got)
    finally:
        fetcher.close()
    return raws, errors


@pytest.mark.parametrize("path", ["/trickle", "/trickle-headers"])
def test_a_trickling_server_is_cut_at_the_deadline(hostile, path):
    with Fetcher(settings(allow_private=True)) as f:
        start = time.monotonic()
        with pytest.raises(InputError, match="deadline") as err:
            f.fetch(hostile.base + path)
        took = time.monotonic() - start
    assert took < 2.5, took  # deadline 1 s (the per-read timeout, 5 s, never fires on a trickle)
    assert str(err.value).startswith(hostile.base + path) and "\n" not in str(err.value)


def test_a_user_typed_local_url_is_fetched_but_a_redirect_to_another_local_service_is_not(hostile, internal):
    before = len(internal.log)
    raws, errors = collect(hostile.base + "/page", settings())
    assert len(raws) == 1 and not errors  # typed by the user: may be local
    raws, errors = collect(hostile.base + "/to-internal", settings())
    assert not raws and len(errors) == 1
    assert "loopback address" in str(errors[0]) and "--allow-private" in str(errors[0])
    assert len(internal.log) == before  # not a single request reached the internal service
    raws, errors = collect(hostile.base + "/to-self", settings())  # same origin as typed: fine
    assert len(raws) == 1 and not errors


@pytest.mark.parametrize("path, reason", [("/to-metadata", "link-local address"), ("/to-file", "not an http(s) URL")])
def test_redirects_to_cloud_metadata_or_files_are_refused(hostile, path, reason):
    raws, errors = collect(hostile.base + path, settings())
    assert not raws and len(errors) == 1 and reason in str(errors[0])


def test_allow_private_lifts_the_policy(hostile, internal):
    before = len(internal.log)
    raws, errors = collect(hostile.base + "/to-internal", settings(allow_private=True))
    assert len(raws) == 1 and not errors and len(internal.log) > before


def test_feed_items_pointing_to_local_services_are_refused_checked_on_the_resolved_address(hostile, internal):
    before = len(internal.log)
    hits_before = hostile.log.count("/page")
    raws, errors = collect(hostile.base + "/feed.xml", settings())
    assert [r.source for r in raws] == [hostile.base + "/page"]  # the item on the typed origin
    text = " | ".join(str(e) for e in errors)
    assert len(errors) == 3, text
    assert f"{internal.base}/admin: not fetched" in text
    # a host name the feed chose, resolved to 127.0.0.1: refused although it is the same port
    assert f"http://rebind.test:{hostile.port}/page: not fetched: rebind.test is 127.0.0.1, a loopback address" in text
    assert "::1" in text
    assert len(internal.log) == before
    assert hostile.log.count("/page") == hits_before + 1  # rebind.test never reached the server


def test_sitemap_entries_are_held_to_the_same_policy(hostile, internal):
    before = len(internal.log)
    raws, errors = collect(hostile.base + "/sitemap.xml", settings())
    assert [r.source for r in raws] == [hostile.base + "/page"]
    assert len(errors) == 1 and "loopback address" in str(errors[0]) and len(internal.log) == before


def test_the_address_dialled_is_the_address_checked(hostile, monkeypatch):
    """No second DNS lookup between the check and the connection (DNS rebinding): every socket is
    opened on a literal IP address that passed the policy."""
    import socket as socket_module

    dialled = []
    real = socket_module.create_connection

    def spy(address, *args, **kwargs):
        dialled.append(address[0])
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket_module, "create_connection", spy)
    st = settings()
    with Fetcher(st, resolver=resolver) as f:
        f.trust(f"http://rebind.test:{hostile.port}/page")  # typed by the user this time: allowed
        got = f.fetch(f"http://rebind.test:{hostile.port}/page")
    assert got.status == 200 and dialled and set(dialled) == {"127.0.0.1"}


@pytest.mark.parametrize("ip, kind", [
    ("127.0.0.1", "loopback"), ("127.8.8.8", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"),
    ("172.16.0.1", "private"), ("192.168.1.1", "private"), ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("fc00::1", "private"), ("0.0.0.0", "unspecified"), ("::ffff:127.0.0.1", "loopback"), ("64:ff9b::7f00:1", "loopback"),
    ("2002:7f00:1::", "loopback"), ("100.64.0.1", "non-public"), ("224.0.0.1", "multicast"),
    ("93.184.216.34", None), ("2606:4700:4700::1111", None), ("1.1.1.1", None),
])
def test_address_kinds(ip, kind):
    assert address_kind(ip) == kind


def test_cli_ingest_names_each_refused_item_and_allow_private_lets_them_in(hostile, tmp_path):
    proc = run_cli("ingest", hostile.base + "/to-internal", "--db", str(tmp_path / "v.db"), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "loopback address" in proc.stderr and "--allow-private" in proc.stderr
    proc = run_cli("ingest", hostile.base + "/to-internal", "--allow-private", "--db", str(tmp_path / "v.db"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "1 new" in proc.stderr


def test_settings_default_refuses_private_addresses():
    assert Settings().allow_private is False and Settings().fetch_deadline > 0
    assert replace(Settings(), allow_private=True).allow_private
