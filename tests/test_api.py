"""The Python API (`import veille`) on the sample: running the pipeline, reading records and DataFrames."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, SAMPLE
from publish_fixture import MANBIJ, build_store


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("api") / "a.db", hostile=False)


def test_import_is_light():
    """`import veille` does not load the pipeline, pandas or the web stack (the CLI and Spark workers import it)."""
    code = ("import sys, veille; print(veille.__version__); "
            "print(sorted(m for m in ('veille.api', 'veille.pipeline', 'pandas', 'spacy', 'fastapi') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "src")}).stdout.splitlines()
    assert out == ["0.1.0", "[]"]


def test_records_and_frames(archive_path):
    import veille

    with veille.open(archive_path, outlet_files=()) as archive:
        assert "10 articles" in repr(archive)
        arts = archive.articles()
        assert len(arts) == 10 and arts[0].published_at >= arts[-1].published_at  # newest first
        claims = archive.claims(MANBIJ)
        assert sorted((c.min, c.subject, c.attributed_to[0]) for c in claims) == [
            (2, "US soldiers", "Kurdistan 24"), (5, "US soldiers", "Yeni Şafak"), (9, "people", "Al Jazeera")]
        assert [k.kind for k in archive.contradictions()] == ["killed"]
        assert archive.outlet("presstv").ownership == "state"
        assert [a.id for a in archive.search("patrouille Manbij")][:1] == [MANBIJ]
        assert archive.search('"') == []  # what the user types is never FTS syntax

        frame = archive.frame("articles")
        assert len(frame) == 10 and frame["outlet"].tolist().count("presstv") == 6
        assert frame.loc[frame.id == MANBIJ, "outlet_country"].item() == "RU"
        claims = archive.frame("claims")
        assert set(claims.columns) >= {"id", "article_id", "kind", "min", "max", "qualifier", "subject",
                                       "attributed_to", "event_id"}
        assert claims.groupby("subject")["max"].max().to_dict() == {"US soldiers": 5, "people": 9}
        events = archive.frame("events")
        assert events.loc[0, "sub_event_type"] == "Remote explosive/landmine/IED" and events.loc[0, "fatalities"] == 9
        for kind in veille.KINDS:  # dicts carry exactly the export's fields
            assert list(archive.frame(kind).columns)[:2] == list(archive.records(kind)[0])[:2]
    assert veille.frame("stories", archive_path, outlet_files=()).loc[0, "outlets"]
    with pytest.raises(ValueError, match="kind is one of"):
        veille.read("tweets", archive_path)
    with pytest.raises(FileNotFoundError, match="no such archive"):
        veille.open(archive_path.parent / "missing.db")
    with pytest.raises(TypeError, match="unknown option"):
        veille.open(archive_path, colour="red")


def test_run_the_pipeline_on_the_sample(tmp_path):
    import veille

    report = veille.ingest(SAMPLE, db=tmp_path / "v.db", outlet_files=())
    assert (report.new, report.inputs, report.errors) == (10, 1, [])
    report = veille.analyze(db=tmp_path / "v.db", outlet_files=())
    assert report.analyzed == 10 and report.ok and report.stories >= 1
    with veille.open(tmp_path / "v.db", outlet_files=()) as archive:
        manbij = {(c.min, c.subject) for c in archive.claims(MANBIJ) if c.kind == "killed"}
        assert {(9, "people"), (2, "US soldiers"), (5, "US soldiers")} <= manbij
        assert any(k.kind == "killed" for k in archive.contradictions())  # 2 vs 5 US soldiers
    again = veille.run([SAMPLE], db=tmp_path / "v.db", out=tmp_path / "dossier", outlet_files=())
    assert (again.new, again.unchanged, again.analyzed) == (0, 10, 0)
    assert (tmp_path / "dossier" / "index.html").exists()
