"""The agreement tally of a folder of records, read once, one record at a time.

From :data:`POOL_THRESHOLD` records the records are read by a process pool
(:func:`newscorpus.util.parallel.ordered_map`, both cores): each worker tallies chunks of
:data:`CHUNK` consecutive records (:class:`~newscorpus.agreement.figures.AgreementTally`,
counts only) and the parent merges the chunks' tallies in order, so memory stays flat
whatever the number of records and the figures are those of one pass.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from newscorpus.agreement.figures import AgreementTally
from newscorpus.core.scheme import Scheme
from newscorpus.validate.gate import read_valid_record
from newscorpus.util.parallel import default_workers, ordered_map

__all__ = ["POOL_THRESHOLD", "CHUNK", "record_names", "tally_folder"]

#: Folders of at least this many records are read by a process pool (one worker per CPU).
POOL_THRESHOLD = 1500
#: Records a worker reads and tallies per message.
CHUNK = 64

_JOB: tuple[str, Scheme, tuple[str, ...]] | None = None


def record_names(folder: str | Path) -> list[str]:
    """The file names of the records of ``folder`` (``*.json``, not hidden), sorted: the
    files :func:`newscorpus.records.io.iter_record_paths` gives, as short strings (a
    list of 100,000 ``Path`` objects costs tens of MB)."""
    with os.scandir(folder) as entries:
        return sorted(e.name for e in entries if e.name.endswith(".json") and not e.name.startswith("."))


def _set_job(folder: str, scheme: Scheme, exclude: tuple[str, ...]) -> None:
    global _JOB
    _JOB = (folder, scheme, exclude)


def _tally_chunk(names: list[str]) -> AgreementTally:
    assert _JOB is not None
    folder, scheme, exclude = _JOB
    tally = AgreementTally(scheme, exclude=exclude)
    for name in names:
        tally.add(read_valid_record(os.path.join(folder, name), scheme=scheme))
    return tally


def tally_folder(
    folder: str | Path,
    *,
    scheme: Scheme,
    exclude: Iterable[str] = (),
    on_record: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> AgreementTally:
    """The :class:`~newscorpus.agreement.figures.AgreementTally` of every record of
    ``folder`` (which must exist), in file name order. ``workers``: processes (default: one
    per CPU from :data:`POOL_THRESHOLD` records, else 1; ``NEWSCORPUS_WORKERS`` overrides);
    the tally is the same for any number. ``on_record(done, total)`` is called for every
    record, in order, once it is counted. Raises
    :class:`~newscorpus.errors.RecordError` (naming the file) for the first record in name
    order that cannot be read. Takes no lock (the caller holds the folder)."""
    names = record_names(folder)
    if workers is None:
        workers = default_workers(len(names), threshold=POOL_THRESHOLD)
    exclude = tuple(sorted(set(exclude)))
    chunks = [names[i : i + CHUNK] for i in range(0, len(names), CHUNK)]
    tally = AgreementTally(scheme, exclude=exclude)
    done = 0
    parts = ordered_map(_tally_chunk, chunks, workers=workers, initializer=_set_job, initargs=(str(folder), scheme, exclude))
    for chunk, part in zip(chunks, parts):
        tally.merge(part)
        for _ in chunk:
            done += 1
            if on_record is not None:
                on_record(done, len(names))
    return tally
