"""The build's fast path next to its oracle, as tables: records of every shape the rows
depend on, their tables both ways, and the comparison the tests hold them to."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newscorpus.core.models import ArticleRecord, Span
from newscorpus.core.scheme import Scheme, default_scheme
from newscorpus.dataset.article import plain_record
from newscorpus.dataset.configs import add_article_rows, config_batches, config_schema, configs_for
from newscorpus.records.io import load_record_json, write_record
from tests.support.dataset import seed_record, synth_record
from tests.unit.dataset.oracles import record_rows


def config_schemas(scheme: Scheme) -> dict[str, pa.Schema]:
    """The Arrow schema of every config under ``scheme``."""
    return {config: config_schema(config, scheme) for config in configs_for(scheme)}


def reference_tables(records: list[ArticleRecord], scheme: Scheme, with_text: bool) -> dict[str, pa.Table]:
    """The table of every config from the oracle's rows (:func:`record_rows`, ``pa.Table.from_pylist``)."""
    rows: dict[str, list[dict]] = {config: [] for config in configs_for(scheme)}
    for record in records:
        for config, config_rows in record_rows(record, scheme=scheme, with_text=with_text).items():
            rows[config] += config_rows
    return {config: pa.Table.from_pylist(rows[config], schema=schema) for config, schema in config_schemas(scheme).items()}


def fast_tables(datas: list[dict], scheme: Scheme, with_text: bool) -> dict[str, pa.Table]:
    """The table of every config as the build makes it from the records' JSON."""
    out = config_batches(config_schemas(scheme))
    for data in datas:
        add_article_rows(plain_record(data), scheme=scheme, with_text=with_text, out=out)
    return {config: batch.table() for config, batch in out.items()}


def assert_same_tables(fast: dict[str, pa.Table], reference: dict[str, pa.Table]) -> None:
    """Same configs, schemas, values, nulls, buffer sizes and Parquet bytes."""
    assert list(fast) == list(reference)
    for config in reference:
        assert fast[config].schema == reference[config].schema, config
        assert fast[config].equals(reference[config]), config
        assert fast[config].to_pylist() == reference[config].to_pylist(), config
        assert fast[config].nbytes == reference[config].nbytes, config
        for name in fast[config].column_names:
            got, want = fast[config][name], reference[config][name]
            assert got.null_count == want.null_count, (config, name)
        buf = io.BytesIO(), io.BytesIO()
        pq.write_table(fast[config], buf[0], compression="zstd", write_statistics=True)
        pq.write_table(reference[config], buf[1], compression="zstd", write_statistics=True)
        assert buf[0].getvalue() == buf[1].getvalue(), config


def varied_records(tmp_path: Path) -> list[ArticleRecord]:
    """The seed and the synthetic article with gold (a note on its second annotation and on
    one of that annotation's spans), the seed without gold or annotations, and the
    synthetic one with two gold entities in one token and a quote without a speaker."""
    seed = seed_record()
    synth = synth_record(tmp_path)
    bare = seed_record()
    bare.id, bare.gold, bare.annotations = "bare", None, []
    # two gold entities in one token of the synthetic text and a quote without a speaker
    cut = synth_record(tmp_path)
    cut.id = "cut"
    t = cut.text
    extra = [Span(id="c1", layer="entity", label="GPE", start=t.index("東"), end=t.index("東") + 1, text="東"),
             Span(id="c2", layer="entity", label="GPE", start=t.index("京"), end=t.index("京") + 1, text="京"),
             Span(id="q9", layer="attribution", label="QUOTE", start=t.index("Nothing"), end=t.index("Nothing") + 7, text="Nothing")]
    cut.gold.spans = [s for s in cut.gold.spans if s.id != "e3"] + extra
    # notes (schema 1.1.0) on an annotation and on one of its spans
    note = synth.annotations[1]
    note.note = "Is “Café Müller” a FAC or an ORG? 🎉"
    note.spans = [s.model_copy(update={"note": "ORG?"}) if s.id == "e5" else s for s in note.spans]
    return [seed, synth, bare, cut]


def record_datas(records: list[ArticleRecord], tmp_path: Path) -> list[dict]:
    """The records as written (canonically) and read back as JSON, as the build reads them."""
    folder = tmp_path / "records"
    out = []
    for record in records:
        write_record(record, folder, default_scheme())
        out.append(load_record_json(folder / f"{record.id}.json"))
    return out
