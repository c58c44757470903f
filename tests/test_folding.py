"""One text folding for the whole tool (issue 17 §5): the outlet registry, the name resolver and
the text fingerprint key words the same way, and a store written before the change still refuses
an exact copy."""

from __future__ import annotations

import json
from pathlib import Path

from veille.enrich.lexicon import fold as lexicon_fold
from veille.enrich.textnorm import fold_key
from veille.fingerprint import normalise, text_hash
from veille.outlets import fold as outlet_fold
from veille.records import Article
from veille.store import Store

FIXTURE = Path(__file__).parent / "fixtures" / "stories" / "articles.jsonl"


def _texts() -> list[str]:
    return [json.loads(line)["text"] for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_stage_keys_words_the_same_way():
    texts = _texts()
    assert any("\u0623" in t for t in texts) and any("é" in t for t in texts)  # Arabic and French inside
    for text in texts:
        key = fold_key(text)
        assert outlet_fold(text) == lexicon_fold(text) == key
        assert " ".join(normalise(text)) == key
    assert outlet_fold("Yeni Şafak") == outlet_fold("YENI  SAFAK!") == "yeni safak"
    assert normalise("مُؤتَمَر") == normalise("موتمر")  # tashkeel and the hamza seat are spelling


def test_old_fingerprints_are_recomputed_so_a_copy_is_still_refused(tmp_path):
    text = next(t for t in _texts() if "\u0623" in t)
    original = Article(id="a1", text=text, outlet="aljazeera", url="https://example.org/1")
    copy = Article(id="a2", text=text.replace("\u0623", "\u0627"), outlet="aljazeera", url="https://example.org/2")
    db = tmp_path / "v.db"
    with Store(db) as store:
        with store.transaction():
            assert store.upsert_article(original) != "duplicate"
        # as a store written by the older fingerprint would hold it
        store.db.execute("UPDATE text_hashes SET hash = 'old' WHERE article_id = 'a1'")
        store.db.execute("DELETE FROM schema_migrations WHERE name = 'text_hashes_refold'")
        store.db.commit()
    with Store(db) as store:
        assert store.db.execute("SELECT hash FROM text_hashes WHERE article_id = 'a1'").fetchone()[0] == text_hash(text)
        with store.transaction():
            assert store.upsert_article(copy) == "duplicate"
