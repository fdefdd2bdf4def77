"""``newscorpus export`` on the command line: the summary line with the skipped count, a
non-empty --out refused unless --force, one-line errors that write nothing, --layer."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from newscorpus.cli import cli

from tests.support import REPO

CASE = REPO / "tests" / "cases" / "export" / "records" / "unicode"


def _run(*args: str):
    return CliRunner().invoke(cli, ["export", *args])


def test_summary_names_what_was_skipped(tmp_path):
    result = _run("--format", "brat", "--annotations", str(CASE), "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"exported gold of 1 article(s) as brat to {tmp_path / 'o'} (3 file(s))",
        "skipped 1 article(s) with no gold decided: unicode-2",
    ]
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["annotation.conf", "unicode-1.ann", "unicode-1.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["o"]  # no temporary folder left beside it


def test_an_annotators_layer(tmp_path):
    result = _run("--format", "wadm", "--annotations", str(CASE), "--out", str(tmp_path / "o"), "--layer", "ls-1")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "skipped 1 article(s) with no submitted annotation of ls-1: unicode-2"
    data = json.loads((tmp_path / "o" / "unicode-1.jsonld").read_text(encoding="utf-8"))
    assert data["label"] == "unicode-1: the annotation of ls-1 under the scheme newscorpus-default 2.0.0"
    assert data["first"]["items"][-1] == {"id": "#note", "type": "Annotation", "motivation": "commenting",
                                          "body": [{"type": "TextualBody", "purpose": "commenting", "value": "checked twice"}],
                                          "target": "unicode-1.txt"}
    nobody = _run("--format", "wadm", "--annotations", str(CASE), "--out", str(tmp_path / "n"), "--layer", "ls-7")
    assert nobody.output.splitlines()[0] == f"exported the annotations of ls-7 of 0 article(s) as wadm to {tmp_path / 'n'} (0 file(s))"


def test_a_non_empty_out_is_refused_unless_force(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    result = _run("--format", "conll", "--annotations", str(CASE), "--out", str(out))
    assert result.exit_code == 1
    assert result.output == (f"error: {out}::$: the output folder is not empty; refusing to replace it "
                             "(hint: choose another --out, or give --force to replace the folder whole)\n")
    assert [p.name for p in out.iterdir()] == ["mine.txt"]
    forced = _run("--format", "conll", "--annotations", str(CASE), "--out", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert [p.name for p in out.iterdir()] == ["test.conll"]


def test_an_invalid_record_is_one_line_and_nothing_is_written(tmp_path):
    ann = tmp_path / "annotations"
    shutil.copytree(CASE, ann)
    data = json.loads((ann / "unicode-1.json").read_text(encoding="utf-8"))
    data["gold"]["spans"][0]["end"] = 4  # "Zoë " no longer its text
    (ann / "unicode-1.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = _run("--format", "brat", "--annotations", str(ann), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert result.output == (f"error: {ann / 'unicode-1.json'}::$.gold.spans[0]: text[0:4] = 'Zoë ' starts or ends with "
                             f"whitespace: move the offsets inward (and 1 more; run `newscorpus validate {ann / 'unicode-1.json'}`)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations"]


def test_a_refusal_of_the_format_writes_nothing(tmp_path):
    ann = tmp_path / "annotations"
    shutil.copytree(CASE, ann)
    data = json.loads((ann / "unicode-1.json").read_text(encoding="utf-8"))
    data["gold"]["spans"][1]["note"] = "two\rlines"  # a CR: a note with LF is written as several brat notes
    (ann / "unicode-1.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "o").mkdir()
    result = _run("--format", "brat", "--annotations", str(ann), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert result.output == (f"error: {ann / 'unicode-1.json'}::$.gold.spans[1].note: the note of span 'e2' holds a line "
                             "break, which a brat note cannot\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations", "o"]
    assert list((tmp_path / "o").iterdir()) == []


def test_help_lists_every_format():
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert result.exit_code == 0
    for name in ("brat", "conll", "wadm", "spacy", "labelstudio", "--layer", "--force"):
        assert name in result.output
