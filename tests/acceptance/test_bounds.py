"""Bounded work: an export holding one deeply nested value fails at once with a one-line
error, its peak memory (measured on the process) far under the 300 MB bound."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time

import pytest

from newscorpus.errors import ExportError
from newscorpus.importers.run import import_export

from tests.support import REPO, SMALL_TEXT
from tests.support.team import snapshot


def _deep_export(path, depth: int) -> None:
    sha = hashlib.sha256(SMALL_TEXT.encode()).hexdigest()
    head = json.dumps([{"id": 11, "data": {"text": SMALL_TEXT, "article_id": "small", "text_sha256": sha}, "annotations": [],
                        "predictions": [], "project": 4}])
    path.write_text(head[:-3] + ', "deep": ' + "[" * depth + "]" * depth + "}]", encoding="utf-8")


@pytest.mark.parametrize("depth", [40_000, 100_000])
def test_a_deeply_nested_export_fails_fast_in_little_memory(small_corpus, tmp_path, depth):
    export = tmp_path / "deep.json"
    _deep_export(export, depth)
    before = snapshot(small_corpus)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    start = time.monotonic()
    # A small Python in between starts the import and reports its peak memory: a process
    # forked straight from pytest would count pytest's own pages in its ru_maxrss (Linux
    # keeps the high-water mark of the memory a process had before exec).
    measure = ("import os, subprocess, sys\n"
               "proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
               "err = proc.stderr.read()\n"
               "_, status, usage = os.wait4(proc.pid, 0)\n"
               "sys.stderr.buffer.write(err)\n"
               "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", measure, sys.executable, "-m", "newscorpus.cli", "import", str(export),
                          "--annotations", str(small_corpus)], capture_output=True, text=True, env=env)
    code, peak_kb = (int(x) for x in out.stdout.split())
    seconds = time.monotonic() - start
    assert code == 1
    assert out.stderr.startswith(f"error: {export}::$: nested more than 2000 levels deep (at byte ")
    assert seconds < 60
    assert peak_kb < 300 * 1024, peak_kb
    assert snapshot(small_corpus) == before


def test_the_pooled_import_refuses_it_too(small_corpus, tmp_path):
    export = tmp_path / "deep.json"
    _deep_export(export, 40_000)
    with pytest.raises(ExportError) as err:
        import_export(export, annotations_dir=small_corpus, workers=2)
    assert err.value.code == "too-deep"
