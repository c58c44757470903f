"""Fault suite: veille attacked as a careless user and an adversary would — hostile JSON Lines,
truncated and nested archives, bombs, bad names, wrong --db/--out/-o/--port, duplicate ids on a
re-run, right-to-left overrides, odd ids, a crash mid-dossier. Each case must end in a one-line
message (exit 1, or 2 for usage) or the right output, with the rest of the inputs processed and
nothing lost. (The network side is in test_faults_fetch.py.)"""

from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from conftest import SAMPLE, run_cli
from veille.errors import InputError, InputNotice
from veille.extract.warc import iter_warc_records
from veille.pipeline import ingest
from veille.records import RawDoc
from veille.settings import Settings
from veille.store import Store, StoreError

sys.path.insert(0, str(Path(__file__).parent))
from test_warc import PAGES, write_warc  # noqa: E402

MANBIJ_TEXT = ("Une explosion s'est produite à Manbij, dans le nord de la Syrie, à proximité d'une patrouille de la "
               "coalition internationale. Selon une source sur place citée par Al Jazeera, la déflagration a fait au "
               "moins neuf morts.")
IDLIB_TEXT = ("Des affrontements ont opposé l'armée syrienne à des groupes armés près d'Idlib, dans le nord-ouest du "
              "pays, selon l'agence SANA. Trois soldats ont été tués, a indiqué une source militaire.")


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db=tmp_path / "t.db", outlet_files=())


def one_line(message: str) -> bool:
    return "\n" not in message.strip() and "Traceback" not in message


# ---- JSON Lines: hostile lines are one problem each; the good ones are stored ---------------------
def hostile_lines() -> list[bytes]:
    good = {"id": "good-1", "text": MANBIJ_TEXT, "language": "fr"}
    return [
        json.dumps(good).encode(),
        b"[" * 100_000 + b"]" * 100_000,  # RecursionError in json.loads
        b'{"id": "deep", "text": "x", "n": ' + b"[" * 500 + b"]" * 500 + b"}",
        b'{"id": "nul", "text": "a\x00b"}',
        b'{"id": "big-int", "text": "x", "n": ' + b"9" * 5000 + b"}",
        b'{"id": "surrogate", "text": "bad \\ud800 char", "language": "fr"}',
        b'{"id": "nan", "text": "valeur", "score": NaN, "more": [Infinity], "language": "fr"}',
        b'{"id": "epoch", "text": "date en secondes", "published_at": 1547640000, "language": "fr"}',
        b'{"id": "weird-date", "text": "date en liste", "published_at": [2019], "language": "fr"}',
        b'"just a string"',
        b'{"id": "unterminated", "text": "',
        json.dumps({"id": "good-2", "text": IDLIB_TEXT, "language": "fr"}).encode(),
    ]


def test_hostile_json_lines_are_one_problem_each_and_the_rest_is_stored(tmp_path, settings):
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(hostile_lines()) + b"\n")
    with Store(settings.db) as store:
        report = ingest([str(path)], settings, store)
        ids = {a.id for a in store.articles()}
        assert ids == {"good-1", "good-2", "surrogate", "nan", "epoch", "weird-date"}
        errors = "\n".join(report.errors)
        for line, why in ((2, "nested deeper than 64"), (3, "nested deeper than 64"), (4, "NUL bytes"),
                          (5, "not usable JSON"), (10, "expected a JSON object"), (11, "not valid JSON")):
            assert f"{path}: line {line}: " in errors and why in errors, (line, why, errors)
        assert len(report.errors) == 6 and all(one_line(e) for e in report.errors)
        assert store.get_article("surrogate").text == "bad \ufffd char"
        nan = store.get_article("nan")
        assert nan.extra["score"] is None and nan.extra["more"] == [None]
        assert any("NaN in 'score'" in n for n in report.notices)
        epoch = store.get_article("epoch")
        assert epoch.published_at == "2019-01-16T12:00" and any("Unix time" in n for n in report.notices)
        assert store.get_article("weird-date").extra["published_at_raw"] == [2019]
        assert any("published_at of type list" in n for n in report.notices)
    # every exported line is strict JSON (no NaN, no lone surrogate)
    proc = run_cli("export", "articles", "--db", str(settings.db), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr

    def strict(c):
        raise ValueError(c)

    rows = [json.loads(line, parse_constant=strict) for line in proc.stdout.splitlines()]
    assert len(rows) == 6


def test_fuzzed_json_lines_never_escape_as_a_traceback(tmp_path, settings):
    """400 mutations of real records (bytes flipped, cut, doubled, brackets/quotes/NUL/high bytes
    inserted; seeded): each line is either stored or one problem naming its line, never more."""
    import random

    rng = random.Random(18)
    seeds = [json.dumps({"id": f"s{i}", "text": t, "title": "Bilan", "published_at": "2019-01-16", "tags": ["a", {"b": 1}]},
                        ensure_ascii=bool(i % 2)).encode() for i, t in enumerate((MANBIJ_TEXT, IDLIB_TEXT))]
    junk = [b"\x00", b"{", b"}", b"[", b"]", b'"', b"\\", b"\xff", b"\xc3", b"\xe2\x80", b"NaN", b"1e999", b"\\ud800", b"\r"]
    lines = []
    for n in range(400):
        line = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 4)):
            op, at = rng.randrange(4), rng.randrange(len(line) + 1)
            if op == 0 and line:
                line[at % len(line)] = rng.randrange(256)
            elif op == 1:
                line[at:at] = rng.choice(junk)
            elif op == 2:
                del line[at:]
            else:
                line[at:at] = line[:rng.randrange(1, 40)]
        lines.append(bytes(line).replace(b"\n", b" "))
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    with Store(settings.db) as store:
        report = ingest([str(path)], settings, store)
        stored = store.count_articles()
    assert all(one_line(e) and e.startswith(str(path)) for e in report.errors)
    named = [e for e in report.errors if ": line " in e]
    counted = sum(int(e.split(": ")[1].split(" more bad line")[0]) for e in report.errors if " more bad line" in e)
    assert len(named) <= 20  # the first 20 bad lines one by one, the rest counted on one line
    again = sum("is given again" in n for n in report.notices)  # same id twice: the later record kept
    accounted = report.new + report.updated + report.unchanged + report.duplicate + again + len(named) + counted
    blank = sum(1 for line in lines if not line.strip())  # blank lines are no records
    assert accounted + blank == 400 and stored >= 1, (report.new, report.duplicate, again, len(named), counted, blank)


def test_a_nul_byte_refuses_its_line_not_the_file(tmp_path, settings):
    path = tmp_path / "nul.jsonl"
    path.write_bytes(b'{"id": "a", "text": "bin\x00aire"}\n' + json.dumps({"id": "b", "text": MANBIJ_TEXT}).encode() + b"\n")
    with Store(settings.db) as store:
        report = ingest([str(path)], settings, store)
        assert [a.id for a in store.articles()] == ["b"]
    assert report.errors == [f"{path}: line 1: NUL bytes in the line (binary data); skipped"]


def test_gzip_bomb_of_one_line_is_refused_without_reading_it_whole(tmp_path, settings):
    """200 KB of gzip that expands to one line of 200 MB: refused by its size, the next line kept."""
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(b'{"id": "bomb", "text": "')
        block = b"mot " * 262_144  # 1 MB
        for _ in range(200):
            f.write(block)
        f.write(b'"}\n' + json.dumps({"id": "after", "text": MANBIJ_TEXT}).encode() + b"\n")
    assert path.stat().st_size < 400_000
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with Store(settings.db) as store:
        report = ingest([str(path)], settings, store)
        assert [a.id for a in store.articles()] == ["after"]
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 150, grown_mb  # the 200 MB line was never held in memory
    assert len(report.errors) == 1 and f"{path}: line 1: record of 200.0 MB is over the 32.0 MB limit" in report.errors[0]


def test_size_caps_for_files_read_whole_and_for_article_text(tmp_path, settings):
    from dataclasses import replace

    small = replace(settings, max_file_bytes=50_000, max_article_chars=1000)
    big_review = tmp_path / "big.txt"
    big_review.write_text(SAMPLE.read_text(encoding="utf-8") * 3, encoding="utf-8")
    bomb = tmp_path / "page.html.gz"
    bomb.write_bytes(gzip.compress(b"<html><body>" + b"<p>x</p>" * 100_000 + b"</body></html>"))
    long_text = tmp_path / "long.jsonl"
    long_text.write_text(json.dumps({"id": "long", "text": "mot " * 600}) + "\n"
                         + json.dumps({"id": "short", "text": MANBIJ_TEXT}) + "\n", encoding="utf-8")
    with Store(small.db) as store:
        report = ingest([str(big_review), str(bomb), str(long_text)], small, store)
        assert [a.id for a in store.articles()] == ["short"]
    errors = "\n".join(report.errors)
    assert f"{big_review}: it is over the 48.8 KB limit".replace("48.8 KB", "50000 bytes") in errors
    assert f"{bomb}: decompressed, it is over the 50000 bytes limit" in errors
    assert f"{long_text}: line 1: text of 2,400 characters is over the limit of 1,000; record not stored (VEILLE_MAX_ARTICLE_CHARS raises it)" in errors
    assert len(report.errors) == 3 and all(one_line(e) for e in report.errors)


def test_the_caps_are_set_from_the_environment_and_named_in_the_refusal(tmp_path, monkeypatch, capsys):
    """A CLI user raises or lowers a cap with its variable; the refusal names that variable; a bad value
    is one line, exit 2."""
    from veille import cli
    from veille.settings import SIZE_ENV

    big_review = tmp_path / "big.txt"
    big_review.write_text(SAMPLE.read_text(encoding="utf-8") * 3, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VEILLE_MAX_FILE_BYTES", "50K")
    monkeypatch.setenv("VEILLE_MAX_ARTICLE_CHARS", "2000000")
    assert (Settings().max_file_bytes, Settings().max_article_chars) == (50 * 1024, 2_000_000)
    assert set(SIZE_ENV) == {"max_bytes", "max_file_bytes", "max_record_bytes", "max_article_chars"}
    monkeypatch.setattr(sys, "argv", ["veille", "ingest", str(big_review), "--db", str(tmp_path / "v.db"), "-q"])
    with pytest.raises(SystemExit) as stop:
        cli.main()
    err = capsys.readouterr().err
    assert stop.value.code == 1 and f"error: {big_review}: it is over the 50.0 KB limit" in err.replace("51200 bytes", "50.0 KB")
    assert "(VEILLE_MAX_FILE_BYTES raises it)" in err
    monkeypatch.setenv("VEILLE_MAX_FILE_BYTES", "lots")
    with pytest.raises(SystemExit) as stop:
        cli.main()
    lines = capsys.readouterr().err.strip().splitlines()
    assert stop.value.code == 2 and lines == ["error: VEILLE_MAX_FILE_BYTES='lots': not a size (a positive number, "
                                              "optionally with K, M or G: e.g. 128M)"]


def test_a_file_name_that_is_not_utf8_is_stored_and_named(tmp_path, settings):
    folder = tmp_path / "revues"
    folder.mkdir()
    name = os.fsdecode(b"r\xe9sum\xe9.jsonl")  # Latin-1 bytes on disk: not decodable as UTF-8
    (folder / name).write_text(json.dumps({"id": "n1", "text": MANBIJ_TEXT}) + "\n", encoding="utf-8")
    with Store(settings.db) as store:
        report = ingest([str(folder)], settings, store)
        assert not report.errors and report.new == 1
        art = store.get_article("n1")
        assert art.input.path.endswith("r\\xe9sum\\xe9.jsonl")


def test_linked_and_unreadable_subfolders_are_named(tmp_path, settings):
    folder = tmp_path / "in"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "x.jsonl").write_text(json.dumps({"id": "x", "text": MANBIJ_TEXT}) + "\n", encoding="utf-8")
    os.symlink(folder / "a", folder / "link")
    locked = folder / "locked"
    locked.mkdir()
    (locked / "y.jsonl").write_text(json.dumps({"id": "y", "text": IDLIB_TEXT}) + "\n", encoding="utf-8")
    locked.chmod(0)
    try:
        with Store(settings.db) as store:
            report = ingest([str(folder)], settings, store)
    finally:
        locked.chmod(0o755)
    assert any(str(folder / "link") in n and "link to a folder" in n for n in report.notices)
    if os.geteuid() != 0:  # root reads any folder: nothing to report then
        assert any(str(locked) in e and "folder not read" in e for e in report.errors)
    assert report.new >= 1


def test_windows_1256_text_and_json_lines_are_arabic(tmp_path, settings):
    arabic = "موسكو-سانا: أكد مصدر روسي أن التنظيمات الإرهابية تحضر لهجوم كيميائي جديد في إدلب. وقتل ثلاثة مدنيين."
    jl = tmp_path / "ar.jsonl"
    jl.write_bytes(json.dumps({"id": "ar1", "text": arabic}, ensure_ascii=False).encode("cp1256") + b"\n")
    txt = tmp_path / "ar.txt"
    txt.write_bytes((arabic + "\n\nhttps://sana.sy/?p=1\n").encode("cp1256"))
    with Store(settings.db) as store:
        report = ingest([str(jl), str(txt)], settings, store)
        arts = store.articles()
    assert len(arts) == 2 and not report.errors, report.errors
    for a in arts:
        assert "مصدر روسي" in a.text and a.language == "ar"
    assert sum("decoded as cp1256" in n for n in report.notices) == 2


# ---- archives: truncated, nested -------------------------------------------------------------------
@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("cut", [5, 40, 120, 300])
def test_a_warc_cut_inside_a_records_headers_says_so(tmp_path, gz, cut):
    from warcio.archiveiterator import ArchiveIterator

    data = write_warc(tmp_path / "full.warc", gzip=gz)
    it = ArchiveIterator(io.BytesIO(data))
    starts = [it.get_record_offset() for r in it if r.rec_type == "response"]
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(data[: starts[2] + cut])  # inside the third page's WARC or HTTP headers
    items = list(iter_warc_records(path))
    raws = [i for i in items if isinstance(i, RawDoc)]
    errors = [i for i in items if isinstance(i, InputError) and not isinstance(i, InputNotice)]
    assert [r.source for r in raws] == [PAGES[0][0], PAGES[1][0]]
    assert len(errors) == 1 and "the 2 page(s) before" in str(errors[0]) and str(path) in str(errors[0])
    assert "truncated or corrupt WARC" in str(errors[0]) and one_line(str(errors[0]))


def test_nested_archives_are_refused_or_skipped_with_a_reason(tmp_path, settings):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    twice = tmp_path / "twice.jsonl.gz"  # gzip inside gzip
    twice.write_bytes(gzip.compress(gzip.compress(json.dumps({"text": MANBIJ_TEXT}).encode())))
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    inner = write_warc(tmp_path / "inner.warc.gz")
    http = StatusAndHeaders("200 OK", [("Content-Type", "application/warc")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://example.org/crawl.warc.gz", "response",
                                                  payload=io.BytesIO(inner), http_headers=http))
    nested = tmp_path / "nested.warc.gz"
    nested.write_bytes(buf.getvalue())
    with Store(settings.db) as store:
        report = ingest([str(twice), str(nested)], settings, store)
        assert store.count_articles() == 0
    assert any(str(twice) in e and "gzip-compressed data" in e for e in report.errors)
    assert any(str(nested) in n and "1 non-HTML or non-200 record(s) skipped" in n for n in report.notices)


def test_an_archived_page_over_the_size_cap_is_skipped_and_named(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    from test_warc import WEB

    sizes = [len((WEB / name).read_bytes()) for _, name in PAGES]
    cap = sorted(sizes)[1]  # the biggest page is over it
    items = list(iter_warc_records(path, max_bytes=cap))
    raws = [i for i in items if isinstance(i, RawDoc)]
    errors = [str(i) for i in items if isinstance(i, InputError) and not isinstance(i, InputNotice)]
    assert [r.source for r in raws] == [u for (u, _), n in zip(PAGES, sizes) if n <= cap]
    assert len(errors) == 1 and f"over the {cap} bytes limit" in errors[0] and PAGES[sizes.index(max(sizes))][0] in errors[0]


# ---- re-runs: nothing lost ---------------------------------------------------------------------------
def test_a_changed_record_is_analysed_again(store, sample_articles):
    from dataclasses import replace

    art = sample_articles[0]
    store.upsert_article(art)
    store.update_article(replace(art, language="fr"))
    assert store.articles(unanalyzed=True) == []
    assert store.upsert_article(replace(art, title="autre titre")) == "updated"
    assert [a.id for a in store.articles(unanalyzed=True)] == [art.id]
    assert store.upsert_article(replace(art, title="autre titre")) == "unchanged"


def test_same_id_twice_in_one_input_then_a_rerun_loses_nothing(tmp_path, settings):
    """The issue's repro: two lines with "id":"dup" and different texts, `run` twice, then export."""
    from veille.pipeline import analyze

    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": "dup", "text": IDLIB_TEXT, "language": "fr"}) + "\n"
                    + json.dumps({"id": "dup", "text": MANBIJ_TEXT, "language": "fr",
                                  "published_at": "2019-01-16"}) + "\n", encoding="utf-8")
    with Store(settings.db) as store:
        first = ingest([str(path)], settings, store)
        assert first.new == 1 and any("id 'dup' is given again at" in n and "line 2" in n for n in first.notices)
        analyze(settings, store)
        analysed = store.get_article("dup").to_dict()
        assert analysed["places"] and analysed["main_event"]
        second = ingest([str(path)], settings, store)
        assert (second.new, second.updated, second.unchanged) == (0, 0, 1)
        assert analyze(settings, store).analyzed == 0
        assert store.get_article("dup").to_dict() == analysed  # places and main event still there


# ---- the command line: one line, the right exit status, before any work --------------------------------
@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    db = folder / "v.db"
    (folder / "in.jsonl").write_text(json.dumps({"id": "a1", "text": MANBIJ_TEXT}) + "\n", encoding="utf-8")
    proc = run_cli("ingest", str(folder / "in.jsonl"), "--db", str(db), cwd=folder)
    assert proc.returncode == 0, proc.stderr
    return db


def cli_fails(code: int, *args: str, cwd: Path, needle: str) -> None:
    """The command fails with ``code`` and says why in exactly one line, naming what was given."""
    proc = run_cli(*args, cwd=cwd)
    assert proc.returncode == code, (args, proc.returncode, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], proc.stderr


@pytest.mark.parametrize("args, code, needles", [
    (["frobnicate"], 2, ["No such command 'frobnicate'", "veille --help"]),
    (["run", "in.jsonl", "--colour"], 2, ["No such option: --colour", "veille run --help"]),
    (["run", "in.jsonl", "--since", "hier"], 2, ["--since: 'hier' is not a date"]),
    (["run"], 2, ["Missing argument 'INPUT...'"]),
    (["serve", "--db", "v.db", "--port", "99999"], 2, ["--port:", "'99999'"]),
    (["serve", "--db", "v.db", "--port=0"], 2, ["--port:", "'0'"]),
    (["analyze", "--db", "v.db", "--workers", "0"], 2, ["--workers:", "'0'"]),
    (["export", "tweets", "--db", "v.db"], 2, ["KIND: 'tweets' is not one of articles"]),
    (["export", "articles", "--db", "v.db", "--format", "xml"], 2, ["--format: 'xml' is not jsonl"]),
    (["export", "articles", "--db", "missing.db"], 2, ["--db: missing.db: no such archive"]),
    (["digest", "--db", "v.db", "--lang", "de"], 2, ["--lang:", "'de'"]),
    (["ingest", "in.jsonl", "--db"], 2, ["'--db' requires an argument"]),
])
def test_every_usage_error_is_one_line_naming_what_was_given(tmp_path, monkeypatch, capsys, args, code, needles):
    """Usage errors (typer's framed five-line box before) come as one line: the option or value
    given, why it is refused, and where the help is."""
    from veille import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "a", "text": MANBIJ_TEXT}) + "\n", encoding="utf-8")
    sqlite3.connect(tmp_path / "v.db").close()  # exists; the errors above come before it is read
    monkeypatch.setattr(sys, "argv", ["veille", *args])
    with pytest.raises(SystemExit) as stop:
        cli.main()
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert stop.value.code == code and len(lines) == 1 and lines[0].startswith("error: "), err
    assert all(n in lines[0] for n in needles), err


def test_serve_on_a_taken_port_or_a_foreign_address_says_so_in_one_line(tmp_path, small_db):
    import socket

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        port = str(taken.getsockname()[1])
        cli_fails(2, "serve", "--db", str(small_db), "--port", port, cwd=tmp_path, needle=f"--port {port}: cannot listen there "
                                                                                          "(the port is taken")
    finally:
        taken.close()
    cli_fails(2, "serve", "--db", str(small_db), "--host", "no-such-host.invalid", "--port", "65000", cwd=tmp_path,
              needle="--host no-such-host.invalid: not an address of this machine")


def test_db_that_is_not_a_veille_database(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("pas une base\n")
    cli_fails(2, "ingest", str(SAMPLE), "--db", str(text), cwd=tmp_path, needle="not an SQLite database")
    assert text.read_text() == "pas une base\n"  # untouched
    cli_fails(2, "ingest", str(SAMPLE), "--db", str(tmp_path), cwd=tmp_path, needle="is a folder")
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE clients (name TEXT)")
    con.commit()
    con.close()
    cli_fails(2, "ingest", str(SAMPLE), "--db", str(other), cwd=tmp_path, needle="not a veille database")
    cli_fails(2, "export", "articles", "--db", str(text), cwd=tmp_path, needle="not an SQLite database")
    cli_fails(2, "serve", "--db", str(text), cwd=tmp_path, needle="not an SQLite database")
    with pytest.raises(StoreError):
        Store(text, readonly=True)


def test_out_naming_a_file_fails_before_any_work(tmp_path):
    existing = tmp_path / "dossier"
    existing.write_text("x")
    cli_fails(2, "run", str(SAMPLE), "--db", str(tmp_path / "v.db"), "--out", str(existing), cwd=tmp_path,
              needle="exists and is not a folder")
    assert not (tmp_path / "v.db").exists()  # nothing was ingested or analysed first


def test_export_into_a_missing_folder_and_bad_ports(tmp_path, small_db):
    cli_fails(2, "export", "articles", "--db", str(small_db), "-o", str(tmp_path / "nope" / "a.jsonl"), cwd=tmp_path,
              needle="no such folder")
    cli_fails(2, "export", "articles", "--db", str(small_db), "-o", str(tmp_path), cwd=tmp_path, needle="is a folder")
    cli_fails(2, "serve", "--db", str(small_db), "--port", "99999", cwd=tmp_path, needle="--port")
    cli_fails(2, "analyze", "--db", str(tmp_path / "missing.db"), cwd=tmp_path, needle="no such archive")


def test_serve_allows_only_the_names_of_this_machine():
    from veille.web.app import host_names

    assert "*" not in host_names("0.0.0.0") and "localhost" in host_names("0.0.0.0")
    assert host_names("192.0.2.7") == ["127.0.0.1", "localhost", "::1", "[::1]", "testserver", "192.0.2.7"]
    assert "veille.example" in host_names("192.0.2.7", ("veille.example",))


# ---- what the UI and the dossier show ---------------------------------------------------------------------
def test_any_stored_id_has_a_page_and_overlong_ids_are_replaced(tmp_path, settings):
    import warnings

    from veille.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    odd = ["../../etc/passwd", "a/b?c#d", "espace ici", "x" * 5000]
    path = tmp_path / "ids.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": MANBIJ_TEXT + f" ({n})"}) + "\n" for n, i in enumerate(odd)),
                    encoding="utf-8")
    with Store(settings.db) as store:
        report = ingest([str(path)], settings, store)
        stored = [a for a in store.articles()]
    assert len(stored) == 4 and not report.errors
    ids = {a.id for a in stored}
    assert {"../../etc/passwd", "a/b?c#d"} <= ids
    long = next(a for a in stored if a.extra.get("given_id") == "x" * 5000)
    assert long.id.startswith("id-") and len(long.id) < 40
    assert any("replaced by" in n for n in report.notices)
    client = TestClient(create_app(settings.db))
    home = client.get("/")
    assert home.status_code == 200
    for a in stored:
        from veille.web.app import _href

        page = client.get(_href(a))
        assert page.status_code == 200, (a.id, page.status_code)
        assert f"({a.text[-2]})" in page.text
        assert client.get("/api/articles/" + _href(a).split("/article/", 1)[1]).json()["id"] == a.id


def test_right_to_left_overrides_are_isolated_in_dossier_and_ui(tmp_path, settings):
    from veille.publish.dossier import collect, render_html, render_markdown
    from veille.publish.safe import isolate_bidi

    assert isolate_bidi("plain") == "plain"
    assert isolate_bidi("gpj.\u202eexe") == "\u2068gpj.\u202eexe\u2069"
    assert isolate_bidi("\u2067open") == "\u2068\u2067open\u2069\u2069"
    title = "Bilan : 5\u202e morts 2"
    path = tmp_path / "rlo.jsonl"
    path.write_text(json.dumps({"id": "rlo", "title": title, "text": MANBIJ_TEXT, "outlet": "sputnik"}) + "\n",
                    encoding="utf-8")
    with Store(settings.db) as store:
        ingest([str(path)], settings, store)
        data = collect(store, settings)
        html, md = render_html(data), render_markdown(data)
    for out in (html, md):
        assert "\u2068" + title + "\u2069" in out
        assert out.count("\u202e") == out.count("\u2068" + title)  # never an override left unisolated


def test_the_dossier_is_written_atomically(tmp_path, settings, monkeypatch):
    from veille.publish import dossier

    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "a", "text": MANBIJ_TEXT}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    st = Settings(db=settings.db, out=out, outlet_files=())
    with Store(st.db) as store:
        ingest([str(path)], st, store)
        dossier.write_dossier(store, st)
        before = {p.name: p.read_bytes() for p in out.iterdir()}
        assert {"index.html", "digest.md", "articles.jsonl", "events.csv"} <= set(before)

        def crash(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(dossier, "write_all", crash)
        with pytest.raises(OSError):
            dossier.write_dossier(store, st)
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # the crash left every file as it was, and no temporary file behind


def test_the_ui_caches_per_archive_version_and_sees_every_commit(tmp_path, settings):
    """The map, events and story layers are computed once per version of the archive; a commit
    made while the UI serves is visible on the next request (no stale cache)."""
    import warnings

    from veille.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps({"id": "a", "text": MANBIJ_TEXT}) + "\n", encoding="utf-8")
    with Store(settings.db) as store:
        ingest([str(first)], settings, store)
    app = create_app(settings.db)
    client = TestClient(app)
    assert "1 article" in client.get("/").text
    snap = app.state.cache.snapshot()
    assert client.get("/api/events").json()["features"] == []
    assert app.state.cache.snapshot() is snap  # nothing changed: the same snapshot serves
    second = tmp_path / "b.jsonl"
    second.write_text(json.dumps({"id": "b", "text": IDLIB_TEXT}) + "\n", encoding="utf-8")
    with Store(settings.db) as store:  # a writer commits while the UI is up
        ingest([str(second)], settings, store)
    assert "2 article" in client.get("/").text
    assert app.state.cache.snapshot() is not snap


# ---- determinism: two clean runs of the same inputs give the same exports ---------------------------------
def test_two_clean_runs_give_identical_exports(tmp_path):
    """Same inputs, fresh archives, different hash seeds: every file of the dossier must be
    byte-identical (events.csv's `timestamp` column, the export time, follows SOURCE_DATE_EPOCH). A
    busy beat (GVA: many similar incidents) is where an order-dependent clusterer shows."""
    from conftest import SHARED

    gva = SHARED / "data" / "stories-dev" / "gva-dev.jsonl"
    if not gva.exists():
        pytest.skip("the shared dev data is not beside the repository")
    rows = [json.loads(line) for line in gva.read_text(encoding="utf-8").splitlines()[:40]]
    beat = tmp_path / "beat.jsonl"
    beat.write_text("".join(json.dumps({"id": r["id"], "title": r["title"], "text": r["text"], "language": "en",
                                        "published_at": r["date"], "outlet": r.get("source")}) + "\n" for r in rows),
                    encoding="utf-8")
    fixtures = Path(__file__).parent / "fixtures" / "stories" / "articles.jsonl"
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        proc = run_cli("run", str(SAMPLE), str(fixtures), str(beat), "--db", str(tmp_path / f"v{seed}.db"), "--out", str(out),
                       cwd=tmp_path, env={"PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1547640000"})
        assert proc.returncode == 0, proc.stderr
        outs.append(out)

    names = sorted(p.name for p in outs[0].iterdir() if p.is_file())
    assert {"index.html", "digest.md", "articles.jsonl", "stories.jsonl", "claims.jsonl", "events.csv"} <= set(names)
    assert sorted(p.name for p in outs[1].iterdir() if p.is_file()) == names
    different = [n for n in names if (outs[0] / n).read_bytes() != (outs[1] / n).read_bytes()]
    assert different == [], different
    assert ",1547640000" in (outs[0] / "events.csv").read_text(encoding="utf-8").splitlines()[1]


# ---- long texts: analysed in segments, spans into the whole text ----------------------------------------------
def test_a_long_text_is_analysed_in_segments_with_its_spans_kept(sample_articles):
    """Six of the sample's articles end to end (~9k characters) analysed whole and in 2.5k-character segments:
    every span of the segmented analysis points into the whole text, and it finds what the whole
    analysis finds (segments are paragraph-aligned, so a sentence is never cut)."""
    from dataclasses import replace

    from veille.enrich import analyze_article, load_pipeline
    from veille.enrich.segments import analyze_in_segments, segments

    text = "\n\n".join(a.text for a in sample_articles[:6])
    article = replace(sample_articles[0], id="long", text=text, places=(), main_event=None)
    cuts = segments(text, 2500)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text) and all(a[1] == b[0] for a, b in zip(cuts, cuts[1:]))
    assert all(text[e - 2:e] in ("\n\n", ". ") for _, e in cuts[:-1]) and all(e - s <= 2500 for s, e in cuts)
    assert len(cuts) >= 4
    nlp = load_pipeline()
    whole = analyze_article(article, nlp)
    parts = analyze_in_segments(article, nlp, size=2500)
    assert parts.article.id == "long" and any("segments" in n for n in parts.notes)
    for m in parts.mentions:
        assert m.article_id == "long" and (m.text is None or text[m.start:m.end] == m.text)
    for c in parts.claims:
        assert c.article_id == "long" and text[c.start:c.end] == c.text
    for p in parts.article.places:
        assert p.start is None or text[p.start:p.end]
    assert all(set(e.articles) <= {"long"} for e in parts.events)
    key = lambda c: (c.start, c.end, c.kind, c.min, c.max)  # noqa: E731
    found = {key(c) for c in parts.claims}
    assert whole.claims and sum(key(c) in found for c in whole.claims) >= 0.9 * len(whole.claims)
    ents = {m.entity_id for m in parts.mentions}
    assert sum(m.entity_id in ents for m in whole.mentions) >= 0.9 * len(whole.mentions)
    assert len({c.id for c in parts.claims}) == len(parts.claims)  # ids unique across segments
