"""WARC and WARC.gz: one article per archived HTML response; a truncated archive keeps what was read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from veille.errors import InputError, InputNotice
from veille.extract import Context, extract
from veille.extract.warc import iter_warc_records
from veille.pipeline import ingest
from veille.records import RawDoc
from veille.settings import Settings

WEB = Path(__file__).parent / "fixtures" / "web"
PAGES = [
    ("https://fr.sputniknews.com/international/201901161039655248-syrie-manbij-explosion/", "sputnik-manbij.html"),
    ("https://www.presstv.com/DetailFr/2019/01/15/585899/Syrie--la-Russie-multiplie-ses-militaires", "presstv-police.html"),
    ("https://sana.sy/fr/?p=141235", "sana-chimique.html"),
]


def write_warc(path: Path, gzip: bool = True) -> bytes:
    """A small crawl of the recorded pages, plus records a reader must skip (request, image, 404)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    for url, name in PAGES:
        req = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
        writer.write_record(req)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO((WEB / name).read_bytes()),
                                                      http_headers=http))
    img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://sana.sy/logo.png", "response",
                                                  payload=io.BytesIO(b"\x89PNG\r\n\x1a\n"), http_headers=img))
    gone = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://sana.sy/fr/?p=1", "response",
                                                  payload=io.BytesIO(b"<html>not found</html>"), http_headers=gone))
    data = buf.getvalue()
    path.write_bytes(data)
    return data


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db=tmp_path / "t.db", outlet_files=())


@pytest.mark.parametrize("gz", [True, False])
def test_records_become_raw_captures(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(path, gzip=gz)
    items = list(iter_warc_records(path))
    raws = [i for i in items if isinstance(i, RawDoc)]
    assert [r.source for r in raws] == [u for u, _ in PAGES]
    assert raws[0].content == (WEB / PAGES[0][1]).read_bytes()
    assert raws[0].fetched_at and raws[0].fallback == {"warc": str(path)}
    notices = [i for i in items if isinstance(i, InputNotice)]
    assert len(notices) == 1 and "2 non-HTML or non-200 record(s) skipped" in str(notices[0])


def test_ingest_warc_then_reingest_changes_nothing(tmp_path, settings, store):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    first = ingest([str(path)], settings, store)
    assert first.new == 3 and not first.errors
    articles = {a.outlet: a for a in store.articles()}
    assert set(articles) == {"sputnik", "presstv", "sana"}
    rec = articles["presstv"].to_dict()["input"]
    assert rec["path"] == str(path) and rec["url"] == PAGES[1][0] and rec["sha256"]
    assert articles["presstv"].extra["extractor"] == "spec:presstv"
    second = ingest([str(path)], settings, store)
    assert (second.new, second.unchanged) == (0, 3) and store.count_articles() == 3


def test_truncated_warc_keeps_the_records_before_and_says_so(tmp_path, settings, store):
    path = tmp_path / "cut.warc.gz"
    data = write_warc(tmp_path / "full.warc.gz")
    from warcio.archiveiterator import ArchiveIterator

    offsets = []  # where each response record starts in the file
    it = ArchiveIterator(io.BytesIO(data))
    for record in it:
        if record.rec_type == "response":
            offsets.append(it.get_record_offset())
    path.write_bytes(data[: offsets[2] + 600])  # cut inside the third page's record
    report = ingest([str(path)], settings, store)
    assert report.new == 2
    assert len(report.errors) == 1 and report.errors[0].startswith(str(path))
    assert "truncated" in report.errors[0] and "kept" in report.errors[0]
    assert {a.outlet for a in store.articles()} == {"sputnik", "presstv"}


def test_not_a_warc_is_an_error(tmp_path):
    bad = tmp_path / "x.warc"
    bad.write_bytes(b"this is not an archive\n" * 5)
    items = list(iter_warc_records(bad))
    assert len(items) == 1 and isinstance(items[0], InputError) and str(items[0]).startswith(str(bad))


def test_whole_warc_bytes_through_the_extractor(tmp_path, registry):
    """How a job holding the archive as bytes (Spark binaryFiles) gets its articles."""
    data = write_warc(tmp_path / "c.warc.gz")
    result = extract(RawDoc(data, "c.warc.gz", "application/warc"), Context(registry, Settings(outlet_files=())))
    assert [a.outlet for a in result.articles] == ["sputnik", "presstv", "sana"]
    assert not result.problems
