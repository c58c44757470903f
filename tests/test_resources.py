"""One Resources object per pipeline: the user's outlet files reach every component (issue 17)."""

from __future__ import annotations

import json

from veille.enrich import Doc, analyze_article, load_pipeline
from veille.enrich.resources import Resources
from veille.records import Article
from veille.settings import Settings


def _foozal(tmp_path):
    path = tmp_path / "outlets.json"
    path.write_text(json.dumps([{"id": "radio-foozal", "name": "Radio Foozal", "aliases": ["Foozal"],
                                 "country": "ML", "languages": ["fr"], "ownership": "private"}]), encoding="utf-8")
    return path


def test_user_outlet_reaches_attribution(tmp_path):
    settings = Settings(outlet_files=(_foozal(tmp_path),))
    article = Article(id="foozal-1", language="fr", published_at="2024-03-02",
                      text="Selon Foozal, 12 civils ont été tués samedi dans une attaque près de Ménaka.")
    result = analyze_article(article, load_pipeline(settings))
    killed = [c for c in result.claims if c.kind == "killed"]
    assert [(c.min, c.attributed_to) for c in killed] == [(12, ("Radio Foozal",))]
    # without the user's file the same sentence credits the bare name
    plain = analyze_article(article, load_pipeline(Settings(outlet_files=())))
    assert [c.attributed_to for c in plain.claims if c.kind == "killed"] == [("Foozal",)]


def test_pipeline_rebuilt_when_outlet_file_changes(tmp_path):
    path = _foozal(tmp_path)
    settings = Settings(outlet_files=(path,))
    first = load_pipeline(settings)
    assert load_pipeline(settings) is first
    path.write_text(json.dumps([{"id": "radio-foozal", "name": "Radio Foozal FM", "aliases": ["Foozal"]}]), encoding="utf-8")
    assert load_pipeline(settings) is not first
    assert Resources(settings).registry.by_name("Foozal").name == "Radio Foozal FM"


def test_parse_tokens_have_heads_and_offsets():
    pipe = load_pipeline(Settings(outlet_files=()))
    text = "Two men were shot dead in Chicago on Sunday, police said."
    doc = pipe(Doc(article=Article(id="t", text=text, language="en")))
    assert doc.tokens, "the syntax stage parses English"
    by_text = {text[t.start:t.end]: t for t in doc.tokens}
    shot = by_text["shot"]
    assert by_text["men"].head == shot.i and by_text["men"].dep.startswith("nsubj")  # passive subject
    assert doc.tokens[by_text["said"].i].lemma == "say"
    assert all(doc.tokens[t.head] is not None for t in doc.tokens)
