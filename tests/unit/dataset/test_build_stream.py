"""The streaming Parquet writer of the build: the same bytes as writing all rows at once."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newscorpus.dataset.parquet import BackgroundWrites, ParquetStream, statistics_columns
from newscorpus.errors import BuildError
from tests.unit.dataset.oracles import columns_from_rows

SCHEMA = pa.schema([("id", pa.string()), ("n", pa.int32()), ("tags", pa.list_(pa.string()))])


def _rows(n: int) -> list[dict]:
    return [{"id": f"a{i:05d}", "n": i * 7 % 1000, "tags": ["x", "ÿ東🎉"][: i % 3]} for i in range(n)]


@pytest.mark.parametrize(("n", "row_group", "batch"), [(1, 64, 1), (2_500, 1_000, 7), (389, 256, 300), (700, 10_000, 700)])
def test_split_writer_bytes_equal_write_table(tmp_path, n, row_group, batch):
    rows = _rows(n)
    writer = ParquetStream(tmp_path / "c" / "train.parquet", SCHEMA, config="c", split="train", row_group=row_group)
    for i in range(0, n, batch):
        writer.add(columns_from_rows(rows[i : i + batch], SCHEMA))
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
    if n <= row_group:  # one row group: the bytes of the whole table
        assert num_bytes == table.nbytes


ARTICLES = pa.schema([
    ("id", pa.string()),
    ("text", pa.string()),
    ("sentences", pa.list_(pa.struct([("id", pa.string()), ("start", pa.int32())]))),
])


def test_statistics_columns_are_every_leaf_but_the_article_text():
    assert statistics_columns(ARTICLES, "articles") == ["id", "sentences.list.element.id", "sentences.list.element.start"]
    assert statistics_columns(ARTICLES, "sentences") == ["id", "text", "sentences.list.element.id", "sentences.list.element.start"]
    assert statistics_columns(SCHEMA, "c") == ["id", "n", "tags.list.element"]


def test_articles_are_written_without_text_statistics(tmp_path):
    rows = [{"id": f"a{i}", "text": "Ünïcode 東 " * (i + 1), "sentences": [{"id": "s0", "start": i}]} for i in range(100)]
    writer = ParquetStream(tmp_path / "articles" / "train.parquet", ARTICLES, config="articles", split="train")
    writer.add(columns_from_rows(rows, ARTICLES))
    writer.close()
    meta = pq.ParquetFile(tmp_path / "articles" / "train.parquet").metadata
    assert meta.num_row_groups == 2  # 64 + 36 rows
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        stats = {group.column(i).path_in_schema: group.column(i).is_stats_set for i in range(group.num_columns)}
        assert stats == {"id": True, "text": False, "sentences.list.element.id": True, "sentences.list.element.start": True}
    assert meta.row_group(1).column(0).statistics.min == "a64"
    expected = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=ARTICLES), expected, compression="zstd", row_group_size=64,
                   write_statistics=["id", "sentences.list.element.id", "sentences.list.element.start"])
    assert (tmp_path / "articles" / "train.parquet").read_bytes() == expected.getvalue()


@pytest.mark.parametrize("background", [False, True])
def test_a_split_past_the_shard_size_is_written_as_shards(tmp_path, background):
    rows = _rows(2_500)
    writes = BackgroundWrites() if background else None
    writer = ParquetStream(tmp_path / "c" / "train-00000-of-00001.parquet", SCHEMA, config="c", split="train",
                           row_group=100, shard_groups=10, background=writes)
    for i in range(0, len(rows), 300):
        writer.add(columns_from_rows(rows[i : i + 300], SCHEMA))
    num_rows, _, size = writer.close()
    if writes is not None:
        writes.shutdown()
    names = ["train-00000-of-00003.parquet", "train-00001-of-00003.parquet", "train-00002-of-00003.parquet"]
    assert [p.name for p in writer.paths] == names
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == names  # no provisional name left
    assert (num_rows, size) == (2_500, sum(p.stat().st_size for p in writer.paths))
    for k, (path, (a, b)) in enumerate(zip(writer.paths, [(0, 1_000), (1_000, 2_000), (2_000, 2_500)])):
        expected = io.BytesIO()
        pq.write_table(pa.Table.from_pylist(rows[a:b], schema=SCHEMA), expected, compression="zstd", row_group_size=100, write_statistics=True)
        assert path.read_bytes() == expected.getvalue(), k


def test_a_split_of_exactly_one_shard_keeps_its_name(tmp_path):
    writer = ParquetStream(tmp_path / "c" / "train-00000-of-00001.parquet", SCHEMA, config="c", split="train", row_group=100, shard_groups=10)
    writer.add(columns_from_rows(_rows(1_000), SCHEMA))
    writer.close()
    assert [p.name for p in writer.paths] == ["train-00000-of-00001.parquet"]
    assert pq.ParquetFile(writer.paths[0]).metadata.num_row_groups == 10


def test_split_writer_rejects_rows_off_the_schema(tmp_path):
    writer = ParquetStream(tmp_path / "c" / "train.parquet", SCHEMA, config="c", split="train")
    writer.add(columns_from_rows([{"id": "a", "n": "not a number", "tags": []}], SCHEMA))
    with pytest.raises(BuildError) as err:
        writer.close()
    assert err.value.code == "schema-mismatch"
    assert err.value.message.startswith("rows of c/train do not fit the declared features: ")


def test_build_refuses_a_record_that_does_not_validate(tmp_path):
    """The build is a gate: a record `newscorpus validate` rejects is never built or published."""
    import json

    import pytest

    from newscorpus.dataset.build import build_dataset
    from newscorpus.errors import BuildError
    from newscorpus.ingest.run import ingest_all

    from tests.support import SEED

    ann = tmp_path / "annotations"
    ingest_all(SEED, annotations_dir=ann)
    path = ann / "000_ba712161f3bc6069.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sentences"].reverse()
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build_dataset(annotations_dir=ann, out=tmp_path / "out")
    assert (err.value.code, err.value.where) == ("sentence-order", "$.sentences[1].start")
    assert "run `newscorpus validate" in str(err.value)
    assert not (tmp_path / "out").exists()
