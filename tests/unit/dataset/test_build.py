"""Build: fixture records -> dataset folder -> load_dataset, with exact counts and types."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasets import ClassLabel, List, Value, load_dataset

from tests.support.dataset import SEED_ID, SYNTH_ID, check_built_dataset, seed_record, write_fixture
from newscorpus.dataset.build import build_dataset
from newscorpus.cli import cli
from newscorpus.errors import BuildError, RecordError
from newscorpus.dataset.configs import config_features
from newscorpus.dataset.configs.ner import ner_tag_names
from newscorpus.core.models import Span
from newscorpus.records.io import write_record
from newscorpus.core.scheme import default_scheme


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("build")
    ann, records = write_fixture(tmp)
    result = build_dataset(annotations_dir=ann, out=tmp / "out")
    return tmp, ann, records, result


def test_files_and_splits(built):
    tmp, _, _, result = built
    assert result.article_splits == {SEED_ID: "validation", SYNTH_ID: "train"}
    assert result.files == [
        "README.md",
        "annotations/train-00000-of-00001.parquet",
        "annotations/validation-00000-of-00001.parquet",
        "articles/train-00000-of-00001.parquet",
        "articles/validation-00000-of-00001.parquet",
        "ner/train-00000-of-00001.parquet",
        "ner/validation-00000-of-00001.parquet",
        "quotes/train-00000-of-00001.parquet",
        "quotes/validation-00000-of-00001.parquet",
        "sentences/train-00000-of-00001.parquet",
        "sentences/validation-00000-of-00001.parquet",
    ]
    assert sorted(_digest(tmp / "out")) == result.files
    assert {c: {s: st.num_examples for s, st in splits.items()} for c, splits in result.configs.items()} == {
        "articles": {"train": 1, "validation": 1},
        "sentences": {"train": 3, "validation": 14},
        "ner": {"train": 3, "validation": 14},
        "quotes": {"train": 1, "validation": 2},
        "annotations": {"train": 2, "validation": 1},
    }
    assert result.withheld == [] and result.crossing == []


def test_every_config_loads_and_matches_records(built, tmp_path):
    tmp, _, records, _ = built
    got = check_built_dataset(tmp / "out", records, cache=tmp_path)
    assert {c: len(rows) for c, rows in got.items()} == {"articles": 2, "sentences": 17, "ner": 17, "quotes": 3, "annotations": 3}


def test_a_large_split_is_written_as_shards_that_load_in_order(built, tmp_path, monkeypatch):
    import yaml

    from newscorpus.dataset import parquet as parquet_stream
    from newscorpus.dataset.publish import plan_publish

    tmp, ann, records, plain = built
    monkeypatch.setattr(parquet_stream, "ROW_GROUP", {"articles": 1, "annotations": 1})
    monkeypatch.setattr(parquet_stream, "DEFAULT_ROW_GROUP", 2)
    monkeypatch.setattr(parquet_stream, "SHARD_ROW_GROUPS", 2)
    result = build_dataset(annotations_dir=ann, out=tmp_path / "sharded")
    shards = [f"sentences/validation-0000{k}-of-00004.parquet" for k in range(4)]
    stats = result.configs["sentences"]["validation"]
    assert (stats.path, stats.files, stats.num_examples) == (shards[0], tuple(shards), 14)
    assert result.configs["sentences"]["train"].files == ("sentences/train-00000-of-00001.parquet",)
    assert [f for f in result.files if f.startswith("sentences/")] == ["sentences/train-00000-of-00001.parquet", *shards]
    assert sorted(_digest(tmp_path / "sharded")) == result.files
    card = yaml.safe_load((tmp_path / "sharded" / "README.md").read_text(encoding="utf-8").split("---\n")[1])
    (sentences,) = [c for c in card["configs"] if c["config_name"] == "sentences"]
    assert sentences["data_files"] == [{"split": "train", "path": "sentences/train-00000-of-00001.parquet"}, {"split": "validation", "path": shards}]
    assert [name for name, _ in plan_publish(tmp_path / "sharded", include_restricted_text=True).files] == result.files
    for config in ("sentences", "ner"):
        got = load_dataset(str(tmp_path / "sharded"), config, split="validation", cache_dir=str(tmp_path / "c1")).to_list()
        want = load_dataset(str(tmp / "out"), config, split="validation", cache_dir=str(tmp_path / "c2")).to_list()
        assert len(got) == 14 and got == want, config
    check_built_dataset(tmp_path / "sharded", records, cache=tmp_path / "c3")


def test_default_config_is_articles(built, tmp_path):
    tmp, *_ = built
    ds = load_dataset(str(tmp / "out"), cache_dir=str(tmp_path))
    assert sorted(ds) == ["train", "validation"]
    assert ds["validation"][0]["id"] == SEED_ID
    assert ds["validation"].features == config_features("articles", default_scheme())


def test_declared_types(built, tmp_path):
    tmp, *_ = built
    scheme = default_scheme()
    feats = load_dataset(str(tmp / "out"), "articles", split="train", cache_dir=str(tmp_path)).features
    assert feats["published"] == Value("date32")
    assert isinstance(feats["spans"], List) and isinstance(feats["spans"].feature, dict)
    assert feats["spans"].feature["label"].names == scheme.span_labels
    assert feats["spans"].feature["label"].names[:3] == ["PERSON", "NORP", "FAC"]
    assert feats["spans"].feature["label"].names[-2:] == ["QUOTE", "SOURCE"]
    assert feats["genre"] == ClassLabel(names=["reporting", "opinion", "satire"])
    assert feats["frames"].feature.names[0] == "Economic" and len(feats["frames"].feature.names) == 14
    assert feats["sentences"].feature["discourse_role"].names[-1] == "OTHER"
    tags = load_dataset(str(tmp / "out"), "ner", split="train", cache_dir=str(tmp_path)).features["ner_tags"].feature.names
    assert tags == ner_tag_names(scheme)
    assert tags[:5] == ["O", "B-PERSON", "I-PERSON", "B-NORP", "I-NORP"] and len(tags) == 37


def test_exact_rows(built, tmp_path):
    tmp, *_ = built
    out = str(tmp / "out")
    art = load_dataset(out, "articles", split="validation", cache_dir=str(tmp_path))[0]
    assert (art["genre"], art["frames"], art["gold_method"], art["num_annotations"]) == (0, [7, 12], "single", 1)
    assert art["published"].isoformat() == "2023-05-02" and art["redistributable"] is False
    sent = load_dataset(out, "sentences", split="train", cache_dir=str(tmp_path))[1]
    assert sent["text"] == "“Ça va très bien,” she said about the Café Müller 😀 in São Paulo."
    assert [(s["id"], s["start"], s["end"], s["text"]) for s in sent["spans"]] == [
        ("q1", 1, 17, "Ça va très bien,"),
        ("s1", 19, 22, "she"),
        ("e5", 38, 49, "Café Müller"),
        ("e6", 55, 64, "São Paulo"),
    ]
    ner = load_dataset(out, "ner", split="train", cache_dir=str(tmp_path))
    names = ner.features["ner_tags"].feature.names
    first = ner[0]
    assert list(zip(first["tokens"], (names[t] for t in first["ner_tags"]))) == [
        ("Zoë", "B-PERSON"), ("Díaz", "I-PERSON"), ("met", "O"), ("王小明", "B-PERSON"), ("in", "O"),
        ("東京", "B-GPE"), ("都", "O"), ("on", "O"), ("5", "B-DATE"), ("März", "I-DATE"), ("2024", "I-DATE"),
        ("🎉", "O"), (".", "O"),
    ]
    assert first["token_starts"][11:] == [39, 40] and first["token_ends"][11:] == [40, 41]  # 🎉 is one code point
    seed_ner = load_dataset(out, "ner", split="validation", cache_dir=str(tmp_path))
    row = seed_ner[4]
    i = row["tokens"].index("Myanmar")
    assert row["tokens"][i : i + 3] == ["Myanmar", "’s", "military"]
    assert [names[t] for t in row["ner_tags"][i : i + 3]] == ["B-GPE", "O", "O"]
    quotes = load_dataset(out, "quotes", split="validation", cache_dir=str(tmp_path)).to_list()
    assert [(q["quote_id"], q["speaker"], q["sentence_id"]) for q in quotes] == [("q1", "Qin Gang", "s1"), ("q2", "he", "s3")]
    anns = load_dataset(out, "annotations", split="train", cache_dir=str(tmp_path)).to_list()
    assert [(a["annotator"], a["in_gold"], a["lead_time"], a["created_at"].isoformat()) for a in anns] == [
        ("ls-1", True, 60.5, "2024-05-01T12:00:01+00:00"),
        ("ls-2", True, 121.0, "2024-05-01T12:00:02+00:00"),
    ]


def test_pandas_sees_declared_types(built):
    import pandas as pd

    tmp, *_ = built
    df = pd.read_parquet(tmp / "out" / "articles" / "train-00000-of-00001.parquet")
    assert str(df["genre"].dtype) == "int64" and str(df["redistributable"].dtype) == "bool"
    assert list(df["spans"][0][0].keys()) == ["id", "layer", "label", "start", "end", "text"]


def test_rebuild_is_byte_identical(built):
    tmp, ann, _, _ = built
    before = _digest(tmp / "out")
    build_dataset(annotations_dir=ann, out=tmp / "out")
    assert _digest(tmp / "out") == before
    build_dataset(annotations_dir=ann, out=tmp / "again")
    assert _digest(tmp / "again") == before


def test_public_build_withholds_restricted_text(tmp_path):
    ann, records = write_fixture(tmp_path)
    result = build_dataset(annotations_dir=ann, out=tmp_path / "pub", public=True)
    assert result.withheld == [SEED_ID]
    check_built_dataset(tmp_path / "pub", records, cache=tmp_path / "cache", withheld={SEED_ID})
    seed_text = records[1].text if records[1].id == SEED_ID else records[0].text
    for path in (tmp_path / "pub").rglob("*.parquet"):
        import pyarrow.parquet as pq

        assert "Qin Gang" not in str(pq.read_table(path).to_pylist())
    assert seed_text[:40] not in (tmp_path / "pub" / "README.md").read_text(encoding="utf-8")
    kept = build_dataset(annotations_dir=ann, out=tmp_path / "kept", public=True, include_restricted_text=True)
    assert kept.withheld == []


def test_one_article_without_gold(tmp_path):
    ann, records = write_fixture(tmp_path, synthetic=False, seed_gold_too=False)
    result = build_dataset(annotations_dir=ann, out=tmp_path / "one")
    assert result.files == ["README.md", "articles/validation-00000-of-00001.parquet"]  # no gold: no sentences, no ner
    got = check_built_dataset(tmp_path / "one", records, cache=tmp_path / "cache")
    art = got["articles"][0]
    assert (art["genre"], art["frames"], art["spans"], art["gold_method"], art["gold_status"]) == (-1, [], [], None, "unannotated")
    assert {s["discourse_role"] for s in art["sentences"]} == {-1}


def test_only_decided_gold_teaches(tmp_path):
    """One gold article, one un-annotated and one annotated but undecided (a submitted
    annotation, no gold): `ner`, `sentences` and `quotes` hold rows for the gold article
    only; `articles` holds all three with their gold status; the card counts them per split."""
    ann, records = write_fixture(tmp_path, seed_gold_too=False)
    undecided = seed_record()
    undecided.id, undecided.gold = "undecided", None
    write_record(undecided, ann, default_scheme())
    records.append(undecided)
    result = build_dataset(annotations_dir=ann, out=tmp_path / "out")
    assert result.article_splits == {SEED_ID: "validation", SYNTH_ID: "train", "undecided": "train"}
    got = check_built_dataset(tmp_path / "out", records, cache=tmp_path / "cache")
    assert {c: sorted({r.get("article_id", r["id"]) for r in rows}) for c, rows in got.items()} == {
        "articles": [SEED_ID, SYNTH_ID, "undecided"],
        "sentences": [SYNTH_ID],
        "ner": [SYNTH_ID],
        "quotes": [SYNTH_ID],
        "annotations": [SYNTH_ID, "undecided"],
    }
    ner = load_dataset(str(tmp_path / "out"), "ner", cache_dir=str(tmp_path / "c2"))
    assert {split: sorted(set(ds["article_id"])) for split, ds in ner.items()} == {"train": [SYNTH_ID]}
    assert ner["train"].num_rows == 3
    status = {r["id"]: r["gold_status"] for r in got["articles"]}
    assert status == {SEED_ID: "unannotated", SYNTH_ID: "decided", "undecided": "undecided"}
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "1 of 3 articles has decided gold." in card
    assert ("| split | decided | undecided | unannotated |\n|---|---:|---:|---:|\n| train | 1 | 1 | 0 |\n"
            "| validation | 0 | 0 | 1 |\n| all | 1 | 1 | 1 |") in card
    assert "2 have no gold (empty labels in `articles`, no rows in `sentences`, `ner` and `quotes`)." in card


def test_failed_build_leaves_previous_folder(tmp_path):
    ann, records = write_fixture(tmp_path, synthetic=False)
    out = tmp_path / "out"
    build_dataset(annotations_dir=ann, out=out)
    before = _digest(out)
    bad = records[0]
    bad.gold.spans.append(Span(id="x", layer="entity", label="PLANET", start=0, end=3, text="The"))
    write_record(bad, ann, default_scheme())
    with pytest.raises(BuildError) as err:
        build_dataset(annotations_dir=ann, out=out)
    assert err.value.code == "unknown-label"
    assert err.value.file == str(ann / f"{SEED_ID}.json") and err.value.where == "$.gold.spans[0].label"
    assert _digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations", "out"]


def test_overlapping_entities_refused(tmp_path):
    ann, records = write_fixture(tmp_path, synthetic=False)
    rec = records[0]
    rec.gold.spans.append(Span(id="e99", layer="entity", label="ORG", start=4, end=18, text=rec.text[4:18]))
    write_record(rec, ann, default_scheme())
    with pytest.raises(BuildError) as err:
        build_dataset(annotations_dir=ann, out=tmp_path / "out")
    assert err.value.code == "span-overlap"  # the rule code of `newscorpus validate`
    assert not (tmp_path / "out").exists()


def test_bad_inputs(tmp_path):
    with pytest.raises(BuildError) as err:
        build_dataset(annotations_dir=tmp_path / "nope", out=tmp_path / "out")
    assert err.value.code == "no-annotations"
    (tmp_path / "empty").mkdir()
    with pytest.raises(BuildError) as err:
        build_dataset(annotations_dir=tmp_path / "empty", out=tmp_path / "out")
    assert err.value.code == "no-records"
    (tmp_path / "trunc").mkdir()
    (tmp_path / "trunc" / "x.json").write_text('{"schema_version": "1.0.0", "id":', encoding="utf-8")
    with pytest.raises(RecordError) as err:
        build_dataset(annotations_dir=tmp_path / "trunc", out=tmp_path / "out")
    assert err.value.code == "invalid-json"
    ann, _ = write_fixture(tmp_path, synthetic=False)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build_dataset(annotations_dir=ann, out=tmp_path / "mine")
    assert err.value.code == "bad-output"
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "out").exists()


def test_cli_build_and_summary(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no newscorpus.toml: the repository's own [card] stays out of the fixture's build
    ann, _ = write_fixture(tmp_path)
    runner = CliRunner()
    res = runner.invoke(cli, ["build", "--annotations", str(ann), "--out", str(tmp_path / "ds"), "--public"])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == [
        f"built {tmp_path / 'ds'}: articles 2, sentences 17, ner 17, quotes 3, annotations 3 rows; 11 files",
        f"text withheld for 1 article(s) not redistributable: {SEED_ID}",
    ]
    res = runner.invoke(cli, ["summary", str(tmp_path / "ds")])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    # 509 tokens = 474 (seed) + 13 + 18 + 4 (the three synthetic sentences, 東京|都 cut)
    assert lines[0] == f"{tmp_path / 'ds'}: 2 article(s), 17 sentence(s), 509 token(s), 19 gold span(s); text withheld for 1 article(s)"
    assert lines[1:7] == [
        "configs (rows per split):",
        "  articles     train 1, validation 1",
        "  sentences    train 3, validation 14",
        "  ner          train 3, validation 14",
        "  quotes       train 1, validation 2",
        "  annotations  train 2, validation 1",
    ]
    assert "  QUOTE        3" in lines and "  PERSON       3" in lines
    res = runner.invoke(cli, ["build", "--annotations", str(ann), "--out", str(tmp_path / "x"), "--split-ratios", "0.5,0.6,0"])
    assert res.exit_code == 1
    assert res.stderr.startswith("error: split ratios (0.5, 0.6, 0.0) must each lie in [0, 1] and sum to 1")
