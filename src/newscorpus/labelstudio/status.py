"""Progress of a team in a Label Studio project: who did what, which articles are done,
which wait for the adjudicator.

:func:`project_status` reads the project's full export (:mod:`newscorpus.labelstudio.export`;
the task list API shows a user only their own drafts) and its adjudication project's, and
:func:`count_status` counts, from the tasks of an export:

- per annotator (``ls-<Label Studio user id>``, or ``ls-<server>-<user id>``, as the records
  name them; never an e-mail address): the tasks they submitted, the tasks holding a draft of theirs, the tasks they
  skipped (a cancelled annotation);
- the articles *complete*: submitted by at least ``overlap`` distinct annotators;
- the articles *open for adjudication*: submitted by two or more annotators whose labels are
  not all the same (:func:`labels_of`: spans, relations, sentence and article choices;
  notes do not count), and with no submitted annotation in the adjudication project yet
  (those are *adjudicated*). A majority of three may still settle some of them: ``newscorpus
  adjudicate`` lists exactly which units stay open.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import ijson

from newscorpus.importers.labelstudio.contract import annotator_id, user_id
from newscorpus.labelstudio.adjudication import adjudication_title
from newscorpus.labelstudio.client import DEFAULT_PROJECT, Progress, connect, find_project, require_project, resolve_key
from newscorpus.labelstudio.export import export_project
from newscorpus.labelstudio.tasks import SENTENCE_CONTROL

__all__ = ["AnnotatorProgress", "ProjectStatus", "labels_of", "count_status", "project_status"]


@dataclass(frozen=True)
class AnnotatorProgress:
    """One annotator's work in a project, in tasks: ``submitted`` (with a submitted
    annotation), ``drafts`` (holding a draft), ``skipped`` (with a cancelled annotation)."""

    annotator: str
    submitted: int
    drafts: int
    skipped: int


@dataclass(frozen=True)
class ProjectStatus:
    """The progress of a project (:func:`project_status`): its id, title, tasks and overlap
    (annotators per task), each annotator's :class:`AnnotatorProgress` (sorted by user id),
    and article ids (sorted): ``complete`` (submitted by at least ``overlap`` annotators),
    ``open_for_adjudication`` and ``adjudicated`` (see the module doc). ``adjudication_project``
    is the adjudication project's title, or None when there is none."""

    project_id: int
    project_title: str
    tasks: int
    overlap: int
    annotators: list[AnnotatorProgress]
    complete: list[str]
    open_for_adjudication: list[str]
    adjudicated: list[str]
    adjudication_project: str | None = None

    def to_dict(self) -> dict:
        """A JSON-ready dict."""
        return asdict(self)


def labels_of(result: list) -> frozenset:
    """What an annotation's result says, comparable between annotators: spans as (control,
    start, end, labels), choices on a region as (control, start, end, choices), article
    choices as (control, choices), relations as (labels, head span, tail span) with
    ``direction: left`` turned around. Sentence regions (the same for everyone) and notes
    are left out; so are items of other types."""
    said: set[tuple] = set()
    regions: dict[object, tuple] = {}
    for item in result:
        if not isinstance(item, dict) or item.get("type") == "relation":
            continue
        value = item.get("value") if isinstance(item.get("value"), dict) else {}
        where = (value.get("start"), value.get("end"))
        if item.get("type") == "labels":
            key = (item.get("from_name"), *where, tuple(sorted(map(str, value.get("labels") or ()))))
            regions[item.get("id")] = key
            if item.get("from_name") != SENTENCE_CONTROL:
                said.add(("span", *key))
        elif item.get("type") == "choices":
            choices = tuple(sorted(map(str, value.get("choices") or ())))
            said.add(("choice", item.get("from_name"), *(where if "start" in value else ()), choices))
    for item in result:
        if isinstance(item, dict) and item.get("type") == "relation":
            head, tail = regions.get(item.get("from_id")), regions.get(item.get("to_id"))
            if item.get("direction") == "left":
                head, tail = tail, head
            said.add(("relation", tuple(sorted(map(str, item.get("labels") or ()))), head, tail))
    return frozenset(said)


def _stamp(annotation: dict) -> tuple:
    return (str(annotation.get("updated_at") or annotation.get("created_at") or ""), annotation.get("id") or 0)


def count_status(tasks: Iterable[dict], *, overlap: int, adjudicated: Iterable[str] = (),
                 server: str | None = None) -> tuple[int, list[AnnotatorProgress], list[str], list[str]]:
    """Count the tasks of a full JSON export (dicts as Label Studio exports them): returns
    the number of tasks, the annotators' progress (sorted by user id; named as the records
    name them, ``ls-<user id>``, or ``ls-<server>-<user id>`` on the server the corpus names
    ``server``), the complete articles
    (at least ``overlap`` annotators submitted) and those open for adjudication (two or more
    annotators submitted, their :func:`labels_of` differ, and the id is not in
    ``adjudicated``), both sorted. An annotator's latest submitted annotation of an article
    is theirs (by ``updated_at``, then id); tasks without ``data.article_id`` are counted as
    tasks only."""
    done = set(adjudicated)
    count = 0
    work: dict[int, dict[str, set]] = {}
    latest: dict[str, dict[int, dict]] = {}

    def note(user: int | None, kind: str, task_id: object) -> None:
        if user is not None:
            work.setdefault(user, {"submitted": set(), "drafts": set(), "skipped": set()})[kind].add(task_id)

    for task in tasks:
        count += 1
        task_id = task.get("id")
        article = (task.get("data") or {}).get("article_id")
        for annotation in task.get("annotations") or ():
            if not isinstance(annotation, dict):
                continue
            user = user_id(annotation.get("completed_by"))
            if annotation.get("was_cancelled"):
                note(user, "skipped", task_id)
                continue
            note(user, "submitted", task_id)
            if user is not None and isinstance(article, str):
                mine = latest.setdefault(article, {})
                if user not in mine or _stamp(annotation) > _stamp(mine[user]):
                    mine[user] = annotation
        for draft in task.get("drafts") or ():
            if isinstance(draft, dict):
                note(user_id(draft.get("user"), fallback_name=draft.get("created_username")), "drafts", task_id)
    people = [AnnotatorProgress(annotator_id(user, server=server), len(w["submitted"]), len(w["drafts"]), len(w["skipped"]))
              for user, w in sorted(work.items())]
    complete = sorted(a for a, by in latest.items() if len(by) >= overlap)
    open_ = sorted(a for a, by in latest.items()
                   if len(by) >= 2 and a not in done and len({labels_of(x.get("result") or []) for x in by.values()}) > 1)
    return count, people, complete, open_


def _tasks_of(path: Path) -> Iterable[dict]:
    with open(path, "rb") as fh:
        yield from ijson.items(fh, "item", use_float=True)


def project_status(*, url: str, project: str = DEFAULT_PROJECT, api_key: str | None = None,
                   progress: Progress | None = None, server: str | None = None) -> ProjectStatus:
    """The progress of the project titled ``project`` on ``url``: its full export (and its
    adjudication project's, :func:`adjudication_title`, when there is one) counted by
    :func:`count_status` at the project's overlap (Label Studio's ``maximum_annotations``),
    annotators named for ``server``, the corpus's name for this server (``[labelstudio] server``).
    Export files go to a temporary folder, removed afterwards. Raises
    :class:`~newscorpus.errors.LabelStudioError` (``project-not-found`` and those of
    :func:`~newscorpus.labelstudio.client.connect` and of the export)."""
    key = resolve_key(api_key)
    url = url.rstrip("/")
    client = connect(url=url, api_key=key)
    found = require_project(client, project, url=url, key=key)
    overlap = getattr(found, "maximum_annotations", None) or 1
    adjudication = find_project(client, adjudication_title(project), url=url, key=key)
    with tempfile.TemporaryDirectory(prefix="newscorpus-status-") as tmp:
        adjudicated: set[str] = set()
        if adjudication is not None:
            export_project(client, adjudication.id, Path(tmp) / "adjudication.json", url=url, key=key, progress=progress)
            _, _, decided, _ = count_status(_tasks_of(Path(tmp) / "adjudication.json"), overlap=1)
            adjudicated.update(decided)
        export_project(client, found.id, Path(tmp) / "export.json", url=url, key=key, progress=progress)
        tasks, people, complete, open_ = count_status(_tasks_of(Path(tmp) / "export.json"), overlap=overlap,
                                                      adjudicated=adjudicated, server=server)
    return ProjectStatus(
        project_id=found.id, project_title=project, tasks=tasks, overlap=overlap, annotators=people, complete=complete,
        open_for_adjudication=open_, adjudicated=sorted(adjudicated),
        adjudication_project=adjudication.title if adjudication is not None else None,
    )
