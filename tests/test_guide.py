"""The user guide (docs/guide.md) cannot rot: every command and every Python example in it is run here.

The guide is read block by block, in order, in one working folder that holds what a reader would
have: the bundled review under examples/ and a folder of saved pages. How each block is used:
- ```console: every `$ ` line is run by bash with `veille` on the PATH; it must exit 0;
- ```python: run with this checkout's veille; it must exit 0;
- ```LANG file=NAME: written to NAME (the reader saves it), for the next commands;
- ```crontab: the command after `&&` is run;
- ```text right after a console block: the lines its last command printed (numbers may differ).
Web addresses under https://news.example.org are served by the local test site
(tests/fixtures/web/localweb.py); `veille serve` is started in the background on 127.0.0.1 and
a free port, asked for its pages, then stopped.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE

sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "web"))
from localweb import Site  # noqa: E402

GUIDE = ROOT / "docs" / "guide.md"
EXAMPLE_SITE = "https://news.example.org"
BLOCK = re.compile(r"^```([A-Za-z]*)([^\n]*)\n(.*?)^```\s*$", re.M | re.S)


def guide_blocks() -> list[tuple[str, str, str]]:
    return [(lang, info.strip(), body) for lang, info, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8"))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, lang: str | None = None) -> str:
    req = urllib.request.Request(url, headers={"Accept-Language": lang} if lang else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.read().decode("utf-8")


class Reader:
    """Follows the guide in a folder of its own, as a user would."""

    def __init__(self, work: Path, site: Site):
        self.work, self.site = work, site
        bin_dir = work / ".bin"
        bin_dir.mkdir()
        (bin_dir / "veille").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m veille "$@"\n')
        (bin_dir / "veille").chmod(0o755)
        self.env = {k: v for k, v in os.environ.items() if k not in ("VEILLE_OUTLETS", "NO_COLOR")}
        self.env.update(PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", PYTHONPATH=str(ROOT / "src"),
                        HOME=str(work / "home"), XDG_CONFIG_HOME=str(work / "home" / ".config"), COLUMNS="120",
                        # the reader's own config, but the machine's caches (the gazetteer index built at set-up)
                        XDG_CACHE_HOME=os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache"))
        self.ran: list[tuple[str, subprocess.CompletedProcess]] = []
        self.served: dict[str, str] = {}

    def command(self, line: str) -> subprocess.CompletedProcess:
        cmd = line.replace(EXAMPLE_SITE, self.site.base)
        if re.match(r"(\w+=\S+ )*veille serve\b", cmd):
            return self.serve(cmd)
        t0 = time.perf_counter()
        proc = subprocess.run(["bash", "-c", cmd], cwd=self.work, env=self.env, capture_output=True, text=True,
                              timeout=900)
        proc.seconds = time.perf_counter() - t0
        assert proc.returncode == 0, f"guide command failed ({proc.returncode}): {line}\n{proc.stderr[-3000:]}"
        assert "Traceback" not in proc.stderr, line
        self.ran.append((line, proc))
        return proc

    def serve(self, cmd: str) -> subprocess.CompletedProcess:
        port = _free_port()
        cmd = re.sub(r"--host \S+", "--host 127.0.0.1", cmd)  # tests bind to this computer only
        cmd = re.sub(r"--port \d+", f"--port {port}", cmd)
        proc = subprocess.Popen(["bash", "-c", f"exec {cmd}"], cwd=self.work, env=self.env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    self.served["/"] = _get(base + "/")
                    break
                except OSError:
                    assert proc.poll() is None, proc.stderr.read()
                    time.sleep(0.2)
            for path in ("/api/stories", "/api/outlets", "/search?q=Manbij", "/?ui=en", "/?ui=fr"):
                self.served[path] = _get(base + path)
            self.served["/ (Accept-Language: fr)"] = _get(base + "/", lang="fr-FR,fr;q=0.8")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        done = subprocess.CompletedProcess(cmd, 0, "", "")
        self.ran.append((cmd, done))
        return done

    def python(self, code: str) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-c", code], cwd=self.work, env=self.env, capture_output=True,
                              text=True, timeout=900)
        assert proc.returncode == 0, f"guide example failed:\n{code}\n{proc.stderr[-3000:]}"
        self.ran.append((code, proc))
        return proc


@pytest.fixture(scope="module")
def followed(tmp_path_factory):
    """The whole guide, followed once."""
    work = tmp_path_factory.mktemp("guide")
    (work / "examples").mkdir()
    shutil.copy(SAMPLE, work / "examples" / SAMPLE.name)
    pages = work / "saved-pages"
    pages.mkdir()
    for name in ("sana-chimique.html", "almanar-kurdes.html"):
        shutil.copy(ROOT / "tests" / "fixtures" / "web" / name, pages / name)
    with Site() as site:
        reader = Reader(work, site)
        last = None
        for lang, info, body in guide_blocks():
            target = re.search(r"\bfile=(\S+)", info)
            if target:
                (work / target.group(1)).write_text(body, encoding="utf-8")
            elif lang == "console":
                for line in body.splitlines():
                    if line.startswith("$ "):
                        last = reader.command(line[2:])
            elif lang == "crontab":
                for line in body.splitlines():
                    if "&&" in line:
                        last = reader.command(line.split("&&", 1)[1].strip())
            elif lang == "python":
                last = reader.python(body)
            elif lang == "text" and last is not None:
                _matches_output(body, last.stderr)
        yield reader


def _matches_output(expected: str, stderr: str) -> None:
    """The lines the guide shows are the command's last lines; numbers may differ from run to run."""
    got = stderr.strip().splitlines()[-len(expected.strip().splitlines()):]
    for want, line in zip(expected.strip().splitlines(), got):
        pattern = re.escape(want)
        pattern = re.sub(r"\d+", r"\\d+", pattern)
        pattern = pattern.replace(re.escape("dossier/index.html"), r"\S*dossier/index\.html").replace(
            re.escape("syria.db"), r"\S*syria\.db")
        assert re.fullmatch(pattern, line), (want, line)


def test_guide_has_the_sections_users_need():
    text = GUIDE.read_text(encoding="utf-8")
    for heading in ("Monitoring a conflict from feeds and URLs", "Outlets and their labels", "Reading the dossier",
                    "Exports and their fields", "The Python API", "Serving the archive to a team", "Running on Spark",
                    "Limits and known failure modes", "exit status"):
        assert re.search(rf"^##+ .*{heading}", text, re.M | re.I), heading
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/guide.md" in readme
    commands = [line for lang, _, body in guide_blocks() if lang == "console" for line in body.splitlines()
                if line.startswith("$ ")]
    used = {m.group(1) for c in commands for m in [re.match(r"\$ (?:\w+=\S+ )*veille (\w+)", c)] if m}
    assert used >= {"run", "ingest", "analyze", "digest", "export", "serve", "spark", "outlets"}


def test_every_command_of_the_guide_runs(followed):
    commands = [c for c, _ in followed.ran]
    assert any(c.startswith("veille run examples/") for c in commands)
    slowest = sorted(((getattr(p, "seconds", 0), c[:70]) for c, p in followed.ran), reverse=True)[:6]
    print("slowest guide commands:", *(f"{s:6.1f}s {c}" for s, c in slowest), sep="\n  ")
    assert len(followed.ran) >= 20


def test_what_the_guide_promises(followed):
    work = followed.work
    for name in ("index.html", "digest.md", "articles.jsonl", "claims.jsonl", "events.csv", "events.geojson"):
        assert (work / "dossier" / name).exists(), name
    assert '<html lang="en">' in (work / "dossier-week" / "index.html").read_text(encoding="utf-8")
    first = next(p for c, p in followed.ran if c.startswith("veille run examples/"))
    assert "10 new, 0 updated, 0 unchanged" in first.stderr
    # the feed, the sitemap, the page and the saved pages were read from the (local) web
    feeds = next(p for c, p in followed.ran if "atom.xml" in c and c.startswith("veille run"))
    assert re.search(r"from [4-9] input\(s\)", feeds.stderr), feeds.stderr
    notes = next(p for c, p in followed.ran if c.startswith("veille ingest notes.jsonl"))
    assert "1 new" in notes.stderr
    analysed = next(p for c, p in followed.ran if c == "veille analyze --db syria.db")
    assert "1 article(s) analysed" in analysed.stderr
    # outlets: the added one and the shared file
    shown = next(p for c, p in followed.ran if c == "veille outlets show enabbaladi")
    assert '"ownership": "private"' in shown.stdout and "عنب بلدي" in shown.stdout
    team = next(p for c, p in followed.ran if "team-outlets.json veille outlets show" in c)
    assert '"id": "deirezzor24"' in team.stdout
    # the Python API example printed the Manbij figures and the contradiction
    api = next(p for c, p in followed.ran if "veille.open" in c)
    assert "US soldiers" in api.stdout and "Kurdistan 24" in api.stdout
    # the DuckDB queries read the CLI's and the Spark job's Parquet
    duck = [p for c, p in followed.ran if "duckdb.sql" in c]
    assert len(duck) == 2 and all("killed" in p.stdout for p in duck)
    # the served archive
    assert '"title"' in followed.served["/api/stories"] and "presstv" in followed.served["/api/outlets"]
    assert "Manbij" in followed.served["/search?q=Manbij"]
    # in the language the guide says: English by --lang en, French for a French browser or ?ui=fr
    assert '<html lang="en">' in followed.served["/"] and "Latest stories" in followed.served["/"]
    assert '<html lang="fr">' in followed.served["/ (Accept-Language: fr)"]
    assert '<html lang="fr">' in followed.served["/?ui=fr"] and '<html lang="en">' in followed.served["/?ui=en"]


def test_cli_parquet_has_the_spark_jobs_schema(followed):
    pq = pytest.importorskip("pyarrow.parquet")
    for kind in ("claims", "articles"):
        spark_part = sorted((followed.work / "spark-out" / "parquet" / kind).glob("*.parquet"))[0]
        spark_schema = pq.read_schema(spark_part)
        cli_schema = pq.read_schema(followed.work / f"{kind}.parquet")
        assert [(f.name, str(f.type)) for f in cli_schema] == [(f.name, str(f.type)) for f in spark_schema], kind
