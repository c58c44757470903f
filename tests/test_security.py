"""Untrusted article text stays inert; headers, bounds, traversal and redirects (web UI + helpers)."""

from __future__ import annotations

import json
import re
import warnings

import pytest

from publish_fixture import HOSTILE_ID, HOSTILE_JSONL_ID, build_store
from veille.publish.safe import Span, highlight, json_for_script, safe_url
from veille.web.app import CSP, create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return TestClient(create_app(build_store(tmp_path_factory.mktemp("sec") / "v.db")))


PAGES = ["/", "/search?q=Manbij", "/search?q=script", f"/article/{HOSTILE_ID}", "/story/st-hostile", "/story/st-manbij",
         "/outlets", "/map", "/article/missing", "/api/search?q=x", "/openapi.json", "/static/map.js"]


@pytest.mark.parametrize("url", PAGES)
def test_security_headers_everywhere(client, url):
    r = client.get(url)
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["x-frame-options"] == "DENY"


def test_csp_is_strict():
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and "unsafe" not in CSP


def test_web_pages_have_no_inline_script(client):
    for url in PAGES:
        r = client.get(url)
        if r.headers["content-type"].startswith("text/html"):
            for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", r.text, re.S):
                assert 'src="/static/' in attrs or 'type="application/json"' in attrs, (url, attrs)
            assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", r.text, re.I), url  # no event-handler attribute


@pytest.mark.parametrize("url", [f"/article/{HOSTILE_ID}", f"/article/{HOSTILE_JSONL_ID}", "/story/st-hostile", "/search?q=alert", "/", "/map"])
def test_hostile_article_escaped_in_ui(client, url):
    html = client.get(url).text
    assert not re.search(r"<(script|img|iframe)\b(?![^>]*(src=\"/static/|type=\"application/json\"))", html, re.I), url
    assert not re.search(r"<svg\b(?! width=\"140\" height=\"10\" role=\"img\")", html, re.I), url  # only the timeline's bars
    assert 'href="javascript:' not in html.lower()
    assert "<b onmouseover" not in html


def test_hostile_json_in_map_page_cannot_break_out(client):
    html = client.get("/map").text
    raw = re.search(r'id="veille-map-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert any(e["location"] == "<img src=x onerror=alert('loc')>" for e in json.loads(raw)["events"])


def test_json_for_script_escapes():
    out = str(json_for_script({"a": "</script><!-- & \u2028\u2029"}))
    assert out == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029"}'
    assert json.loads(out) == {"a": "</script><!-- & \u2028\u2029"}


def test_highlight_escapes_and_ignores_bad_spans():
    text = "<b>x</b> & 'y'"
    out = str(highlight(text, [Span(0, 3, "entity", '"><script>'), Span(5, 999, "place"), Span(-1, 2, "x"), Span(4, 4, "z")]))
    assert out == '<mark class="entity" title="&#34;&gt;&lt;script&gt;">&lt;b&gt;</mark>x&lt;/b&gt; &amp; &#39;y&#39;'


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x", "data:text/html,x",
                                 "vbscript:x", "//evil.example", "http://x\" onmouseover=\"y", "https://a.b/<script>"])
def test_safe_url_refuses(url):
    assert safe_url(url) == "#"


def test_safe_url_keeps_http():
    assert safe_url("https://fr.sputniknews.com/a?b=1&c=2") == "https://fr.sputniknews.com/a?b=1&c=2"


@pytest.mark.parametrize("path", ["/static/../store.py", "/static/%2e%2e/store.py", "/static/..%2fstore.py",
                                  "/static/%2e%2e%2f%2e%2e%2fetc/passwd", "/static//etc/passwd", "/static/vendor/../../store.py",
                                  "/static/..\\store.py", "/article/..%2f..%2fetc%2fpasswd", "/story/%2e%2e"])
def test_no_path_traversal(client, path):
    r = client.get(path)
    assert r.status_code in (404, 400)
    assert "root:" not in r.text and "class Store" not in r.text


@pytest.mark.parametrize("path", ["//evil.example/", "/\\evil.example", "/search/", "/%2f%2fevil.example", "/static"])
def test_no_open_redirect(client, path):
    r = client.get(path, follow_redirects=False)
    location = r.headers.get("location", "")
    assert not (300 <= r.status_code < 400 and ("evil" in location or location.startswith("//"))), (path, location)


def test_bounded_queries(client):
    assert client.get("/search", params={"q": "a" * 500}).status_code == 200
    assert client.get("/search", params={"q": "a" * 501}).status_code == 422
    assert client.get("/api/search", params={"q": "a" * 501}).status_code == 422
    assert client.get("/api/articles", params={"limit": 200}).status_code == 200
    assert client.get("/api/articles", params={"limit": 201}).status_code == 422
    assert client.get("/search", params={"q": "x", "limit": 10_000}).status_code == 422


def test_only_get(client):
    assert client.post("/search", data={"q": "x"}).status_code == 405
    assert client.delete(f"/api/articles/{HOSTILE_ID}").status_code == 405


def test_foreign_host_header_refused(client):
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 must not read the archive."""
    r = client.get("/api/contradictions", headers={"host": "evil.example"})
    assert r.status_code == 400 and "Yeni" not in r.text
    assert client.get("/api/contradictions", headers={"host": "127.0.0.1:8000"}).status_code == 200


def test_refusals_do_not_echo_input(client):
    hostile = "<script>alert(1)</script>" + "a" * 500
    html = client.get("/search", params={"q": hostile})
    assert html.status_code == 422 and html.headers["content-type"].startswith("text/html")
    assert "<script>alert(1)" not in html.text and "500" in html.text
    api = client.get("/api/search", params={"q": hostile})
    assert api.status_code == 422 and "<script>" not in api.text
