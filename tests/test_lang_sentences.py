"""Language and sentence splitting on real text from the bundled sample."""

from __future__ import annotations

import pytest

from veille.enrich import Doc, load_pipeline
from veille.enrich.sentences import split_sentences
from veille.records import Article


@pytest.fixture(scope="module")
def by_outlet_date(sample_articles):
    return {(a.outlet, (a.published_at or "")[:10]): a for a in sample_articles}


def _sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_abbreviations_initials_numbers_survive():
    text = ("Depuis le 13 janv. 2019, les É.-U. observent. « On ignore qui remplacera les troupes. La suite est "
            "incertaine », a ajouté M. Naoumkine, avant de préciser. Mme Ahmed a enfin rappelé les faits. "
            "Quelques 14.050 ont quitté la poche.\n\nA.Chatta")
    sents = _sentences(text)
    assert sents[0] == "Depuis le 13 janv. 2019, les É.-U. observent."
    assert sents[1].startswith("« On ignore") and sents[1].endswith("avant de préciser.")
    assert sents[2] == "Mme Ahmed a enfin rappelé les faits."
    assert sents[3] == "Quelques 14.050 ont quitté la poche."
    assert sents[4] == "A.Chatta"


def test_sample_sentences_are_offsets_into_text(by_outlet_date):
    art = by_outlet_date[("presstv", "2019-01-12")]
    spans = split_sentences(art.text)
    texts = [art.text[s:e] for s, e in spans]
    assert texts[0].endswith("l’agence russe Sputnik.") and texts[1].startswith("Sceptique")
    assert any(t.startswith("« On ignore qui remplacera") and "M. Naoumkine" in t for t in texts)
    assert all(not t[0].islower() for t in texts)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_pipeline_language_and_sentences(sample_articles):
    nlp = load_pipeline()
    doc = nlp(Doc(article=sample_articles[0]))
    assert doc.language == "fr"
    assert doc.sentences and doc.sentences[0][0] == 0


@pytest.mark.parametrize("text,lang", [
    ("Die Bundesregierung hat am Mittwoch beschlossen, dass die Truppen in Syrien bleiben.", "de"),
    ("Правительство России заявило в среду о выводе войск из Сирии.", "ru"),
])
def test_unsupported_language_is_noted_without_ner(text, lang):
    doc = load_pipeline()(Doc(article=Article(id="x", text=text, published_at="2019-01-16")))
    assert doc.language == lang
    assert any("not analysed" in n for n in doc.notes)
    assert not any(m.label == "PER" for m in doc.mentions)


@pytest.mark.parametrize("text", ["", "   ", "Syrie", "مرحبا", "Les forces de داعش ont attaqué حلب hier."])
def test_bad_or_tiny_input_never_crashes(text):
    doc = load_pipeline()(Doc(article=Article(id="x", text=text, published_at="2019-01-16")))
    assert isinstance(doc.sentences, tuple)
    assert all(0 <= s < e <= len(text) and text[s:e].strip() for s, e in doc.sentences)
    assert bool(doc.sentences) == bool(text.strip())  # a text with words has a sentence, a blank one none
    assert all(0 <= m.start < m.end <= len(text) for m in doc.mentions)


def test_very_long_article_is_chunked(sample_articles):
    body = "\n\n".join(a.text for a in sample_articles)
    text = (body + "\n\n") * (200_000 // len(body) + 1)
    text = text[:200_000]
    doc = load_pipeline()(Doc(article=Article(id="long", text=text, language="fr", published_at="2019-01-16")))
    assert len(doc.sentences) > 500
    assert any(doc.text[m.start:m.end] == "Manbij" for m in doc.mentions if m.start > 150_000)
