"""The polite fetcher against a local site (127.0.0.1, ephemeral port): robots, retries, limits, charsets."""

from __future__ import annotations

import time

import pytest

from fixtures.web.localweb import Site
from veille.textio import decode_html, sniff_legacy
from veille.acquire.fetch import Fetcher, retry_after_seconds
from veille.errors import InputError
from veille.settings import Settings


@pytest.fixture(scope="module")
def site():
    with Site() as s:
        yield s


def fast_settings(**over) -> Settings:
    values = dict(rate_limit_per_host=0, backoff=0.01, max_retry_wait=0.05, timeout=0.8, connect_timeout=0.5, allow_private=True,
                  retries=2, max_bytes=300_000, outlet_files=())
    values.update(over)
    return Settings(**values)


def test_fetches_a_page_with_an_honest_user_agent(site):
    with Fetcher(fast_settings()) as f:
        got = f.fetch(site.base + "/presstv/police")
    assert got.status == 200 and b"Moscou renforce sa police militaire" in got.content
    assert site.hits("/presstv/police")[-1]["ua"] == Settings().user_agent
    assert "text/html" in got.content_type


def test_robots_txt_is_honoured_and_fetched_once_per_host(site):
    before = len(site.hits("/robots.txt"))
    with Fetcher(fast_settings()) as f:
        with pytest.raises(InputError, match="disallowed by robots.txt"):
            f.fetch(site.base + "/private/secret")
        f.fetch(site.base + "/sana/chimique")
        f.fetch(site.base + "/almanar/kurdes")
    assert len(site.hits("/robots.txt")) - before == 1
    assert not site.hits("/private/secret")  # never requested
    with Fetcher(fast_settings(respect_robots=False)) as f:
        assert f.fetch(site.base + "/private/secret").status == 200


@pytest.mark.parametrize("path, reason", [
    ("/missing", "HTTP 404 not found"),
    ("/gone", "HTTP 410 gone"),
    ("/error", "HTTP 503 server error"),
    ("/loop-a", "redirect loop"),
])
def test_http_failures_are_one_line_errors_naming_the_url(site, path, reason):
    with Fetcher(fast_settings()) as f:
        with pytest.raises(InputError) as exc:
            f.fetch(site.base + path)
    message = str(exc.value)
    assert reason in message and message.startswith(site.base + path) and "\n" not in message


def test_5xx_is_retried_with_back_off_then_succeeds(site):
    site.flaky_left = 2
    with Fetcher(fast_settings(retries=3)) as f:
        got = f.fetch(site.base + "/flaky")
    assert got.status == 200
    assert len(site.hits("/flaky")) >= 3
    assert f.waited[:2] == [0.0, 0.0]  # Retry-After: 0 honoured


def test_retry_after_is_capped(site):
    sleeps: list[float] = []
    with Fetcher(fast_settings(retries=1, max_retry_wait=0.02), sleep=sleeps.append) as f:
        with pytest.raises(InputError, match="429"):
            f.fetch(site.base + "/too-many")
    assert sleeps == [0.02]  # asked for 3600 s, waited the cap
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past: no wait


def test_read_timeout(site):
    t0 = time.monotonic()
    with Fetcher(fast_settings(timeout=0.3, retries=1)) as f:
        with pytest.raises(InputError, match="timed out"):
            f.fetch(site.base + "/slow")
    assert time.monotonic() - t0 < 3


def test_size_cap_aborts_a_50_mb_body(site):
    t0 = time.monotonic()
    with Fetcher(fast_settings()) as f:
        with pytest.raises(InputError, match="limit"):
            f.fetch(site.base + "/huge")
        with pytest.raises(InputError, match="over the .* limit; not fetched"):
            f.fetch(site.base + "/huge-declared")
    assert time.monotonic() - t0 < 5


def test_redirects_are_followed_and_bounded(site):
    with Fetcher(fast_settings()) as f:
        got = f.fetch(site.base + "/moved")
    assert got.final_url == site.base + "/presstv/police"
    with Fetcher(fast_settings(max_redirects=0)) as f:
        with pytest.raises(InputError, match="redirect"):
            f.fetch(site.base + "/moved")


def test_conditional_get_answers_from_the_store(site, store):
    from veille.records import RawDoc

    with Fetcher(fast_settings(), store) as f:
        first = f.fetch(site.base + "/sana/chimique")
        raw = first.raw("text/html")
        store.put_capture(raw)
        f.remember(first, raw.sha256)
        second = f.fetch(site.base + "/sana/chimique")
    last = site.hits("/sana/chimique")[-1]
    assert last["inm"] and last["ims"]  # validators sent
    assert second.not_modified and second.content == first.content
    assert isinstance(raw, RawDoc)


def test_rate_limit_spaces_requests_to_one_host(site):
    sleeps: list[float] = []
    with Fetcher(fast_settings(rate_limit_per_host=2.0, respect_robots=False), sleep=sleeps.append) as f:
        f.fetch(site.base + "/presstv/police")
        f.fetch(site.base + "/sana/chimique")
    assert sleeps and 0 < sleeps[0] <= 0.5


def test_charsets_declared_meta_sniffed_and_wrong():
    arabic = "موسكو-سانا: أكد مصدر روسي أن التنظيمات الإرهابية تحضر لهجوم جديد".encode("cp1256")
    french = "Les forces de la police militaire russe, déployées à Manbij, sont renforcées.".encode("latin-1")
    assert sniff_legacy(arabic) == "cp1256" and sniff_legacy(french) == "cp1252"
    text, enc = decode_html(arabic, "text/html")
    assert enc == "cp1256" and "مصدر روسي" in text
    text, enc = decode_html(arabic, "text/html; charset=iso-8859-1")  # a wrong declaration is overruled
    assert enc == "cp1256" and "مصدر روسي" in text
    text, enc = decode_html(french, "text/html; charset=ISO-8859-1")
    assert "déployées" in text and "renforcées" in text
    text, enc = decode_html(b'<meta charset="windows-1256"><p>' + arabic + b"</p>")
    assert enc == "cp1256" and "مصدر روسي" in text
    text, enc = decode_html("déjà vu".encode("utf-8"), "text/html; charset=iso-8859-1")  # mislabelled UTF-8
    assert text == "déjà vu"
