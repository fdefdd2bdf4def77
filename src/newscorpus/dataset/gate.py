"""The build's gate, and the worker of a build on two cores.

The build is a gate like ``newscorpus validate``: a record that
:func:`newscorpus.validate.run.validate_record` rejects is never published
(:func:`rejection` is the build's error for it). In one process, :func:`article_into`
reads, gates and makes every row of one article.

On two cores (docs/design.md, Dataset) a spawned worker runs :func:`gate_chunk` over
consecutive records (:func:`newscorpus.util.parallel.ordered_map`, in order): it reads and
gates each and makes its rows of the configs of :data:`WORKER_CONFIGS` (``ner``: spaCy's
tokenizer), while the main process reads the same records again for the other configs,
the card, the Arrow conversion and the Parquet writers. Each library is imported only where
it runs (this module imports none of them at import time): the main process of a two-core
build loads neither the validator nor spaCy, the worker not pyarrow, which keeps the two
processes under the build's memory bound (docs/performance.md).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

from newscorpus.dataset.arrow import Columns
from newscorpus.dataset.rows import BuildOptions, Outcome, article_rows, failed_outcome
from newscorpus.dataset.splits import SPLITS
from newscorpus.records.io import load_record_json

__all__ = ["WORKER_CONFIGS", "ChunkRows", "rejection", "article_into", "set_worker_options", "gate_chunk"]

#: The configs whose rows the worker of a two-core build makes (the others: the main process).
WORKER_CONFIGS = ("ner",)


@cache
def _validate_record() -> Callable[..., list]:
    from newscorpus.validate.run import validate_record

    return validate_record


def rejection(path: str, violations: list) -> tuple[str, dict]:
    """The build's error for a record that does not validate: the first violation's
    message and the fields of its :class:`~newscorpus.errors.BuildError` (file, where, code,
    and a hint with how many more violations there are and the command that lists them)."""
    first = violations[0]
    more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
    return first.message, {"file": path, "where": first.path, "code": first.rule,
                           "hint": f"the record does not validate{more}: run `newscorpus validate {path}`"}


def article_into(path: str, options: BuildOptions, pending: dict[str, dict[str, Columns]]) -> Outcome:
    """Read, gate and make the rows of the record at ``path`` in this process
    (:func:`~newscorpus.dataset.rows.article_rows`; rows into ``pending[split]``). Raises
    :class:`~newscorpus.errors.RecordError` for a record that cannot be read."""
    data = load_record_json(path)
    violations = _validate_record()(data, file=path, scheme=options.scheme)
    if violations:
        return failed_outcome(str(data.get("id")), rejection(path, violations))
    return article_rows(path, data, options, pending)


class ChunkRows(NamedTuple):
    """What the worker sends back for a chunk of records (:func:`gate_chunk`).

    ``gates`` has one entry per record, in order, up to the first that stops the chunk:
    None (it passed the gate), ``("failed", (message, fields))`` (refused by the gate:
    :func:`rejection`), ``("stop", None)`` (refused after the gate, or unreadable: the main
    process, reading it too, finds the same) or ``("error", traceback text)`` (anything
    else raised: the main process runs the record itself to raise it). ``batches`` are the
    rows of the worker's configs by ``(split, config)``, without their schema
    (:meth:`~newscorpus.dataset.arrow.Columns.from_layout`: the main process sets it and
    makes them Arrow); ``first`` maps a config to ``(index in the chunk, split)`` of the
    first record with rows in it (the card's example row). Empty after a stop."""

    gates: list[tuple[str, Any] | None]
    batches: dict[tuple[str, str], Columns]
    first: dict[str, tuple[int, str]]


_OPTIONS: dict[str, Any] = {}


def set_worker_options(options: BuildOptions, layouts: dict[str, dict]) -> None:
    """The worker's initializer: the build's options and the column structure of each
    config of :data:`WORKER_CONFIGS` (config name -> :meth:`~newscorpus.dataset.arrow.Columns.layout`);
    loads the validator before the first chunk."""
    _OPTIONS["options"] = options
    _OPTIONS["layouts"] = layouts
    _validate_record()


def gate_chunk(paths: list[str]) -> ChunkRows:
    """Gate the records of ``paths`` (consecutive in build order) and make their rows of
    :data:`WORKER_CONFIGS` (in a worker: :func:`set_worker_options` first). Never raises
    for a record: see :class:`ChunkRows`."""
    options: BuildOptions = _OPTIONS["options"]
    pending = {split: {name: Columns.from_layout(layout) for name, layout in _OPTIONS["layouts"].items()} for split in SPLITS}
    gates: list[tuple[str, Any] | None] = []
    first: dict[str, tuple[int, str]] = {}
    for index, path in enumerate(paths):
        try:
            data = load_record_json(path)
            violations = _validate_record()(data, file=path, scheme=options.scheme)
            if violations:
                gates.append(("failed", rejection(path, violations)))
                return ChunkRows(gates, {}, {})
            outcome = article_rows(path, data, options, pending, summary=False)
        except Exception:  # noqa: BLE001 - the main process raises it, as one process would
            gates.append(("error", traceback.format_exc()))
            return ChunkRows(gates, {}, {})
        if outcome.failed is not None:
            gates.append(("stop", None))
            return ChunkRows(gates, {}, {})
        gates.append(None)
        for name, batch in pending[outcome.split].items():
            if name not in first and batch.num_rows:
                first[name] = (index, outcome.split)
    made = {(split, name): batch for split, batches in pending.items() for name, batch in batches.items() if batch.num_rows}
    return ChunkRows(gates, made, first)
