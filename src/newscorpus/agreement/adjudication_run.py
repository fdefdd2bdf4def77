"""Adjudication of a folder of records, one record at a time: every record decided by
:func:`newscorpus.agreement.adjudication.adjudicate` (in place: the record read is not
needed afterwards), the changed ones staged and moved in
all or nothing (:mod:`newscorpus.records.journal`), and the open units written as Label
Studio tasks (:mod:`newscorpus.agreement.adjudication_tasks`).

Memory does not grow with the number of records: a record is read, decided, and its new
bytes staged (when they differ) before the next one; the reports and the tasks go to
temporary files (:class:`ReportLog`). From :data:`POOL_THRESHOLD` records a process pool
decides them (:func:`newscorpus.util.parallel.ordered_map`, both cores), :data:`CHUNK`
records a message; the parent stages, counts and writes in file name order, so the result
is the same for any number of processes.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import tempfile
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, overload

from newscorpus.agreement.adjudication import AdjudicationReport, adjudicate_in_place
from newscorpus.agreement.adjudication_tasks import adjudication_task, task_body, tasks_file_chunks
from newscorpus.agreement.corpus import record_names
from newscorpus.core.scheme import Scheme
from newscorpus.errors import AdjudicationError
from newscorpus.records.access import locked_folders
from newscorpus.records.io import dump_record_bytes, record_path
from newscorpus.validate.gate import read_valid_record
from newscorpus.records.journal import commit_staging, staging_folder
from newscorpus.util.fileio import atomic_write_chunks
from newscorpus.util.parallel import default_workers, ordered_map

__all__ = ["POOL_THRESHOLD", "CHUNK", "ReportLog", "CorpusAdjudication", "adjudicate_dir"]

_ANNOTATOR = re.compile(r"[a-z][a-z0-9]*-[A-Za-z0-9_\-]+")  # the Annotation.annotator pattern
#: Folders of at least this many records are adjudicated by a process pool (one worker per CPU).
POOL_THRESHOLD = 500
#: Records a worker decides per message.
CHUNK = 16


class ReportLog(Sequence[AdjudicationReport]):
    """The reports of a folder run in file name order, kept in an anonymous temporary file
    rather than in memory (8 bytes a report stay in memory): a read-only sequence that
    reads a report back when it is asked for. :meth:`append_pickled` adds one."""

    def __init__(self) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile()
        self._ends = array("q")

    def append_pickled(self, blob: bytes) -> None:
        """Add a report given as ``pickle.dumps(report)``."""
        self._file.seek(0, os.SEEK_END)
        self._file.write(blob)
        self._ends.append(self._file.tell())

    def __len__(self) -> int:
        return len(self._ends)

    def _read(self, i: int) -> AdjudicationReport:
        start = self._ends[i - 1] if i else 0
        self._file.seek(start)
        return pickle.loads(self._file.read(self._ends[i] - start))

    @overload
    def __getitem__(self, index: int) -> AdjudicationReport: ...

    @overload
    def __getitem__(self, index: slice) -> list[AdjudicationReport]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._read(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("report index out of range")
        return self._read(index)

    def __iter__(self) -> Iterator[AdjudicationReport]:
        for i in range(len(self)):
            yield self._read(i)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    def __repr__(self) -> str:
        return f"ReportLog({len(self)} reports)"


@dataclass(frozen=True, eq=False)
class CorpusAdjudication:
    """What :func:`adjudicate_dir` did: one report per record (file name order; a
    :class:`ReportLog`), how many record files changed, and the adjudication tasks file
    with its number of tasks."""

    reports: Sequence[AdjudicationReport]
    written: int
    tasks_path: Path | None
    tasks: int

    def to_dict(self) -> dict:
        """A JSON-ready dict."""
        return {"reports": [asdict(r) for r in self.reports], "written": self.written,
                "tasks_path": None if self.tasks_path is None else str(self.tasks_path), "tasks": self.tasks}


_JOB: tuple[str, Scheme, str | None, bool, bool] | None = None


def _set_job(folder: str, scheme: Scheme, adjudicator: str | None, force: bool, tasks: bool) -> None:
    global _JOB
    _JOB = (folder, scheme, adjudicator, force, tasks)


def _decide_chunk(names: list[str]) -> list[tuple[bytes, str | None, bytes | None, bytes | None, bool]]:
    """Per record of ``names``: its pickled report, the name and bytes of its file when
    they change (else None, None), its task's body when it has open units, and whether
    the adjudicator annotated it."""
    assert _JOB is not None
    folder, scheme, adjudicator, force, with_tasks = _JOB
    out = []
    for name in names:
        record = read_valid_record(os.path.join(folder, name), scheme=scheme)
        report = adjudicate_in_place(record, scheme=scheme, adjudicator=adjudicator, force=force)
        data = dump_record_bytes(record, scheme)
        target = record_path(folder, record.id)
        try:
            changed = target.read_bytes() != data
        except FileNotFoundError:
            changed = True
        task = task_body(adjudication_task(record, report)) if with_tasks and report.open else None
        seen = adjudicator is not None and any(a.annotator == adjudicator for a in record.annotations)
        out.append((pickle.dumps(report), target.name if changed else None, data if changed else None, task, seen))
    return out


def _write_spooled(spool: IO[bytes], path: Path) -> None:
    """Write the bytes of ``spool`` to ``path`` atomically, unless it holds them already."""
    size = spool.seek(0, os.SEEK_END)
    spool.seek(0)
    try:
        if path.stat().st_size == size:
            with open(path, "rb") as fh:
                while (block := spool.read(1 << 20)) == fh.read(1 << 20):
                    if not block:
                        return
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    spool.seek(0)
    atomic_write_chunks(path, iter(lambda: spool.read(1 << 20), b""))


@locked_folders("annotations_dir", "write")
def adjudicate_dir(
    annotations_dir: str | Path,
    *,
    scheme: Scheme,
    adjudicator: str | None = None,
    force: bool = False,
    tasks_path: str | Path | None = None,
    on_record: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> CorpusAdjudication:
    """Adjudicate every record of ``annotations_dir`` and write the changed ones back.

    Every record is read and decided before anything is moved in, so a bad record (raised
    as :class:`~newscorpus.errors.RecordError` naming the file) changes nothing; the changed
    records are staged as they are decided and moved in all or nothing across crashes,
    holding the folder's lock (:mod:`newscorpus.records.access`). When ``tasks_path`` is
    given, the articles with open units are written there as Label Studio tasks
    (:func:`newscorpus.agreement.adjudication_tasks.tasks_file_chunks`), after the records.
    ``on_record(done, total)`` is called after each record. ``workers``: processes
    (default: one per CPU from :data:`POOL_THRESHOLD` records, else 1;
    ``NEWSCORPUS_WORKERS`` overrides); the result is the same for any number. Raises
    :class:`~newscorpus.errors.AdjudicationError` when the folder does not exist, the
    adjudicator id is malformed, or no record has an annotation by the adjudicator
    (nothing is changed then).
    """
    folder = Path(annotations_dir)
    if not folder.is_dir():
        raise AdjudicationError("no such folder of records", file=str(folder), code="no-annotations-dir")
    if adjudicator is not None and not _ANNOTATOR.fullmatch(adjudicator):
        raise AdjudicationError(
            f"{adjudicator!r} is not an annotator id", code="bad-adjudicator", hint="give it as in the records, e.g. ls-7"
        )
    names = record_names(folder)
    if workers is None:
        workers = default_workers(len(names), threshold=POOL_THRESHOLD)
    chunks = [names[i : i + CHUNK] for i in range(0, len(names), CHUNK)]
    reports = ReportLog()
    state = {"seen": False, "done": 0, "tasks": 0}
    staging = staging_folder(folder, "adjudicate")

    def task_bodies() -> Iterator[bytes]:
        # the run itself, record by record; yields the body of each task on the way
        results = ordered_map(_decide_chunk, chunks, workers=workers, initializer=_set_job,
                              initargs=(str(folder), scheme, adjudicator, force, tasks_path is not None))
        for chunk in results:
            for report, name, data, task, annotated in chunk:
                reports.append_pickled(report)
                if name is not None:
                    (staging / name).write_bytes(data)
                state["seen"] |= annotated
                state["done"] += 1
                if on_record:
                    on_record(state["done"], len(names))
                if task is not None:
                    state["tasks"] += 1
                    yield task

    with tempfile.TemporaryFile() as task_spool:
        try:
            for piece in tasks_file_chunks(task_bodies()):
                task_spool.write(piece)
            if adjudicator is not None and not state["seen"]:
                raise AdjudicationError(
                    f"annotator {adjudicator} has no annotation in any record of {folder}; nothing was changed",
                    code="unknown-adjudicator", hint="check the id (annotators are ls-<Label Studio user id>)",
                )
            written = commit_staging(staging, folder, suffix="")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        if tasks_path is not None:
            _write_spooled(task_spool, Path(tasks_path))
    tasks = state["tasks"]
    return CorpusAdjudication(reports, written, None if tasks_path is None else Path(tasks_path), tasks)
