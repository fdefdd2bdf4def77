"""Import: a Label Studio JSON export into article records (docs/design.md, The record and Label Studio).

The export is read incrementally (``ijson``), so memory is bounded by the largest task,
not by the file. Every annotation is kept with its status (submitted, cancelled, draft)
and a pseudonymous annotator id ``ls-<user id>``; e-mail addresses never reach a record.
Converted records go to a staging folder inside ``annotations/`` and replace the real
files only when the whole export has been read without error: bad input writes nothing.
Re-importing the same export changes no byte (records are written canonically).
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from newscorpus.errors import ExportError, RecordError
from newscorpus.records.access import locked_folders
from newscorpus.records.journal import commit_staging
from newscorpus.importers.labelstudio.export import Irregular, convert_task, convert_task_plain, iter_export, iter_export_bytes, iter_export_raw, parse_task
from newscorpus.importers.labelstudio.results import ImportWarning, OffsetUnit
from newscorpus.core.models import Annotation, ArticleRecord, Gold
from newscorpus.util.parallel import default_workers, ordered_map
from newscorpus.records.io import dump_record_data_bytes, read_record, record_path
from newscorpus.core.scheme import Scheme, default_scheme

__all__ = ["ImportReport", "iter_export", "convert_task", "import_export"]

_SAFE_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


@dataclass
class ImportReport:
    """What one import did: tasks read, annotations kept by status, records written or
    unchanged, predictions seen, and the warnings (whitespace differences, trimmed spans,
    gold left undecided)."""

    tasks: int = 0
    annotations: dict[str, int] = field(default_factory=lambda: {"submitted": 0, "cancelled": 0, "draft": 0})
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    predictions: int = 0
    warnings: list[ImportWarning] = field(default_factory=list)


def _merge(record: ArticleRecord, annotations: list[Annotation], report: ImportReport) -> None:
    """Replace annotations with the same id, keep the others, and set a ``single`` gold.

    The model form of the merge: the import runs :func:`_merged_data`, and
    tests/test_import_plain.py holds the two to the same bytes."""
    fresh = {a.id: a for a in annotations}
    record.annotations = [a for a in record.annotations if a.id not in fresh] + list(fresh.values())
    if record.gold is not None and record.gold.method != "single":
        return  # adjudicated, majority or ground-truth gold is never overwritten by import
    submitted = [a for a in record.annotations if a.status == "submitted"]
    if len(submitted) == 1:
        only = submitted[0]
        record.gold = Gold(
            method="single", decided_by=None, from_annotations=[only.id],
            article_labels=only.article_labels, sentence_labels=only.sentence_labels,
            spans=only.spans, relations=only.relations,
        )
    elif record.gold is not None:
        record.gold = None
        report.warnings.append(
            ImportWarning(
                "gold-undecided", record.id,
                f"{len(submitted)} submitted annotations: the single-annotation gold was removed; run `newscorpus adjudicate`",
            )
        )


def _merged_data(record: ArticleRecord, annotations: list[dict], report: ImportReport) -> dict:
    """:func:`_merge` in JSON form: ``record`` with ``annotations`` (JSON form, from
    :func:`~newscorpus.importers.labelstudio.export.convert_task_plain`) merged in, as
    ``record.model_dump(mode="json")`` would give after :func:`_merge` (not sorted yet).
    Only the annotations kept from the record are dumped from their models."""
    fresh = {a["id"]: a for a in annotations}
    merged = [a.model_dump(mode="json") for a in record.annotations if a.id not in fresh] + list(fresh.values())
    data = record.model_dump(mode="json", exclude={"annotations", "gold"})
    data["annotations"] = merged
    gold = record.gold
    if gold is not None and gold.method != "single":
        data["gold"] = gold.model_dump(mode="json")  # adjudicated, majority or ground-truth gold is never overwritten by import
        return data
    submitted = [a for a in merged if a["status"] == "submitted"]
    data["gold"] = None
    if len(submitted) == 1:
        only = submitted[0]
        data["gold"] = {
            "method": "single", "decided_by": None, "from_annotations": [only["id"]],
            "article_labels": only["article_labels"], "sentence_labels": list(only["sentence_labels"]),
            "spans": list(only["spans"]), "relations": list(only["relations"]),
        }
    elif gold is not None:
        report.warnings.append(
            ImportWarning(
                "gold-undecided", record.id,
                f"{len(submitted)} submitted annotations: the single-annotation gold was removed; run `newscorpus adjudicate`",
            )
        )
    return data


@dataclass(frozen=True)
class _Job:
    """What an import worker needs besides the task: where to read and write (folders as
    ``str``: a worker joins a path per task, and ``pathlib`` would cost more than the
    conversion's checks), and how."""

    file: str
    out: str
    staging: str
    scheme: Scheme
    offset_unit: OffsetUnit


_JOB: _Job | None = None


def _set_job(job: _Job) -> None:
    global _JOB
    _JOB = job


def _article_id(task: dict) -> object:
    return (task.get("data") or {}).get("article_id")


def _import_task(item: tuple[int, bytes | dict, str | None, bool]) -> tuple[dict[str, int], list[ImportWarning], str | None, bool, int]:
    """Import one task (``index``, its JSON bytes or dict, its article id, whether the bytes
    come unchecked from :func:`iter_export_bytes`) into the staging folder: read its record
    (staged by an earlier task of the same article, else the current one), convert, merge,
    and stage the record when it differs from the current file. Returns annotation counts
    by status, warnings, the article id, whether its record changed (the id is None when the
    task stages nothing: no annotation, and no earlier task of the article) and the number
    of predictions. Raises :class:`Irregular` for unchecked bytes that only the exact reader
    may read, or whose article id is not the one the task was scheduled under."""
    job = _JOB
    assert job is not None
    index, payload, key, unchecked = item
    if unchecked:
        task = parse_task(payload)  # type: ignore[arg-type]
        if key is None or _article_id(task) != key:
            raise Irregular
    else:
        task = orjson.loads(payload) if isinstance(payload, bytes) else payload
    article_id = _article_id(task)
    if article_id is None and "annotations" not in task:
        raise ExportError(f"task {task.get('id')}: no data.article_id and no annotations list: this looks like a JSON_MIN or CSV export",
                          file=job.file, where=f"$[{index}]", code="not-an-export",
                          hint="export the project as JSON (full), or use `newscorpus ls pull`")
    if not isinstance(article_id, str) or not article_id or set(article_id) - _SAFE_ID_CHARS or article_id[0] in ".-_":
        raise ExportError(f"task {task.get('id')}: data.article_id {article_id!r} is not a safe article id",
                          file=job.file, where=f"$[{index}].data.article_id", code="unsafe-id")
    predictions = len(task.get("predictions") or [])
    staged = os.path.join(job.staging, f"{article_id}.json")
    target = os.path.join(job.out, f"{article_id}.json")
    was_staged = os.path.exists(staged)
    source = staged if was_staged else target
    try:
        with open(source, "rb") as fh:
            raw = fh.read()
        record = read_record(source, raw)
    except FileNotFoundError:
        raise ExportError(f"task {task.get('id')}: no record for article {article_id!r} in {job.out}", file=job.file,
                          where=f"$[{index}].data.article_id", code="no-record", hint="run `newscorpus ingest` on its seed first") from None
    except RecordError as exc:
        raise ExportError(f"task {task.get('id')}: its record cannot be read: {exc}", file=job.file,
                          where=f"$[{index}]", code="no-record") from exc
    anns, warnings = convert_task_plain(task, index=index, record=record, scheme=job.scheme, offset_unit=job.offset_unit, file=job.file)
    counts = {"submitted": 0, "cancelled": 0, "draft": 0}
    for ann in anns:
        counts[ann["status"]] += 1
    if not anns and not was_staged:
        return counts, warnings, None, False, predictions
    report = ImportReport()
    data = dump_record_data_bytes(_merged_data(record, anns, report), job.scheme)
    warnings = warnings + report.warnings
    if was_staged:
        with open(target, "rb") as fh:
            current = fh.read()
    else:
        current = raw
    if data == current:  # nothing to move in (an earlier task's staged change was undone)
        if was_staged:
            os.unlink(staged)
        return counts, warnings, article_id, False, predictions
    # staged files are synced once, together, before they replace the records (_move_in)
    with open(staged, "wb") as fh:
        fh.write(data)
    return counts, warnings, article_id, True, predictions


def _payloads(tasks: Iterator[tuple[dict, bytes | None]], report: ImportReport, pooled: bool) -> Iterator[tuple[int, bytes | dict, str | None, bool]]:
    """The exact way: each task parsed here (:func:`iter_export_raw`), sent as JSON bytes to
    a pool, or as the dict itself to the sequential loop."""
    for index, (task, raw) in enumerate(tasks):
        report.tasks += 1
        payload: bytes | dict = task
        if pooled:  # the fastest way to a worker: JSON bytes (about 3x faster to load than a pickle)
            if raw is not None:
                payload = raw  # the task's own bytes, cut out of the export
            else:
                try:
                    payload = orjson.dumps(task)
                except TypeError:  # lone surrogates, integers over 64 bits, deep nesting: pickle the dict
                    try:
                        pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL)
                    except RecursionError:
                        raise _Unsendable from None
        article_id = _article_id(task)
        yield index, payload, article_id if isinstance(article_id, str) else None, False


_ARTICLE_ID_KEY = b'"article_id"'
_ARTICLE_ID = re.compile(rb'"article_id"[ \t\n\r]*:[ \t\n\r]*"([A-Za-z0-9_.\-]+)"')


def _fast_payloads(path: Path, report: ImportReport, progress: Callable[[int], object] | None) -> Iterator[tuple[int, bytes, str | None, bool]]:
    """The fast way (a pool): each task's bytes, unparsed (:func:`iter_export_bytes`), with
    the article id read off the bytes when ``"article_id"`` occurs exactly once (else None);
    the worker parses the task and checks that id (:func:`_import_task`)."""
    for index, raw in enumerate(iter_export_bytes(path, progress=progress)):
        report.tasks += 1
        key = None
        at = raw.find(_ARTICLE_ID_KEY)
        if at >= 0 and raw.find(_ARTICLE_ID_KEY, at + 1) < 0:
            match = _ARTICLE_ID.match(raw, at)
            if match is not None:
                key = match.group(1).decode("ascii")
        yield index, raw, key, True


def _key(item: tuple[int, bytes | dict, str | None, bool]) -> object:
    return item[2]


def _move_in(staging: Path, out: Path, changed: dict[str, bool], report: ImportReport) -> None:
    """Replace the records whose staged version differs (``changed``: article id -> whether it
    differs), after one sync of the staged files; list the others as unchanged."""
    pairs = []
    for article_id in sorted(changed, key=lambda a: record_path(staging, a)):
        target = record_path(out, article_id)
        if changed[article_id]:
            pairs.append((record_path(staging, article_id), target))
        else:
            report.unchanged.append(target)
    commit_staging(staging, out)  # the staging folder holds exactly the changed records: all or nothing
    report.written.extend(target for _, target in pairs)


@locked_folders("annotations_dir", "write")
def import_export(
    path: str | Path,
    *,
    annotations_dir: str | Path,
    scheme: Scheme | None = None,
    offset_unit: OffsetUnit = "codepoint",
    progress: Callable[[int], object] | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import a Label Studio JSON export into ``annotations_dir`` (records must exist: ingest first).

    ``offset_unit`` declares how the export counts offsets: ``codepoint`` (Label Studio
    >= 1.4) or ``utf16`` (older versions). ``progress``, if given, is called with the
    number of bytes of the export read so far, after each task. ``workers`` is the number
    of processes converting tasks (default: one per CPU for exports over 16 MB, else 1);
    the export is read once, streaming, and the result is the same for any number.
    Returns an :class:`ImportReport`. Raises
    :class:`ExportError` for a malformed export, a task whose article has no record, a text
    mismatch, or any result that cannot be converted exactly; then nothing is written.
    Holds the folder's lock (:mod:`newscorpus.records.access`: :class:`~newscorpus.errors.LockError`
    after the timeout); records are moved in all or nothing across crashes.
    """
    scheme = scheme or default_scheme()
    path, out = Path(path), Path(annotations_dir)
    if not out.is_dir():
        raise ExportError(f"the annotations folder {out} does not exist", file=str(path), code="no-records",
                          hint="run `newscorpus ingest` first")
    if workers is None:
        workers = default_workers(path.stat().st_size, threshold=16_000_000)
    job = _Job(str(path), str(out), "", scheme, offset_unit)
    if workers > 1:
        try:
            return _run(job, lambda report: _fast_payloads(path, report, progress), workers)
        except Irregular:
            pass  # something only the exact reader reads as it should: start again that way
        try:
            return _run(job, lambda report: _payloads(iter_export_raw(path, progress=progress), report, True), workers)
        except _Unsendable:
            pass  # a task no worker can be sent: start again in this process
    return _run(job, lambda report: _payloads(iter_export_raw(path, progress=progress), report, False), 1)


class _Unsendable(Exception):
    """A task that cannot be sent to a worker process (nested deeper than pickle's recursion
    limit and than orjson's 1,024 levels): the import runs again in one process."""


def _run(job: _Job, payloads: Callable[[ImportReport], Iterator], workers: int) -> ImportReport:
    """One import pass over the export into a fresh staging folder, moved in at the end."""
    out = Path(job.out)
    report = ImportReport()
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=out))
    try:
        job = _Job(job.file, job.out, str(staging), job.scheme, job.offset_unit)
        results = ordered_map(_import_task, payloads(report), workers=workers, initializer=_set_job, initargs=(job,),
                              key=_key, batch=4)
        changed: dict[str, bool] = {}
        for counts, warnings, article_id, differs, predictions in results:
            report.warnings.extend(warnings)
            report.predictions += predictions
            for status, n in counts.items():
                report.annotations[status] += n
            if article_id is not None:
                changed[article_id] = differs
        _move_in(staging, out, changed, report)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report
