"""The build's fast path gives exactly what the reference path gives.

The build makes its rows column by column from plain dicts (:func:`newscorpus.dataset.rows.plain_record`,
:func:`newscorpus.dataset.rows.article_columns`), tokenises an article in one tokenizer call
(:func:`newscorpus.dataset.tokens.sentence_tokens`) and makes Arrow arrays from numpy buffers
(:class:`newscorpus.dataset.parquet.Columns`). The reference is :func:`newscorpus.dataset.rows.record_rows`
on the pydantic model (one tokenizer call per sentence) and ``pa.Table.from_pylist``: the
tables must be equal, buffer sizes (``nbytes``, which the card states) included, and the
Parquet files byte for byte.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import random
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError

from tests.support import REPO, SMALL_TEXT
from tests.support.dataset import seed_record, synth_record
from newscorpus.dataset.build import build_dataset
from newscorpus.errors import BuildError, RecordError
from newscorpus.dataset.features import CONFIGS, config_schema
from newscorpus.ingest.run import segment
from newscorpus.core.models import ArticleRecord, SentenceLabel, Span
from newscorpus.dataset.parquet import CHUNK, BackgroundWrites, Columns, ParquetStream, _leaf
from newscorpus.records.io import load_record_json, write_record
from newscorpus.dataset.rows import article_columns, new_columns, plain_record, record_rows
from newscorpus.core.scheme import Label, Layer, default_scheme
from newscorpus.dataset.tokens import SEPARATOR, sentence_tokens, token_offsets

# ---------------------------------------------------------------- one tokenizer call per article

TRICKY = (
    "Dr. Smith arrived at 5 a.m. on Jan. 3rd, didn't he? (See https://example.org/a.b?c=d&e=f.)\n"
    "“Yes,” said the U.S.-led team's spokeswoman:-) e-mail: a.b@example.org,   tabs\there;\u00a0nbsp.\n\n"
    "Zoë Díaz met 王小明 in 東京都 🎉!! 'Quoted', \"quoted\" -- and—dashes… 1,000.50$ 20% +3 =4 #tag @user\n"
    "It's 10:30pm... OK?! e.g. etc. i.e. vs. Mr. Mrs. St. Jan. Feb. can't won't ain't y'all"
)


def _per_sentence(text, bounds, language):
    starts, ends = [], []
    for a, b in bounds:
        s, e = token_offsets(text, a, b, language=language)
        starts += s
        ends += e
    counts = [len(token_offsets(text, a, b, language=language)[0]) for a, b in bounds]
    return starts, ends, counts


def _bounds_variants(text: str, rng: random.Random) -> list[list[tuple[int, int]]]:
    segmented = [(s.start, s.end) for s in segment(text)]
    cuts = sorted(rng.sample(range(1, len(text)), 12))
    anywhere = list(zip([0, *cuts], [*cuts, len(text)]))  # cut mid-word, mid-URL, mid-emoji run
    spaces = [i for i, c in enumerate(text) if c.isspace()]
    at_space = sorted(rng.sample(spaces, min(8, len(spaces))))
    untrimmed = list(zip([0, *at_space], [*at_space, len(text)]))  # sentences keep their whitespace
    with_empty = [(0, 0), *segmented[:2], (segmented[1][1], segmented[1][1]), *segmented[2:]]
    return [segmented, anywhere, untrimmed, with_empty, [(0, len(text))], []]


@pytest.mark.parametrize("language", ["en", "de", "fr", "xx"])
def test_one_call_gives_the_tokens_of_one_call_per_sentence(language):
    rng = random.Random(6)
    seed_text = (REPO / "seeds" / "000_ba712161f3bc6069.txt").read_text(encoding="utf-8")
    for text in (TRICKY, SMALL_TEXT, seed_text, TRICKY.replace(" ", "\n") + SEPARATOR + "a.m."):
        for bounds in _bounds_variants(text, rng):
            starts, ends, counts = sentence_tokens(text, bounds, language=language)
            assert (starts.tolist(), ends.tolist(), counts.tolist()) == _per_sentence(text, bounds, language), (language, bounds[:3])


def test_special_cases_with_whitespace_take_one_call_per_sentence(monkeypatch):
    """A special case of several characters with whitespace could match across the separator
    of one call: with such a rule every sentence is tokenised on its own (same tokens)."""
    import spacy

    import newscorpus.dataset.tokens as tokens

    tokenizer = spacy.blank("en").tokenizer
    tokenizer.add_special_case("(x\n\ny", [{"ORTH": "(x\n\ny"}])  # "(" is a prefix: the matcher looks for it
    text, bounds = "a (x y b", [(0, 4), (5, 8)]
    assert [t.text for t in tokenizer("a (x" + SEPARATOR + "y b")] == ["a", "(x\n\ny", "b"]  # what one call would give
    monkeypatch.setattr(tokens, "_tokenizer", lambda language: tokenizer)
    tokens._one_call_safe.cache_clear()
    try:
        assert not tokens._one_call_safe("en")
        starts, ends, counts = sentence_tokens(text, bounds, language="en")
        assert (starts.tolist(), ends.tolist(), counts.tolist()) == ([0, 2, 3, 5, 7], [1, 3, 4, 6, 8], [3, 2])
        assert (starts.tolist(), ends.tolist(), counts.tolist()) == _per_sentence(text, bounds, "en")
    finally:
        monkeypatch.undo()
        tokens._one_call_safe.cache_clear()
    assert tokens._one_call_safe("en")


# ---------------------------------------------------------------- rows: columns == record_rows


def _schemas(scheme):
    return {config: config_schema(config, scheme) for config in CONFIGS}


def _reference_tables(records, scheme, with_text):
    rows = {config: [] for config in CONFIGS}
    for record in records:
        for config, config_rows in record_rows(record, scheme=scheme, with_text=with_text).items():
            rows[config] += config_rows
    return {config: pa.Table.from_pylist(rows[config], schema=schema) for config, schema in _schemas(scheme).items()}


def _fast_tables(datas, scheme, with_text):
    out = new_columns(_schemas(scheme))
    for data in datas:
        article_columns(plain_record(data), scheme=scheme, with_text=with_text, out=out)
    return {config: batch.table() for config, batch in out.items()}


def _assert_same(fast, reference):
    for config in CONFIGS:
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


def _records(tmp_path):
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
    return [seed, synth, bare, cut]


def _datas(records, tmp_path):
    folder = tmp_path / "records"
    out = []
    for record in records:
        write_record(record, folder, default_scheme())
        out.append(load_record_json(folder / f"{record.id}.json"))
    return out


@pytest.mark.parametrize("with_text", [True, False])
def test_columns_equal_record_rows(tmp_path, with_text):
    scheme = default_scheme()
    records = _records(tmp_path)
    datas = _datas(records, tmp_path)
    _assert_same(_fast_tables(datas, scheme, with_text), _reference_tables(records, scheme, with_text))


def test_columns_equal_record_rows_under_another_scheme(tmp_path):
    """Multi-label sentence layers and a single-label article layer become lists and values."""
    base = default_scheme()
    multi_role = base.layer("discourse_role").model_copy(update={"cardinality": "multi"})
    tone = Layer(name="tone", level="sentence", source="tests", cardinality="single",
                 labels=(Label(name="calm", definition="c"), Label(name="heated", definition="h")))
    layers = tuple(multi_role if layer.name == "discourse_role" else layer for layer in base.layers) + (tone,)
    scheme = base.model_copy(update={"layers": layers})
    records = _records(tmp_path)
    for record in records:
        for part in [record.gold, *record.annotations]:
            if part is not None and record.sentences:
                s0 = record.sentences[0].id
                part.sentence_labels = [*part.sentence_labels, SentenceLabel(sentence=s0, layer="discourse_role", label="CONSEQUENCE"),
                                        SentenceLabel(sentence=s0, layer="tone", label="heated")]
    datas = _datas(records, tmp_path)
    _assert_same(_fast_tables(datas, scheme, True), _reference_tables(records, scheme, True))


def test_plain_record_converts_as_the_model_does(tmp_path):
    """Numbers the model would convert take the model's path; dates are parsed by the model's
    own validators; a date-time the model refuses raises the model's error."""
    scheme = default_scheme()
    records = _records(tmp_path)
    datas = _datas(records, tmp_path)
    odd = copy.deepcopy(datas[1])
    odd["annotations"][0]["lead_time"] = 60  # an int: the model makes it 60.0
    odd["annotations"][1]["spans"][0]["start"] = float(odd["annotations"][1]["spans"][0]["start"])  # 3.0 -> 3
    odd["sentences"][0]["end"] = float(odd["sentences"][0]["end"])
    odd["annotations"][0]["created_at"] = "2024-05-01T14:00:01+02:00"
    model = ArticleRecord.model_validate(odd)
    assert plain_record(odd) == model.model_dump()
    _assert_same(_fast_tables([odd], scheme, True), _reference_tables([model], scheme, True))
    fast = plain_record(datas[1])
    assert fast["meta"]["published"] == dt.date(2024, 3, 5)
    assert fast["annotations"][0]["created_at"] == dt.datetime(2024, 5, 1, 12, 0, 1, tzinfo=dt.timezone.utc)
    leap = copy.deepcopy(datas[1])
    leap["annotations"][0]["updated_at"] = "2016-12-31T23:59:60Z"
    with pytest.raises(ValidationError) as ours:
        plain_record(leap)
    with pytest.raises(ValidationError) as theirs:
        ArticleRecord.model_validate(leap)
    assert str(ours.value) == str(theirs.value)


# ---------------------------------------------------------------- Arrow arrays from buffers

_UTC = dt.timezone.utc
_LEAVES = [
    (pa.string(), ["a", "", "Zoë 東京 🎉", None, "x" * 300]),
    (pa.string(), ["ascii", "only"]),
    (pa.string(), [None, None]),
    (pa.int32(), [0, -5, 2**31 - 1, None, -(2**31)]),
    (pa.int64(), [2**63 - 1, None, -1]),
    (pa.bool_(), [True, False, True, True, False, False, True, True, False]),
    (pa.bool_(), [True, None, False]),
    (pa.float64(), [0.5, None, 593.234, 0.0]),
    (pa.date32(), [dt.date(2024, 1, 15), dt.date(1969, 12, 31), None]),
    (pa.timestamp("us", tz="UTC"), [dt.datetime(2026, 11, 1, 9, 0, 0, 123456, tzinfo=_UTC), None,
                                    dt.datetime(2024, 5, 1, 14, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=2)))]),
    (pa.string(), []),
    (pa.int64(), []),
]


@pytest.mark.parametrize(("arrow_type", "values"), _LEAVES)
def test_arrays_from_buffers_equal_pa_array(arrow_type, values):
    got, want = _leaf(arrow_type, list(values)), pa.array(values, type=arrow_type)
    assert got.type == want.type
    assert got.equals(want)
    assert got.to_pylist() == want.to_pylist()
    assert (got.null_count, got.nbytes) == (want.null_count, want.nbytes)


def test_values_off_the_schema_fail_as_before(tmp_path):
    schema = pa.schema([("n", pa.int32()), ("s", pa.string())])
    for bad in ({"n": [2**31], "s": ["a"]}, {"n": [1], "s": [3]}):
        batch = Columns(schema)
        batch.columns["n"] += bad["n"]
        batch.columns["s"] += bad["s"]
        batch.num_rows = 1
        stream = ParquetStream(tmp_path / "c" / "x.parquet", schema, config="c", split="train")
        stream.add_columns(batch)
        with pytest.raises(BuildError) as err:
            stream.close()
        assert err.value.code == "schema-mismatch"
        assert err.value.message.startswith("rows of c/train do not fit the declared features: ")


@pytest.mark.parametrize("background", [False, True])
def test_columns_and_background_writes_give_the_bytes_of_dict_rows(tmp_path, background):
    scheme = default_scheme()
    records = _records(tmp_path) * 60  # 240 articles: several chunks and row groups per file
    datas = _datas(records[:4], tmp_path) * 60
    schema = config_schema("annotations", scheme)
    writes = BackgroundWrites() if background else None
    fast = ParquetStream(tmp_path / "fast" / "a.parquet", schema, config="annotations", split="train", row_group=100, background=writes)
    slow = ParquetStream(tmp_path / "slow" / "a.parquet", schema, config="annotations", split="train", row_group=100)
    schemas = _schemas(scheme)
    for record, data in zip(records, datas):
        batches = new_columns(schemas)
        article_columns(plain_record(data), scheme=scheme, with_text=True, out=batches)
        fast.add_columns(batches["annotations"])
        slow.add(record_rows(record, scheme=scheme, with_text=True)["annotations"])
    assert fast.close() == slow.close()
    if writes is not None:
        writes.shutdown()
    assert (tmp_path / "fast" / "a.parquet").read_bytes() == (tmp_path / "slow" / "a.parquet").read_bytes()
    assert CHUNK < len(records)


# ---------------------------------------------------------------- the build process


def test_build_imports_neither_datasets_nor_pandas(tmp_path):
    """`datasets` (with pandas: about 1.5 s and 110 MB a process) is not needed to build."""
    from tests.support.dataset import write_fixture

    ann, _ = write_fixture(tmp_path)
    code = (
        "import sys; from newscorpus.dataset.build import build_dataset; "
        f"build_dataset(annotations_dir={str(ann)!r}, out={str(tmp_path / 'out')!r}); "
        "print(sorted(m for m in ('datasets', 'pandas') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    assert done.stdout.strip() == "[]"


def test_build_of_the_fixtures_matches_the_reference_rows(tmp_path):
    """Every Parquet file of a build has the bytes of writing record_rows through the dict path."""
    from tests.support.dataset import write_fixture

    ann, records = write_fixture(tmp_path)
    result = build_dataset(annotations_dir=ann, out=tmp_path / "out")
    scheme = default_scheme()
    (tmp_path / "ref").mkdir()
    for config, splits in result.configs.items():
        for split, stats in splits.items():
            rows = [row for r in records if result.article_splits[r.id] == split
                    for row in record_rows(r, scheme=scheme, with_text=True)[config]]
            ref = ParquetStream(tmp_path / "ref" / stats.path, config_schema(config, scheme), config=config, split=split)
            ref.add(rows)
            assert ref.close() == (stats.num_examples, stats.num_bytes, stats.file_size)
            assert (tmp_path / "out" / stats.path).read_bytes() == (tmp_path / "ref" / stats.path).read_bytes()


def test_a_duplicate_id_is_reported_before_the_record_is_checked(tmp_path):
    """Two files holding one article id: the second is refused as a duplicate naming the
    first file (before its own violations, here its file name), and nothing is written."""
    from tests.support.dataset import SYNTH_ID, write_fixture

    ann, _ = write_fixture(tmp_path)
    (ann / "zzz.json").write_bytes((ann / f"{SYNTH_ID}.json").read_bytes())
    with pytest.raises(RecordError) as err:
        build_dataset(annotations_dir=ann, out=tmp_path / "out")
    assert (err.value.code, err.value.where, err.value.file) == ("duplicate-id", "$.id", str(ann / "zzz.json"))
    assert err.value.message == f"article id {SYNTH_ID!r} is also in {ann / (SYNTH_ID + '.json')}"
    assert not (tmp_path / "out").exists()
