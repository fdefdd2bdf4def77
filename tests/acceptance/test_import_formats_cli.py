"""`newscorpus import --format brat|ptc|wadm`: the options they take, their output, a
refusal naming file, line and item, and the options that do not apply to them."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from newscorpus.cli import cli

from tests.support import REPO

CASES = REPO / "tests" / "cases" / "import"
META = ["--meta", "publisher=De Morgen", "--meta", "published=2000-07-01", "--meta", "language=nl",
        "--meta", "license=LicenseRef-CoNLL-2002", "--meta", "redistributable=false"]


def test_brat_with_a_label_map_an_annotator_and_gold(tmp_path):
    case = CASES / "brat" / "conll2002-dutch-news"
    args = ["import", "--format", "brat", str(case / "input"), "--annotations", str(tmp_path / "ann"),
            "--label-map", str(case / "label-map.yaml"), "--annotator", "conll2002-1", "--gold", *META]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout == "imported 1 document(s) (1 annotation(s)); 1 record(s) written, 0 unchanged\n"
    written = (tmp_path / "ann" / "ned.train-doc-134.json").read_bytes()
    assert written == (case / "expected" / "ned.train-doc-134.json").read_bytes()
    again = CliRunner().invoke(cli, args)
    assert again.stdout == "imported 1 document(s) (1 annotation(s)); 0 record(s) written, 1 unchanged\n"
    assert (tmp_path / "ann" / "ned.train-doc-134.json").read_bytes() == written


def test_an_unknown_label_is_one_line_naming_file_line_and_item_and_nothing_is_written(tmp_path):
    (tmp_path / "ann").mkdir()
    source = CASES / "brat" / "conll2002-dutch-news" / "input"
    result = CliRunner().invoke(cli, ["import", "--format", "brat", str(source), "--annotations", str(tmp_path / "ann"), *META])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line == (f"error: {source / 'ned.train-doc-134.ann'}::line 1: unmapped labels: MISC (5), PER (3) (the first: span T1) "
                    "(hint: map them onto the scheme with --label-map FILE (docs/corpus.md), or add them to the scheme; "
                    "nothing was written)")
    assert list((tmp_path / "ann").iterdir()) == []


def test_warnings_are_printed_and_wadm_takes_a_text(tmp_path):
    case = CASES / "brat" / "tutorial-relations-notes-attributes"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(case / "scheme.yaml", corpus / "scheme.yaml")
    (corpus / "newscorpus.toml").write_text('[corpus]\nscheme = "scheme.yaml"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(corpus / "newscorpus.toml"), "import", "--format", "brat", str(case / "input"),
                                      "--annotations", str(tmp_path / "ann"), *META])
    assert result.exit_code == 0, result.output
    ann = case / "input" / "070-editing_relation_annotations.ann"
    assert result.stderr.splitlines() == [
        f"warning: {ann}::line 14: attribute A1 of relation R1 left out: a record's relation has no note and no attributes "
        "[attribute-dropped]",
        f"warning: {ann}::line 17: note #2 of relation R2 left out: a record's relation has no note and no attributes [note-dropped]"]
    wadm = CASES / "wadm" / "collection-on-brat-news-text" / "input"
    result = CliRunner().invoke(cli, ["import", "--format", "wadm", str(wadm / "annotations.jsonld"), "--text",
                                      str(wadm / "070-editing_relation_annotations.txt"), "--annotations", str(tmp_path / "w"),
                                      "--label-map", str(wadm.parent / "label-map.yaml"), *META])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "w" / "070-editing_relation_annotations.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in record["annotations"][0]["spans"]] == ["person1", "place1", "person2", "place2"]


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "brat", "--offset-unit", "utf16"], "--offset-unit does not apply to --format brat"),
    (["--format", "ptc", "--skip-invalid"], "--skip-invalid does not apply to --format ptc"),
    (["--format", "brat", "--text", "x.txt"], "--text does not apply to --format brat"),
    (["--format", "labelstudio", "--gold"], "--gold does not apply to --format labelstudio"),
])
def test_options_that_do_not_apply_are_usage_errors(tmp_path, args, message):
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "x.ann").write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "x.txt"), "--annotations", str(tmp_path / "ann"),
                                      *[str(tmp_path / a) if a == "x.txt" else a for a in args]])
    assert result.exit_code == 2 and message in result.stderr
