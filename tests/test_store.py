"""The SQLite store: migrations, idempotent upserts, captures, FTS, one writer."""

from __future__ import annotations

import dataclasses

import pytest

from veille.records import Article, RawDoc
from veille.store import MIGRATIONS, Store, StoreLocked


def test_migrations_are_named_and_applied_once(tmp_path):
    with Store(tmp_path / "a.db") as s:
        assert s.migrations() == sorted(name for name, _ in MIGRATIONS)  # each applied, listed by name
        assert s.migrate() == []
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_upsert_is_idempotent_and_detects_changes(store, sample_articles):
    with store.transaction():
        statuses = [store.upsert_article(a) for a in sample_articles]
    assert statuses == ["new"] * 10
    with store.transaction():
        assert {store.upsert_article(a) for a in sample_articles} == {"unchanged"}
    changed = dataclasses.replace(sample_articles[0], title="Autre titre")
    with store.transaction():
        assert store.upsert_article(changed) == "updated"
    assert store.count_articles() == 10
    assert store.get_article(changed.id).title == "Autre titre"
    # round trip keeps the nested records
    back = store.get_article(sample_articles[5].id)
    assert back == sample_articles[5]


def test_full_text_search(store, sample_articles):
    with store.transaction():
        for a in sample_articles:
            store.upsert_article(a)
    hits = store.search("Manbij")
    assert hits and hits[0][0] in {sample_articles[0].id, sample_articles[1].id, sample_articles[7].id}
    # accents folded: "deflagration" finds "déflagration"
    assert [h[0] for h in store.search("deflagration")] == [sample_articles[0].id]


def test_captures_are_content_addressed(store):
    raw = RawDoc(b"hello review", "a.txt", "text/x-press-review")
    with store.transaction():
        a = store.put_capture(raw)
        b = store.put_capture(RawDoc(b"hello review", "copy.txt", "text/x-press-review"))
    assert a == b and store.count_captures() == 1
    assert store.get_capture(a).content == b"hello review"


def test_one_writer(tmp_path):
    with Store(tmp_path / "w.db"):
        with pytest.raises(StoreLocked):
            Store(tmp_path / "w.db")
        with Store(tmp_path / "w.db", readonly=True) as reader:
            assert reader.count_articles() == 0


def test_since_until_filters(store, sample_articles):
    with store.transaction():
        for a in sample_articles:
            store.upsert_article(a)
    got = store.articles(since="2019-01-13", until="2019-01-14")
    assert {a.published_at[:10] for a in got} == {"2019-01-13", "2019-01-14"}
    assert len(got) == 3
