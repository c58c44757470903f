"""JSON Lines input (DESIGN §5): only `text` required, ids kept, outlets resolved, unknown fields kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veille.extract import Context
from veille.extract.jsonl import record_to_article
from veille.errors import InputError
from veille.pipeline import ingest
from veille.settings import Settings

SAMPLE = Path(__file__).parents[1] / "examples" / "revue-syrie-2019-01.txt"


def sample_paragraph(start: str) -> str:
    return next(l.strip() for l in SAMPLE.read_text(encoding="utf-8").splitlines() if l.strip().startswith(start))


@pytest.fixture
def rows() -> list[dict]:
    return [
        {"id": "sana-141235", "url": "https://sana.sy/fr/?p=141235&fbclid=IwAR2rGW", "title": "Les terroristes préparent une nouvelle attaque chimique",
         "text": sample_paragraph("Moscou-SANA") + "\n\n" + sample_paragraph("Citée par l’agence"),
         "published_at": "2019-01-15", "language": "fr", "outlet": "sana", "desk": "Syrie", "tags": ["Idleb", "Hama"]},
        {"text": sample_paragraph("Alors que les États-Unis annoncent"), "outlet": "Press TV",
         "published_at": "Tue Jan 15, 2019 5:47PM"},
        {"text": sample_paragraph("L’ancien conseiller médiatique"), "url": "https://french.almanar.com.lb/1211465"},
        {"text": sample_paragraph("Une explosion s'est produite"), "outlet": "Le Quotidien de Nulle Part"},
    ]


def write(path: Path, rows: list, extra_lines: list[str] = ()) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_fields_ids_outlets_and_extra(tmp_path, rows, registry):
    ctx = Context(registry, Settings(outlet_files=()))
    a, notices = record_to_article(rows[0], ctx, "in.jsonl", 1)
    assert a.id == "sana-141235" and a.outlet == "sana"
    assert a.canonical_url == "https://sana.sy/fr/?p=141235"
    assert a.published_at == "2019-01-15" and a.date_precision == "day" and a.language == "fr"
    assert a.text.split("\n\n")[1].startswith("Citée par l’agence") and a.lead.startswith("Moscou-SANA")
    assert a.extra == {"desk": "Syrie", "tags": ["Idleb", "Hama"]}
    assert a.input.path == "in.jsonl" and a.input.line_start == 1
    b, _ = record_to_article(rows[1], ctx, "in.jsonl", 2)
    assert b.outlet == "presstv" and b.published_at == "2019-01-15T17:47"  # outlet by name, date as printed
    assert b.language == "fr"  # detected when not given
    c, _ = record_to_article(rows[2], ctx, "in.jsonl", 3)
    assert c.outlet == "almanar"  # from the URL's domain
    d, notices = record_to_article(rows[3], ctx, "in.jsonl", 4)
    assert d.outlet is None and d.extra["outlet_name"] == "Le Quotidien de Nulle Part"
    assert notices and "not in the registry" in notices[0]
    with pytest.raises(InputError, match="line 9: no 'text'"):
        record_to_article({"title": "sans texte"}, ctx, "in.jsonl", 9)


def test_ingest_with_bad_lines_keeps_the_good_ones(tmp_path, rows, store):
    path = write(tmp_path / "articles.jsonl", rows, ['{"text": "tronqué', '[1, 2]', '{"title": "no text"}'])
    settings = Settings(db=tmp_path / "t.db", outlet_files=())
    report = ingest([str(path)], settings, store)
    assert report.new == 4
    assert len(report.errors) == 3
    assert any("line 5: not valid JSON" in e for e in report.errors)
    assert any("line 6: expected a JSON object" in e for e in report.errors)
    assert any("line 7: no 'text'" in e for e in report.errors)
    assert store.get_article("sana-141235") is not None
    again = ingest([str(path)], settings, store)
    assert (again.new, again.unchanged) == (0, 4) and store.count_articles() == 4


def test_empty_and_non_utf8_files(tmp_path, rows, store):
    settings = Settings(db=tmp_path / "t.db", outlet_files=())
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    report = ingest([str(empty)], settings, store)
    assert report.errors and str(empty) in report.errors[0]
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(json.dumps({"text": "Les forces déployées à Manbij sont renforcées."}, ensure_ascii=False).encode("latin-1") + b"\n")
    report = ingest([str(latin)], settings, store)
    assert report.new == 1 and any("not UTF-8" in n for n in report.notices)
    assert "déployées" in store.articles()[0].text
