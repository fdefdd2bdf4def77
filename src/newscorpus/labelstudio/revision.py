"""Label Studio tasks of revised articles, updated in place (docs/label-studio.md, Push).

After ``newscorpus revise`` moved a record onto a corrected text, the project still holds
its task with the old text. ``ls push`` finds such tasks (the task's ``data.text_sha256``
is a ``previous_text_sha256`` of the record's ``revisions``) and updates them rather than
refusing them, so nobody's work is lost:

- first, every annotation and draft of those tasks must be in the record, and not changed
  since it was pulled (its ``updated_at`` not after the record's): otherwise its work
  would be moved by nobody. :func:`unpulled` lists the others and push refuses before
  anything is changed;
- then the task's ``data.text`` and ``data.text_sha256`` become the record's, its
  predictions are replaced by the record's (sentence regions and gold), and every
  annotation's and draft's result is rewritten with the record's offsets
  (:func:`moved_results`: a region keeps its id, labels and everything else; a sentence
  region takes its sentence's offsets, a span region its span's; a region the record no
  longer has, and a relation naming one, is left out).

Offsets are code points, end-exclusive.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import ijson

from newscorpus.core.models import Annotation, ArticleRecord
from newscorpus.errors import LabelStudioError
from newscorpus.importers.labelstudio.task import task_entries
from newscorpus.labelstudio.client import api_errors
from newscorpus.labelstudio.export import export_project
from newscorpus.labelstudio.tasks import SENTENCE_CONTROL

__all__ = ["TaskUpdate", "revised_from", "unpulled", "moved_results", "task_updates", "prepare_updates", "apply_updates"]


@dataclass(frozen=True)
class TaskUpdate:
    """What push changes in one task of a revised article: the task ``task_id`` (its
    ``data`` after), the record, and per annotation (``annotations``) and draft
    (``drafts``) of Label Studio its id and its new result."""

    task_id: int
    record: ArticleRecord
    data: dict
    annotations: list[tuple[int, list[dict]]]
    drafts: list[tuple[int, list[dict]]]


def revised_from(record: ArticleRecord, sha256: str) -> bool:
    """True when ``sha256`` is the text hash of an earlier text of ``record`` (a revision's
    ``previous_text_sha256``): a task with that hash can be updated in place."""
    return any(rev.previous_text_sha256 == sha256 for rev in record.revisions)


def _instant(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def unpulled(task: dict, record: ArticleRecord, *, server: str | None = None) -> list[str]:
    """The annotations and drafts of ``task`` (an exported task of ``record``'s article)
    that the record does not hold as they are in Label Studio, one phrase each: ``task 7
    (article a), annotation 9 by ls-3: not in the record`` or ``…: changed since the pull
    (<updated_at>)``. ``server`` is the corpus's name for the server (ids)."""
    held = {a.id: a for a in record.annotations}
    out = []
    for entry in task_entries(task, index=0, article_id=record.id, server=server):
        mine = held.get(entry.id)
        if mine is None:
            out.append(f"{entry.name} by {entry.annotator}: not in the record")
            continue
        theirs, ours = _instant(entry.raw.get("updated_at")), mine.updated_at
        if theirs is not None and (ours is None or theirs > ours):
            out.append(f"{entry.name} by {entry.annotator}: changed since the pull ({entry.raw.get('updated_at')})")
    return out


def moved_results(results: Iterable[dict], *, record: ArticleRecord, part: Annotation) -> list[dict]:
    """``results`` (a Label Studio annotation's result items) with the offsets of
    ``record`` (the revised record) and ``part`` (its annotation of them): each region
    (an item with ``value.start`` and ``value.end``) whose id is a span of ``part`` takes
    that span's offsets and text, one that is a sentence of ``record`` (the sentence
    regions and the per-region choices on them) its sentence's; any other region, and a
    relation naming one, is left out. Items are copied, never changed in place."""
    spans = {s.id: s for s in part.spans}
    sentences = {s.id: s for s in record.sentences}
    out: list[dict] = []
    for item in results:
        value = item.get("value")
        if item.get("type") == "relation":
            if item.get("from_id") in spans.keys() | sentences.keys() and item.get("to_id") in spans.keys() | sentences.keys():
                out.append(dict(item))
            continue
        if not isinstance(value, dict) or "start" not in value or "end" not in value:
            out.append(dict(item))
            continue
        rid = item.get("id")
        where = sentences.get(rid) if item.get("from_name") == SENTENCE_CONTROL else spans.get(rid) or sentences.get(rid)
        if where is None:
            continue
        moved = {**value, "start": where.start, "end": where.end}
        if isinstance(value.get("text"), str):
            moved["text"] = record.text[where.start : where.end]
        out.append({**item, "value": moved})
    return out


def task_updates(tasks: Iterable[dict], records: dict[str, ArticleRecord], *, server: str | None = None) -> list[TaskUpdate]:
    """The :class:`TaskUpdate` of each exported task in ``tasks`` whose article is a record
    of ``records`` (by id); an annotation or draft the record does not hold is left alone
    (:func:`unpulled` is to be checked first)."""
    updates = []
    for task in tasks:
        record = records[task["data"]["article_id"]]
        held = {a.id: a for a in record.annotations}
        annotations: list[tuple[int, list[dict]]] = []
        drafts: list[tuple[int, list[dict]]] = []
        for entry in task_entries(task, index=0, article_id=record.id, server=server):
            part = held.get(entry.id)
            if part is not None:
                (drafts if entry.status == "draft" else annotations).append(
                    (entry.raw["id"], moved_results(entry.raw.get("result") or [], record=record, part=part)))
        data = {**task["data"], "text": record.text, "text_sha256": record.text_sha256}
        updates.append(TaskUpdate(task["id"], record, data, annotations, drafts))
    return updates


def prepare_updates(client, project_id: int, project: str, records: dict[str, ArticleRecord], *, url: str, key: str,
                    server: str | None = None) -> list[TaskUpdate]:
    """The updates of the tasks of ``records`` (revised records by article id) in project
    ``project_id`` (titled ``project``), read from a full export of the project
    (:func:`~newscorpus.labelstudio.export.export_project`: it holds every user's drafts).
    Raises :class:`LabelStudioError` (``unpulled-annotations``) naming every annotation
    and draft :func:`unpulled` finds, before anything is changed."""
    with tempfile.TemporaryDirectory(prefix="newscorpus-push-") as tmp:
        export = export_project(client, project_id, Path(tmp) / "export.json", url=url, key=key)
        with open(export.path, "rb") as fh:
            tasks = [t for t in ijson.items(fh, "item", use_float=True)
                     if isinstance(t.get("data"), dict) and t["data"].get("article_id") in records
                     and t["data"].get("text_sha256") != records[t["data"]["article_id"]].text_sha256]
    problems = [p for task in tasks for p in unpulled(task, records[task["data"]["article_id"]], server=server)]
    if problems:
        raise LabelStudioError(
            f"{url}: project {project!r} holds work on revised articles that the records do not have: "
            + "; ".join(problems),
            code="unpulled-annotations",
            hint="nothing was changed. Pull it before revising: put back the record and the seed's old text "
            "(e.g. `git checkout`), `newscorpus ls pull`, then fix the seed, `newscorpus revise` and `newscorpus ls push` again",
        )
    return task_updates(tasks, records, server=server)


def _patch_draft(client, draft_id: int, result: list[dict], *, url: str) -> None:
    # label-studio-sdk 2.1.2 has no drafts resource: the SDK's own authenticated HTTP client
    response = client._client_wrapper.httpx_client.request(f"api/drafts/{draft_id}", method="PATCH", json={"result": result})
    if response.status_code >= 400:
        raise LabelStudioError(f"{url}: update draft {draft_id}: Label Studio answered {response.status_code}",
                               code="api-error")


def apply_updates(client, updates: Iterable[TaskUpdate], *, predictions: Callable[[ArticleRecord], list[dict]],
                  url: str, key: str) -> int:
    """Make each update in Label Studio: the task's data (``PATCH /api/tasks/<id>``), its
    predictions replaced by ``predictions(record)`` (prediction dicts with ``result`` and
    ``model_version``), every annotation's result (``PATCH /api/annotations/<id>``) and
    draft's (``PATCH /api/drafts/<id>``). Returns the number of tasks updated. Raises
    :class:`LabelStudioError` from the API."""
    done = 0
    for update in updates:
        with api_errors(f"update task {update.task_id}", url=url, key=key):
            client.tasks.update(str(update.task_id), data=update.data)
            for old in client.predictions.list(task=update.task_id):
                client.predictions.delete(old.id)
            for prediction in predictions(update.record):
                client.predictions.create(task=update.task_id, result=prediction["result"],
                                          model_version=prediction["model_version"])
            for annotation_id, result in update.annotations:
                client.annotations.update(annotation_id, result=result)
            for draft_id, result in update.drafts:
                _patch_draft(client, draft_id, result, url=url)
        done += 1
    return done
