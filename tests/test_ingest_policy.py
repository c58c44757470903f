"""The ingest policy (``veille.ingest_policy``): one set of rules for the store and the Spark job.

The store applies the rules against SQLite; ``Ledger`` (what Spark replays) against memory. On
random streams of re-keyed, updated, re-addressed and copied real texts both must keep the same
articles, refuse the same copies (as copies of the same originals) and answer the same statuses.
"""

from __future__ import annotations

import csv
import random

import pytest

from conftest import ROOT

FAKES = ROOT.parent / "shared" / "data" / "fakes-dev" / "fakes-dev.csv"


def _texts(n: int) -> list[str]:
    if FAKES.exists():
        with open(FAKES, encoding="utf-8") as f:
            texts = [r["article_content"] for r in csv.DictReader(f)]
        texts = list(dict.fromkeys(t for t in texts if len(t.split()) > 60))
        return texts[:n]
    rng = random.Random(3)
    return [" ".join(f"w{rng.randint(0, 500)}" for _ in range(80)) for _ in range(n)]


def test_decide_applies_the_three_rules_in_order():
    from veille.ingest_policy import DUPLICATE, NEW, UNCHANGED, UPDATED, Known, decide

    assert decide(Known(), "h").status == NEW
    assert decide(Known(stored_hash="h"), "h").status == UNCHANGED
    assert decide(Known(stored_hash="g"), "h").status == UPDATED
    assert decide(Known(stored_hash="g", url_owner="other"), "h").status == UNCHANGED  # the first keeps its URL
    assert decide(Known(url_owner="other", text_original="x"), "h").status == UNCHANGED
    d = decide(Known(text_original="x"), "h")
    assert (d.status, d.of_article) == (DUPLICATE, "x")
    # a known id is updated even if another article has its text (only a new id can be a copy)
    assert decide(Known(stored_hash="g", text_original="x"), "h").status == UPDATED


def _stream(rng: random.Random, texts: list[str], n: int):
    from veille.records import Article

    for _ in range(n):
        i = rng.randrange(6)
        text = rng.choice(texts)
        if rng.random() < 0.3:
            text = text + " " + rng.choice(["Update.", "Corrected.", "More follows."])
        yield Article(id=f"a{i}", text=text, title=rng.choice(["T1", "T2"]),
                      url=rng.choice([None, f"https://x.org/{rng.randrange(4)}"]),
                      canonical_url=rng.choice([None, f"https://x.org/{rng.randrange(4)}", f"https://x.org/{i}"]),
                      outlet=rng.choice(["sana", "presstv", None]))


@pytest.mark.parametrize("seed", range(40))
def test_the_store_and_the_ledger_keep_the_same_articles(tmp_path, seed):
    from veille.ingest_policy import Ledger, keys_of, replay
    from veille.store import Store

    rng = random.Random(seed)
    texts = _texts(3)
    stream = list(_stream(rng, texts, rng.randint(3, 25)))
    with Store(tmp_path / "s.db") as store:
        with store.transaction():
            statuses = [store.upsert_article(a) for a in stream]
        stored = {a.id: a.to_dict() for a in store.articles()}
        copies = store.duplicates()
    ledger = Ledger()
    assert [ledger.admit(keys_of(a.to_dict())).status for a in stream] == statuses
    # Spark hands the versions over in any order with their ingest order: the same decisions
    shuffled = list(enumerate(keys_of(a.to_dict()) for a in stream))
    rng.shuffle(shuffled)
    assert [d.status for _, d in sorted(replay(shuffled))] == statuses
    last = {}
    for a, s in zip(stream, statuses):
        if s in ("new", "updated"):
            last[a.id] = a.to_dict()
    assert last == stored
    assert sorted((src, c, o) for (src, c), o in ledger.copies.items()) == copies


def test_an_exact_copy_under_another_id_is_refused_and_recorded(store):
    from veille.records import Article

    text = _texts(1)[0]
    with store.transaction():
        assert store.upsert_article(Article(id="first", text=text, outlet="sana", url="https://sana.sy/1")) == "new"
        assert store.upsert_article(Article(id="again", text=text.upper(), outlet="sana", url="https://sana.sy/2")) == "duplicate"
        assert store.upsert_article(Article(id="elsewhere", text=text, outlet="presstv")) == "new"  # another outlet
        # the first's update keeps its place: a later copy is still a copy of the first
        assert store.upsert_article(Article(id="first", text=text, outlet="sana", url="https://sana.sy/1", title="T")) == "updated"
        assert store.upsert_article(Article(id="third", text=text, outlet="sana", url="https://sana.sy/3")) == "duplicate"
    assert store.duplicates() == [("https://sana.sy/2", "again", "first"), ("https://sana.sy/3", "third", "first")]
    assert sorted(a.id for a in store.articles()) == ["elsewhere", "first"]
