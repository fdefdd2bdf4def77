"""newscorpus against a real Label Studio 1.23.2 server (the session fixture ``ls_server``).

Push the seed, annotate it through the API as the labeling view would (the same result
items the frontend posts), pull, and check the record value by value; with both kinds of
API key. Also: no duplicate on a second push, a changed text is refused, the export is
full (every task, full predictions and drafts), and the key never leaks.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.labelstudio import server as labelstudio
from newscorpus.cli import cli
from newscorpus.errors import LabelStudioError
from newscorpus.ingest.run import ingest_all
from newscorpus.core.models import SCHEMA_VERSION, Relation, SentenceLabel, Span
from newscorpus.records.io import read_record
from newscorpus.labelstudio.tasks import label_config

from tests.support import REPO, SEED, write_seed

pytestmark = pytest.mark.server

ARTICLE = "000_ba712161f3bc6069"
MODEL_VERSION = f"newscorpus-{SCHEMA_VERSION}"
LABEL_STUDIO_VERSION = "1.23.2"
SENTENCES = 14


def _key(server, kind: str) -> str:
    key = server.legacy_token if kind == "legacy" else server.personal_access_token
    assert key, f"the server gave no {kind} token"
    return key


def _seed_annotations(tmp_path: Path) -> Path:
    ann = tmp_path / "annotations"
    ingest_all(SEED, annotations_dir=ann)
    return ann


def _tasks(client, project_id: int) -> list:
    return list(client.tasks.list(project=project_id, fields="all"))


def _region(rid, control, start, end, text, label):
    return {"id": rid, "from_name": control, "to_name": "text", "type": "labels", "origin": "manual",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def annotator_result(text: str, prediction: list[dict]) -> list[dict]:
    """What the labeling view submits after an annotator worked on the seed: the 14
    sentence regions copied from the prediction, two entity spans, a QUOTE with its
    SPEAKER relation, a discourse role on sentence s0, and the genre and frames choices."""
    result = [dict(item, origin="prediction") for item in prediction]
    result += [
        _region("Gp8x1Myan1", "entity", 51, 58, "Myanmar", "GPE"),
        _region("Pq2Qin0001", "entity", 501, 504, "Qin", "PERSON"),
        _region("Qt7quote01", "attribution", 533, 637, text[533:637], "QUOTE"),
        {"type": "relation", "from_id": "Qt7quote01", "to_id": "Pq2Qin0001", "direction": "right", "labels": ["SPEAKER"]},
        {"id": "s0", "from_name": "discourse_role", "to_name": "text", "type": "choices", "origin": "manual",
         "value": {"start": 0, "end": 286, "text": text[0:286], "choices": ["MAIN_EVENT"]}},
        {"id": "Gnr0000001", "from_name": "genre", "to_name": "text", "type": "choices", "origin": "manual",
         "value": {"choices": ["reporting"]}},
        {"id": "Frm0000001", "from_name": "frames", "to_name": "text", "type": "choices", "origin": "manual",
         "value": {"choices": ["Security_and_defense", "Crime_and_punishment"]}},
    ]
    return result


@pytest.mark.parametrize("kind", ["legacy", "pat"])
def test_push_annotate_pull_exact_record(ls_server, tmp_path, kind):
    key = _key(ls_server, kind)
    ann = _seed_annotations(tmp_path)
    project = f"roundtrip-{kind}"

    first = labelstudio.push(url=ls_server.url, annotations_dir=ann, project=project, api_key=key)
    assert (first.project_created, first.imported, first.already_present, first.model_version) == (True, 1, 0, MODEL_VERSION)
    again = labelstudio.push(url=ls_server.url, annotations_dir=ann, project=project, api_key=key)
    assert (again.project_id, again.project_created, again.config_updated, again.imported, again.already_present) == (
        first.project_id, False, False, 0, 1)

    client = labelstudio.connect(url=ls_server.url, api_key=key)
    proj = client.projects.get(first.project_id)
    assert proj.model_version == MODEL_VERSION
    assert proj.label_config.strip() == label_config().strip()
    (task,) = _tasks(client, first.project_id)  # pushed twice, one task
    record = read_record(ann / f"{ARTICLE}.json")
    assert task.data == {"text": record.text, "article_id": ARTICLE, "text_sha256": record.text_sha256}
    (prediction,) = task.predictions
    assert prediction.model_version == MODEL_VERSION
    assert [r["id"] for r in prediction.result] == [f"s{i}" for i in range(SENTENCES)]

    me = client.users.whoami()
    made = client.annotations.create(id=task.id, result=annotator_result(record.text, prediction.result), lead_time=42.5)

    report = labelstudio.pull(url=ls_server.url, annotations_dir=ann, project=project, api_key=key)
    assert (report.project_id, report.imported.tasks, report.imported.predictions) == (first.project_id, 1, 1)
    assert report.imported.annotations == {"submitted": 1, "cancelled": 0, "draft": 0}
    assert report.imported.warnings == []
    assert report.imported.written == [ann / f"{ARTICLE}.json"]

    rec = read_record(ann / f"{ARTICLE}.json")
    (a,) = rec.annotations
    assert (a.id, a.annotator, a.status, a.ground_truth, a.lead_time) == (f"ls-p{first.project_id}-a{made.id}", f"ls-{me.id}", "submitted", False, 42.5)
    assert (a.origin.tool, a.origin.project, a.origin.task, a.origin.annotation) == (
        "label-studio", first.project_id, task.id, made.id)
    assert a.origin.version == report.tool_version == LABEL_STUDIO_VERSION  # the release the server reports
    assert a.spans == [
        Span(id="Gp8x1Myan1", layer="entity", label="GPE", start=51, end=58, text="Myanmar"),
        Span(id="Pq2Qin0001", layer="entity", label="PERSON", start=501, end=504, text="Qin"),
        Span(id="Qt7quote01", layer="attribution", label="QUOTE", start=533, end=637,
             text="maintaining distinct and stable borders, and severely cracking down on cross-border criminal activities."),
    ]
    assert a.relations == [Relation(id="SPEAKER:Qt7quote01>Pq2Qin0001", label="SPEAKER", head="Qt7quote01", tail="Pq2Qin0001")]
    assert a.sentence_labels == [SentenceLabel(sentence="s0", layer="discourse_role", label="MAIN_EVENT")]
    assert a.article_labels == {"genre": ["reporting"], "frames": ["Crime_and_punishment", "Security_and_defense"]}
    assert a.created_at is not None and a.updated_at is not None
    assert rec.gold is not None
    assert (rec.gold.method, rec.gold.decided_by, rec.gold.from_annotations) == ("single", None, [f"ls-p{first.project_id}-a{made.id}"])
    assert (rec.gold.spans, rec.gold.relations, rec.gold.sentence_labels, rec.gold.article_labels) == (
        a.spans, a.relations, a.sentence_labels, a.article_labels)

    before = (ann / f"{ARTICLE}.json").read_bytes()
    twice = labelstudio.pull(url=ls_server.url, annotations_dir=ann, project=project, api_key=key)
    assert (twice.imported.written, twice.imported.unchanged) == ([], [ann / f"{ARTICLE}.json"])
    assert (ann / f"{ARTICLE}.json").read_bytes() == before


def test_export_is_full_every_task_full_predictions_and_drafts(ls_server, tmp_path):
    key = ls_server.legacy_token
    seeds = tmp_path / "seeds"
    write_seed(seeds, "alpha", "Alpha met Beta in Gamma.\n")
    write_seed(seeds, "delta", "Delta stayed home.\n")
    ann = tmp_path / "annotations"
    ingest_all(seeds, annotations_dir=ann)
    pushed = labelstudio.push(url=ls_server.url, annotations_dir=ann, project="full-export", api_key=key)
    assert pushed.imported == 2
    client = labelstudio.connect(url=ls_server.url, api_key=key)
    tasks = {t.data["article_id"]: t for t in _tasks(client, pushed.project_id)}
    alpha = tasks["alpha"]
    # a draft, as the labeling view saves it while an annotator works
    draft = {"result": [_region("d1", "entity", 0, 5, "Alpha", "PERSON")], "lead_time": 3.0}
    client._client_wrapper.httpx_client.request(f"api/tasks/{alpha.id}/drafts", method="POST", json=draft).raise_for_status()

    out = labelstudio.export_json(url=ls_server.url, dest=tmp_path / "export.json", project="full-export", api_key=key)
    data = json.loads(out.path.read_text(encoding="utf-8"))
    assert out.bytes == out.path.stat().st_size
    assert sorted(t["data"]["article_id"] for t in data) == ["alpha", "delta"]  # unannotated tasks too
    for task in data:
        (pred,) = task["predictions"]
        assert isinstance(pred, dict) and pred["model_version"] == MODEL_VERSION  # full, not a bare id
        assert [r["id"] for r in pred["result"]] == ["s0"]
    by_id = {t["data"]["article_id"]: t for t in data}
    (d,) = by_id["alpha"]["drafts"]
    assert isinstance(d, dict) and d["result"][0]["value"]["labels"] == ["PERSON"]
    assert by_id["delta"]["drafts"] == []
    assert client.projects.exports.list(pushed.project_id) == []  # the snapshot was deleted

    report = labelstudio.pull(url=ls_server.url, annotations_dir=ann, project="full-export", api_key=key)
    assert report.imported.annotations == {"submitted": 0, "cancelled": 0, "draft": 1}
    rec = read_record(ann / "alpha.json")
    (a,) = rec.annotations
    assert (a.id, a.status, a.annotator) == (f"ls-p{pushed.project_id}-d{d['id']}", "draft", f"ls-{client.users.whoami().id}")
    assert a.origin.version == LABEL_STUDIO_VERSION
    assert a.spans == [Span(id="d1", layer="entity", label="PERSON", start=0, end=5, text="Alpha")]
    assert rec.gold is None  # a draft is never gold


def test_changed_text_is_refused_and_nothing_pushed(ls_server, tmp_path):
    key = ls_server.legacy_token
    seeds = tmp_path / "seeds"
    write_seed(seeds, "epsilon", "Epsilon is a town.\n")
    ann = tmp_path / "annotations"
    ingest_all(seeds, annotations_dir=ann)
    pushed = labelstudio.push(url=ls_server.url, annotations_dir=ann, project="conflict", api_key=key)
    changed = read_record(ann / "epsilon.json").model_copy(
        update={"text": "Epsilon is a city.\n", "text_sha256": "0" * 64})
    write_seed(seeds, "zeta", "Zeta is new.\n")
    ingest_all(seeds / "zeta.txt", annotations_dir=ann)
    zeta = read_record(ann / "zeta.json")
    with pytest.raises(LabelStudioError) as err:
        labelstudio.push(url=ls_server.url, records=[zeta, changed], project="conflict", api_key=key)
    assert err.value.code == "text-hash-mismatch"
    assert "article 'epsilon'" in str(err.value) and "nothing was pushed" in str(err.value)
    client = labelstudio.connect(url=ls_server.url, api_key=key)
    assert [t.data["article_id"] for t in _tasks(client, pushed.project_id)] == ["epsilon"]  # zeta not pushed either


def test_errors_name_the_problem(ls_server, tmp_path, monkeypatch):
    monkeypatch.delenv(labelstudio.API_KEY_ENV, raising=False)
    with pytest.raises(LabelStudioError) as err:
        labelstudio.connect(url=ls_server.url)
    assert err.value.code == "no-api-key"
    with pytest.raises(LabelStudioError) as err:
        labelstudio.connect(url=ls_server.url, api_key="not-a-token-at-all")
    assert err.value.code == "unauthorized"
    with pytest.raises(LabelStudioError) as err:
        labelstudio.export_json(url=ls_server.url, dest=tmp_path / "x.json", project="no such project",
                                api_key=ls_server.legacy_token)
    assert (err.value.code, str(err.value)) == (
        "project-not-found",
        f"{ls_server.url}: no project titled 'no such project' "
        "(hint: push first (`newscorpus ls push`), or pass the right --project)",
    )
    assert not (tmp_path / "x.json").exists()


@pytest.mark.parametrize("kind", ["legacy", "pat"])
def test_api_key_never_in_output_logs_files_or_errors(ls_server, tmp_path, monkeypatch, caplog, kind):
    key = _key(ls_server, kind)
    caplog.set_level(logging.DEBUG)
    ann = _seed_annotations(tmp_path)
    runner = CliRunner()
    monkeypatch.setenv(labelstudio.API_KEY_ENV, key)
    outputs = []
    for args in (
        ["ls", "push", "--url", ls_server.url, "--project", f"secret-{kind}", "--annotations", str(ann)],
        ["ls", "pull", "--url", ls_server.url, "--project", f"secret-{kind}", "--annotations", str(ann)],
        ["ls", "pull", "--url", ls_server.url, "--project", "missing", "--annotations", str(ann)],
        ["ls", "pull", "--url", "http://127.0.0.1:9", "--annotations", str(ann)],
    ):
        result = runner.invoke(cli, args)
        outputs.append((result.exit_code, result.stdout, result.stderr))
    assert [code for code, _, _ in outputs] == [0, 0, 1, 1]
    assert outputs[0][1].startswith(f"project 'secret-{kind}' (id ")
    assert outputs[2][2].startswith("error: ") and "no project titled 'missing'" in outputs[2][2]
    assert "cannot reach Label Studio" in outputs[3][2]
    # a wrong key (the real one with a character added) is not echoed either
    wrong = key + "x"
    monkeypatch.setenv(labelstudio.API_KEY_ENV, wrong)
    result = runner.invoke(cli, ["ls", "pull", "--url", ls_server.url, "--annotations", str(ann)])
    assert result.exit_code == 1 and "refused the API key" in result.stderr
    outputs.append((result.exit_code, result.stdout, result.stderr))

    seen = "\n".join(out + err for _, out, err in outputs) + caplog.text
    assert caplog.records  # the SDK's HTTP client did log, at DEBUG
    assert key not in seen and wrong not in seen
    for path in [*tmp_path.rglob("*"), *REPO.glob("*.json")]:
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


def test_push_streams_batches_and_pull_keeps_the_sdk_out_of_the_importing_process(ls_server, tmp_path):
    """push posts batch after batch (one on its way while the next is made), in the
    records' order, with progress after each; pull downloads in a child process, so the
    process that imports (with its pool) never loads label-studio-sdk."""
    import os
    import subprocess
    import sys

    seeds = tmp_path / "seeds"
    for k in range(5):
        write_seed(seeds, f"batch{k}", f"Article {k} is short.\n")
    ann = tmp_path / "annotations"
    ingest_all(seeds, annotations_dir=ann)
    seen = []
    report = labelstudio.push(url=ls_server.url, annotations_dir=ann, project="batches", api_key=ls_server.legacy_token,
                              progress=lambda stage, done, total: seen.append((stage, done, total)), batch=2)
    assert (report.imported, seen) == (5, [("push", 2, 5), ("push", 4, 5), ("push", 5, 5)])
    client = labelstudio.connect(url=ls_server.url, api_key=ls_server.legacy_token)
    assert [t.data["article_id"] for t in _tasks(client, report.project_id)] == [f"batch{k}" for k in range(5)]
    code = ("import sys; from newscorpus.labelstudio.server import pull; "
            f"r = pull(url={ls_server.url!r}, annotations_dir={str(ann)!r}, project='batches'); "
            "print(r.imported.tasks, r.tool_version, 'label_studio_sdk' in sys.modules)")
    env = {**os.environ, labelstudio.API_KEY_ENV: ls_server.legacy_token, "PYTHONPATH": str(REPO / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["5", LABEL_STUDIO_VERSION, "False"]
