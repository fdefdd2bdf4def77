"""The Label Studio import: an export into article records, all of them or none.

The export is read incrementally, so memory is bounded by the largest task, not by the
file; exports over 16 MB are converted by a pool of worker processes, with the result of
one process. Every annotation is kept with its status (submitted, cancelled, draft) and a
pseudonymous annotator id ``ls-<user id>``; e-mail addresses never reach a record.

Each record about to be written is first held to the validator's semantic checks (the
checks ``newscorpus validate`` runs, :func:`newscorpus.validate.semantic.semantic_violations`),
so that the import never writes a record that ``validate`` refuses: a violation fails the
import with the validator's rule code, naming the task, annotation and result it comes from
(:func:`newscorpus.importers.labelstudio.locate.locate`). Converted records go to a staging
folder inside ``annotations/`` and replace the real files only when the whole export has
been read without error: bad input writes nothing. Re-importing the same export changes no
byte (records are written canonically).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import orjson

from newscorpus.core.models import SERVER_NAME
from newscorpus.core.scheme import Scheme, default_scheme
from newscorpus.errors import ExportError, OffsetUnitError, RecordError
from newscorpus.importers.labelstudio.contract import OffsetUnit
from newscorpus.importers.cache import Entry, ImportCache, answer, digest, task_digest
from newscorpus.importers.labelstudio.export import iter_export_raw
from newscorpus.importers.labelstudio.scan import Irregular, parse_task
from newscorpus.importers.labelstudio.task import convert_task
from newscorpus.importers.labelstudio.violations import breaking_annotations, violation_error
from newscorpus.importers.merge import merge_annotations
from newscorpus.importers.payloads import (Item, Span, TaskLedger, Unsendable, close_spans, exact_payloads, fast_payloads,
                                           item_key, read_span, task_article_id)
from newscorpus.importers.refusals import refusal, refusals_error, report_path, write_refusals
from newscorpus.importers.report import ImportReport, ImportWarning
from newscorpus.records.access import locked_folders
from newscorpus.records.io import dump_record_data_bytes, read_record
from newscorpus.records.journal import commit_staging
from newscorpus.util.parallel import default_workers, ordered_map
from newscorpus.validate.rules import loc_key
from newscorpus.validate.semantic import semantic_violations

__all__ = ["ImportReport", "import_export"]

_SAFE_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


@dataclass(frozen=True)
class _Job:
    """What an import worker needs besides the task: where to read and write (folders as
    ``str``: a worker joins a path per task, and ``pathlib`` would cost more than the
    conversion's checks), and how; ``path``, the export file the tasks' spans are read
    from (each task brings the import cache's entry it may be answered by)."""

    file: str
    out: str
    staging: str
    scheme: Scheme
    offset_unit: OffsetUnit
    server: str | None = None
    server_url: str | None = None
    skip_invalid: bool = False
    tool_version: str | None = None
    path: str = ""


_JOB: _Job | None = None
#: Tasks in flight per worker, and a batch, when the workers are sent spans (a few bytes
#: each, not the tasks' text): enough for the reading process to go on scanning while the
#: workers start (about half a second; a re-import answers every task in less).
SPAN_WINDOW, SPAN_BATCH = 256, 8


def _set_job(job: _Job) -> None:
    global _JOB
    _JOB = job
    close_spans()  # a pass reads its export afresh


def _import_task(item: Item) -> tuple[dict[str, int], list[ImportWarning], str | None, bool, int, list[dict], tuple[str, Entry] | None, bool]:
    """Import one task (an :data:`~newscorpus.importers.payloads.Item`) into the staging
    folder: answer it from the cache entry the item brings (its article's, when the cache
    may answer it) if the task's digest and the record's bytes still match it;
    else read its record (staged by an earlier task of the same article, else the current
    one), convert, merge, and stage the record when it differs from the current file.
    Returns annotation counts by status, warnings, the article id, whether its record
    changed (the id is None when the task stages nothing: no annotation, and no earlier
    task of the article), the number of predictions, the refusals, the task's cache entry
    (its digest and :data:`~newscorpus.importers.cache.Entry`; None when the task warned,
    was refused or has no digest) and whether the cache answered it. Raises
    :class:`Irregular` for unchecked bytes that only the exact reader may read, or whose
    article id is not the one the task was scheduled under."""
    index, payload, key, unchecked, known, ask = item
    job = _JOB
    assert job is not None
    if type(payload) is Span:
        try:
            payload = read_span(job.path, payload)
        except (OSError, EOFError) as exc:
            raise ExportError(f"the export cannot be read again: {exc}", file=job.file, where=f"$[{index}]",
                              code="invalid-json", hint="the file changed while it was imported; import it again") from exc
    if known is True:
        known = task_digest(payload)  # type: ignore[arg-type]
    elif known is not None:
        known = task_digest(known)  # type: ignore[arg-type]
    if ask is not None:
        entry = answer(ask, known, key, job.out)  # type: ignore[arg-type]
        if entry is not None:
            _, article_id, listed, submitted, cancelled, draft, predictions = entry
            counts = {"submitted": submitted, "cancelled": cancelled, "draft": draft}
            return counts, [], article_id if listed else None, False, predictions, [], (known, entry), True  # type: ignore[return-value]
    counts, warnings, listed, differs, predictions, refused, article_id, final = _import_one(index, payload, key, unchecked)
    entry = None
    if known and not warnings and not refused:
        entry = (known, (digest(final), article_id, listed is not None, counts["submitted"], counts["cancelled"],
                               counts["draft"], predictions))
    return counts, warnings, listed, differs, predictions, refused, entry, False  # type: ignore[return-value]


def _import_one(index: int, payload: bytes | dict, key: str | None, unchecked: bool):
    """:func:`_import_task` for a task to read: its results, then its article id and the
    bytes of the article's record after it."""
    job = _JOB
    assert job is not None
    if unchecked:
        task = parse_task(payload)  # type: ignore[arg-type]
        if key is None or task_article_id(task) != key:
            raise Irregular
    else:
        task = orjson.loads(payload) if isinstance(payload, bytes) else payload
    article_id = task_article_id(task)
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
    refused: list[dict] = []
    anns, warnings = convert_task(task, index=index, record=record, scheme=job.scheme, offset_unit=job.offset_unit, file=job.file,
                                  server=job.server, server_url=job.server_url, refused=refused, tool_version=job.tool_version)
    counts = {"submitted": 0, "cancelled": 0, "draft": 0}
    for ann in anns:
        counts[ann["status"]] += 1
    if not anns and not was_staged:
        return counts, warnings, None, False, predictions, refused, article_id, raw
    if was_staged:
        try:
            with open(target, "rb") as fh:
                current = fh.read()
        except FileNotFoundError:  # a new record (new_records of import_export)
            current = b""
    else:
        current = raw
    while True:  # an annotation that breaks a rule is left out (a draft: a warning; else refused), the rest checked again
        merged, merge_warnings = merge_annotations(record, anns, file=job.file, where=f"$[{index}]")
        data = dump_record_data_bytes(merged, job.scheme)  # sorts ``merged``: what is written
        violations = semantic_violations(merged, file=target, scheme=job.scheme) if data != current else []
        broken = breaking_annotations(violations, merged, anns, task, index=index, file=job.file, server=job.server,
                                      server_url=job.server_url)
        if not broken:
            break
        for ann in [a for a in anns if a["id"] in broken]:
            counts[ann["status"]] -= 1
        for found in broken.values():  # in the order of the rules they break
            (warnings.append if isinstance(found, ImportWarning) else refused.append)(found)
        anns = [a for a in anns if a["id"] not in broken]
    warnings = warnings + merge_warnings
    if data == current:  # nothing to move in (an earlier task's staged change was undone)
        if was_staged:
            os.unlink(staged)
        return counts, warnings, article_id, False, predictions, refused, article_id, current
    if violations:
        raise violation_error(min(violations, key=lambda v: loc_key(v.loc)), merged, task, index=index, file=job.file, server=job.server)
    # staged files are synced once, together, before they replace the records (_move_in)
    with open(staged, "wb") as fh:
        fh.write(data)
    return counts, warnings, article_id, True, predictions, refused, article_id, data


def _move_in(staging: Path, out: Path, changed: dict[str, bool], report: ImportReport) -> None:
    """Replace the records whose staged version differs (``changed``: article id -> whether it
    differs), after one sync of the staged files; list the others as unchanged."""
    pairs = []
    for name in sorted(f"{article_id}.json" for article_id in changed):  # the order of their paths, one folder
        target = out / name
        if changed[name[:-5]]:
            pairs.append((staging / name, target))
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
    new_records: Mapping[str, bytes] | None = None,
    server: str | None = None,
    server_url: str | None = None,
    skip_invalid: bool = False,
    report_file: str | Path | None = None,
    tool_version: str | None = None,
    source: str | None = None,
) -> ImportReport:
    """Import a Label Studio JSON export into ``annotations_dir`` (records must exist: ingest first).

    ``offset_unit`` declares how the export counts offsets: ``codepoint`` (Label Studio
    >= 1.4) or ``utf16`` (older versions). ``progress``, if given, is called with the
    number of bytes of the export read so far, after each task. ``workers`` is the number
    of processes converting tasks (default: one per CPU for exports over 16 MB, else 1);
    the export is read once, streaming, and the result is the same for any number.
    ``server`` is the corpus's name for the Label Studio server the export comes from (a
    slug, :data:`~newscorpus.core.models.SERVER_NAME`; ``[labelstudio] server`` in
    newscorpus.toml): it goes into each annotation's ``origin.server``, id
    (``ls-<server>-p<project>-a<id>``) and annotator (``ls-<server>-<user id>``); None
    keeps the ids without a server name. An annotation replaces the stored one of its id
    only when it is the same annotation (same ``created_at``, task and server) and not
    older (an older one is skipped with an ``older-annotation`` warning). A draft that
    breaks a rule (a result that cannot be read, or a rule of the validator) is left out
    with a ``draft-skipped`` warning naming the article, the annotator and the task's link
    in Label Studio (``server_url``: the server's address, if known). Every other
    annotation that breaks a rule is refused, all of them listed: by default the export is
    refused as a whole (one :class:`ExportError` listing each with its task link); with
    ``skip_invalid`` every valid annotation is imported and the refusals are written to
    ``report_file`` (default ``<export stem>.refused.json`` beside the export;
    :func:`newscorpus.importers.refusals.write_refusals`) and listed in ``ImportReport.refused``.
    ``tool_version`` is the Label Studio release the export came from (``ls pull`` asks the
    server), recorded as every annotation's ``origin.version``; None when unknown.
    ``source`` names the export in errors and in the report (default: ``path``; ``ls pull``
    gives the project's address, its export being a temporary file).
    Returns an :class:`ImportReport`. Raises :class:`ExportError` for a malformed export,
    a task whose article has no record, a text mismatch, a result that cannot be converted
    exactly, an annotation whose id the record holds for another annotation
    (``annotation-conflict``: both named), a ``server`` that is not a slug (``invalid-server``), or a record that would break a rule of the validator (the error's ``code`` is
    the rule's, e.g. ``span-overlap``, ``span-out-of-bounds``); then nothing is written.
    Holds the folder's lock (:mod:`newscorpus.records.access`: :class:`~newscorpus.errors.LockError`
    after the timeout); records are moved in all or nothing across crashes.
    ``new_records`` (article id -> canonical record bytes, ids without a record in the
    folder) are staged before the tasks are read, as if ingested in the same change
    (:mod:`newscorpus.importers.adapted`); each must be the article of a task.
    """
    scheme = scheme or default_scheme()
    path, out = Path(path), Path(annotations_dir)
    if not out.is_dir():
        raise ExportError(f"the annotations folder {out} does not exist", file=str(path), code="no-records",
                          hint="run `newscorpus ingest` first")
    if server is not None and (len(server) > 32 or not re.fullmatch(SERVER_NAME, server)):
        raise ExportError(f"the server name {server!r} is not a short slug (lowercase letters, digits and '-', "
                          "starting with a letter, at most 32 characters)", file=str(path), code="invalid-server")
    if workers is None:
        workers = default_workers(path.stat().st_size, threshold=16_000_000)
    job = _Job(source or str(path), str(out), "", scheme, offset_unit, server, server_url, skip_invalid, tool_version, str(path))
    result = _passes(job, path, progress, workers, dict(new_records or {}))
    if result.refused:
        result.report_file = Path(report_file) if report_file is not None else report_path(path)
        write_refusals(result.report_file, result.refused, export=job.file)
    return result


def _passes(job: _Job, path: Path, progress: Callable[[int], object] | None, workers: int,
            fresh: dict[str, bytes]) -> ImportReport:
    """The import of :func:`import_export`: the fast pass, else the exact one; ``fresh``: new
    records (article id -> bytes) staged before any task reads them. The import cache
    (:mod:`newscorpus.importers.cache`) answers the tasks it knows, and keeps what this
    import did for the next."""
    options = {"scheme": job.scheme.model_dump(mode="json"), "offset_unit": job.offset_unit, "server": job.server,
               "server_url": job.server_url, "skip_invalid": job.skip_invalid, "tool_version": job.tool_version}
    cache = ImportCache.load(job.out, options)

    def ledger() -> TaskLedger:  # a pass that starts again starts from the cache as loaded
        return TaskLedger(ImportCache(cache.path, cache.context, cache.entries), job.out, frozenset(fresh))

    if workers > 1:
        try:
            return _run(job, lambda report, led: fast_payloads(path, report, progress, led), workers, fresh, ledger(),
                        window=SPAN_WINDOW * workers, batch=SPAN_BATCH)
        except Irregular:
            pass  # something only the exact reader reads as it should: start again that way
        try:
            return _run(job, lambda report, led: exact_payloads(iter_export_raw(path, progress=progress), report, True, led),
                        workers, fresh, ledger())
        except Unsendable:
            pass  # a task no worker can be sent: start again in this process
    return _run(job, lambda report, led: exact_payloads(iter_export_raw(path, progress=progress), report, False, led), 1, fresh,
                ledger())


def _run(job: _Job, payloads: Callable[[ImportReport, TaskLedger], Iterator], workers: int, fresh: dict[str, bytes],
         ledger: TaskLedger, window: int | None = None, batch: int = 4) -> ImportReport:
    """One import pass over the export into a fresh staging folder, moved in at the end;
    the cache is saved once the records are in."""
    out = Path(job.out)
    report = ImportReport()
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=out))
    entries: list[tuple[str, Entry]] = []
    try:
        for article_id, data in fresh.items():  # new records, staged before any task reads them
            with open(staging / f"{article_id}.json", "wb") as fh:
                fh.write(data)
        job = replace(job, staging=str(staging))
        results = ordered_map(_import_task, payloads(report, ledger), workers=workers, initializer=_set_job, initargs=(job,), window=window,
                              key=item_key, batch=batch)
        changed: dict[str, bool] = {}
        try:
            for counts, warnings, article_id, differs, predictions, refused, entry, cached in results:
                report.cached += cached
                report.refused.extend(refused)
                report.warnings.extend(warnings)
                report.predictions += predictions
                for status, n in counts.items():
                    report.annotations[status] += n
                if article_id is not None:
                    changed[article_id] = differs
                if entry is not None:
                    entries.append(entry)
        except ExportError as exc:
            if not report.refused or isinstance(exc, OffsetUnitError):
                raise
            raise refusals_error(report.refused + [refusal(exc, article="", annotation="", link="")], file=job.file) from exc
        if report.refused and not job.skip_invalid:
            raise refusals_error(report.refused, file=job.file)
        _move_in(staging, out, changed, report)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    ledger.keep(entries)
    ledger.cache.save()
    return report
