"""The streaming Parquet writer of the build: the same bytes as writing all rows at once."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newscorpus.parquet_stream import CHUNK, ParquetStream
from newscorpus.errors import BuildError

SCHEMA = pa.schema([("id", pa.string()), ("n", pa.int32()), ("tags", pa.list_(pa.string()))])


def _rows(n: int) -> list[dict]:
    return [{"id": f"a{i:05d}", "n": i * 7 % 1000, "tags": ["x", "ÿ東🎉"][: i % 3]} for i in range(n)]


@pytest.mark.parametrize(("n", "row_group", "batch"), [(1, 64, 1), (2_500, 1_000, 7), (3 * CHUNK + 5, 256, 300), (700, 10_000, 700)])
def test_split_writer_bytes_equal_write_table(tmp_path, n, row_group, batch):
    rows = _rows(n)
    writer = ParquetStream(tmp_path / "c" / "train.parquet", SCHEMA, config="c", split="train", row_group=row_group)
    for i in range(0, n, batch):
        writer.add(rows[i : i + batch])
    num_rows, num_bytes, file_size = writer.close()
    expected = io.BytesIO()
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    pq.write_table(table, expected, compression="zstd", row_group_size=row_group, write_statistics=True)
    assert (tmp_path / "c" / "train.parquet").read_bytes() == expected.getvalue()
    assert num_rows == n
    assert file_size == len(expected.getvalue())
    meta = pq.ParquetFile(tmp_path / "c" / "train.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [
        min(row_group, n - i) for i in range(0, n, row_group)
    ]
    if n <= CHUNK:
        assert num_bytes == table.nbytes


def test_split_writer_rejects_rows_off_the_schema(tmp_path):
    writer = ParquetStream(tmp_path / "c" / "train.parquet", SCHEMA, config="c", split="train")
    writer.add([{"id": "a", "n": "not a number", "tags": []}])
    with pytest.raises(BuildError) as err:
        writer.close()
    assert err.value.code == "schema-mismatch"
    assert err.value.message.startswith("rows of c/train do not fit the declared features: ")
