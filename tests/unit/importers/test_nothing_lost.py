"""Nothing lost on import: legacy ``completions`` (Label Studio before 1.0) are read as
annotations, and an annotation without a ``result`` is an error, never an empty gold.

The article is conftest.SMALL_TEXT ("Qin Gang" [0, 8), "Aung San Suu Kyi" [13, 29)).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscorpus.errors import ExportError
from newscorpus.importers.run import import_export
from newscorpus.records.io import read_record

from tests.support import SMALL_TEXT

SHA = __import__("hashlib").sha256(SMALL_TEXT.encode()).hexdigest()


def region(rid, start, end, label="PERSON"):
    return {"id": rid, "from_name": "entity", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "labels": [label], "text": SMALL_TEXT[start:end]}}


def annotation(aid, user, **extra):
    return {"id": aid, "completed_by": user, "result": [region("e1", 0, 8), region("e2", 13, 29)], "was_cancelled": False,
            "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:10:00Z", **extra}


def run(tmp_path: Path, ann: Path, tasks, **kw):
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    return import_export(export, annotations_dir=ann, **kw)


def legacy(completions, **extra):
    return {"id": 7, "data": {"text": SMALL_TEXT, "article_id": "small", "text_sha256": SHA}, "completions": completions,
            "predictions": [], **extra}


def test_legacy_completions_are_read_as_annotations_with_a_warning(tmp_path, small_corpus):
    report = run(tmp_path, small_corpus, [legacy([annotation(3, 2)])])
    assert report.annotations == {"submitted": 1, "cancelled": 0, "draft": 0}
    assert [(w.code, w.where, w.message) for w in report.warnings] == [
        ("legacy-completions", "$[0].completions",
         "task 7 (article small): 1 completion(s) of Label Studio before 1.0 read as annotations")]
    rec = read_record(small_corpus / "small.json")
    assert [(a.id, a.annotator, len(a.spans)) for a in rec.annotations] == [("ls-a3", "ls-2", 2)]
    assert rec.gold is not None and len(rec.gold.spans) == 2


def test_completions_beside_annotations_are_refused(tmp_path, small_corpus):
    before = (small_corpus / "small.json").read_bytes()
    with pytest.raises(ExportError) as err:
        run(tmp_path, small_corpus, [legacy([annotation(3, 2)], annotations=[annotation(4, 2)])])
    assert (err.value.code, err.value.where) == ("legacy-completions", "$[0].completions")
    assert (small_corpus / "small.json").read_bytes() == before


@pytest.mark.parametrize("result", ["missing", None])
@pytest.mark.parametrize("cancelled", [False, True])
def test_an_annotation_without_a_result_is_an_error(tmp_path, small_corpus, result, cancelled):
    ann = annotation(3, 2, was_cancelled=cancelled)
    if result == "missing":
        del ann["result"]
    else:
        ann["result"] = None
    tasks = [{"id": 7, "data": {"text": SMALL_TEXT, "article_id": "small", "text_sha256": SHA}, "annotations": [ann]}]
    before = (small_corpus / "small.json").read_bytes()
    with pytest.raises(ExportError) as err:
        run(tmp_path, small_corpus, tasks)
    assert (err.value.code, err.value.where) == ("missing-result", "$[0].annotations[0].result")
    assert err.value.message == f"task 7 (article small), annotation 3: no result ({'missing' if result else 'null'})"
    assert (small_corpus / "small.json").read_bytes() == before


def test_an_empty_result_is_an_annotation_without_spans(tmp_path, small_corpus):
    tasks = [{"id": 7, "data": {"text": SMALL_TEXT, "article_id": "small", "text_sha256": SHA},
              "annotations": [annotation(3, 2, result=[])]}]
    run(tmp_path, small_corpus, tasks)
    (ann,) = read_record(small_corpus / "small.json").annotations
    assert ann.spans == []
