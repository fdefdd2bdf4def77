"""Provenance: the Label Studio release an export came from becomes every imported
annotation's ``origin.version`` (``ls pull`` asks the server; without it the version is
unknown, null)."""

from __future__ import annotations

import json

import pytest

from newscorpus.importers.run import import_export
from newscorpus.records.io import read_record


def _export(path, record):
    task = {
        "id": 11, "project": 4, "data": {"text": record.text, "article_id": "small", "text_sha256": record.text_sha256},
        "annotations": [{"id": 21, "completed_by": 3, "was_cancelled": False, "result": [
            {"id": "g1", "from_name": "entity", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 8, "text": "Qin Gang", "labels": ["PERSON"]}}]}],
        "drafts": [{"id": 5, "user": "someone@example.com", "created_username": "someone@example.com, 9", "result": []}],
    }
    path.write_text(json.dumps([task]), encoding="utf-8")
    return path


@pytest.mark.parametrize("workers", [1, 2])
def test_tool_version_reaches_every_annotation(tmp_path, small_corpus, workers):
    record = read_record(small_corpus / "small.json")
    export = _export(tmp_path / "export.json", record)
    import_export(export, annotations_dir=small_corpus, workers=workers)
    assert [a.origin.version for a in read_record(small_corpus / "small.json").annotations] == [None, None]
    report = import_export(export, annotations_dir=small_corpus, tool_version="1.23.2", workers=workers)
    assert report.written == [small_corpus / "small.json"]
    annotations = read_record(small_corpus / "small.json").annotations
    assert sorted((a.id, a.origin.tool, a.origin.version) for a in annotations) == [
        ("ls-p4-a21", "label-studio", "1.23.2"), ("ls-p4-d5", "label-studio", "1.23.2")]


def test_import_tool_version_option_records_the_release_of_a_file_export(tmp_path, small_corpus):
    from click.testing import CliRunner

    from newscorpus.cli import cli

    export = _export(tmp_path / "export.json", read_record(small_corpus / "small.json"))
    args = ["import", str(export), "--annotations", str(small_corpus)]
    result = CliRunner().invoke(cli, [*args, "--tool-version", "1.22.0"])
    assert result.exit_code == 0, result.output
    assert [a.origin.version for a in read_record(small_corpus / "small.json").annotations] == ["1.22.0", "1.22.0"]
    # with a label map too (the adapted import passes it on)
    label_map = tmp_path / "map.yaml"
    label_map.write_text("labels:\n  entity:\n    PERSON: PERSON\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [*args, "--tool-version", "1.23.2", "--label-map", str(label_map)])
    assert result.exit_code == 0, result.output
    assert [a.origin.version for a in read_record(small_corpus / "small.json").annotations] == ["1.23.2", "1.23.2"]
    before = (small_corpus / "small.json").read_bytes()
    result = CliRunner().invoke(cli, [*args, "--tool-version", "1.23 beta"])
    assert result.exit_code == 2
    assert "'1.23 beta' is not a release such as 1.23.2 (letters, digits, '.', '+' and '-')" in result.output
    assert (small_corpus / "small.json").read_bytes() == before
