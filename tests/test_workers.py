"""Analysis on several processes gives the same records as one (issue 17 §4)."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from conftest import SHARED
from veille import workers as workers_mod
from veille.outlets import load_registry
from veille.pipeline import analyze, ingest
from veille.publish.export import KINDS, export
from veille.settings import Settings
from veille.store import Store

FAKES = SHARED / "data" / "fakes-dev" / "fakes-dev.csv"


@pytest.fixture(scope="module")
def fakes_jsonl(tmp_path_factory):
    if not FAKES.exists():
        pytest.skip("../shared/data is not beside the repository")
    rows = list(csv.DictReader(FAKES.open(encoding="utf-8")))[:28]
    path = tmp_path_factory.mktemp("w") / "fakes.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({"id": r["unit_id"], "title": r["article_title"], "text": r["article_content"],
                                "language": "en", "outlet": r["source"]}) + "\n")
    return path


def _exports(db, settings) -> dict[str, str]:
    out = {}
    with Store(db, readonly=True) as store:
        for kind in KINDS:
            buf = io.StringIO()
            export(store, kind, "jsonl", buf, load_registry(settings.outlet_files))
            out[kind] = buf.getvalue()
    return out


def test_two_workers_same_records_as_one(fakes_jsonl, tmp_path, monkeypatch):
    monkeypatch.setattr(workers_mod, "SMALL", 0)  # use the pool even on a small batch
    results = {}
    for n in (1, 2):
        settings = Settings(db=tmp_path / f"w{n}.db", outlet_files=(), workers=n)
        with Store(settings.db) as store:
            ingest([str(fakes_jsonl)], settings, store)
            report = analyze(settings, store)
        assert report.errors == [] and report.analyzed == 28
        results[n] = _exports(settings.db, settings)
    for kind in KINDS:
        assert results[1][kind] == results[2][kind], kind
    assert results[1]["claims"].count("\n") > 28  # real figures were read


def test_failed_article_reported_and_batch_goes_on(tmp_path, monkeypatch):
    """An article whose analysis raises is named on the report; the others are analysed."""
    from veille.enrich import Pipeline
    from veille.records import Article

    def boom(self, doc):
        if doc.article.id == "bad":
            raise ValueError("cannot read this")
        return doc

    monkeypatch.setattr(Pipeline, "__call__", boom)
    settings = Settings(db=tmp_path / "f.db", outlet_files=(), workers=1)
    arts = [Article(id=i, text=f"Texte {i}.") for i in ("a", "bad", "c")]
    got = list(workers_mod.analyses(arts, settings, 1))
    assert [a.id for a, res, err in got if res is not None] == ["a", "c"]
    assert [err for _, _, err in got if err] == ["article bad (no title): analysis failed: ValueError: cannot read this"]


def _dies_on_bad(article):
    if article.id == "bad":
        os._exit(9)  # as the kernel's OOM killer would: no exception, no cleanup
    return f"analysis of {article.id}", None


def test_killed_worker_loses_only_what_was_in_flight(tmp_path, monkeypatch):
    """A worker that dies fails the tasks in flight (named, to retry); the pool is replaced and the
    articles after them are analysed, in input order."""
    from veille.records import Article

    monkeypatch.setattr(workers_mod, "START_METHOD", "fork")  # the patched _one reaches the workers
    monkeypatch.setattr(workers_mod, "_init", lambda settings: None)
    monkeypatch.setattr(workers_mod, "_one", _dies_on_bad)
    monkeypatch.setattr(workers_mod, "TASK", 2)
    monkeypatch.setattr(workers_mod, "WINDOW", 1)
    monkeypatch.setattr(workers_mod, "SMALL", 0)
    ids = ["a", "b", "bad", "c", "d", "e", "f", "g"]
    arts = [Article(id=i, text=f"Texte {i}.") for i in ids]
    got = list(workers_mod.analyses(arts, Settings(db=tmp_path / "k.db", outlet_files=()), 2, total=len(arts)))
    assert [a.id for a, _, _ in got] == ids
    failed = {a.id for a, res, err in got if err}
    assert "bad" in failed and "worker stopped" in dict((a.id, err) for a, _, err in got)["bad"]
    assert failed <= {"a", "b", "bad", "c", "d", "e"}  # at most the two tasks in flight with it
    assert [res for a, res, _ in got if a.id in ("f", "g")] == ["analysis of f", "analysis of g"]


def test_story_vectors_come_from_the_workers(fakes_jsonl, tmp_path, monkeypatch):
    """The workers embed each article's story text beside its analysis; the one-writer story
    stage then embeds nothing (the 28 vectors are cached under the key it computes itself)."""
    import numpy as np

    from veille.link import embed
    from veille.link.state import LinkState

    monkeypatch.setattr(workers_mod, "SMALL", 0)
    settings = Settings(db=tmp_path / "v.db", outlet_files=(), workers=2)
    calls: list[int] = []
    real = embed.Embedder.encode

    def counting(self, texts):
        calls.append(len(texts))
        return real(self, texts)

    monkeypatch.setattr(embed.Embedder, "encode", counting)  # the parent's encoder only (workers are forkserver)
    with Store(settings.db) as store:
        ingest([str(fakes_jsonl)], settings, store)
        report = analyze(settings, store)
        assert report.errors == [] and report.analyzed == 28 and report.stories > 0
        assert calls == []  # nothing embedded in the parent
        arts = store.articles()
        cached = LinkState(store).vectors([a.id for a in arts])
    assert len(cached) == 28
    a = arts[0]
    key, vec = cached[a.id]
    assert key == embed.text_key(embed.story_text(a))
    assert np.allclose(vec, real(embed.Embedder.shared(), [embed.story_text(a)])[0], atol=1e-5)
