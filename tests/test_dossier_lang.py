"""The dossier in French (default) or English (`--lang en`): every label translated, records unchanged."""

from __future__ import annotations

import html
import json
import re

import pytest

from conftest import run_cli
from publish_fixture import MANBIJ, build_store


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory):
    work = tmp_path_factory.mktemp("dossier-lang")
    db = build_store(work / "v.db", hostile=False)
    out = {}
    for lang in ("fr", "en"):
        proc = run_cli("digest", "--db", str(db), "--out", str(work / lang), "--lang", lang, cwd=work)
        assert proc.returncode == 0, proc.stderr
        out[lang] = work / lang
    return out


def test_english_dossier(dossiers):
    page = html.unescape((dossiers["en"] / "index.html").read_text(encoding="utf-8"))
    assert '<html lang="en">' in page
    for label in ("Skip to content", "Contradictions found", "Cross-check", "Other outlets on this story:",
                  "Figures given on this story", "values, and who gives them", "Map of events", "Timeline",
                  "Every figure points back to the text", "written by veille"):
        assert label in page, label
    assert "2 according to Kurdistan 24 (via Sputnik) versus 5 according to Yeni Şafak (via Sputnik)" in page
    assert "at least 9" in page and "US soldiers" in page
    for french in ("Aller au contenu", "Contradictions relevées", "Recoupement", "Chiffres cités", "selon Kurdistan",
                   "Carte des événements", "généré par veille", "(estimation)"):
        assert french not in page, french
    labels = json.loads(re.search(r'id="veille-map-data">(.*?)</script>', page, re.S).group(1))["labels"]
    assert labels["deaths"] == "{n} death(s)"
    md = (dossiers["en"] / "digest.md").read_text(encoding="utf-8")
    assert "> **Figures**: killed US soldiers 2 (according to Kurdistan 24)" in md
    assert ("**Contradiction — killed (US soldiers), between outlets**: 2 according to Kurdistan 24 (via Sputnik) "
            "versus 5 according to Yeni Şafak (via Sputnik)") in md


def test_french_dossier_and_records_unchanged(dossiers):
    page = html.unescape((dossiers["fr"] / "index.html").read_text(encoding="utf-8"))
    assert '<html lang="fr">' in page and "Contradictions relevées" in page and "soldats américains" in page
    assert "2 selon Kurdistan 24 (via Sputnik) contre 5 selon Yeni Şafak (via Sputnik)" in page
    # the exports are the records, whatever the labels' language
    for name in ("claims.jsonl", "events.geojson", "articles.jsonl", "contradictions.jsonl"):
        assert (dossiers["fr"] / name).read_bytes() == (dossiers["en"] / name).read_bytes(), name
    claims = [json.loads(line) for line in (dossiers["en"] / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {c["subject"] for c in claims if c["article_id"] == MANBIJ} == {"people", "US soldiers"}


def test_unknown_language_is_a_usage_error(tmp_path):
    proc = run_cli("run", "nothing.txt", "--lang", "de", "--db", str(tmp_path / "v.db"), cwd=tmp_path)
    assert proc.returncode == 2 and "not available" in proc.stderr
