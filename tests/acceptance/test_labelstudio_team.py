"""A team in a real Label Studio 1.23.2 (the session fixture ``ls_server``): annotators who
signed up through the invite link, overlap, progress, the adjudication round.

Annotators act through the API with their own legacy tokens, as the labeling view does:
``GET /api/projects/<id>/next`` for their next task, ``POST /api/tasks/<id>/annotations``
to submit (``was_cancelled`` to skip), ``POST /api/tasks/<id>/drafts`` for a draft.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from newscorpus.cli import cli
from newscorpus.labelstudio import server as labelstudio
from newscorpus.records.io import read_record

from tests.support import ingest_articles, ls_server_module

pytestmark = pytest.mark.server

ARTICLES = {
    "alpha": "Alpha met Beta in Gamma.\n",
    "beta": "Delta stayed home.\n",
    "gamma": "Epsilon visited Zeta.\n",
}


@pytest.fixture(scope="module")
def team(ls_server):
    """Three people who signed up through the organisation's invite link: two annotators
    and an adjudicator (``Annotator``: id, email, password, legacy_token)."""
    module = ls_server_module()
    invite = module.invite_link(ls_server.url, api_key=ls_server.legacy_token)
    assert "/user/signup/?token=" in invite
    run = secrets.token_hex(4)
    return [module.sign_up(ls_server.url, invite=invite, email=f"{role}-{run}@example.com")
            for role in ("annotator1", "annotator2", "adjudicator")]


class Person:
    """One annotator's side of the API, with their own token."""

    def __init__(self, url: str, account) -> None:
        self.id, self.name = account.id, f"ls-{account.id}"
        self.http = httpx.Client(base_url=url, headers={"Authorization": f"Token {account.legacy_token}"}, timeout=60)

    def next_task(self, project_id: int) -> dict | None:
        """The task Label Studio gives next, or None when it says there is none."""
        resp = self.http.get(f"/api/projects/{project_id}/next")
        if resp.status_code == 404:
            return None
        resp.raise_for_status()
        return resp.json()

    def submit(self, task_id: int, result: list[dict], *, cancelled: bool = False) -> dict:
        resp = self.http.post(f"/api/tasks/{task_id}/annotations", json={"result": result, "was_cancelled": cancelled})
        resp.raise_for_status()
        return resp.json()

    def draft(self, task_id: int, result: list[dict]) -> None:
        self.http.post(f"/api/tasks/{task_id}/drafts", json={"result": result, "lead_time": 1.0}).raise_for_status()

    def work_through(self, project_id: int) -> list[int]:
        """Take the next task and submit it until Label Studio has none left; the task ids."""
        done = []
        while (task := self.next_task(project_id)) is not None:
            assert task["id"] not in done, "Label Studio gave the same task twice"
            done.append(task["id"])
            self.submit(task["id"], [])
        return done


def _corpus(tmp_path: Path, articles: dict[str, str] = ARTICLES) -> Path:
    return ingest_articles(tmp_path, articles)


def _push(ls_server, ann: Path, project: str, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["ls", "push", "--url", ls_server.url, "--project", project, "--annotations", str(ann), *extra],
                                env={labelstudio.API_KEY_ENV: ls_server.legacy_token})
    assert result.exit_code == 0, result.output
    return result.stdout


def _tasks(client, project_id: int) -> dict[str, object]:
    return {t.data["article_id"]: t for t in client.tasks.list(project=project_id, fields="all")}


def test_overlap_2_gives_every_task_to_each_of_two_annotators(ls_server, team, tmp_path):
    ann = _corpus(tmp_path)
    out = _push(ls_server, ann, "team-overlap", "--overlap", "2")
    assert "(id " in out and ", 2 annotators per task, created, model version " in out
    assert out.endswith("): 3 task(s) imported, 0 already there\n")
    client = labelstudio.connect(url=ls_server.url, api_key=ls_server.legacy_token)
    (project,) = [p for p in client.projects.list() if p.title == "team-overlap"]
    proj = client.projects.get(project.id)
    assert (proj.maximum_annotations, proj.overlap_cohort_percentage, proj.show_overlap_first) == (2, 100, True)
    tasks = _tasks(client, project.id)
    assert sorted(t.overlap for t in tasks.values()) == [2, 2, 2]

    first, second = Person(ls_server.url, team[0]), Person(ls_server.url, team[1])
    everything = sorted(t.id for t in tasks.values())
    assert sorted(first.work_through(project.id)) == everything
    assert sorted(second.work_through(project.id)) == everything  # the second annotator still gets every task
    assert first.next_task(project.id) is None


def test_without_overlap_the_second_annotator_gets_nothing_and_a_later_push_sets_it(ls_server, team, tmp_path):
    """Label Studio's default (one annotation per task), as before: what the first annotator
    labelled is gone for the second. Pushing again with --overlap 2 sets it on the tasks
    already there."""
    ann = _corpus(tmp_path, {"delta": "Delta stayed home.\n", "eta": "Eta left early.\n"})
    out = _push(ls_server, ann, "team-no-overlap")
    assert ", 1 annotator per task, created, " in out and "): 2 task(s) imported, 0 already there" in out
    client = labelstudio.connect(url=ls_server.url, api_key=ls_server.legacy_token)
    (project,) = [p for p in client.projects.list() if p.title == "team-no-overlap"]
    first, second = Person(ls_server.url, team[0]), Person(ls_server.url, team[1])
    assert len(first.work_through(project.id)) == 2
    assert second.next_task(project.id) is None

    again = _push(ls_server, ann, "team-no-overlap", "--overlap", "2")
    assert ", 2 annotators per task, overlap updated, " in again and "): 0 task(s) imported, 2 already there" in again
    assert sorted(t.overlap for t in _tasks(client, project.id).values()) == [2, 2]
    assert len(second.work_through(project.id)) == 2
    # pushing again without --overlap leaves the project's setting alone
    assert "up to date" in _push(ls_server, ann, "team-no-overlap") and client.projects.get(project.id).maximum_annotations == 2


def _span(rid: str, start: int, end: int, text: str, label: str) -> dict:
    return {"id": rid, "from_name": "entity", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def _status(ls_server, project: str, fmt: str = "json"):
    result = CliRunner().invoke(cli, ["ls", "status", "--url", ls_server.url, "--project", project, "--format", fmt],
                                env={labelstudio.API_KEY_ENV: ls_server.legacy_token})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if fmt == "json" else result.stdout


def test_status_counts_exactly(ls_server, team, tmp_path):
    ann = _corpus(tmp_path)
    _push(ls_server, ann, "team-status", "--overlap", "2")
    client = labelstudio.connect(url=ls_server.url, api_key=ls_server.legacy_token)
    (project,) = [p for p in client.projects.list() if p.title == "team-status"]
    tasks = _tasks(client, project.id)
    first, second = Person(ls_server.url, team[0]), Person(ls_server.url, team[1])
    alpha, beta, gamma = (tasks[name].id for name in ("alpha", "beta", "gamma"))
    # alpha: both mark Alpha as PERSON (their region ids differ): they agree
    first.submit(alpha, [_span("f1", 0, 5, "Alpha", "PERSON")])
    second.submit(alpha, [_span("s1", 0, 5, "Alpha", "PERSON")])
    # beta: the first marks Delta as PERSON, the second as ORG: open for adjudication
    first.submit(beta, [_span("f2", 0, 5, "Delta", "PERSON")])
    second.submit(beta, [_span("s2", 0, 5, "Delta", "ORG")])
    # gamma: the first skips it, the second leaves a draft
    first.submit(gamma, [], cancelled=True)
    second.draft(gamma, [_span("s3", 0, 7, "Epsilon", "PERSON")])

    status = _status(ls_server, "team-status")
    assert status == {
        "project_id": project.id, "project_title": "team-status", "tasks": 3, "overlap": 2,
        "annotators": [
            {"annotator": first.name, "submitted": 2, "drafts": 0, "skipped": 1},
            {"annotator": second.name, "submitted": 2, "drafts": 1, "skipped": 0},
        ],
        "complete": ["alpha", "beta"], "open_for_adjudication": ["beta"], "adjudicated": [], "adjudication_project": None,
    }
    assert "@" not in json.dumps(status)  # pseudonymous ids, never e-mail addresses
    table = _status(ls_server, "team-status", "table")
    rows = [[cell.strip() for cell in line.strip("│ ").split("│")] for line in table.splitlines() if line.startswith("│")]
    assert rows == [[first.name, "2", "0", "1"], [second.name, "2", "1", "0"]]
    assert "articles complete (2+ submitted): 2 of 3\nopen for adjudication: 1 (beta)\n" in table
    assert "adjudicated (no adjudication project yet): 0" in table


def _run(ls_server, *args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env={labelstudio.API_KEY_ENV: ls_server.legacy_token})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_adjudication_round(ls_server, team, tmp_path):
    """Two annotators disagree on one entity; `adjudicate` writes the open unit as a task;
    `ls push --adjudication` sends it, its candidates showing without manual steps; the
    adjudicator submits; `ls pull --adjudication`; `adjudicate --adjudicator` makes it the
    gold (method adjudicated); agreement leaves the adjudicator out."""
    ann = _corpus(tmp_path, {"alpha": "Alpha met Beta in Gamma.\n", "beta": "Delta stayed home.\n"})
    project = "team-round"
    url = ["--url", ls_server.url, "--project", project]
    _run(ls_server, "ls", "push", *url, "--annotations", str(ann), "--overlap", "2")
    client = labelstudio.connect(url=ls_server.url, api_key=ls_server.legacy_token)
    (main,) = [p for p in client.projects.list() if p.title == project]
    tasks = _tasks(client, main.id)
    first, second, judge = (Person(ls_server.url, account) for account in team)
    person = _span("p", 0, 5, "Alpha", "PERSON")
    first.submit(tasks["alpha"].id, [person, _span("g", 18, 23, "Gamma", "GPE")])
    second.submit(tasks["alpha"].id, [person, _span("o", 18, 23, "Gamma", "ORG")])
    for who in (first, second):
        who.submit(tasks["beta"].id, [_span("d", 0, 5, "Delta", "PERSON")])
    _run(ls_server, "ls", "pull", *url, "--annotations", str(ann))

    tasks_file = tmp_path / "adjudication" / "tasks.json"
    out = _run(ls_server, "adjudicate", "--annotations", str(ann), "--tasks", str(tasks_file))
    assert "wrote 1 adjudication task(s)" in out
    assert _status(ls_server, project)["open_for_adjudication"] == ["alpha"]

    pushed = _run(ls_server, "ls", "push", *url, "--adjudication", "--tasks", str(tasks_file))
    assert f"project '{project} adjudication' (id " in pushed
    assert "1 annotator per task, created, model version candidates): 1 task(s) imported, 0 already there" in pushed
    (adj,) = [p for p in client.projects.list() if p.title == f"{project} adjudication"]
    assert client.projects.get(adj.id).model_version == "candidates"
    # what the labeling view gets: both candidates (only predictions of the project's model version show)
    (task,) = [t for t in client.tasks.list(project=adj.id)]
    assert judge.next_task(adj.id)["id"] == task.id
    shown = judge.http.get(f"/api/tasks/{task.id}").json()["predictions"]
    assert [p["model_version"] for p in shown] == ["candidates", "candidates"]
    gamma = [[r["value"]["labels"] for r in p["result"] if r.get("value", {}).get("start") == 18] for p in shown]
    assert sorted(gamma) == [[["GPE"]], [["ORG"]]]
    sentences = [r for r in shown[0]["result"] if r.get("from_name") == "sentence"]
    assert [(r["id"], r.get("readonly")) for r in sentences] == [("s0", True)]
    # the adjudicator takes the first candidate, keeps GPE, submits
    chosen = next(p for p in shown if ["GPE"] in [r["value"].get("labels") for r in p["result"] if "value" in r])
    judge.submit(task.id, chosen["result"])
    assert _status(ls_server, project)["adjudicated"] == ["alpha"]
    assert _status(ls_server, project)["open_for_adjudication"] == []

    pulled = _run(ls_server, "ls", "pull", *url, "--annotations", str(ann), "--adjudication")
    assert f"pulled project '{project} adjudication'" in pulled and "Label Studio 1.23.2" in pulled
    out = _run(ls_server, "adjudicate", "--annotations", str(ann), "--adjudicator", judge.name, "--tasks", str(tasks_file))
    assert "adjudicated 2 record(s): 1 adjudicated, 1 majority" in out
    alpha = read_record(ann / "alpha.json")
    assert (alpha.gold.method, alpha.gold.decided_by) == ("adjudicated", judge.name)
    assert [(s.label, s.start, s.end) for s in alpha.gold.spans] == [("PERSON", 0, 5), ("GPE", 18, 23)]
    (decision,) = [a for a in alpha.annotations if a.annotator == judge.name]
    assert (decision.origin.project, decision.origin.version, alpha.gold.from_annotations) == (adj.id, "1.23.2", [decision.id])

    _run(ls_server, "agreement", "--annotations", str(ann), "--out", str(tmp_path / "agreement"))
    figures = json.loads((tmp_path / "agreement" / "agreement.json").read_text(encoding="utf-8"))
    assert figures["annotators"] == sorted([first.name, second.name])  # not the adjudicator
    assert figures["articles_with_multiple_annotators"] == 2
    # alpha: PERSON agreed, GPE vs ORG; beta: PERSON agreed: 2 exact matches in 6 spans, F1 2/3
    # (with the adjudicator's alpha counted: 5 in 14, F1 5/7)
    overall = figures["span_overall"]
    assert (overall["exact_matched"], overall["spans"], overall["exact_f1"]) == (2, 6, pytest.approx(2 / 3))


def _sentence_regions(client, task_id: int) -> list[dict]:
    """The sentence regions of the task's prediction, as the labeling view copies them into an annotation."""
    (prediction,) = client.tasks.get(str(task_id)).predictions
    return [dict(r, origin="prediction") for r in prediction.result if r.get("from_name") == "sentence"]


def test_a_typo_fixed_after_annotation_goes_through_revise_and_push_and_nobody_loses_work(ls_server, team, tmp_path):
    """Two annotators submit, a third person leaves a draft; pull; a typo in the seed is
    fixed; `revise` moves every span; `ls push` updates the task in place (text,
    predictions, every annotation and draft); the next pull finds every span with its text.
    Then an annotation changed in Label Studio after the pull makes push refuse a second
    correction, naming it, and change nothing."""
    old = "Alpha mett Beta in Gamma.\nDelta stayed home.\n"
    new = "Alpha met Beta in Gamma.\nDelta stayed home.\n"
    ann = _corpus(tmp_path, {"alpha": old})
    project = "team-revise"
    url = ["--url", ls_server.url, "--project", project]
    _run(ls_server, "ls", "push", *url, "--annotations", str(ann), "--overlap", "2")
    client = labelstudio.connect(url=ls_server.url, api_key=ls_server.legacy_token)
    (main,) = [p for p in client.projects.list() if p.title == project]
    task_id = _tasks(client, main.id)["alpha"].id
    first, second, third = (Person(ls_server.url, account) for account in team)
    regions = _sentence_regions(client, task_id)
    assert [(r["id"], r["value"]["start"], r["value"]["end"]) for r in regions] == [("s0", 0, 25), ("s1", 26, 44)]
    role = {"id": "s1", "from_name": "discourse_role", "to_name": "text", "type": "choices", "origin": "manual",
            "value": {"start": 26, "end": 44, "text": old[26:44], "choices": ["CONSEQUENCE"]}}
    made = first.submit(task_id, [*regions, _span("p", 0, 5, "Alpha", "PERSON"), _span("g", 19, 24, "Gamma", "GPE")])
    quote = dict(_span("b", 11, 15, "Beta", "QUOTE"), from_name="attribution")
    second.submit(task_id, [*regions, role, quote, _span("d", 26, 31, "Delta", "PERSON"),
                            {"type": "relation", "from_id": "b", "to_id": "d", "direction": "right", "labels": ["SPEAKER"]}])
    third.draft(task_id, [*regions, _span("l", 19, 24, "Gamma", "LOC")])
    _run(ls_server, "ls", "pull", *url, "--annotations", str(ann))

    (tmp_path / "seeds" / "alpha.txt").write_text(new, encoding="utf-8")
    revised = _run(ls_server, "revise", "--seeds", str(tmp_path / "seeds"), "--annotations", str(ann))
    assert revised == ("alpha: 5 span(s) moved, 0 changed, 0 deleted; sentences: 1 changed, 0 added, 0 dropped\n"
                       "revised 1 of 1 record(s); `newscorpus ls push` updates their Label Studio tasks\n")
    early = CliRunner().invoke(cli, ["ls", "pull", *url, "--annotations", str(ann)], env={labelstudio.API_KEY_ENV: ls_server.legacy_token})
    assert early.exit_code == 1 and early.stderr.endswith(
        "(hint: the record was revised from this text (`newscorpus revise`): `newscorpus ls push` updates the task in place, "
        "then pull again)\n")
    pushed = _run(ls_server, "ls", "push", *url, "--annotations", str(ann))
    assert pushed.endswith("0 task(s) imported, 1 already there; 1 task(s) of revised articles updated in place\n")

    task = client.tasks.get(str(task_id))
    record = read_record(ann / "alpha.json")
    assert task.data == {"text": new, "article_id": "alpha", "text_sha256": record.text_sha256}
    (prediction,) = task.predictions
    assert [(r["id"], r["value"]["start"], r["value"]["end"], r.get("readonly")) for r in prediction.result] == [
        ("s0", 0, 24, True), ("s1", 25, 43, True)]
    export = tmp_path / "export.json"
    labelstudio.export_json(url=ls_server.url, dest=export, project=project, api_key=ls_server.legacy_token)
    (exported,) = json.loads(export.read_text(encoding="utf-8"))
    regions_of = lambda entry: sorted((r["id"], r["from_name"], r["value"]["start"], r["value"]["end"], r["value"].get("text"))
                                      for r in entry["result"] if "start" in r.get("value", {}))
    by_user = {a["completed_by"]: a for a in exported["annotations"]}
    assert regions_of(by_user[first.id]) == [("g", "entity", 18, 23, "Gamma"), ("p", "entity", 0, 5, "Alpha"),
                                             ("s0", "sentence", 0, 24, new[0:24]), ("s1", "sentence", 25, 43, new[25:43])]
    assert regions_of(by_user[second.id]) == [
        ("b", "attribution", 10, 14, "Beta"), ("d", "entity", 25, 30, "Delta"), ("s0", "sentence", 0, 24, new[0:24]),
        ("s1", "discourse_role", 25, 43, new[25:43]), ("s1", "sentence", 25, 43, new[25:43])]
    assert [r for r in by_user[second.id]["result"] if r["type"] == "relation"] == [
        {"type": "relation", "from_id": "b", "to_id": "d", "direction": "right", "labels": ["SPEAKER"]}]
    (draft,) = exported["drafts"]
    assert regions_of(draft) == [("l", "entity", 18, 23, "Gamma"), ("s0", "sentence", 0, 24, new[0:24]),
                                 ("s1", "sentence", 25, 43, new[25:43])]

    _run(ls_server, "ls", "pull", *url, "--annotations", str(ann))
    again = read_record(ann / "alpha.json")
    assert again.text == new and len(again.annotations) == 3
    spans = {(a.annotator, s.id): (s.start, s.end, s.text) for a in again.annotations for s in a.spans}
    assert spans == {(first.name, "p"): (0, 5, "Alpha"), (first.name, "g"): (18, 23, "Gamma"),
                     (second.name, "b"): (10, 14, "Beta"), (second.name, "d"): (25, 30, "Delta"),
                     (third.name, "l"): (18, 23, "Gamma")}
    assert [s.text for a in again.annotations for s in a.spans] == [new[s.start:s.end] for a in again.annotations for s in a.spans]
    (labelled,) = [a for a in again.annotations if a.annotator == second.name]
    assert [(sl.sentence, sl.label) for sl in labelled.sentence_labels] == [("s1", "CONSEQUENCE")]
    assert [r.id for r in labelled.relations] == ["SPEAKER:b>d"]
    assert again.revisions == record.revisions and len(again.revisions) == 1
    assert _run(ls_server, "validate", str(ann)).startswith("valid: 1 file checked")

    # the first annotator changes their annotation after the pull: a second correction is refused
    first.http.patch(f"/api/annotations/{made['id']}", json={"result": [*regions, _span("p", 0, 5, "Alpha", "ORG")]}).raise_for_status()
    (tmp_path / "seeds" / "alpha.txt").write_text(new.replace("stayed home", "stayed at home"), encoding="utf-8")
    _run(ls_server, "revise", "--seeds", str(tmp_path / "seeds"), "--annotations", str(ann))
    refused = CliRunner().invoke(cli, ["ls", "push", *url, "--annotations", str(ann)],
                                 env={labelstudio.API_KEY_ENV: ls_server.legacy_token})
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"error: {ls_server.url}: project 'team-revise' holds work on revised articles that the "
                                     f"records do not have: task {task_id} (article alpha), annotation {made['id']} by "
                                     f"{first.name}: changed since the pull (")
    assert "nothing was changed. Pull it before revising" in refused.stderr
    assert client.tasks.get(str(task_id)).data["text"] == new
