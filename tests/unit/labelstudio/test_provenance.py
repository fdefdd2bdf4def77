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
