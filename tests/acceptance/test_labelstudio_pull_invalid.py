"""`ls pull` of a project holding submitted annotations that break a rule, against the
real Label Studio of the session (``ls_server``): by default every one is listed with its
task link and nothing is written; `--skip-invalid --report FILE` imports the valid ones
and lists the refused ones in the report. And the next push of a record whose sentences
were corrected carries the new read-only regions."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from newscorpus.cli import cli
from newscorpus.labelstudio import server as labelstudio
from newscorpus.records.io import read_record

from tests.support import ingest_articles

pytestmark = pytest.mark.server

ARTICLES = {"alpha": "Alpha met Beta in Gamma.\n", "beta": "Delta stayed home.\n", "gamma": "Epsilon visited Zeta.\n"}


def _corpus(tmp_path: Path) -> Path:
    return ingest_articles(tmp_path, ARTICLES)


def _cli(ls_server, *args):
    return CliRunner().invoke(cli, [str(a) for a in args], env={labelstudio.API_KEY_ENV: ls_server.legacy_token})


def _span(rid: str, start: int, end: int, text: str, label: str) -> dict:
    return {"id": rid, "from_name": "entity", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def _project(ls_server, title: str):
    client = labelstudio.connect(url=ls_server.url, api_key=ls_server.legacy_token)
    (project,) = [p for p in client.projects.list() if p.title == title]
    return project.id, {t.data["article_id"]: t.id for t in client.tasks.list(project=project.id, fields="all")}


def test_pull_lists_every_invalid_annotation_and_skip_invalid_imports_the_rest(ls_server, tmp_path):
    ann = _corpus(tmp_path)
    assert _cli(ls_server, "ls", "push", "--url", ls_server.url, "--project", "invalid-pull", "--annotations", ann).exit_code == 0
    project_id, tasks = _project(ls_server, "invalid-pull")
    http = httpx.Client(base_url=ls_server.url, headers={"Authorization": f"Token {ls_server.legacy_token}"}, timeout=60)
    posted = {}
    for name, result in {
        "alpha": [_span("a1", 0, 5, "Alpha", "PERSON"), _span("a2", 0, 9, "Alpha met", "ORG")],   # span-overlap
        "beta": [_span("b1", 0, 5, "Gamma", "PERSON")],                                          # span-text-mismatch
        "gamma": [_span("g1", 0, 7, "Epsilon", "PERSON")],                                       # valid
    }.items():
        resp = http.post(f"/api/tasks/{tasks[name]}/annotations", json={"result": result, "was_cancelled": False})
        resp.raise_for_status()
        posted[name] = resp.json()["id"]
    before = {p.name: p.read_bytes() for p in ann.iterdir() if p.suffix == ".json"}
    link = f"{ls_server.url}/projects/{project_id}/data?task="
    args = ["ls", "pull", "--url", ls_server.url, "--project", "invalid-pull", "--annotations", ann]

    result = _cli(ls_server, *args)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {ls_server.url}/projects/{project_id}::{lines[1].split(': ')[0].strip()}: 2 annotations break a rule:"
    assert lines[1].endswith(f"[span-overlap] ({link}{tasks['alpha']})")
    assert f"annotation {posted['alpha']}" in lines[1]
    assert lines[2].endswith(f"({link}{tasks['beta']}) (hint: nothing was written; correct them in Label Studio and export "
                             "again, or import every valid annotation with --skip-invalid)")
    assert f"annotation {posted['beta']}" in lines[2] and "[span-text-mismatch]" in lines[2]
    assert {p.name: p.read_bytes() for p in ann.iterdir() if p.suffix == ".json"} == before

    report = tmp_path / "refused.json"
    result = _cli(ls_server, *args, "--skip-invalid", "--report", report)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f"refused 2 invalid annotation(s), listed in {report}\n")
    assert "3 task(s) (1 submitted, 0 cancelled, 0 draft); 1 record(s) written, 1 unchanged" in result.stdout
    refused = json.loads(report.read_text(encoding="utf-8"))
    assert refused["export"] == f"{ls_server.url}/projects/{project_id}"
    assert [(r["article"], r["annotation"], r["code"], r["link"]) for r in refused["refused"]] == [
        ("alpha", f"ls-p{project_id}-a{posted['alpha']}", "span-overlap", f"{link}{tasks['alpha']}"),
        ("beta", f"ls-p{project_id}-a{posted['beta']}", "span-text-mismatch", f"{link}{tasks['beta']}")]
    assert result.stderr.splitlines()[0].startswith(f"refused: article alpha, ls-p{project_id}-a{posted['alpha']} ({link}{tasks['alpha']}): ")
    gamma = read_record(ann / "gamma.json")
    assert [(a.id, a.origin.version, [(s.start, s.end, s.label) for s in a.spans]) for a in gamma.annotations] == [
        (f"ls-p{project_id}-a{posted['gamma']}", "1.23.2", [(0, 7, "PERSON")])]
    assert read_record(ann / "alpha.json").annotations == [] and read_record(ann / "beta.json").annotations == []
    assert _cli(ls_server, "validate", ann).exit_code == 0

    result = _cli(ls_server, *args, "--report", report)
    assert result.exit_code == 2 and "--report applies only with --skip-invalid" in result.output


def test_a_push_after_a_split_carries_the_new_read_only_regions(ls_server, tmp_path):
    ann = _corpus(tmp_path)
    result = _cli(ls_server, "sentences", "split", "alpha", "--at", 9, "--annotations", ann)
    assert result.exit_code == 0, result.output
    assert result.stdout == "alpha: split s0 [0, 24) into s0 [0, 9) and c10 [10, 24); 0 sentence label(s) copied\n"
    assert _cli(ls_server, "ls", "push", "--url", ls_server.url, "--project", "split-push", "--annotations", ann).exit_code == 0
    client = labelstudio.connect(url=ls_server.url, api_key=ls_server.legacy_token)
    _, tasks = _project(ls_server, "split-push")
    task = client.tasks.get(tasks["alpha"])
    (prediction,) = task.predictions
    regions = [(r["id"], r["value"]["start"], r["value"]["end"], r["value"]["text"], r.get("readonly"))
               for r in prediction.result if r["from_name"] == "sentence"]
    assert regions == [("s0", 0, 9, "Alpha met", True), ("c10", 10, 24, "Beta in Gamma.", True)]
