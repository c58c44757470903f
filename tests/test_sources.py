"""Web sources end to end against a local site: URLs, feeds, sitemaps, folders → stored articles."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from fixtures.web.localweb import Site
from veille.acquire import sources
from veille.errors import InputError
from veille.pipeline import ingest
from veille.records import RawDoc
from veille.settings import Settings

WEB = Path(__file__).parent / "fixtures" / "web"


@pytest.fixture(scope="module")
def site():
    with Site() as s:
        yield s


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db=tmp_path / "t.db", rate_limit_per_host=0, backoff=0.01, max_retry_wait=0.05, timeout=1.0,
                    retries=1, max_bytes=300_000, outlet_files=())


def collect(item: str, settings: Settings, store=None):
    raws, errors = [], []
    for got in sources.acquire(item, settings, store):
        (errors if isinstance(got, InputError) else raws).append(got)
    return raws, errors


def test_rss_feed_items_are_fetched_with_their_date_and_title_as_fallbacks(site, settings):
    raws, errors = collect(site.base + "/feed.xml", settings)
    assert [r.source for r in raws] == [site.base + p for p in ("/sputnik/manbij", "/presstv/police", "/sana/chimique")]
    assert raws[0].fallback["title"].startswith("Explosion à Manbij")
    assert raws[0].fallback["published_at"] == "2019-01-16T12:58"  # pubDate, in UTC
    assert raws[0].fallback["feed"] == site.base + "/feed.xml"
    assert len(errors) == 1 and "/missing: HTTP 404 not found" in str(errors[0])


def test_atom_feed_and_a_feed_served_as_html_are_sniffed(site, settings):
    raws, errors = collect(site.base + "/atom.xml", settings)
    assert [r.source for r in raws] == [site.base + "/almanar/kurdes"] and not errors
    assert raws[0].fallback["published_at"] == "2019-01-13T09:20"
    raws, _ = collect(site.base + "/feed-as-html", settings)
    assert len(raws) == 3  # content sniffing beats the wrong content type


def test_sitemap_index_news_sitemap_and_lastmod_is_not_a_publication_date(site, settings):
    raws, errors = collect(site.base + "/sitemap-index.xml", settings)
    assert not errors
    by_path = {r.source.removeprefix(site.base): r for r in raws}
    assert set(by_path) == {"/presstv/police", "/almanar/kurdes", "/sana/chimique"}
    assert "published_at" not in by_path["/presstv/police"].fallback  # only <lastmod> there
    assert by_path["/sana/chimique"].fallback["published_at"].startswith("2019-01-15T09:30")
    assert by_path["/sana/chimique"].fallback["title"].startswith("Les terroristes")


@pytest.mark.parametrize("path, reason", [
    ("/bad-feed.xml", "malformed feed"),
    ("/doc.pdf", "got a PDF document"),
    ("/photo", "got a PNG image"),
    ("/private/secret", "disallowed by robots.txt"),
])
def test_bad_web_inputs_give_one_line_errors(site, settings, path, reason):
    raws, errors = collect(site.base + path, settings)
    assert not raws and len(errors) == 1
    assert reason in str(errors[0]) and str(errors[0]).startswith(site.base + path)


def test_local_folder_of_html_pages_is_walked_recursively(tmp_path, settings):
    folder = tmp_path / "pages" / "sub"
    folder.mkdir(parents=True)
    shutil.copy(WEB / "sana-chimique.html", tmp_path / "pages" / "a.html")
    shutil.copy(WEB / "almanar-kurdes.html", folder / "b.htm")
    (folder / "notes.odt").write_bytes(b"PK\x03\x04")
    raws, errors = collect(str(tmp_path / "pages"), settings)
    assert [Path(r.source).name for r in raws] == ["a.html", "b.htm"]
    assert [e.reason.split(":")[0] for e in errors] == ["skipped"]  # the .odt is named, not silently ignored


def test_ingest_feed_stores_articles_and_reingest_changes_nothing(site, settings, store):
    inputs = [site.base + "/feed.xml", site.base + "/almanar/kurdes", site.base + "/gone"]
    first = ingest(inputs, settings, store)
    assert first.new == 4 and store.count_articles() == 4
    assert len(first.errors) == 2  # the feed's dead item and /gone, each named
    assert any("/gone: HTTP 410" in e for e in first.errors)
    articles = {a.outlet: a for a in store.articles()}
    assert set(articles) == {"sputnik", "presstv", "sana", "almanar"}
    sputnik = articles["sputnik"]
    assert sputnik.input.url == site.base + "/sputnik/manbij" and sputnik.input.sha256 and sputnik.input.fetched_at
    assert sputnik.canonical_url == "https://fr.sputniknews.com/international/201901161039655248-syrie-manbij-explosion/"
    assert sputnik.extra["feed"] == site.base + "/feed.xml"
    assert store.count_captures() >= 4
    captured = store.get_capture(sputnik.input.sha256)
    assert captured is not None and b"article__body" in captured.content

    conditional_before = sum(1 for r in site.log if r["inm"])
    second = ingest(inputs, settings, store)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 4)
    assert store.count_articles() == 4
    assert sum(1 for r in site.log if r["inm"]) - conditional_before >= 4  # re-fetches were conditional GETs


def test_exported_records_carry_input_url_or_path(site, settings, store, tmp_path):
    page = tmp_path / "sana.html"
    shutil.copy(WEB / "sana-chimique.html", page)
    ingest([str(page), site.base + "/presstv/police"], settings, store)
    records = [a.to_dict() for a in store.articles()]
    by_outlet = {r["outlet"]: r for r in records}
    assert by_outlet["sana"]["input"]["path"] == str(page) and by_outlet["sana"]["input"]["url"] is None
    assert by_outlet["presstv"]["input"]["url"] == site.base + "/presstv/police"


def test_pdf_where_html_was_expected_from_a_file_is_refused(tmp_path, settings, store):
    fake = tmp_path / "page.html"
    fake.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    good = tmp_path / "good.html"
    shutil.copy(WEB / "almanar-kurdes.html", good)
    report = ingest([str(fake), str(good)], settings, store)
    assert report.new == 1 and len(report.errors) == 1
    assert "page.html: expected an HTML page, got a PDF document" in report.errors[0]


def test_raw_fallbacks_fill_what_the_page_lacks(settings, registry):
    from veille.extract import Context
    from veille.extract.html import html_to_article

    html = (b"<html><head><title>x</title></head><body><div><p>" + b"Le texte de l'article sans date visible. " * 10 +
            b"</p></div></body></html>")
    raw = RawDoc(html, "http://127.0.0.1:9/p", "text/html", fallback={"title": "Titre du flux", "published_at": "2019-01-14T09:00"})
    article = html_to_article(raw, Context(registry, settings))
    assert article.published_at == "2019-01-14T09:00" and article.date_precision == "minute"


def test_local_feed_and_sitemap_files_expand_to_their_pages(site, settings, tmp_path):
    from fixtures.web.localweb import news_sitemap, rss

    feed = tmp_path / "revue.rss"
    feed.write_text(rss(site.base), encoding="utf-8")
    # the items of a feed point to 127.0.0.1, which no one typed: refused unless private addresses are allowed
    raws, errors = collect(str(feed), settings)
    assert not raws and all("loopback address" in str(e) for e in errors if "no link" not in str(e))
    settings = replace(settings, allow_private=True)
    raws, errors = collect(str(feed), settings)
    assert len(raws) == 3 and len(errors) == 1 and raws[0].fallback["feed"] == str(feed)
    sm = tmp_path / "news.xml"
    sm.write_text(news_sitemap(site.base), encoding="utf-8")
    raws, errors = collect(str(sm), settings)
    assert [r.source for r in raws] == [site.base + "/sana/chimique"] and not errors
    other = tmp_path / "data.xml"
    other.write_text('<?xml version="1.0"?><catalogue><livre/></catalogue>', encoding="utf-8")
    raws, errors = collect(str(other), settings)
    assert not raws and "neither a feed nor a sitemap" in str(errors[0])
