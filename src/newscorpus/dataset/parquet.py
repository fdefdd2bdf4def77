"""A Parquet file written as its rows arrive, in fixed row groups (the build's writer).

Rows arrive as Python dicts or, on the build's fast path, column by column in a
:class:`Columns` batch; either way they are turned into Arrow every :data:`CHUNK` rows and
written in row groups of exactly the config's size through one ``pq.ParquetWriter``, which
gives the bytes ``pq.write_table(all_rows, row_group_size=...)`` gives
(tests/test_build_stream.py), while memory holds one row group, never the file.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy
import pyarrow as pa
import pyarrow.parquet as pq

from newscorpus.errors import BuildError

__all__ = [
    "ParquetStream", "BackgroundWrites", "Columns", "ListColumn", "Pieces", "ROW_GROUP", "DEFAULT_ROW_GROUP", "CHUNK",
    "NO_STATISTICS", "SHARD_ROW_GROUPS", "row_group_size", "statistics_columns", "shard_name",
]

#: Row-group size by config (rows); others take :data:`DEFAULT_ROW_GROUP`.
ROW_GROUP = {"articles": 64, "annotations": 256}
#: 1,000 rows (10,000 before the third performance pass): three splits of ``sentences`` and
#: ``ner`` each hold one row group in memory while they fill, which at 10,000 rows took the
#: build to 387 MB at N = 10,000; at 1,000 it stays under 285 MB (docs/performance.md).
DEFAULT_ROW_GROUP = 1_000
#: Rows given as dicts are turned into Arrow every this many rows (bounds the Python objects
#: held: a Python ``ner`` row is about 7 KB, its Arrow form under 1 KB); rows given as
#: :class:`Columns` (lists and numpy arrays, a few hundred bytes a row) a row group at a time.
CHUNK = 128


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


class ListColumn:
    """A list-typed column of a :class:`Columns` batch: ``lengths`` (one entry a row),
    ``values`` (the items of every row, one after the other: a list for a list of scalars, a
    dict of columns for a list of structs, a :class:`ListColumn` for a list of lists) and
    ``null_rows`` (indexes of rows whose list is null, their length 0)."""

    __slots__ = ("lengths", "values", "null_rows")

    def __init__(self, values) -> None:
        self.lengths: list[int] = []
        self.values = values
        self.null_rows: list[int] = []


class Pieces:
    """A scalar column given as numpy arrays, each the values of one or more rows: integers
    (``pieces`` of integer arrays, no nulls) or, for a string column, UTF-8 text (``pieces``
    of ``(data, lengths)`` pairs: a ``uint8`` array of the strings' bytes one after the
    other and the byte length of each string; ``(None, n)`` stands for ``n`` null strings)."""

    __slots__ = ("pieces",)

    def __init__(self) -> None:
        self.pieces: list = []


def _empty(arrow_type: pa.DataType, pieces: frozenset = frozenset(), path: str = ""):
    """An empty column of ``arrow_type``; the scalar items at a path of ``pieces`` are
    :class:`Pieces` (paths name columns and struct fields from the top, dot-separated)."""
    if pa.types.is_list(arrow_type):
        return ListColumn(_empty(arrow_type.value_type, pieces, path))
    if pa.types.is_struct(arrow_type):
        return {f.name: _empty(f.type, pieces, f"{path}.{f.name}") for f in arrow_type}
    return Pieces() if path in pieces else []


def _extend(dst, src) -> None:
    if isinstance(dst, list):
        dst.extend(src)
    elif isinstance(dst, Pieces):
        dst.pieces.extend(src.pieces)
    elif isinstance(dst, dict):
        for name, column in dst.items():
            _extend(column, src[name])
    else:
        if src.null_rows:
            base = len(dst.lengths)
            dst.null_rows.extend(base + i for i in src.null_rows)
        dst.lengths.extend(src.lengths)
        _extend(dst.values, src.values)


# Arrays are made from their buffers (numpy), never with ``pa.array``: that asks pandas whether
# its input is "array-like", which imports pandas (0.5 s and 50 MB a process). The buffers are
# those pyarrow's own conversion makes (tests/test_build_stream.py compares values and nbytes).
_INT32 = (-(2**31), 2**31 - 1)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_US = dt.timedelta(microseconds=1)
_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()


def _offsets32(lengths) -> pa.Array:
    """An int32 offsets array (``len(lengths) + 1`` values) from lengths."""
    offsets = numpy.zeros(len(lengths) + 1, dtype=numpy.int64)
    if len(lengths):
        numpy.cumsum(lengths, out=offsets[1:])
    if offsets[-1] > _INT32[1]:
        raise pa.ArrowInvalid(f"{offsets[-1]} items or bytes do not fit 32-bit offsets")
    return pa.Array.from_buffers(pa.int32(), len(offsets), [None, pa.py_buffer(offsets.astype(numpy.int32))])


def _validity(nulls: numpy.ndarray | None) -> tuple[pa.Buffer | None, int]:
    """The validity bitmap and null count of a boolean null mask (None: no nulls)."""
    if nulls is None:
        return None, 0
    count = int(nulls.sum())
    if not count:
        return None, 0
    return pa.py_buffer(numpy.packbits(~nulls, bitorder="little")), count


def _ints(values: numpy.ndarray, arrow_type: pa.DataType, validity=(None, 0)) -> pa.Array:
    if pa.types.is_int32(arrow_type):
        if len(values) and (values.min() < _INT32[0] or values.max() > _INT32[1]):
            raise pa.ArrowInvalid(f"integer value {values.max() if values.max() > _INT32[1] else values.min()} does not fit int32")
        data = values.astype(numpy.int32)
    else:
        data = values.astype(numpy.int64)
    return pa.Array.from_buffers(arrow_type, len(values), [validity[0], pa.py_buffer(data)], null_count=validity[1])


def _strings(values: list, validity=(None, 0)) -> pa.Array:
    try:
        joined = "".join(values)
        if joined.isascii():  # a code point is a byte
            data = joined.encode("ascii")
            lengths = numpy.fromiter(map(len, values), dtype=numpy.int64, count=len(values))
        else:
            parts = list(map(str.encode, values))
            data = b"".join(parts)
            lengths = numpy.fromiter(map(len, parts), dtype=numpy.int64, count=len(values))
    except TypeError as exc:
        raise pa.ArrowTypeError(f"expected str values: {exc}") from exc
    except UnicodeEncodeError as exc:
        raise pa.ArrowInvalid(f"string not encodable as UTF-8: {exc}") from exc
    offsets = _offsets32(lengths)
    return pa.Array.from_buffers(pa.string(), len(values), [validity[0], offsets.buffers()[1], pa.py_buffer(data)],
                                 null_count=validity[1])


def _fill(arrow_type: pa.DataType):
    """A stand-in for null values of ``arrow_type`` (its slot is masked)."""
    if pa.types.is_string(arrow_type):
        return ""
    if pa.types.is_timestamp(arrow_type):
        return _EPOCH
    if pa.types.is_date32(arrow_type):
        return dt.date(1970, 1, 1)
    return 0


def _leaf(arrow_type: pa.DataType, values: list) -> pa.Array:
    """A scalar column from Python values (None for null), as ``pa.array`` makes it."""
    n = len(values)
    validity: tuple = (None, 0)
    if None in values:
        nulls = numpy.fromiter((v is None for v in values), dtype=bool, count=n)
        validity = _validity(nulls)
        fill = _fill(arrow_type)
        values = [fill if v is None else v for v in values]
    try:
        if pa.types.is_string(arrow_type):
            return _strings(values, validity)
        if pa.types.is_integer(arrow_type):
            return _ints(numpy.array(values, dtype=numpy.int64), arrow_type, validity)
        if pa.types.is_boolean(arrow_type):
            data = numpy.packbits(numpy.array(values, dtype=bool), bitorder="little")
        elif pa.types.is_float64(arrow_type):
            data = numpy.array(values, dtype=numpy.float64)
        elif pa.types.is_date32(arrow_type):
            data = (numpy.fromiter(map(dt.date.toordinal, values), dtype=numpy.int64, count=n) - _EPOCH_DAY).astype(numpy.int32)
        elif pa.types.is_timestamp(arrow_type) and arrow_type.unit == "us" and arrow_type.tz is not None:
            data = numpy.fromiter(((v - _EPOCH) // _US for v in values), dtype=numpy.int64, count=n)
        else:
            raise pa.ArrowNotImplementedError(f"no conversion of Python values to {arrow_type}")
    except (OverflowError, TypeError, ValueError) as exc:
        raise pa.ArrowInvalid(f"values do not fit {arrow_type}: {exc}") from exc
    return pa.Array.from_buffers(arrow_type, n, [validity[0], pa.py_buffer(data)], null_count=validity[1])


def _array(arrow_type: pa.DataType, column) -> pa.Array:
    if isinstance(column, ListColumn):
        n = len(column.lengths)
        mask = None
        if column.null_rows:
            nulls = numpy.zeros(n, dtype=bool)
            nulls[column.null_rows] = True
            mask = pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(numpy.packbits(nulls, bitorder="little"))])
        values = _array(arrow_type.value_type, column.values)
        return pa.ListArray.from_arrays(_offsets32(column.lengths), values, type=arrow_type, mask=mask)
    if isinstance(column, dict):
        return pa.StructArray.from_arrays([_array(f.type, column[f.name]) for f in arrow_type], fields=list(arrow_type))
    if isinstance(column, Pieces):
        if not pa.types.is_string(arrow_type):
            return _ints(numpy.concatenate(column.pieces) if column.pieces else numpy.zeros(0, dtype=numpy.int64), arrow_type)
        parts = column.pieces
        if any(d is None for d, _ in parts):  # null strings: length 0, masked
            nulls = numpy.concatenate([numpy.full(n, True) if d is None else numpy.zeros(len(n), dtype=bool) for d, n in parts])
            parts = [(numpy.zeros(0, dtype=numpy.uint8), numpy.zeros(n, dtype=numpy.int64)) if d is None else (d, n) for d, n in parts]
            validity = _validity(nulls)
        else:
            validity = (None, 0)
        lengths = numpy.concatenate([n for _, n in parts]) if parts else numpy.zeros(0, dtype=numpy.int64)
        data = numpy.concatenate([d for d, _ in parts]) if parts else numpy.zeros(0, dtype=numpy.uint8)
        return pa.StringArray.from_buffers(len(lengths), _offsets32(lengths).buffers()[1], pa.py_buffer(data),
                                           validity[0], validity[1])
    return _leaf(arrow_type, column)


class Columns:
    """Rows of one config, column by column: ``columns[name]`` is a list of the column's
    values (one a row) for a scalar column, a :class:`ListColumn` for a list column, whose
    struct items are in turn a dict of columns. ``num_rows`` is kept by whoever adds rows.
    :meth:`table` gives the ``pa.Table`` that ``pa.Table.from_pylist`` gives for the same
    rows as dicts (same values, nulls and buffers, so the same Parquet bytes and ``nbytes``:
    tests/test_build_stream.py)."""

    __slots__ = ("schema", "columns", "num_rows")

    def __init__(self, schema: pa.Schema, pieces: tuple[str, ...] = ()) -> None:
        """An empty batch; the scalar items at the paths of ``pieces`` (``"tokens"``: the
        items of a list column; ``"spans.start"``: a field of the structs of a list column)
        are integers or strings given as numpy :class:`Pieces`."""
        self.schema = schema
        paths = frozenset("." + p for p in pieces)
        self.columns: dict = {f.name: _empty(f.type, paths, "." + f.name) for f in schema}
        self.num_rows = 0

    def extend(self, other: Columns) -> None:
        """Append the rows of ``other`` (a batch of the same schema)."""
        _extend(self.columns, other.columns)
        self.num_rows += other.num_rows

    def table(self) -> pa.Table:
        """The rows as a ``pa.Table`` of the schema. Raises ``pa.ArrowInvalid`` /
        ``pa.ArrowTypeError`` for values that do not fit it."""
        return pa.Table.from_arrays([_array(f.type, self.columns[f.name]) for f in self.schema], schema=self.schema)


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
    """One config and split written as its rows arrive: rows are turned into Arrow every
    :data:`CHUNK` rows and written in row groups of exactly ``row_group`` rows through a
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
        self.rows: list[dict] = []
        self.batch: Columns | None = None
        self.chunks: list[pa.Table] = []
        self.buffered = 0  # rows in self.chunks
        self.writer: pq.ParquetWriter | None = None
        self.num_rows = 0
        self.num_bytes = 0

    def add(self, rows: list[dict]) -> None:
        """Append ``rows`` (dicts of the schema's columns). Raises :class:`BuildError`
        (``schema-mismatch``) for rows that do not fit the schema."""
        self.rows.extend(rows)
        if len(self.rows) >= CHUNK:
            self._convert()
        while self.buffered >= self.row_group:
            self._write(self.row_group)

    def add_columns(self, rows: Columns) -> None:
        """Append the rows of a :class:`Columns` batch of this file's schema (the build's
        fast path; the same file as :meth:`add` of the same rows as dicts; the batch is
        taken over: the caller must not add to it afterwards). Raises
        :class:`BuildError` (``schema-mismatch``) for rows that do not fit the schema."""
        if self.batch is None:
            self.batch = rows  # taken over, not copied
        else:
            self.batch.extend(rows)
        if self.batch.num_rows >= self.row_group:  # columns are compact: a row group at a time
            self._convert()
        while self.buffered >= self.row_group:
            self._write(self.row_group)

    def _convert(self) -> None:
        if not self.rows and not (self.batch and self.batch.num_rows):
            return
        try:
            if self.rows:
                table = pa.Table.from_pylist(self.rows, schema=self.schema)
            else:
                table = self.batch.table()
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise BuildError(f"rows of {self.config}/{self.split} do not fit the declared features: {exc}", code="schema-mismatch") from exc
        self.rows = []
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
