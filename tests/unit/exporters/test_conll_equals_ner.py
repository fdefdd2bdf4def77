"""``export --format conll`` equals the ``ner`` config of ``newscorpus build``, token for
token and tag for tag, split by split (the built Parquet loaded with ``load_dataset``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from datasets import load_dataset

from newscorpus.cli import cli
from newscorpus.core.models import Gold, Span
from newscorpus.core.scheme import default_scheme
from newscorpus.ingest.run import ingest_seed
from newscorpus.records.io import write_record

from tests.support import META, write_seed
from tests.support.dataset import write_fixture

CASE = Path(__file__).resolve().parents[2] / "cases" / "export" / "records" / "unicode"


def _chinese(tmp: Path, ann: Path) -> None:
    """An article in Chinese (one token per character) whose entity cuts nothing."""
    path = write_seed(tmp / "zh-seeds", "zh-1", "习近平在北京会见了普京。\n他们谈了三个小时。\n", dict(META, language="zh"))
    record = ingest_seed(path)
    start = record.text.index("北京")
    record.gold = Gold(method="single", decided_by=None, from_annotations=[],
                       spans=[Span(id="g1", layer="entity", label="GPE", start=start, end=start + 2, text="北京")])
    write_record(record, ann, default_scheme())


def _read_conll(path: Path) -> tuple[int, list[tuple[list[str], list[str]]]]:
    """The number of -DOCSTART- lines and the sentences ``(tokens, tags)`` of a .conll file."""
    docs, sentences, tokens, tags = 0, [], [], []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line == "-DOCSTART-\tO":
            docs += 1
        elif line == "":
            if tokens:
                sentences.append((tokens, tags))
            tokens, tags = [], []
        else:
            token, tag = line.split("\t")
            tokens.append(token)
            tags.append(tag)
    assert not tokens
    return docs, sentences


def test_conll_export_equals_the_ner_config(tmp_path):
    ann, _ = write_fixture(tmp_path)
    for record in CASE.glob("*.json"):
        shutil.copy(record, ann / record.name)
    _chinese(tmp_path, ann)
    runner = CliRunner()
    built = runner.invoke(cli, ["build", "--annotations", str(ann), "--out", str(tmp_path / "ds")])
    assert built.exit_code == 0, built.output
    exported = runner.invoke(cli, ["export", "--format", "conll", "--annotations", str(ann), "--out", str(tmp_path / "conll")])
    assert exported.exit_code == 0, exported.output
    assert exported.output.splitlines() == [
        f"exported gold of 4 article(s) as conll to {tmp_path / 'conll'} (3 file(s))",
        "skipped 1 article(s) with no gold decided: unicode-2",
    ]
    files = sorted(p.name for p in (tmp_path / "conll").iterdir())
    assert files == ["test.conll", "train.conll", "validation.conll"]
    compared = 0
    for name in files:
        split = name.removesuffix(".conll")
        ner = load_dataset(str(tmp_path / "ds"), "ner", split=split, cache_dir=str(tmp_path / "cache"))
        names = ner.features["ner_tags"].feature.names
        want = [(row["tokens"], [names[t] for t in row["ner_tags"]]) for row in ner]
        docs, got = _read_conll(tmp_path / "conll" / name)
        assert got == want
        assert docs == len(set(ner["article_id"]))
        compared += sum(len(tokens) for tokens, _ in got)
    assert compared > 500  # the seed alone has hundreds of tokens


def test_the_chinese_entity_is_tagged_character_by_character(tmp_path):
    ann = tmp_path / "annotations"
    _chinese(tmp_path, ann)
    result = CliRunner().invoke(cli, ["export", "--format", "conll", "--annotations", str(ann), "--out", str(tmp_path / "o"),
                                      "--split-ratios", "1,0,0"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "train.conll").read_text(encoding="utf-8") == (
        "-DOCSTART-\tO\n\n"
        "习\tO\n近\tO\n平\tO\n在\tO\n北\tB-GPE\n京\tI-GPE\n会\tO\n见\tO\n了\tO\n普\tO\n京\tO\n。\tO\n\n"
        "他\tO\n们\tO\n谈\tO\n了\tO\n三\tO\n个\tO\n小\tO\n时\tO\n。\tO\n\n"
    )
