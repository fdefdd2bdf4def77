"""Reference forms ("oracles") of the dataset build's fast paths, for the tests to hold them to.

- :func:`columns_from_rows`: rows given as dicts (what ``pa.Table.from_pylist`` takes) as a
  :class:`~newscorpus.dataset.arrow.Columns` batch of plain Python lists (no numpy pieces),
  so that rows made by a reference can be written by the build's writer.
"""

from __future__ import annotations

import pyarrow as pa

from newscorpus.dataset.arrow import Columns


def columns_from_rows(rows: list[dict], schema: pa.Schema) -> Columns:
    """A :class:`Columns` batch of ``schema`` holding ``rows`` (dicts of the schema's
    columns; a missing key is null, as in ``pa.Table.from_pylist``)."""
    batch = Columns(schema)
    for field in schema:
        _fill(batch.columns[field.name], field.type, [row.get(field.name) for row in rows])
    batch.num_rows = len(rows)
    return batch


def _fill(column, arrow_type: pa.DataType, values: list) -> None:
    if pa.types.is_list(arrow_type):
        for value in values:
            if value is None:
                column.null_rows.append(len(column.lengths))
            column.lengths.append(0 if value is None else len(value))
        _fill(column.values, arrow_type.value_type, [item for value in values if value is not None for item in value])
    elif pa.types.is_struct(arrow_type):
        for field in arrow_type:
            _fill(column[field.name], field.type, [value.get(field.name) for value in values])
    else:
        column.extend(values)
