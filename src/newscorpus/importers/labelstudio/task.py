"""One exported Label Studio task into annotations of its article's record (JSON form).

Pure conversion, no reading or writing: :func:`convert_task` checks the task against the
record (same text, same ``text_sha256``) and turns its annotations and drafts into
annotations in JSON form, each exactly what ``Annotation.model_dump(mode="json")`` gives
for it: the annotation's own fields are validated by the model, the layers are built by
:func:`newscorpus.importers.labelstudio.results.convert_results` already in that form.
Ids and annotators follow :mod:`newscorpus.importers.labelstudio.contract`; an e-mail
address never reaches a record.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import ValidationError

from newscorpus.core.models import Annotation, ArticleRecord
from newscorpus.core.scheme import Scheme
from newscorpus.errors import ExportError, OffsetUnitError
from newscorpus.importers.labelstudio.contract import OffsetUnit, annotation_id, annotator_id, task_link, user_id
from newscorpus.importers.labelstudio.results import convert_results
from newscorpus.importers.refusals import refusal
from newscorpus.importers.report import ImportWarning

__all__ = ["Entry", "task_entries", "task_name", "convert_task", "draft_skipped"]


@dataclass(frozen=True)
class Entry:
    """One annotation or draft of an exported task: ``raw`` (its object in the export),
    ``id`` (its record id), ``path`` (its JSON path, e.g. ``$[3].drafts[0]``), ``name``
    (readable, e.g. "task 7 (article a), draft 9"), ``status`` (submitted, cancelled or
    draft), ``annotator`` (``ls-<user id>``) and its Label Studio ``project``."""

    raw: dict
    id: str
    path: str
    name: str
    status: str
    annotator: str
    project: int | None


def task_name(task: dict, article_id: str) -> str:
    """The readable name of a task in messages: ``task <id> (article <article id>)``."""
    return f"task {_int_or_none(task.get('id'))} (article {article_id})"


def task_entries(task: dict, *, index: int, article_id: str, file: str | None = None, server: str | None = None) -> Iterator[Entry]:
    """The annotations, then the drafts, of ``task`` (the ``index``-th of the export), in
    export order (a legacy task's ``completions``, Label Studio before 1.0, stand for its
    annotations); ids and annotators of the server the corpus names ``server``
    (:mod:`~newscorpus.importers.labelstudio.contract`). Raises :class:`ExportError` for
    an entry that is not an object or has no integer id, two entries with one id, a ``was_cancelled`` that is not a boolean, or no
    Label Studio user id (``completed_by``; a draft's ``user`` or ``created_username``)."""
    label = task_name(task, article_id)
    seen_ids: set[str] = set()
    for kind in ("completions" if _legacy(task) else "annotations", "drafts"):
        for pos, raw in enumerate(task.get(kind) or []):
            path = f"$[{index}].{kind}[{pos}]"
            if not isinstance(raw, dict):  # drafts exported as bare ids carry no result
                raise ExportError(f"{label}: {kind} entry {raw!r} is not an object", file=file, where=path, code="invalid-result",
                                  hint="export with drafts expanded (`newscorpus ls pull` does)")
            raw_id = _int_or_none(raw.get("id"))
            if raw_id is None:
                raise ExportError(f"{label}: {kind[:-1]} has no integer id", file=file, where=f"{path}.id", code="invalid-result")
            project = _int_or_none(raw.get("project")) or _int_or_none(task.get("project"))
            if kind == "drafts":
                status = "draft"
                user = user_id(raw.get("user"), fallback_name=raw.get("created_username"))
            else:
                cancelled = raw.get("was_cancelled", False)
                if not isinstance(cancelled, bool):
                    raise ExportError(f"{label}, annotation {raw_id}: was_cancelled must be true or false, found {cancelled!r}",
                                      file=file, where=f"{path}.was_cancelled", code="invalid-result")
                status = "cancelled" if cancelled else "submitted"
                user = user_id(raw.get("completed_by"))
            ann_id = annotation_id(project, raw_id, draft=kind == "drafts", server=server)
            if ann_id in seen_ids:
                raise ExportError(f"{label}: two {kind} have the id {raw_id}", file=file, where=f"{path}.id", code="duplicate-id")
            seen_ids.add(ann_id)
            if user is None:
                raise ExportError(f"{label}, {kind[:-1]} {raw_id}: no Label Studio user id (completed_by/user)",
                                  file=file, where=path, code="missing-annotator")
            name = f"{label}, {'draft' if kind == 'drafts' else 'annotation'} {raw_id}"
            yield Entry(raw, ann_id, path, name, status, annotator_id(user, server=server), project)


def convert_task(
    task: dict,
    *,
    index: int,
    record: ArticleRecord,
    scheme: Scheme,
    offset_unit: OffsetUnit = "codepoint",
    file: str | None = None,
    server: str | None = None,
    server_url: str | None = None,
    refused: list[dict] | None = None,
    tool_version: str | None = None,
) -> tuple[list[dict], list[ImportWarning]]:
    """Convert the annotations and drafts of one exported task (the ``index``-th of the
    export ``file``) against its article's ``record``; ``server`` is the corpus's name
    for the Label Studio server the export comes from (None: none given), recorded in
    each annotation's ``origin`` and in its id and annotator. A draft that cannot be
    converted is skipped with a ``draft-skipped`` warning naming the article, the annotator
    and the task's link in Label Studio (``server_url``, the server's address, if known):
    drafts are work in progress, never a reason to refuse the others' work. With a
    ``refused`` list, an annotation that cannot be converted is left out and added to it
    (:func:`newscorpus.importers.refusals.refusal`) instead of raised. ``tool_version`` (the
    Label Studio release, when known) becomes each annotation's ``origin.version``.

    Returns the annotations in JSON form, in export order (annotations, then drafts), each
    with the keys of :class:`~newscorpus.core.models.Annotation` in model order, and the
    warnings in the order met. Pure: reads and writes nothing. Raises :class:`ExportError`
    when the task's text or ``text_sha256`` differs from the record's (``text-hash-mismatch``),
    for an entry :func:`task_entries` refuses, a task with both ``completions`` and
    ``annotations`` (``legacy-completions``; completions alone are read as annotations with
    a warning), an annotation whose ``result`` is missing or null (``missing-result``), an annotation field the model refuses
    (``invalid-result``, e.g. a date without a UTC offset), or a result that cannot be read
    (:func:`~newscorpus.importers.labelstudio.results.convert_results`).
    """
    where = f"$[{index}]"
    data = task.get("data") or {}
    if data.get("text_sha256") != record.text_sha256 or data.get("text") != record.text:
        field_name = "text_sha256" if data.get("text_sha256") != record.text_sha256 else "text"
        problem = "is missing" if field_name not in data else "differs from the article record's"
        raise ExportError(
            f"{task_name(task, record.id)}: data.{field_name} {problem}; offsets made against another text are refused",
            file=file,
            where=f"{where}.data.{field_name}",
            code="text-hash-mismatch",
            hint="the record was revised from this text (`newscorpus revise`): `newscorpus ls push` updates the task "
            "in place, then pull again"
            if any(rev.previous_text_sha256 == data.get("text_sha256") for rev in record.revisions)
            else "push the current tasks with `newscorpus tasks` / `newscorpus ls push` and annotate those",
        )
    annotations: list[dict] = []
    warnings: list[ImportWarning] = []
    if _legacy(task):
        if task.get("annotations"):
            raise ExportError(f"{task_name(task, record.id)}: both completions (Label Studio before 1.0) and annotations",
                              file=file, where=f"{where}.completions", code="legacy-completions",
                              hint="export the project again from one Label Studio version")
        warnings.append(ImportWarning("legacy-completions", f"{where}.completions", f"{task_name(task, record.id)}: "
                                      f"{len(task['completions'])} completion(s) of Label Studio before 1.0 read as annotations"))
    task_id = _int_or_none(task.get("id"))
    for entry in task_entries(task, index=index, article_id=record.id, file=file, server=server):
        try:
            annotation, met = _convert_entry(entry, task_id, record, scheme, offset_unit, file, server, tool_version)
        except OffsetUnitError:
            raise
        except ExportError as exc:
            link = task_link(entry.project, task_id, server_url)
            if entry.status == "draft":
                warnings.append(draft_skipped(entry.path, record.id, entry.raw.get("id"), entry.annotator, link, f"{exc.message} [{exc.code}]"))
            elif refused is not None:
                refused.append(refusal(exc, article=record.id, annotation=entry.id, link=link))
            else:
                raise
            continue
        annotations.append(annotation)
        warnings.extend(met)
    return annotations, warnings


def draft_skipped(where: str, article_id: str, draft: object, annotator: str, link: str, problem: str) -> ImportWarning:
    """The warning of a draft left out of an import because it breaks a rule (``problem``)."""
    return ImportWarning("draft-skipped", where, f"article {article_id}: draft {draft} of {annotator} ({link}) was skipped, "
                                                 f"it breaks a rule: {problem}")


def _convert_entry(entry: Entry, task_id: int | None, record: ArticleRecord, scheme: Scheme, offset_unit: OffsetUnit,
                   file: str | None, server: str | None, tool_version: str | None = None) -> tuple[dict, list[ImportWarning]]:
    """One entry of a task as an annotation in JSON form, and its warnings."""
    raw = entry.raw
    if raw.get("result") is None:  # never an annotation without spans: its work would be lost
        raise ExportError(f"{entry.name}: no result ({'null' if 'result' in raw else 'missing'})", file=file,
                          where=f"{entry.path}.result", code="missing-result", hint="export the project again in full JSON")
    conv = convert_results(
        raw["result"], text=record.text, sentences=record.sentences, scheme=scheme,
        offset_unit=offset_unit, file=file, path=entry.path, name=entry.name,
    )
    fields = {
        "id": entry.id,
        "annotator": entry.annotator,
        "status": entry.status,
        "ground_truth": bool(raw.get("ground_truth", False)),
        "origin": {"tool": "label-studio", "version": tool_version, "project": entry.project, "task": task_id,
                   "annotation": _int_or_none(raw.get("id")), "server": server},
        "created_at": raw.get("created_at"),
        "updated_at": raw.get("updated_at"),
        "lead_time": raw.get("lead_time"),
        "article_labels": conv.article_labels,
        "note": conv.note,
    }
    try:  # the layers are valid by construction: the first invalid field, if any, is one of these
        annotation = Annotation(**fields).model_dump(mode="json")
    except ValidationError as exc:
        err = exc.errors()[0]
        field_path = ".".join(str(p) for p in err["loc"])
        raise ExportError(f"{entry.name}: {field_path}: {err['msg']}", file=file, where=entry.path, code="invalid-result") from exc
    annotation["sentence_labels"], annotation["spans"], annotation["relations"] = conv.sentence_labels, conv.spans, conv.relations
    return annotation, conv.warnings


def _legacy(task: dict) -> bool:
    """Whether ``task`` holds legacy ``completions`` (Label Studio before 1.0: annotations
    under another name, in the same shape)."""
    completions = task.get("completions")
    return isinstance(completions, list) and bool(completions)


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
