"""Shared fixtures: the real bundled sample and a fresh store per test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "revue-syrie-2019-01.txt"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def registry():
    from veille.outlets import load_registry

    return load_registry(())


@pytest.fixture(scope="session")
def sample_articles(registry):
    from veille.extract.review import parse_review

    articles, problems = parse_review(SAMPLE.read_text(encoding="utf-8"), registry, str(SAMPLE))
    assert problems == []
    return articles


@pytest.fixture
def store(tmp_path):
    from veille.store import Store

    with Store(tmp_path / "t.db") as s:
        yield s


def child_env(**extra: str) -> dict:
    """The environment for a child Python process: the checkout's own code first on its path
    (whatever the child's working directory and whatever is installed), then ``extra``."""
    import os

    path = os.pathsep.join([str(ROOT / "src")] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    return dict(os.environ, PYTHONPATH=path, **extra)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `veille` command line in a subprocess (exit codes and stderr as users see them)."""
    import os

    full_env = child_env(VEILLE_OUTLETS="", XDG_CONFIG_HOME=str(cwd or ROOT / ".nonexistent"))
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "veille", *args], capture_output=True, text=True, cwd=cwd, env=full_env,
                          timeout=600)
