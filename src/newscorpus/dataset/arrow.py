"""Rows of one config as a batch of columns, and the Arrow table they make.

A :class:`Columns` batch holds the rows of one config column by column: Python lists for
scalar columns, numpy :class:`Pieces` where the rows come as arrays (offsets, label codes,
UTF-8 slices of the article text), a :class:`ListColumn` for each list column. Its
:meth:`Columns.table` makes the ``pa.Table`` that ``pa.Table.from_pylist`` makes of the same
rows as dicts (same values, nulls and buffers, so the same Parquet bytes and ``nbytes``),
from numpy buffers: ``pa.array`` asks pandas whether its input is "array-like", which
imports pandas (0.5 s and 50 MB a process).
"""

from __future__ import annotations

import datetime as dt

import numpy
import pyarrow as pa

__all__ = ["Columns", "ListColumn", "Pieces", "scalar_array"]


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


# Arrays are made from their buffers (numpy), never with ``pa.array`` (see the module
# docstring). The buffers are those pyarrow's own conversion makes (tests/unit/dataset/
# test_build_fast.py compares values and nbytes).
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


def scalar_array(arrow_type: pa.DataType, values: list) -> pa.Array:
    """The array of ``arrow_type`` (string, an integer type, bool, float64, date32 or a
    timestamp in microseconds with a time zone) holding the Python ``values`` (None for
    null): what ``pa.array(values, type=arrow_type)`` makes, values, nulls and buffers,
    without importing pandas. Raises ``pa.ArrowInvalid`` / ``pa.ArrowTypeError`` for values
    that do not fit the type, ``pa.ArrowNotImplementedError`` for another type."""
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
    return scalar_array(arrow_type, column)


class Columns:
    """Rows of one config, column by column: ``columns[name]`` is a list of the column's
    values (one a row) for a scalar column, a :class:`ListColumn` for a list column, whose
    struct items are in turn a dict of columns. ``num_rows`` is kept by whoever adds rows.
    :meth:`table` gives the ``pa.Table`` that ``pa.Table.from_pylist`` gives for the same
    rows as dicts (same values, nulls and buffers, so the same Parquet bytes and ``nbytes``:
    tests/unit/dataset/test_build_fast.py)."""

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
