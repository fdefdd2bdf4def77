"""The Label Studio JSON export format: reading it task by task, and converting one task.

Pure conversion, no writing: :func:`iter_export` streams the tasks of a full JSON export
(``ijson``, memory bounded by the largest task) and :func:`convert_task` turns one task's
annotations and drafts into :class:`~newscorpus.models.Annotation` objects against the
article's record, through :func:`newscorpus.ls_results.convert_results`. Annotation ids are
``ls-p<project>-a<id>`` (drafts ``ls-p<project>-d<id>``): Label Studio ids are unique only
within a project. Annotators are ``ls-<user id>``; an e-mail never reaches a record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import ijson
from pydantic import ValidationError

from .errors import ExportError
from .ls_results import ImportWarning, OffsetUnit, convert_results
from .models import Annotation, ArticleRecord, Origin
from .scheme import Scheme

__all__ = ["iter_export", "convert_task"]


def iter_export(path: str | Path, *, progress: Callable[[int], object] | None = None) -> Iterator[dict]:
    """Yield the tasks of a Label Studio JSON export one at a time (a top-level array).

    ``progress``, if given, is called with the number of bytes read so far after each task.

    Raises :class:`ExportError` for a file that is not JSON, truncated, or not an array
    of task objects, naming the byte position where reading stopped.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(64)
        bom = 3 if head.startswith(b"\xef\xbb\xbf") else 0
        head = head[bom:].lstrip()
        if not head:
            raise ExportError("the export is empty", file=str(path), code="invalid-json")
        if not head.startswith(b"["):
            raise ExportError(
                "a Label Studio JSON export is an array of tasks; this file does not start with '['",
                file=str(path),
                code="not-an-export",
                hint="export the project as JSON (not JSON_MIN or CSV), or use `newscorpus ls pull`",
            )
        fh.seek(bom)
        index = 0
        try:
            for task in ijson.items(fh, "item", use_float=True):
                if not isinstance(task, dict):
                    raise ExportError(f"task {index} is a {type(task).__name__}, not an object", file=str(path), where=f"$[{index}]", code="not-an-export")
                yield task
                index += 1
                if progress is not None:
                    progress(fh.tell())
        except ijson.JSONError as exc:
            raise ExportError(
                f"not valid JSON after task {index} (byte {fh.tell()}): {exc}",
                file=str(path),
                where=f"$[{index}]",
                code="invalid-json",
                hint="the file may be truncated; export it again",
            ) from exc


def _user_id(value: object, *, fallback_name: object = None) -> int | None:
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None
    # Drafts give ``user`` as an e-mail and ``created_username`` as "Name email, <id>".
    if isinstance(fallback_name, str) and ", " in fallback_name:
        tail = fallback_name.rsplit(", ", 1)[1].strip()
        if tail.isdigit():
            return int(tail)
    return None


def _int_or_none(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def convert_task(
    task: dict,
    *,
    index: int,
    record: ArticleRecord,
    scheme: Scheme,
    offset_unit: OffsetUnit = "codepoint",
    file: str | None = None,
) -> tuple[list[Annotation], list[ImportWarning]]:
    """Convert the annotations and drafts of one exported task against its ``record``.

    Pure: reads and writes nothing. Raises :class:`ExportError` when the task's text or
    ``text_sha256`` differs from the record's, or when any result cannot be converted.
    """
    where = f"$[{index}]"
    data = task.get("data") or {}
    task_id = _int_or_none(task.get("id"))
    label = f"task {task_id} (article {record.id})"
    if data.get("text_sha256") != record.text_sha256 or data.get("text") != record.text:
        field_name = "text_sha256" if data.get("text_sha256") != record.text_sha256 else "text"
        problem = "is missing" if field_name not in data else "differs from the article record's"
        raise ExportError(
            f"{label}: data.{field_name} {problem}; offsets made against another text are refused",
            file=file,
            where=f"{where}.data.{field_name}",
            code="text-hash-mismatch",
            hint="push the current tasks with `newscorpus tasks` / `newscorpus ls push` and annotate those",
        )
    annotations: list[Annotation] = []
    warnings: list[ImportWarning] = []
    items = [("annotations", a) for a in task.get("annotations") or []] + [("drafts", d) for d in task.get("drafts") or []]
    counters = {"annotations": 0, "drafts": 0}
    seen_ids: set[str] = set()
    for kind, raw in items:
        pos = counters[kind]
        counters[kind] += 1
        path = f"{where}.{kind}[{pos}]"
        if not isinstance(raw, dict):  # drafts exported as bare ids carry no result
            raise ExportError(f"{label}: {kind} entry {raw!r} is not an object", file=file, where=path, code="invalid-result",
                              hint="export with drafts expanded (`newscorpus ls pull` does)")
        raw_id = _int_or_none(raw.get("id"))
        if raw_id is None:
            raise ExportError(f"{label}: {kind[:-1]} has no integer id", file=file, where=f"{path}.id", code="invalid-result")
        project = _int_or_none(raw.get("project")) or _int_or_none(task.get("project"))
        # Annotation ids are unique per Label Studio project, not across projects: the
        # record id carries the project, so two projects' "annotation 1" never collide.
        scope = f"ls-p{project}-" if project is not None else "ls-"
        if kind == "drafts":
            status, ann_id = "draft", f"{scope}d{raw_id}"
            user = _user_id(raw.get("user"), fallback_name=raw.get("created_username"))
        else:
            cancelled = raw.get("was_cancelled", False)
            if not isinstance(cancelled, bool):
                raise ExportError(f"{label}, annotation {raw_id}: was_cancelled must be true or false, found {cancelled!r}",
                                  file=file, where=f"{path}.was_cancelled", code="invalid-result")
            status, ann_id = ("cancelled" if cancelled else "submitted"), f"{scope}a{raw_id}"
            user = _user_id(raw.get("completed_by"))
        if ann_id in seen_ids:
            raise ExportError(f"{label}: two {kind} have the id {raw_id}", file=file, where=f"{path}.id", code="duplicate-id")
        seen_ids.add(ann_id)
        if user is None:
            raise ExportError(
                f"{label}, {kind[:-1]} {raw_id}: no Label Studio user id (completed_by/user)",
                file=file, where=path, code="missing-annotator",
            )
        name = f"{label}, {'draft' if kind == 'drafts' else 'annotation'} {raw_id}"
        conv = convert_results(
            raw.get("result") or [], text=record.text, sentences=record.sentences, scheme=scheme,
            offset_unit=offset_unit, file=file, path=path, name=name,
        )
        warnings.extend(conv.warnings)
        try:
            ann = Annotation(
                id=ann_id,
                annotator=f"ls-{user}",
                status=status,
                ground_truth=bool(raw.get("ground_truth", False)),
                origin=Origin(
                    tool="label-studio",
                    project=project,
                    task=task_id,
                    annotation=raw_id,
                ),
                created_at=raw.get("created_at"),
                updated_at=raw.get("updated_at"),
                lead_time=raw.get("lead_time"),
                article_labels=conv.article_labels,
                sentence_labels=conv.sentence_labels,
                spans=conv.spans,
                relations=conv.relations,
                note=conv.note,
            )
        except ValidationError as exc:
            err = exc.errors()[0]
            field_path = ".".join(str(p) for p in err["loc"])
            raise ExportError(f"{name}: {field_path}: {err['msg']}", file=file, where=path, code="invalid-result") from exc
        annotations.append(ann)
    return annotations, warnings
