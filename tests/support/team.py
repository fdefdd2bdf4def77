"""Helpers for the tests of a team's use: a synthetic corpus with one export per annotator,
snapshots of a folder's bytes, and commands run in child processes that can be killed."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.support import REPO

sys.path.insert(0, str(REPO / "scripts"))
import synth  # noqa: E402

#: The annotators of a synthetic export (Label Studio user ids).
ANNOTATORS = (3, 7)


def make_corpus(root: Path, n: int) -> Path:
    """``root/seeds`` (n synthetic articles), ``root/annotations`` (ingested),
    ``root/export.json`` (both annotators) and ``root/export-<user>.json`` (one annotator
    each). Returns ``root``."""
    from newscorpus.ingest.run import ingest_all

    synth.write_seeds(n, root / "seeds")
    ingest_all(root / "seeds", annotations_dir=root / "annotations", workers=1)
    synth.write_export(n, root / "annotations", root / "export.json")
    tasks = json.loads((root / "export.json").read_bytes())
    for user in ANNOTATORS:
        mine = [dict(t, annotations=[a for a in t["annotations"] if a["completed_by"] == user]) for t in tasks]
        (root / f"export-{user}.json").write_text(json.dumps(mine, ensure_ascii=False), encoding="utf-8")
    return root


def copy_folder(src: Path, dst: Path) -> Path:
    """A fresh copy of ``src`` at ``dst`` (replacing what was there)."""
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, symlinks=True)
    return dst


def snapshot(folder: Path) -> dict[str, bytes | str | None]:
    """Every entry under ``folder`` (hidden ones too) by relative path: a regular file's
    bytes, None for a folder, ``"-> <target>"`` for a link, ``"special"`` for anything else
    (never opened). A missing folder is an empty snapshot."""
    if not folder.exists():
        return {}
    out: dict[str, bytes | str | None] = {}
    for p in sorted(folder.rglob("*")):
        key = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[key] = f"-> {os.readlink(p)}"
        elif p.is_dir():
            out[key] = None
        else:
            out[key] = p.read_bytes() if p.is_file() else "special"
    return out


def hidden(folder: Path) -> list[str]:
    """The names starting with a dot directly in ``folder``: what no command may leave."""
    return sorted(n for n in os.listdir(folder) if n.startswith(".")) if folder.exists() else []


def cli(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m newscorpus.cli ARGS`` in a fresh process (this checkout's code)."""
    full = {**os.environ, "PYTHONPATH": str(REPO / "src"), **(env or {})}
    return subprocess.run([sys.executable, "-m", "newscorpus.cli", *args], capture_output=True, text=True, env=full,
                          timeout=timeout)


def cli_process(*args: str, env: dict | None = None) -> subprocess.Popen:
    """:func:`cli` started, not waited for."""
    full = {**os.environ, "PYTHONPATH": str(REPO / "src"), **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "newscorpus.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=full)


def _child(fn, args, kwargs, env) -> None:
    os.environ.update(env)
    fn(*args, **kwargs)


def run_killed(fn, *args, after: float | None = None, env: dict | None = None, **kwargs) -> int:
    """Run ``fn(*args, **kwargs)`` in a forked child (modules already imported: the child
    starts working at once) and send it ``SIGKILL`` ``after`` seconds unless it is done
    (None: never). ``env`` is set in the child only (``NEWSCORPUS_CRASH_AT``...). Returns
    the child's exit code (``-9`` when killed)."""
    ctx = multiprocessing.get_context("fork")
    child = ctx.Process(target=_child, args=(fn, args, kwargs, env or {}))
    child.start()
    if after is not None:
        child.join(after)
        if child.exitcode is None:
            os.kill(child.pid, signal.SIGKILL)
    child.join(120)
    return child.exitcode


def timed(fn, *args, **kwargs) -> float:
    """Seconds ``fn(*args, **kwargs)`` takes in a forked child (as :func:`run_killed` runs it)."""
    start = time.monotonic()
    assert run_killed(fn, *args, **kwargs) == 0
    return time.monotonic() - start
