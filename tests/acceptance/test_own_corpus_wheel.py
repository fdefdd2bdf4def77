"""A corpus of its own with the installed package: a wheel of newscorpus, installed in a
fresh virtual environment, run outside this repository.

The wheel is built offline from a copy of the package's sources (pyproject.toml, README.md,
src/) with the build backend of the Label Studio environment (setuptools and wheel are
there; the test environment's setuptools is too old for pyproject's licence field), then
installed with ``--no-deps --no-index`` into a new ``venv`` whose one ``.pth`` line puts the
test environment's site-packages (the dependencies) after its own. Every command runs as the
venv's ``newscorpus`` script, with no PYTHONPATH, in a folder outside the repository:
init, a three-label scheme, two seeds, ingest, tasks, an export of those tasks by one
annotator, import, validate, build, ``load_dataset`` with the custom ClassLabels, and the
corpus's pre-commit hook.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from tests.support import REPO

pytestmark = pytest.mark.slow

SCHEME = {
    "name": "acme-ner",
    "version": "0.1.0",
    "layers": [{"name": "ner", "level": "span", "overlap": False, "source": "ACME annotation guidelines",
                "labels": [{"name": "PER", "definition": "A person."}, {"name": "ORG", "definition": "An organisation."},
                           {"name": "LOC", "definition": "A place."}]}],
}
META = {"title": None, "publisher": "ACME News", "url": None, "published": "2024-05-02", "language": "en",
        "license": "CC-BY-4.0", "redistributable": True}
SEEDS = {
    "acme-1": "Anna Berg works for Acme in Oslo.\nShe started in May.\n",
    "acme-2": "Acme opened an office in Bergen. Ola Nordmann leads it.\n",
}
#: The one annotator's spans: (word, label) wherever the word occurs in a task's text.
MENTIONS = [("Anna Berg", "PER"), ("Ola Nordmann", "PER"), ("Acme", "ORG"), ("Oslo", "LOC"), ("Bergen", "LOC")]

LOAD = """
import json, sys
from datasets import load_dataset
import newscorpus
articles = load_dataset("dist/dataset", cache_dir="cache")
ner = load_dataset("dist/dataset", "ner", cache_dir="cache")
split = next(iter(articles))
spans = articles[split].features["spans"].feature
row = next(r for s in articles for r in articles[s] if r["id"] == "acme-1")
print(json.dumps({
    "module": newscorpus.__file__,
    "span_labels": spans["label"].names,
    "ner_tags": ner[next(iter(ner))].features["ner_tags"].feature.names,
    "spans": [[s["text"], spans["label"].int2str(s["label"]), s["start"], s["end"]] for s in row["spans"]],
    "rows": {s: articles[s].num_rows for s in articles},
}))
"""


def _build_python() -> Path:
    venv = Path(os.environ.get("NEWSCORPUS_LS_VENV", REPO / ".venv-ls"))
    python = venv / "bin" / "python"
    if not python.exists():
        pytest.fail(f"no build backend: {python} is missing (make label-studio)", pytrace=False)
    return python


def _run(args, *, cwd: Path, env: dict, ok: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if ok:
        assert proc.returncode == 0, f"{args}: {proc.stdout}{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh venv with the newscorpus wheel built from this checkout installed in it."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    shutil.copytree(REPO / "src", source / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    _run([_build_python(), "-m", "pip", "wheel", source, "--no-deps", "--no-build-isolation", "--no-index", "-q",
          "-w", tmp / "dist"], cwd=tmp, env=env)
    (wheel,) = (tmp / "dist").glob("newscorpus-*.whl")
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp, env=env)
    (site,) = venv.glob("lib/python*/site-packages")
    (site / "newscorpus_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--no-deps", "--no-index", "-q", wheel],
         cwd=tmp, env=env)
    return venv


def _export(tasks: list[dict]) -> list[dict]:
    """A full Label Studio JSON export of ``tasks``: one submitted annotation each, by user 7."""
    out = []
    for tid, task in enumerate(tasks, 1):
        text = task["data"]["text"]
        result = []
        for word, label in MENTIONS:
            start = text.find(word)
            if start >= 0:
                result.append({"id": f"r{len(result)}", "from_name": "ner", "to_name": "text", "type": "labels",
                               "value": {"start": start, "end": start + len(word), "text": word, "labels": [label]}})
        out.append({**task, "id": tid, "project": 3, "drafts": [], "annotations": [{
            "id": 100 + tid, "completed_by": 7, "result": result, "was_cancelled": False, "ground_truth": False,
            "created_at": "2024-05-03T09:00:00Z", "updated_at": "2024-05-03T09:05:00Z", "lead_time": 30.0, "project": 3}]})
    return out


def test_a_corpus_of_its_own_from_the_installed_wheel(venv, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1",
               HF_HOME=str(tmp_path / "hf"), PRE_COMMIT_HOME=str(tmp_path / "pre-commit"))
    nc = venv / "bin" / "newscorpus"
    assert _run([nc, "--version"], cwd=work, env=env).stdout.strip().endswith("0.1.0")

    assert _run([nc, "init", "corpus"], cwd=work, env=env).stdout.splitlines()[-1] == (
        "next: put articles in corpus/seeds/, then in corpus: newscorpus ingest && newscorpus validate")
    corpus = work / "corpus"
    (corpus / "scheme.yaml").write_text(yaml.safe_dump(SCHEME, sort_keys=False), encoding="utf-8")
    assert _run([nc, "schema", "--write"], cwd=corpus, env=env).stdout == "wrote schema/1.3.0/article.schema.json\n"
    schema = json.loads((corpus / "schema" / "1.3.0" / "article.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["SchemeRef"]["properties"]["name"]["const"] == "acme-ner"
    for article_id, text in SEEDS.items():
        (corpus / "seeds" / f"{article_id}.txt").write_text(text, encoding="utf-8")
        (corpus / "seeds" / f"{article_id}.meta.json").write_text(json.dumps(META), encoding="utf-8")

    assert _run([nc, "ingest"], cwd=corpus, env=env).stdout == "ingested 2 article(s): 2 new, 0 updated, 0 unchanged\n"
    _run([nc, "tasks"], cwd=corpus, env=env)
    config = (corpus / "dist" / "labelstudio" / "label_config.xml").read_text(encoding="utf-8")
    assert '<Labels name="ner" toName="text">' in config and "<Choices" not in config
    tasks = json.loads((corpus / "dist" / "labelstudio" / "tasks.json").read_text(encoding="utf-8"))
    (work / "export.json").write_text(json.dumps(_export(tasks)), encoding="utf-8")
    imported = _run([nc, "import", "../export.json"], cwd=corpus, env=env)
    assert imported.stdout == "imported 2 task(s) (2 submitted, 0 cancelled, 0 draft); 2 record(s) written, 0 unchanged\n"
    assert imported.stderr == ""
    record = json.loads((corpus / "annotations" / "acme-1.json").read_text(encoding="utf-8"))
    assert record["scheme"] == {"name": "acme-ner", "version": "0.1.0"}
    assert _run([nc, "validate"], cwd=corpus, env=env).stdout == "valid: 2 files checked, no errors\n"
    assert _run([nc, "build"], cwd=corpus, env=env).stdout.startswith("built dist/dataset: articles 2,")

    loaded = json.loads(_run([venv / "bin" / "python", "-c", LOAD], cwd=corpus, env=env).stdout.splitlines()[-1])
    assert Path(loaded["module"]).is_relative_to(venv)  # the wheel's newscorpus, not this checkout's
    assert loaded["span_labels"] == ["PER", "ORG", "LOC"]
    assert loaded["ner_tags"] == ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
    assert loaded["spans"] == [["Anna Berg", "PER", 0, 9], ["Acme", "ORG", 20, 24], ["Oslo", "LOC", 28, 32]]
    assert sum(loaded["rows"].values()) == 2

    # the corpus's pre-commit hook runs the installed newscorpus on the records
    _run(["git", "init", "-q"], cwd=corpus, env=env)
    _run(["git", "add", "-A"], cwd=corpus, env=env)
    pre_commit = Path(sys.executable).with_name("pre-commit")
    hook = _run([pre_commit, "run", "--all-files"], cwd=corpus, env=env)
    assert "newscorpus validate" in hook.stdout and "Passed" in hook.stdout
    record["gold"]["spans"][0]["text"] = "Anna"
    (corpus / "annotations" / "acme-1.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    hook = _run([pre_commit, "run", "--all-files"], cwd=corpus, env=env, ok=False)
    assert hook.returncode == 1 and "[span-text-mismatch]" in hook.stdout
