"""The command line as a new user meets it: --version, help texts, progress on a terminal, -q/-v."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SAMPLE, run_cli

# the developers' documents (users have the user guide, docs/guide.md, and nothing else)
INTERNAL = re.compile(r"DESIGN|ARCHITECTURE|BENCHMARKS|PROTOCOL|HELPER|GUIDE\.md|§|\b[Ii]ssue \d|docs/(?!guide\.md)")


def _commands():
    """Every command path of the CLI, e.g. ('outlets', 'add')."""
    import typer

    from veille.cli import app

    def walk(cmd, path):
        yield path, cmd
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                yield from walk(sub, path + (name,))

    return list(walk(typer.main.get_command(app), ()))


def _help(path: tuple[str, ...]) -> str:
    from typer.testing import CliRunner

    from veille.cli import app

    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.output


def test_version():
    import veille

    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"veille {veille.__version__}"
    from importlib.metadata import version

    assert veille.__version__ == version("veille")  # one version: the package's


def test_every_help_is_for_users():
    paths = [p for p, _ in _commands()]
    assert ("run",) in paths and ("export",) in paths and ("outlets", "add") in paths
    for path, cmd in _commands():
        text = _help(path)
        assert not INTERNAL.search(text), (path, INTERNAL.search(text).group(0))
        if not hasattr(cmd, "commands"):  # a command (not a group): what it does and an example
            assert cmd.help and len(cmd.help.split()) >= 5, path
            assert "Example" in text and f"veille {' '.join(path)}" in text, path
            for param in cmd.params:  # every option and argument says what it is for
                if param.name not in ("help",):
                    assert getattr(param, "help", None), (path, param.name)
    assert "Exit status" in _help(()) and "2 usage error" in _help(())


def test_option_names_are_consistent():
    """The same thing has the same name everywhere: --db, --out/-o, --format, --since/--until, -q/-v."""
    seen: dict[str, set[str]] = {}
    for path, cmd in _commands():
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("-"):
                    seen.setdefault(param.name, set()).add(opt)
            if "--db" in getattr(param, "opts", []):
                assert param.name == "db", path
            if "-o" in getattr(param, "opts", []):
                assert "--out" in param.opts, path  # -o is always where the outputs go
    assert seen["quiet"] == {"--quiet", "-q"} and seen["verbose"] == {"--verbose", "-v"}
    assert seen["since"] == {"--since"} and seen["until"] == {"--until"}


def test_usage_errors_exit_2(tmp_path):
    proc = run_cli("export", "nonsense", "--db", str(tmp_path / "none.db"), cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = run_cli("digest", "--db", str(tmp_path / "none.db"), cwd=tmp_path)
    assert proc.returncode == 2 and "nosucharchive" in re.sub(r"[\s│╭╮╰╯─]", "", proc.stderr)


def _run_on_pty(args: list[str], cwd) -> tuple[int, str]:
    """Run the CLI with its standard error on a pseudo-terminal, as a user's shell does."""
    master, slave = pty.openpty()
    env = dict(os.environ, VEILLE_OUTLETS="", XDG_CONFIG_HOME=str(cwd), TERM="xterm-256color", COLUMNS="160",
               LINES="40")
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "veille", *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    proc.wait(timeout=60)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal(tmp_path):
    code, screen = _run_on_pty(["run", str(SAMPLE), "--db", str(tmp_path / "v.db"), "--out", str(tmp_path / "d")],
                               tmp_path)
    assert code == 0, screen
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)  # drop the terminal's control sequences
    # one bar per stage over articles, with counts and rate, redrawn in place
    for label in ("ingest", "analyse", "link stories"):
        assert re.search(rf"{label}\s.*\s10/10\s+\d+\.\d articles/s", plain), (label, plain[-3000:])
    assert re.search(r"analyse\s.*\s3/10\s", plain)  # counted article by article, not only at the end
    assert "load models" in plain
    assert "\r" in screen or "\x1b[" in screen  # drawn live, not printed line after line
    # the closing summary: what was new, and where the outputs are
    assert "10 new, 0 updated, 0 unchanged article(s)" in plain
    assert f"dossier: {tmp_path / 'd' / 'index.html'}" in plain and f"archive: {tmp_path / 'v.db'}" in plain


def test_quiet_and_verbose_without_a_terminal(tmp_path):
    db = str(tmp_path / "v.db")
    proc = run_cli("ingest", str(SAMPLE), "--db", db, "--quiet", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stderr == ""
    proc = run_cli("-v", "ingest", str(SAMPLE), str(tmp_path / "missing.txt"), "--db", db, cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert re.match(r"ingest: 10 article\(s\) in \d+\.\d s", lines[0]), lines  # a stage line, no live bar
    assert "\r" not in proc.stderr and "\x1b[" not in proc.stderr
    assert f"error: {tmp_path / 'missing.txt'}: no such file or folder" in lines
    assert "0 new, 0 updated, 10 unchanged article(s) from 1 input(s)" in proc.stderr
    assert any(line.startswith("refused: 1 problem(s), each named above") for line in lines)
    proc = run_cli("ingest", str(tmp_path / "missing.txt"), "--db", db, "-q", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stderr.splitlines() == [f"error: {tmp_path / 'missing.txt'}: no such file or folder"]
