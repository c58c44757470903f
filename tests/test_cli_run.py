"""`veille run / ingest / export / outlets` end to end on the real sample, and bad inputs."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from conftest import SAMPLE, run_cli


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    work = tmp_path_factory.mktemp("run")
    proc = run_cli("run", str(SAMPLE), "--db", str(work / "v.db"), "--out", str(work / "dossier"), cwd=work)
    return work, proc


def test_run_writes_the_dossier(ran):
    work, proc = ran
    assert proc.returncode == 0, proc.stderr
    out = work / "dossier"
    for name in ("index.html", "digest.md", "articles.jsonl", "claims.jsonl", "stories.jsonl", "contradictions.jsonl",
                 "events.csv", "events.geojson"):
        assert (out / name).exists(), name
    rows = [json.loads(line) for line in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 10
    fields = {"id", "url", "canonical_url", "outlet", "section", "headline", "title", "published_at", "date_precision",
              "language", "authors", "text", "lead", "boilerplate", "cited_sources", "republished_from", "input", "places",
              "main_event"}
    assert fields <= set(rows[0])
    # newest first, outlet expanded to the registry record with its label
    assert [r["published_at"][:10] for r in rows] == sorted((r["published_at"][:10] for r in rows), reverse=True)
    sputnik = rows[0]
    assert sputnik["outlet"]["id"] == "sputnik" and sputnik["outlet"]["country"] == "RU" and sputnik["outlet"]["ownership"] == "state"
    assert sputnik["input"]["path"].endswith("revue-syrie-2019-01.txt") and sputnik["input"]["line_start"] == 1


def test_digest_is_shaped_like_the_review(ran):
    work, _ = ran
    md = (work / "dossier" / "digest.md").read_text(encoding="utf-8")
    assert md.startswith("# SYRIE")
    first = md.index("## SYRIE: REVENDIQUEE PAR DAECH")
    assert md.index("**Explosion à Manbij près d'une patrouille") > first
    assert md.index("<https://fr.sputniknews.com/international/201901161039655248-syrie-manbij-explosion/>") > first
    assert "fbclid" not in md
    assert "URL courte" not in md and "© AP Photo" not in md
    # newest entry first: Sputnik (16 Jan) before the PressTV article of 9 Jan
    assert first < md.index("## GOLAN SYRIEN OCCUPE")
    html = (work / "dossier" / "index.html").read_text(encoding="utf-8")
    assert "Explosion à Manbij près d&#39;une patrouille" in html or "Explosion à Manbij près d'une patrouille" in html
    assert "PressTV" in html and "state" in html


def test_rerun_adds_nothing(ran):
    work, _ = ran
    proc = run_cli("run", str(SAMPLE), "--db", str(work / "v.db"), "--out", str(work / "dossier"), cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert "0 new, 0 updated, 10 unchanged" in proc.stderr
    import sqlite3

    db = sqlite3.connect(work / "v.db")
    assert db.execute("select count(*) from articles").fetchone()[0] == 10
    assert db.execute("select count(*) from captures").fetchone()[0] == 1


def test_export_articles(ran):
    work, _ = ran
    proc = run_cli("export", "articles", "--db", str(work / "v.db"), cwd=work)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 10 and {r["outlet"]["id"] for r in rows} == {"sputnik", "presstv", "sana", "almanar"}
    csv_out = work / "a.csv"
    proc = run_cli("export", "articles", "--db", str(work / "v.db"), "--format", "csv", "-o", str(csv_out), cwd=work)
    assert proc.returncode == 0 and csv_out.read_text(encoding="utf-8").startswith("id,")


def test_usage_errors_exit_2(ran):
    work, _ = ran
    assert run_cli("export", "nonsense", "--db", str(work / "v.db"), cwd=work).returncode == 2
    assert run_cli("run", str(SAMPLE), "--since", "yesterday", cwd=work).returncode == 2


def test_outlets_list_and_add(tmp_path):
    proc = run_cli("outlets", "list", "--json", cwd=tmp_path)
    assert proc.returncode == 0
    ids = {json.loads(line)["id"] for line in proc.stdout.splitlines()}
    assert {"sputnik", "presstv", "sana", "almanar", "aljazeera", "kurdistan24", "yenisafak", "sohr", "fars"} <= ids
    mine = tmp_path / "mine.json"
    proc = run_cli("outlets", "add", "monsite", "--name", "Mon Site", "--domain", "monsite.example", "--country", "FR",
                   "--ownership", "private", "--file", str(mine), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("outlets", "show", "monsite.example", cwd=tmp_path, env={"VEILLE_OUTLETS": str(mine)})
    assert proc.returncode == 0 and json.loads(proc.stdout)["name"] == "Mon Site"


# ---- bad input -----------------------------------------------------------------------------

def _one_line_errors(stderr: str) -> list[str]:
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def test_bad_inputs_are_named_and_good_ones_stored(tmp_path):
    good = tmp_path / "good.txt"
    shutil.copy(SAMPLE, good)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    text = SAMPLE.read_text(encoding="utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_text(text[: text.index("https://www.presstv.com/DetailFr/2019/01/15/")], encoding="utf-8")
    proc = run_cli("ingest", str(empty), str(binary), str(good), str(cut), "--db", str(tmp_path / "v.db"), cwd=tmp_path)
    assert proc.returncode == 1
    errors = _one_line_errors(proc.stderr)
    assert any(str(empty) in e and "empty" in e for e in errors)
    assert any(str(binary) in e and "PNG" in e for e in errors)
    assert any(str(cut) in e and "no source URL" in e for e in errors)
    import sqlite3

    db = sqlite3.connect(tmp_path / "v.db")
    # 10 from the good file; the cut file's first entry is the same Sputnik URL; its second (no URL) is kept
    assert db.execute("select count(*) from articles").fetchone()[0] == 11


def test_cp1252_file_is_read_correctly(tmp_path):
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(SAMPLE.read_text(encoding="utf-8").replace("Ş", "S").replace("œ", "oe").replace("’", "'")
                       .replace("’", "'").encode("cp1252", errors="replace"))
    proc = run_cli("ingest", str(legacy), "--db", str(tmp_path / "v.db"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "cp1252" in proc.stderr and str(legacy) in proc.stderr
    out = run_cli("export", "articles", "--db", str(tmp_path / "v.db"), cwd=tmp_path)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 10
    assert any("Une explosion s'est produite à Manbij à proximité" in r["text"] for r in rows)


def test_folder_with_unreadable_file(tmp_path):
    folder = tmp_path / "reviews"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "a.txt")
    (folder / "broken.txt").symlink_to(tmp_path / "does-not-exist.txt")
    (folder / "notes.jpg").write_bytes(b"\xff\xd8\xff" + b"0" * 20)
    proc = run_cli("ingest", str(folder), "--db", str(tmp_path / "v.db"), cwd=tmp_path)
    assert proc.returncode == 1
    errors = _one_line_errors(proc.stderr)
    assert len(errors) == 1 and "broken.txt" in errors[0]
    assert "notes.jpg" in proc.stderr  # told, not an error
    assert "10 new" in proc.stderr
    # a re-run resumes: nothing new, the same single error
    proc = run_cli("ingest", str(folder), "--db", str(tmp_path / "v.db"), cwd=tmp_path)
    assert "0 new" in proc.stderr and proc.returncode == 1


def test_missing_input(tmp_path):
    proc = run_cli("ingest", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "v.db"), cwd=tmp_path)
    assert proc.returncode == 1
    assert _one_line_errors(proc.stderr) == [f"error: {tmp_path / 'nope.txt'}: no such file or folder"]
