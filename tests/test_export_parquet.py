"""`veille export … --format parquet`: the Spark job's columns, every field kept in `record`."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli as run_subprocess


class _Result:
    def __init__(self, code: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = code, stdout, stderr


def run_cli(*args: str, cwd=None) -> _Result:
    """The CLI in this process (the subprocess tests cover standard output and exit codes as users see them)."""
    from typer.testing import CliRunner

    from veille.cli import app

    r = CliRunner().invoke(app, list(args), env={"VEILLE_OUTLETS": "", "XDG_CONFIG_HOME": str(cwd)})
    return _Result(r.exit_code, r.stdout, r.stderr)
from publish_fixture import IDLIB, MANBIJ, build_store

pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("pq") / "p.db", hostile=False)


def _spark_columns(kind: str) -> list[tuple[str, str]]:
    """(name, Spark type) of the Spark job's table, read from its DDL."""
    from veille.spark.outputs import SCHEMAS

    return [tuple(col.split(" ", 1)) for col in SCHEMAS[kind].split(", ")]


ARROW_OF_SPARK = {"string": "string", "double": "double", "long": "int64", "array<string>": "list<element: string>"}


@pytest.mark.parametrize("kind", ["articles", "claims", "events", "stories", "contradictions"])
def test_columns_are_the_spark_jobs(db, tmp_path, kind):
    out = tmp_path / f"{kind}.parquet"
    proc = run_cli("export", kind, "--db", str(db), "--format", "parquet", "-o", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    schema = pq.read_schema(out)
    assert [(f.name, str(f.type)) for f in schema] == [(n, ARROW_OF_SPARK[t]) for n, t in _spark_columns(kind)]
    table = pq.read_table(out)
    n = int(proc.stderr.split()[0])
    assert table.num_rows == n > 0
    # every record is whole in `record`, with the JSONL export's fields
    jsonl = run_cli("export", kind, "--db", str(db), cwd=tmp_path).stdout.splitlines()
    records = [json.loads(r) for r in table.column("record").to_pylist()]
    if kind != "events":  # JSONL events are the story-level ones; Parquet has both levels
        assert len(records) == len(jsonl)
        first = json.loads(jsonl[0])
        assert set(records[0]) == set(first) and records[0]["id"] == first["id"]


def test_values_and_both_event_levels(db, tmp_path):
    out = tmp_path / "c.parquet"
    assert run_cli("export", "claims", "--db", str(db), "--format", "parquet", "-o", str(out), cwd=tmp_path).returncode == 0
    rows = {r["id"]: r for r in pq.read_table(out).to_pylist()}
    c5 = rows["c-manbij-5"]
    assert (c5["article_id"], c5["kind"], c5["min"], c5["max"], c5["subject"], c5["attributed_to"]) == (
        MANBIJ, "killed", 5.0, 5.0, "US soldiers", ["Yeni Şafak"])
    out = tmp_path / "e.parquet"
    assert run_cli("export", "events", "--db", str(db), "--format", "parquet", "-o", str(out), cwd=tmp_path).returncode == 0
    events = pq.read_table(out).to_pylist()
    per_article = [e for e in events if e["article_id"]]
    per_story = [e for e in events if e["story_id"]]
    assert per_article and per_story and not [e for e in events if e["article_id"] and e["story_id"]]
    manbij = {e["event_id"]: e for e in per_story}["ev-manbij"]
    assert (manbij["story_id"], manbij["fatalities"], manbij["admin1"], manbij["longitude"]) == (
        "st-manbij", 9, "Aleppo", 37.9549)
    assert {e["event_id"]: e["article_id"] for e in per_article} == {"ev-idlib": IDLIB}


def test_parquet_to_standard_output_and_refusals(db, tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    with open(tmp_path / "s.parquet", "wb") as f:
        proc = subprocess.run([sys.executable, "-m", "veille", "export", "stories", "--db", str(db), "--format", "parquet"],
                              stdout=f, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                              env={"PYTHONPATH": str(ROOT / "src"), "VEILLE_OUTLETS": "", "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert pq.read_table(tmp_path / "s.parquet").num_rows == 1
    proc = run_subprocess("export", "claims", "--db", str(db), "--format", "geojson", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_duckdb_reads_the_export(db, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "claims.parquet"
    assert run_cli("export", "claims", "--db", str(db), "--format", "parquet", "-o", str(out), cwd=tmp_path).returncode == 0
    rows = duckdb.sql(f"SELECT subject, max(max) AS most FROM '{out}' WHERE kind = 'killed' "
                      "GROUP BY subject ORDER BY most DESC").fetchall()
    assert rows == [("people", 9.0), ("US soldiers", 5.0)]
