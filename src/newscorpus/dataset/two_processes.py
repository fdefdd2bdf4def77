"""The main process of a build on two processes (docs/design.md, Dataset).

From :data:`newscorpus.dataset.build.POOL_THRESHOLD` records a spawned worker reads and gates
the records and makes their rows of :data:`~newscorpus.dataset.gate.WORKER_CONFIGS`
(:func:`~newscorpus.dataset.gate.gate_chunk`, :data:`CHUNK` records at a time, in order
through :func:`newscorpus.util.parallel.ordered_map`), while the main process reads them
again for the other configs (:func:`~newscorpus.dataset.rows.article_rows`), up to
:data:`AHEAD` records ahead of the worker's verdicts while it waits for them.
:func:`two_process_outcomes` gives the build each record's outcome in order, with the
errors of a one-process build.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from newscorpus.dataset.arrow import Columns
from newscorpus.dataset.configs import CONFIGS, config_batches, config_schema, configs_for
from newscorpus.dataset.gate import WORKER_CONFIGS, article_into, gate_chunk, set_worker_options
from newscorpus.dataset.rows import BuildOptions, Outcome, article_rows, failed_outcome
from newscorpus.dataset.splits import SPLITS
from newscorpus.errors import BuildError
from newscorpus.records.io import load_record_json
from newscorpus.util.parallel import ordered_map

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["CHUNK", "AHEAD", "two_process_outcomes", "rerun"]

#: Records the worker gates at a time.
CHUNK = 16
#: Records whose rows the main process makes at most ahead of the worker's verdicts while
#: it waits for them (it keeps their ids and outcomes; the rows go to the writers): 256 hide
#: a third of the worker's start; 1,024 cost 14 MB more at the peak (docs/performance.md).
AHEAD = 256


def two_process_outcomes(paths: list[str], options: BuildOptions, pending: dict[str, dict[str, Columns]],
                         schemas: dict[str, pa.Schema], after_rows: Callable[[str], None]) -> Iterator[tuple]:
    """``(path, outcome, (index in its chunk, the worker's ChunkRows))`` for each record of
    ``paths``, in order: a spawned worker gates the records and makes their rows of
    :data:`~newscorpus.dataset.gate.WORKER_CONFIGS` :data:`CHUNK` records at a time
    (:func:`~newscorpus.dataset.gate.gate_chunk`), while this process reads each again and
    makes its rows of the other configs into ``pending`` (then ``after_rows(split)``), up to
    :data:`AHEAD` records ahead of the worker's verdicts while it waits for them (the
    worker's start, about a second). Rows of a record the gate then refuses are never
    written: the build stops at it. Every error is the one a one-process build raises for
    the same record, in the same order: a record this process cannot read, or whose rows
    raise, raises at its turn (after the gate's verdict, which comes first); one the
    worker rejected, or failed on, too, the latter by running the record in this process
    (:func:`rerun`). ``paths`` is emptied as the records are done (memory)."""
    sent: deque[tuple[int, int]] = deque()  # (first index, count) of the chunks sent
    ahead: deque[tuple[str | BaseException, Outcome | BaseException | None]] = deque()  # (id, rows) per record
    state = {"next": 0}  # the next record to make the rows of

    def chunks() -> Iterator[list[str]]:
        for first in range(0, len(paths), CHUNK):
            chunk = paths[first : first + CHUNK]
            sent.append((first, len(chunk)))
            yield chunk

    def make_next(limit: int = AHEAD) -> bool:
        """Make the rows of the next record, unless ``limit`` records are made ahead."""
        at = state["next"]
        if at >= len(paths) or len(ahead) >= limit:
            return False
        state["next"] = at + 1
        path = paths[at]
        try:
            data = load_record_json(path)
        except Exception as exc:  # noqa: BLE001 - raised at the record's turn, as one process would
            ahead.append((exc, None))
            return True
        try:
            outcome = article_rows(path, data, options, pending)
            if outcome.failed is None:
                after_rows(outcome.split)
        except Exception as exc:  # noqa: BLE001 - raised at the record's turn, if the gate lets it pass
            ahead.append((str(data.get("id")), exc))
            return True
        ahead.append((str(data.get("id")), outcome))
        return True

    layouts = {name: CONFIGS[name].batch(schemas[name]).layout() for name in WORKER_CONFIGS if name in schemas}
    results = ordered_map(gate_chunk, chunks(), workers=1, spawn_one=True, initializer=set_worker_options,
                          initargs=(options, layouts), idle=make_next)
    try:
        for rows in results:
            first, count = sent.popleft()
            for (_, name), batch in rows.batches.items():
                batch.schema = schemas[name]
            for index in range(count):
                path = paths[first + index]
                if not ahead:
                    make_next(1)
                paths[first + index] = ""  # its rows are made: the path's string is freed
                article_id, made = ahead.popleft()
                if isinstance(article_id, BaseException):
                    raise article_id  # this process could not read it
                kind, value = rows.gates[index] or (None, None)
                if kind == "failed":
                    outcome = failed_outcome(article_id, value)
                elif kind == "error":
                    outcome = rerun(path, options, value)
                elif isinstance(made, BaseException):
                    raise made
                else:
                    outcome = made
                    if kind == "stop" and outcome.failed is None:
                        raise BuildError("the build's worker refused a record that this process accepts", file=path, code="build-worker")
                yield path, outcome, (index, rows)
    finally:
        results.close()


def rerun(path: str, options: BuildOptions, trace: str) -> Outcome:
    """The outcome of the record at ``path`` made in this process, after the worker raised
    ``trace`` (a traceback) on it: raises what a one-process build raises for it."""
    schemas = {name: config_schema(name, options.scheme) for name in configs_for(options.scheme)}
    outcome = article_into(path, options, {split: config_batches(schemas) for split in SPLITS})
    if outcome.failed is None:
        raise BuildError(f"the build's worker failed on this record:\n{trace}", file=path, code="build-worker")
    return outcome
