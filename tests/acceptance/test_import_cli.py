"""`newscorpus import --format`: the formats of the registry, the default, and a refusal."""

from __future__ import annotations

import json

from click.testing import CliRunner

from newscorpus.cli import cli

from tests.unit.importers.test_import import BASIC, annotation, region, task


def _export(tmp_path, result=BASIC):
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task([annotation(21, 3, result)])], ensure_ascii=False), encoding="utf-8")
    return export


def test_help_lists_the_formats():
    result = CliRunner().invoke(cli, ["import", "--help"])
    assert result.exit_code == 0
    assert "--format [labelstudio|brat|ptc|wadm" in result.output and "[default: labelstudio]" in result.output


def test_format_labelstudio_imports(tmp_path, small_corpus):
    export = _export(tmp_path)
    result = CliRunner().invoke(cli, ["import", "--format", "labelstudio", str(export), "--annotations", str(small_corpus)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "imported 1 task(s) (1 submitted, 0 cancelled, 0 draft); 1 record(s) written, 0 unchanged\n"


def test_an_unknown_format_is_a_usage_error(tmp_path, small_corpus):
    before = (small_corpus / "small.json").read_bytes()
    result = CliRunner().invoke(cli, ["import", "--format", "nosuch", str(_export(tmp_path)), "--annotations", str(small_corpus)])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr and "'nosuch' is not one of 'labelstudio', 'brat'" in result.stderr
    assert (small_corpus / "small.json").read_bytes() == before


def test_a_label_studio_export_given_to_brat_is_refused(tmp_path, small_corpus):
    before = (small_corpus / "small.json").read_bytes()
    export = _export(tmp_path)
    result = CliRunner().invoke(cli, ["import", "--format", "brat", str(export), "--annotations", str(small_corpus)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {export}::$: export.json is not a brat file (a .ann, a .txt, or a folder of them)")
    assert (small_corpus / "small.json").read_bytes() == before


def test_overlapping_entity_spans_are_refused_with_the_validators_code(tmp_path, small_corpus):
    before = (small_corpus / "small.json").read_bytes()
    export = _export(tmp_path, [region("e1", "entity", 0, 8, "PERSON"), region("e2", "entity", 4, 8, "PERSON")])
    result = CliRunner().invoke(cli, ["import", str(export), "--annotations", str(small_corpus)])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {export}::$[0].annotations[0].result[1]: task 11 (article small), annotation 21, result 'e2': ")
    assert line.endswith("[span-overlap] (hint: nothing was written; correct the annotation in Label Studio and export again)")
    assert (small_corpus / "small.json").read_bytes() == before
