"""A team in a real Label Studio 1.23.2 (the session fixture ``ls_server``): annotators who
signed up through the invite link, overlap, progress, the adjudication round.

Annotators act through the API with their own legacy tokens, as the labeling view does:
``GET /api/projects/<id>/next`` for their next task, ``POST /api/tasks/<id>/annotations``
to submit (``was_cancelled`` to skip), ``POST /api/tasks/<id>/drafts`` for a draft.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from newscorpus.cli import cli
from newscorpus.ingest.run import ingest_all
from newscorpus.labelstudio import server as labelstudio

from tests.support import ls_server_module, write_seed

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
    seeds = tmp_path / "seeds"
    for name, text in articles.items():
        write_seed(seeds, name, text)
    ann = tmp_path / "annotations"
    ingest_all(seeds, annotations_dir=ann)
    return ann


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
