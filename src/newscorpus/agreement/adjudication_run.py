"""Adjudication of a folder of records: every record decided by
:func:`newscorpus.agreement.adjudication.adjudicate`, the changed ones written back, and the
open units written as Label Studio tasks (:mod:`newscorpus.agreement.adjudication_tasks`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from newscorpus.agreement.adjudication import AdjudicationReport, adjudicate
from newscorpus.agreement.adjudication_tasks import write_adjudication_tasks
from newscorpus.core.scheme import Scheme
from newscorpus.errors import AdjudicationError
from newscorpus.records.access import locked_folders
from newscorpus.records.io import dump_record_bytes, iter_record_paths, read_record, record_path
from newscorpus.records.journal import commit_files

__all__ = ["CorpusAdjudication", "adjudicate_dir"]

_ANNOTATOR = re.compile(r"[a-z][a-z0-9]*-[A-Za-z0-9_\-]+")  # the Annotation.annotator pattern


@dataclass(frozen=True)
class CorpusAdjudication:
    """What :func:`adjudicate_dir` did: one report per record (file name order), how many
    record files changed, and the adjudication tasks file with its number of tasks."""

    reports: list[AdjudicationReport]
    written: int
    tasks_path: Path | None
    tasks: int

    def to_dict(self) -> dict:
        """A JSON-ready dict."""
        data = asdict(self)
        data["tasks_path"] = None if self.tasks_path is None else str(self.tasks_path)
        return data


@locked_folders("annotations_dir", "write")
def adjudicate_dir(
    annotations_dir: str | Path,
    *,
    scheme: Scheme,
    adjudicator: str | None = None,
    force: bool = False,
    tasks_path: str | Path | None = None,
    on_record: Callable[[int, int], None] | None = None,
) -> CorpusAdjudication:
    """Adjudicate every record of ``annotations_dir`` and write the changed ones back.

    Every record is read and decided before anything is written, so a bad record (raised
    as :class:`~newscorpus.errors.RecordError` naming the file) writes nothing; the changed
    records are then written all or nothing across crashes, holding the folder's lock
    (:mod:`newscorpus.records.access`). When
    ``tasks_path`` is given, the articles with open units are written there as Label
    Studio tasks (:func:`newscorpus.agreement.adjudication_tasks.write_adjudication_tasks`).
    ``on_record(done, total)`` is called after each record. Raises
    :class:`~newscorpus.errors.AdjudicationError` when the folder does not exist or the
    adjudicator id is malformed.
    """
    folder = Path(annotations_dir)
    if not folder.is_dir():
        raise AdjudicationError("no such folder of records", file=str(folder), code="no-annotations-dir")
    if adjudicator is not None and not _ANNOTATOR.fullmatch(adjudicator):
        raise AdjudicationError(
            f"{adjudicator!r} is not an annotator id", code="bad-adjudicator", hint="give it as in the records, e.g. ls-7"
        )
    paths = list(iter_record_paths(folder))
    results = []
    for i, path in enumerate(paths, 1):
        results.append(adjudicate(read_record(path), scheme=scheme, adjudicator=adjudicator, force=force))
        if on_record:
            on_record(i, len(paths))
    if adjudicator is not None and not any(a.annotator == adjudicator for rec, _ in results for a in rec.annotations):
        raise AdjudicationError(
            f"annotator {adjudicator} has no annotation in any record of {folder}; nothing was changed",
            code="unknown-adjudicator", hint="check the id (annotators are ls-<Label Studio user id>)",
        )
    written = commit_files(((record_path(folder, rec.id), dump_record_bytes(rec, scheme)) for rec, _ in results), kind="adjudicate")
    tasks = 0
    if tasks_path is not None:
        tasks = write_adjudication_tasks([r for r in results if r[1].open], path=tasks_path)
    return CorpusAdjudication([rep for _, rep in results], written, None if tasks_path is None else Path(tasks_path), tasks)

