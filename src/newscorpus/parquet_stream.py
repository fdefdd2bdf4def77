"""A Parquet file written as its rows arrive, in fixed row groups (the build's writer).

Rows are buffered as Python dicts, turned into Arrow every :data:`CHUNK` rows and written in
row groups of exactly the config's size through one ``pq.ParquetWriter``, which gives the
bytes ``pq.write_table(all_rows, row_group_size=...)`` gives (tests/test_build_stream.py),
while memory holds one row group, never the file.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import BuildError

__all__ = ["ParquetStream", "ROW_GROUP", "DEFAULT_ROW_GROUP", "CHUNK"]

#: Row-group size by config (rows); others take :data:`DEFAULT_ROW_GROUP`.
ROW_GROUP = {"articles": 64, "annotations": 256}
#: 1,000 rows (10,000 before the third performance pass): three splits of ``sentences`` and
#: ``ner`` each hold one row group in memory while they fill, which at 10,000 rows took the
#: build to 387 MB at N = 10,000; at 1,000 it stays under 285 MB (docs/performance.md).
DEFAULT_ROW_GROUP = 1_000
#: Rows are turned into Arrow every this many rows (bounds the Python objects held: a
#: Python ``ner`` row is about 7 KB, its Arrow form under 1 KB).
CHUNK = 128


class ParquetStream:
    """One Parquet file written as its rows arrive: rows are turned into Arrow every
    :data:`CHUNK` rows and written in row groups of exactly ``row_group`` rows through one
    ``pq.ParquetWriter`` (zstd, statistics), which gives the bytes ``pq.write_table(table,
    row_group_size=row_group)`` gives for all rows at once. Memory: one row group."""

    def __init__(self, path: Path, schema: pa.Schema, *, config: str, split: str, row_group: int | None = None) -> None:
        self.path, self.schema, self.config, self.split = path, schema, config, split
        self.row_group = row_group or ROW_GROUP.get(config, DEFAULT_ROW_GROUP)
        self.rows: list[dict] = []
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

    def _convert(self) -> None:
        if not self.rows:
            return
        try:
            table = pa.Table.from_pylist(self.rows, schema=self.schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise BuildError(f"rows of {self.config}/{self.split} do not fit the declared features: {exc}", code="schema-mismatch") from exc
        self.rows = []
        self.chunks.append(table)
        self.buffered += table.num_rows

    def _write(self, n: int) -> None:
        table = self.chunks[0] if len(self.chunks) == 1 else pa.concat_tables(self.chunks).combine_chunks()
        head = table if n == table.num_rows else table.slice(0, n)
        rest = table.num_rows - n
        self.chunks = [table.slice(n).combine_chunks()] if rest else []
        self.buffered = rest
        if self.writer is None:
            self.path.parent.mkdir(exist_ok=True)
            self.writer = pq.ParquetWriter(self.path, self.schema, compression="zstd", write_statistics=True)
        self.writer.write_table(head, row_group_size=self.row_group)
        self.num_rows += head.num_rows
        self.num_bytes += head.nbytes

    def close(self) -> tuple[int, int, int]:
        """Write what is left and close the file; its rows, Arrow bytes (the sum over row
        groups; what ``datasets`` calls ``num_bytes``) and file size in bytes."""
        self._convert()
        if self.buffered:
            self._write(self.buffered)
        assert self.writer is not None
        self.writer.close()
        return self.num_rows, self.num_bytes, self.path.stat().st_size

    def abort(self) -> None:
        """Close the file after an error (the caller removes it)."""
        if self.writer is not None:
            self.writer.close()
