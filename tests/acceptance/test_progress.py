"""Every long command draws a progress bar on a terminal (and none when stderr is a file)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO
sys.path.insert(0, str(REPO / "scripts"))
import synth  # noqa: E402


def _on_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run ``python -m newscorpus.cli *args`` with stdout and stderr on a pseudo-terminal."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "120", "TERM": "xterm", "PYTHONPATH": str(REPO / "src")}
    env.pop("CI", None)  # rich treats CI as a non-interactive terminal
    proc = subprocess.Popen([sys.executable, "-m", "newscorpus.cli", *args], cwd=cwd, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(), b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("progress")
    synth.write_seeds(30, root / "seeds")
    return root


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (["ingest", "seeds", "--annotations", "annotations"], "ingesting"),
        (["tasks", "--annotations", "annotations", "--out", "ls"], "writing tasks"),
        (["validate", "annotations"], "validating"),
        (["export", "--format", "brat", "--annotations", "annotations", "--out", "brat"], "exporting brat"),
    ],
    ids=["ingest", "tasks", "validate", "export"],
)
def test_progress_bar_on_a_terminal(corpus, args, label):
    code, out = _on_terminal(args, corpus)
    assert code == 0, out
    assert label in out and "30/30" in out


def test_no_progress_bar_when_piped(corpus):
    proc = subprocess.run([sys.executable, "-m", "newscorpus.cli", "ingest", "seeds", "--annotations", "annotations"], cwd=corpus,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert proc.stdout == "ingested 30 article(s): 0 new, 0 updated, 30 unchanged\n"
