"""docs/corpus.md, run: every ```sh block of the page, in order, in one shell in a fresh
folder, against this checkout's newscorpus (PYTHONPATH), with the test environment's
``python`` and ``pre-commit`` on PATH. Each block must succeed, and every line ``#> ...``
under a command must be a line of that block's output, in order.

Two blocks need what a person would provide: the one marked ``<!-- test: export -->``
imports ``export.json``, the annotators' Label Studio export, which the test writes just
before it from ``dist/labelstudio/tasks.json`` (one annotator labels every mention of
MENTIONS); the one marked ``<!-- test: label-studio -->`` talks to a live server and runs
in the server test, against the session's Label Studio.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO

DOC = REPO / "docs" / "corpus.md"
BLOCK = re.compile(r"(?:<!-- test: (?P<mark>[\w-]+) -->\n)?```sh\n(?P<body>.*?)```", re.S)
#: The one annotator's spans: (words, label) wherever the words occur in a task's text.
MENTIONS = [("Anna Berg", "PER"), ("Ola Nordmann", "PER"), ("Nordlys Energi", "ORG"), ("Tromsø", "LOC"),
            ("Finnmark", "LOC"), ("Bergen", "LOC")]

WRITE_EXPORT = f"""
import json
mentions = {MENTIONS!r}
tasks = json.load(open("dist/labelstudio/tasks.json", encoding="utf-8"))
export = []
for tid, task in enumerate(tasks, 1):
    text, result = task["data"]["text"], []
    for words, label in mentions:
        start = text.find(words)
        if start >= 0:
            result.append({{"id": f"r{{len(result)}}", "from_name": "ner", "to_name": "text", "type": "labels",
                           "value": {{"start": start, "end": start + len(words), "text": words, "labels": [label]}}}})
    export.append({{**task, "id": tid, "project": 1, "drafts": [], "annotations": [{{
        "id": 10 + tid, "completed_by": 2, "result": result, "was_cancelled": False, "ground_truth": False,
        "created_at": "2024-05-08T09:00:00Z", "updated_at": "2024-05-08T09:04:00Z", "lead_time": 240.0, "project": 1}}]}})
json.dump(export, open("export.json", "w", encoding="utf-8"), ensure_ascii=False)
"""


def blocks() -> list[tuple[str | None, str]]:
    """The page's ```sh blocks: (mark or None, body), in order."""
    return [(m["mark"], m["body"]) for m in BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


def expected(body: str) -> list[str]:
    return [line[3:] for line in body.splitlines() if line.startswith("#> ")]


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}", PYTHONPATH=str(REPO / "src"),
               HF_HOME=str(tmp / "hf"), HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", PRE_COMMIT_HOME=str(tmp / "pre-commit"),
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    env.pop("LABEL_STUDIO_URL", None)
    env.pop("LABEL_STUDIO_API_KEY", None)
    return env


@pytest.fixture(scope="module")
def walked(tmp_path_factory):
    """The page run in a fresh folder: (folder, outputs of the blocks run, the shell's
    last working directory)."""
    tmp = tmp_path_factory.mktemp("corpus-doc")
    work = tmp / "work"
    work.mkdir()
    (tmp / "write_export.py").write_text(WRITE_EXPORT, encoding="utf-8")
    script = ["set -euo pipefail"]
    for i, (mark, body) in enumerate(blocks()):
        if mark == "label-studio":
            continue
        if mark == "export":
            script.append(f'python "{tmp / "write_export.py"}"')
        script += [f"echo '@@block {i}@@'", body]
    script.append('echo "@@cwd $(pwd)@@"')
    proc = subprocess.run(["bash", "-c", "\n".join(script)], cwd=work, env=_env(tmp), capture_output=True, text=True, timeout=900)
    parts = re.split(r"^@@block (\d+)@@\n", proc.stdout, flags=re.M)
    outputs = {int(parts[k]): parts[k + 1] for k in range(1, len(parts), 2)}
    last = max(outputs, default=None)
    assert proc.returncode == 0, f"block {last} of docs/corpus.md failed:\n{blocks()[last][1] if last is not None else ''}\n" \
                                 f"--- stdout\n{outputs.get(last, proc.stdout)}\n--- stderr\n{proc.stderr}"
    cwd = Path(re.search(r"^@@cwd (.+)@@$", proc.stdout, flags=re.M)[1])
    return tmp, outputs, cwd


def test_the_page_has_the_walk():
    marks = [mark for mark, _ in blocks()]
    assert marks.count("export") == 1 and marks.count("label-studio") == 1 and len(marks) >= 8
    commands = " ".join(body for _, body in blocks())
    for step in ("newscorpus init", "newscorpus scheme from-labelstudio", "newscorpus schema --write", "newscorpus ingest",
                 "newscorpus tasks", "newscorpus import", "newscorpus ls push", "newscorpus validate", "newscorpus build",
                 "load_dataset", "newscorpus publish acme/acme-news --dry-run", "pre-commit install"):
        assert step in commands, step


def test_every_block_runs_and_prints_what_the_page_says(walked):
    _tmp, outputs, _cwd = walked
    for i, (mark, body) in enumerate(blocks()):
        if mark == "label-studio":
            continue
        lines = outputs[i].splitlines()
        at = 0
        for want in expected(body):
            assert want in lines[at:], f"block {i}: {want!r} not in its output (in order):\n{outputs[i]}"
            at = lines.index(want, at) + 1


def test_the_corpus_the_page_makes(walked):
    _tmp, _outputs, cwd = walked
    assert cwd.name == "my-corpus"
    record = json.loads((cwd / "annotations" / "acme-0001.json").read_text(encoding="utf-8"))
    assert record["scheme"] == {"name": "acme-news", "version": "1.0.0"}
    assert [(s["text"], s["label"]) for s in record["gold"]["spans"]] == [
        ("Anna Berg", "PER"), ("Nordlys Energi", "ORG"), ("Tromsø", "LOC"), ("Finnmark", "LOC")]
    assert (cwd / ".git" / "hooks" / "pre-commit").exists()
    assert (cwd / "dist" / "dataset" / "README.md").exists()


@pytest.mark.server
def test_the_label_studio_block(walked, ls_server):
    tmp, _outputs, cwd = walked
    ((_mark, body),) = [(mark, body) for mark, body in blocks() if mark == "label-studio"]
    env = _env(tmp)
    env.update(LABEL_STUDIO_URL=ls_server.url, LABEL_STUDIO_API_KEY=ls_server.personal_access_token)
    before = {p.name: p.read_bytes() for p in (cwd / "annotations").glob("*.json")}
    proc = subprocess.run(["bash", "-c", "set -euo pipefail\n" + body], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    push, pull = proc.stdout.splitlines()
    assert push.startswith("project 'acme-news' (id ") and push.endswith("created, model version newscorpus-1.3.0): 2 task(s) imported, 0 already there")
    # nobody annotated in Label Studio yet: the pull brings the two tasks back and changes nothing
    assert pull.startswith("pulled project 'acme-news' (id ") and pull.endswith("2 task(s) (0 submitted, 0 cancelled, 0 draft); 0 record(s) written, 0 unchanged")
    assert {p.name: p.read_bytes() for p in (cwd / "annotations").glob("*.json")} == before
