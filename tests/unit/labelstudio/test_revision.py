"""The Label Studio side of a revision, without a server: which tasks can be updated in
place, which work the records lack, and an annotation's result moved onto the record's
offsets (the real-server round trip is in tests/acceptance/test_labelstudio_team.py)."""

from __future__ import annotations

import datetime as dt

from newscorpus.core.models import Annotation, Origin, Relation, Span
from newscorpus.ingest.run import ingest_seed, segment
from newscorpus.labelstudio.revision import moved_results, revised_from, task_updates, unpulled
from newscorpus.revise.record import revise_record

from tests.support import write_seed

OLD = "Alpha mett Beta.\nDelta left.\n"
NEW = "Alpha met Beta.\nDelta left.\n"
PULLED = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone.utc)


def _region(rid, control, start, end, label, text=OLD):
    return {"id": rid, "from_name": control, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}


def _revised(tmp_path):
    record = ingest_seed(write_seed(tmp_path, "alpha", OLD))
    record.annotations = [Annotation(
        id="ls-p3-a7", annotator="ls-2", status="submitted", updated_at=PULLED,
        origin=Origin(tool="label-studio", project=3, task=5, annotation=7),
        spans=[Span(id="b", layer="attribution", label="QUOTE", start=11, end=15, text="Beta"),
               Span(id="d", layer="entity", label="PERSON", start=17, end=22, text="Delta")],
        relations=[Relation(id="SPEAKER:b>d", label="SPEAKER", head="b", tail="d")])]
    return record, revise_record(record, NEW, segment=lambda piece: segment(piece)).record


RESULT = [
    _region("s0", "sentence", 0, 16, "SENTENCE"), _region("s1", "sentence", 17, 28, "SENTENCE"),
    {"id": "s1", "from_name": "discourse_role", "to_name": "text", "type": "choices",
     "value": {"start": 17, "end": 28, "text": "Delta left.", "choices": ["OTHER"]}},
    _region("b", "attribution", 11, 15, "QUOTE"), _region("d", "entity", 17, 22, "PERSON"),
    {"id": "d", "from_name": "span_note", "to_name": "text", "type": "textarea", "value": {"start": 17, "end": 22, "text": ["who?"]}},
    _region("gone", "entity", 6, 10, "ORG"),
    {"type": "relation", "from_id": "b", "to_id": "d", "direction": "right", "labels": ["SPEAKER"]},
    {"type": "relation", "from_id": "gone", "to_id": "d", "direction": "right", "labels": ["SPEAKER"]},
    {"id": "article-genre", "from_name": "genre", "to_name": "text", "type": "choices", "value": {"choices": ["reporting"]}},
]


def test_a_result_moves_onto_the_records_offsets(tmp_path):
    old, new = _revised(tmp_path)
    moved = moved_results(RESULT, record=new, part=new.annotations[0])
    assert [(r.get("id"), r["from_name"] if "from_name" in r else r["type"], r.get("value", {}).get("start"),
             r.get("value", {}).get("end"), r.get("value", {}).get("text")) for r in moved] == [
        ("s0", "sentence", 0, 15, "Alpha met Beta."), ("s1", "sentence", 16, 27, "Delta left."),
        ("s1", "discourse_role", 16, 27, "Delta left."), ("b", "attribution", 10, 14, "Beta"),
        ("d", "entity", 16, 21, "Delta"), ("d", "span_note", 16, 21, ["who?"]),
        (None, "relation", None, None, None), ("article-genre", "genre", None, None, None)]
    assert moved[6] == RESULT[7]  # the relation of two kept regions; the one naming "gone" is left out
    assert RESULT[3]["value"]["start"] == 11  # the items given are not changed


def test_which_tasks_and_which_work(tmp_path):
    old, new = _revised(tmp_path)
    assert revised_from(new, old.text_sha256) and not revised_from(new, new.text_sha256) and not revised_from(old, old.text_sha256)
    task = {"id": 5, "project": 3, "data": {"text": OLD, "article_id": "alpha", "text_sha256": old.text_sha256},
            "annotations": [{"id": 7, "completed_by": 2, "updated_at": "2026-12-01T10:00:00Z", "result": RESULT}],
            "drafts": [{"id": 9, "user": "x@example.com", "created_username": "x@example.com, 4", "result": [], "updated_at": None}]}
    assert unpulled(task, new) == ["task 5 (article alpha), draft 9 by ls-4: not in the record"]
    task["drafts"] = []
    assert unpulled(task, new) == []
    task["annotations"][0]["updated_at"] = "2026-12-01T10:00:01.5Z"
    assert unpulled(task, new) == ["task 5 (article alpha), annotation 7 by ls-2: changed since the pull (2026-12-01T10:00:01.5Z)"]
    (update,) = task_updates([task], {"alpha": new})
    assert (update.task_id, update.data, update.drafts) == (5, {"text": NEW, "article_id": "alpha", "text_sha256": new.text_sha256}, [])
    assert [(aid, len(result)) for aid, result in update.annotations] == [(7, 8)]
