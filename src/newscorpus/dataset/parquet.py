"""A Parquet file written as its rows arrive, in fixed row groups (the build's writer).

Rows arrive column by column in :class:`~newscorpus.dataset.arrow.Columns` batches; they
are turned into Arrow a row group at a time and written in row groups of exactly the
config's size through one ``pq.ParquetWriter``, which gives the bytes
``pq.write_table(all_rows, row_group_size=...)`` gives (tests/unit/dataset/test_build_stream.py),
while memory holds one row group, never the file. Files past :data:`SHARD_ROW_GROUPS` row
groups are written as shards.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newscorpus.dataset.arrow import Columns
from newscorpus.errors import BuildError

__all__ = [
    "ParquetStream", "BackgroundWrites", "ROW_GROUP", "DEFAULT_ROW_GROUP", "NO_STATISTICS", "SHARD_ROW_GROUPS", "row_group_size", "statistics_columns", "shard_name",
]

#: Row-group size by config (rows); others take :data:`DEFAULT_ROW_GROUP`.
ROW_GROUP = {"articles": 64, "annotations": 256}
#: 1,000 rows (10,000 before the third performance pass): three splits of ``sentences`` and
#: ``ner`` each hold one row group in memory while they fill, which at 10,000 rows took the
#: build to 387 MB at N = 10,000; at 1,000 it stays under 285 MB (docs/performance.md).
DEFAULT_ROW_GROUP = 1_000


#: Columns (top-level names, by config) written without min/max statistics: whole article
#: texts. Their min and max are two whole articles a row group, which no reader can use to
#: skip anything, and the writer holds every row group's statistics until the footer is
#: written: at N = 100,000 that was about 0.67 KB an article of the build's memory and a
#: 10 MB ``articles/train`` footer (docs/performance.md). Every other column keeps them.
NO_STATISTICS = {"articles": frozenset({"text"})}


#: Row groups per Parquet file: a config and split with more rows is written as several
#: shards ``<split>-0000k-of-0000n.parquet`` (the Hub's naming). A ``ParquetWriter`` keeps
#: the metadata of every column chunk it wrote until it closes, about 1 KB each (26 KB an
#: ``articles`` row group): one file per split made the build's memory grow by about
#: 0.9 KB an article (379 MB at N = 100,000). A shard closes after this many row groups
#: (8,192 ``articles`` rows, 32,768 ``annotations``, 128,000 of the others).
SHARD_ROW_GROUPS = 128


def shard_name(split: str, index: int, count: int) -> str:
    """``<split>-<index>-of-<count>.parquet`` with five digits each (``train-00000-of-00001.parquet``)."""
    return f"{split}-{index:05d}-of-{count:05d}.parquet"


def row_group_size(config: str) -> int:
    """The row-group size of ``config``'s files (:data:`ROW_GROUP`, :data:`DEFAULT_ROW_GROUP`)."""
    return ROW_GROUP.get(config, DEFAULT_ROW_GROUP)


def statistics_columns(schema: pa.Schema, config: str) -> list[str]:
    """The Parquet leaf column paths (``"sentences.list.element.id"``) that get min/max
    statistics in ``config``'s files: all but those under :data:`NO_STATISTICS`; the value of
    ``pq.ParquetWriter(write_statistics=...)``."""
    skip = NO_STATISTICS.get(config, frozenset())
    return [path for path in _leaf_paths(schema) if path.split(".", 1)[0] not in skip]


def _leaf_paths(schema: pa.Schema) -> list[str]:
    def walk(prefix: str, type_: pa.DataType) -> list[str]:
        if pa.types.is_struct(type_):
            return [p for i in range(type_.num_fields) for p in walk(f"{prefix}.{type_.field(i).name}", type_.field(i).type)]
        if pa.types.is_list(type_) or pa.types.is_large_list(type_):
            return walk(f"{prefix}.list.element", type_.value_type)
        return [prefix]

    return [path for field in schema for path in walk(field.name, field.type)]


class BackgroundWrites:
    """One thread that runs the Parquet writes of a build in the order they are submitted
    (pyarrow encodes and compresses without holding the GIL, so the writes overlap the
    making of rows on another core), with at most ``limit`` writes waiting: memory stays
    bounded by a few row groups. An error of a write is raised by a later :meth:`submit`
    or by :meth:`wait`."""

    def __init__(self, limit: int = 4) -> None:
        self.limit = limit
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="parquet-writes")
        self.pending: deque[Future] = deque()

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn(*args)`` on the thread after every write submitted before it."""
        while len(self.pending) >= self.limit:
            self.pending.popleft().result()
        self.pending.append(self.pool.submit(fn, *args))

    def wait(self) -> None:
        """Wait until every submitted write is done; raises the first error."""
        while self.pending:
            self.pending.popleft().result()

    def shutdown(self) -> None:
        """Wait for the writes still running (their errors ignored) and stop the thread."""
        for job in self.pending:
            job.exception()
        self.pending.clear()
        self.pool.shutdown(wait=True)


class ParquetStream:
    """One config and split written as its rows arrive: rows are turned into Arrow a row
    group at a time and written in row groups of exactly ``row_group`` rows through a
    ``pq.ParquetWriter`` (zstd, statistics on :func:`statistics_columns`), which gives the
    bytes ``pq.write_table(table, row_group_size=row_group, write_statistics=...)`` gives for
    all rows at once. Up to ``shard_groups`` row groups (:data:`SHARD_ROW_GROUPS`) that is
    the one file ``path``; more rows are written as shards, files of ``shard_groups`` row
    groups named :func:`shard_name` in ``path``'s folder (the file ``path`` is then renamed
    to the first shard's name; :attr:`paths` lists them after :meth:`close`). Memory: one
    row group, the metadata of one shard, and the row groups waiting for ``background``, a
    :class:`BackgroundWrites` that does the writing on its thread when given (the files are
    then complete only after :meth:`close`)."""

    def __init__(self, path: Path, schema: pa.Schema, *, config: str, split: str, row_group: int | None = None,
                 background: BackgroundWrites | None = None, shard_groups: int | None = None) -> None:
        self.path, self.schema, self.config, self.split = path, schema, config, split
        self.background = background
        self.row_group = row_group or row_group_size(config)
        self.shard_groups = shard_groups or SHARD_ROW_GROUPS
        #: the files written, in order (final names after :meth:`close`)
        self.paths: list[Path] = []
        self.groups_in_shard = 0
        self.batch: Columns | None = None
        self.chunks: list[pa.Table] = []
        self.buffered = 0  # rows in self.chunks
        self.writer: pq.ParquetWriter | None = None
        self.num_rows = 0
        self.num_bytes = 0

    def add(self, rows: Columns) -> None:
        """Append the rows of a :class:`~newscorpus.dataset.arrow.Columns` batch of this
        file's schema (the batch is taken over: the caller must not add to it afterwards).
        Raises :class:`BuildError` (``schema-mismatch``) for rows that do not fit the
        schema, here or at a later :meth:`add` or :meth:`close`."""
        if self.batch is None:
            self.batch = rows  # taken over, not copied
        else:
            self.batch.extend(rows)
        if self.batch.num_rows >= self.row_group:  # columns are compact: a row group at a time
            self._convert()
        while self.buffered >= self.row_group:
            self._write(self.row_group)

    def _convert(self) -> None:
        if not (self.batch and self.batch.num_rows):
            return
        try:
            table = self.batch.table()
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise BuildError(f"rows of {self.config}/{self.split} do not fit the declared features: {exc}", code="schema-mismatch") from exc
        self.batch = None
        self.chunks.append(table)
        self.buffered += table.num_rows

    def _write(self, n: int) -> None:
        table = self.chunks[0] if len(self.chunks) == 1 else pa.concat_tables(self.chunks).combine_chunks()
        head = table if n == table.num_rows else table.slice(0, n)
        rest = table.num_rows - n
        self.chunks = [table.slice(n).combine_chunks()] if rest else []
        self.buffered = rest
        self.num_rows += head.num_rows
        self.num_bytes += head.nbytes
        if self.background is None:
            self._write_group(head)
        else:
            self.background.submit(self._write_group, head)

    def _write_group(self, table: pa.Table) -> None:
        if self.writer is None:
            # shard k > 0 gets a provisional name until the count is known (close)
            path = self.path if not self.paths else self.path.with_name(f".{self.split}-{len(self.paths):05d}.parquet.part")
            path.parent.mkdir(exist_ok=True)
            statistics = statistics_columns(self.schema, self.config)
            self.writer = pq.ParquetWriter(path, self.schema, compression="zstd", write_statistics=statistics)
            self.paths.append(path)
        self.writer.write_table(table, row_group_size=self.row_group)
        self.groups_in_shard += 1
        if self.groups_in_shard >= self.shard_groups:  # a full shard: its metadata is freed
            self._close_writer()

    def _close_writer(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
            self.groups_in_shard = 0

    def close(self) -> tuple[int, int, int]:
        """Write what is left and close the files (waiting for the background writes); the
        rows, Arrow bytes (the sum over row groups; what ``datasets`` calls ``num_bytes``)
        and size in bytes of all files. Shards get their final names here."""
        self._convert()
        if self.buffered:
            self._write(self.buffered)
        if self.background is None:
            self._close_writer()
        else:
            self.background.submit(self._close_writer)
            self.background.wait()
        if len(self.paths) > 1:
            final = [self.path.with_name(shard_name(self.split, k, len(self.paths))) for k in range(len(self.paths))]
            for written, name in zip(self.paths, final):
                written.rename(name)
            self.paths = final
        return self.num_rows, self.num_bytes, sum(p.stat().st_size for p in self.paths)

    def abort(self) -> None:
        """Close the file after an error (the caller removes it; with background writes,
        after :meth:`BackgroundWrites.shutdown`)."""
        if self.writer is not None:
            self.writer.close()
