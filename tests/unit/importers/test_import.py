"""Import of Label Studio JSON exports: every shape real exports have, and bad input.

The article is conftest.SMALL_TEXT; its code-point offsets (checked by hand):
"Qin Gang" [0, 8), "Aung San Suu Kyi" [13, 29), "Naypyidaw" [33, 42), "We agree," [45, 54),
"he" [56, 58), "😀" [65, 66), "Café" [67, 71), "Yangon" [82, 88); 97 code points, 98 UTF-16
code units. Sentences s0 [0, 43), s1 [44, 64), s2 [65, 97).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscorpus.errors import ExportError, OffsetUnitError
from newscorpus.importers.run import import_export
from newscorpus.core.models import Gold
from newscorpus.records.io import read_record, write_record
from newscorpus.core.scheme import default_scheme

from tests.support import SMALL_TEXT

SHA = __import__("hashlib").sha256(SMALL_TEXT.encode()).hexdigest()


def region(rid, control, start, end, label, text=None):
    value = {"start": start, "end": end, "labels": [label]}
    value["text"] = SMALL_TEXT[start:end] if text is None else text
    return {"id": rid, "from_name": control, "to_name": "text", "type": "labels", "value": value}


def relation(head, tail, direction="right", labels=("SPEAKER",)):
    return {"type": "relation", "from_id": head, "to_id": tail, "direction": direction, "labels": list(labels)}


def choices(rid, control, values, start=None, end=None):
    value = {"choices": list(values)}
    if start is not None:
        value.update(start=start, end=end)
    return {"id": rid, "from_name": control, "to_name": "text", "type": "choices", "value": value}


def annotation(aid, user, result, **extra):
    return {"id": aid, "completed_by": user, "result": result, "was_cancelled": False, "ground_truth": False,
            "created_at": "2026-11-01T09:00:00.000000Z", "updated_at": "2026-11-01T09:10:00.000000Z",
            "lead_time": 12.5, "project": 4, **extra}


def task(annotations=(), drafts=(), predictions=(), tid=11, **data):
    return {"id": tid, "data": {"text": SMALL_TEXT, "article_id": "small", "text_sha256": SHA, **data},
            "annotations": list(annotations), "drafts": list(drafts), "predictions": list(predictions), "project": 4}


def run(tmp_path: Path, ann: Path, tasks, **kw):
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return import_export(export, annotations_dir=ann, **kw)


BASIC = [
    region("e1", "entity", 0, 8, "PERSON"),
    region("e2", "entity", 13, 29, "PERSON"),
    region("e3", "entity", 33, 42, "GPE"),
    region("q1", "attribution", 45, 54, "QUOTE"),
    region("p1", "attribution", 56, 58, "SOURCE"),
    relation("q1", "p1"),
    region("s1", "sentence", 44, 64, "SENTENCE"),
    choices("s1", "discourse_role", ["EVALUATION"], 44, 64),
    choices("g", "genre", ["reporting"]),
    choices("f", "frames", ["Political", "External_regulation_and_reputation"]),
]


def test_basic_annotation_exact_record(tmp_path, small_corpus):
    report = run(tmp_path, small_corpus, [task([annotation(21, 3, BASIC)], predictions=[{"id": 5, "result": []}])])
    rec = read_record(small_corpus / "small.json")
    (ann,) = rec.annotations
    assert (ann.id, ann.annotator, ann.status, ann.ground_truth) == ("ls-p4-a21", "ls-3", "submitted", False)
    assert (ann.origin.tool, ann.origin.project, ann.origin.task, ann.origin.annotation) == ("label-studio", 4, 11, 21)
    assert [(s.id, s.layer, s.label, s.start, s.end, s.text) for s in ann.spans] == [
        ("e1", "entity", "PERSON", 0, 8, "Qin Gang"),
        ("e2", "entity", "PERSON", 13, 29, "Aung San Suu Kyi"),
        ("e3", "entity", "GPE", 33, 42, "Naypyidaw"),
        ("q1", "attribution", "QUOTE", 45, 54, "We agree,"),
        ("p1", "attribution", "SOURCE", 56, 58, "he"),
    ]
    assert [(r.id, r.label, r.head, r.tail) for r in ann.relations] == [("SPEAKER:q1>p1", "SPEAKER", "q1", "p1")]
    assert [(s.sentence, s.layer, s.label) for s in ann.sentence_labels] == [("s1", "discourse_role", "EVALUATION")]
    assert ann.article_labels == {"genre": ["reporting"], "frames": ["Political", "External_regulation_and_reputation"]}
    assert rec.gold.method == "single" and rec.gold.from_annotations == ["ls-p4-a21"]
    assert rec.gold.spans == ann.spans
    assert report.predictions == 1 and report.warnings == []


def test_reimport_changes_no_byte(tmp_path, small_corpus):
    tasks = [task([annotation(21, 3, BASIC), annotation(22, 4, BASIC[:2])])]
    run(tmp_path, small_corpus, tasks)
    first = (small_corpus / "small.json").read_bytes()
    report = run(tmp_path, small_corpus, tasks)
    assert (small_corpus / "small.json").read_bytes() == first
    assert report.written == [] and report.unchanged == [small_corpus / "small.json"]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_later_task_that_undoes_a_change_leaves_the_record_unchanged(tmp_path, small_corpus, workers):
    run(tmp_path, small_corpus, [task([annotation(21, 3, BASIC)])])
    first = (small_corpus / "small.json").read_bytes()
    # the same task twice in one export (a task id that differs would be another annotation: a conflict)
    changed, undone = task([annotation(21, 3, BASIC[:2])]), task([annotation(21, 3, BASIC)])
    report = run(tmp_path, small_corpus, [changed, undone], workers=workers)
    assert (report.written, report.unchanged) == ([], [small_corpus / "small.json"])
    assert (small_corpus / "small.json").read_bytes() == first
    assert sorted(p.name for p in small_corpus.iterdir()) == ["small.json"]  # no staging left behind
    report = run(tmp_path, small_corpus, [undone, changed], workers=workers)
    assert (report.written, report.unchanged) == ([small_corpus / "small.json"], [])
    assert [len(a.spans) for a in read_record(small_corpus / "small.json").annotations] == [2]


def test_completed_by_int_and_object_and_draft_user_give_no_email(tmp_path, small_corpus):
    draft = {"id": 9, "user": "drafter@example.org", "created_username": "Ann Lee drafter@example.org, 8",
             "result": [region("d1", "entity", 82, 88, "GPE")], "lead_time": 3.0,
             "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:01:00Z", "annotation": None}
    run(tmp_path, small_corpus, [task([annotation(21, 3, BASIC[:1]),
                                       annotation(22, {"id": 5, "email": "eve@example.org", "first_name": "Eve"}, BASIC[:1])],
                                      drafts=[draft])])
    raw = (small_corpus / "small.json").read_text(encoding="utf-8")
    assert "@" not in raw and "Eve" not in raw and "Ann Lee" not in raw
    rec = read_record(small_corpus / "small.json")
    assert [(a.id, a.annotator, a.status) for a in rec.annotations] == [
        ("ls-p4-d9", "ls-8", "draft"), ("ls-p4-a21", "ls-3", "submitted"), ("ls-p4-a22", "ls-5", "submitted")]
    assert rec.gold is None  # two submitted annotations: gold is for adjudication


def test_cancelled_and_draft_are_kept_and_never_gold(tmp_path, small_corpus):
    draft = {"id": 2, "user": 6, "result": BASIC[:1], "created_at": "2026-11-01T09:00:00Z", "updated_at": None}
    run(tmp_path, small_corpus, [task([annotation(30, 3, BASIC[:2], was_cancelled=True)], drafts=[draft])])
    rec = read_record(small_corpus / "small.json")
    assert [(a.id, a.status) for a in rec.annotations] == [("ls-p4-d2", "draft"), ("ls-p4-a30", "cancelled")]
    assert rec.gold is None
    run(tmp_path, small_corpus, [task([annotation(30, 3, BASIC[:2], was_cancelled=True), annotation(31, 4, BASIC[2:3])])])
    rec = read_record(small_corpus / "small.json")
    assert rec.gold.from_annotations == ["ls-p4-a31"]
    assert [s.text for s in rec.gold.spans] == ["Naypyidaw"]


def test_task_without_annotation_and_bare_prediction_ids(tmp_path, small_corpus):
    before = (small_corpus / "small.json").read_bytes()
    report = run(tmp_path, small_corpus, [task(predictions=[17, 18])])
    assert (report.tasks, report.predictions, report.written) == (1, 2, [])
    assert (small_corpus / "small.json").read_bytes() == before


def test_left_relation_swaps_head_and_tail(tmp_path, small_corpus):
    result = BASIC[3:5] + [relation("p1", "q1", direction="left")]
    run(tmp_path, small_corpus, [task([annotation(21, 3, result)])])
    (rel,) = read_record(small_corpus / "small.json").annotations[0].relations
    assert (rel.id, rel.head, rel.tail) == ("SPEAKER:q1>p1", "q1", "p1")


@pytest.mark.parametrize(
    "result, code, rid",
    [
        (BASIC[3:5] + [relation("q1", "p1", direction="bi")], "undirected-relation", "q1->p1"),
        (BASIC[3:5] + [relation("q1", "p1", labels=())], "missing-labels", "q1->p1"),
        (BASIC[3:5] + [{**relation("q1", "p1"), "labels": {"0": "SPEAKER"}}], "invalid-result", "q1->p1"),
        (BASIC[3:5] + [{**relation("q1", "p1"), "labels": "SPEAKER"}], "invalid-result", "q1->p1"),
        (BASIC[3:5] + [relation("q1", "p1", labels=(["SPEAKER"],))], "invalid-result", "q1->p1"),
        (BASIC[3:5] + [relation("q1", "zz")], "dangling-relation", "q1->zz"),
        (BASIC[3:5] + [relation("p1", "q1")], "relation-endpoint", "p1->q1"),
        (BASIC[3:5] + [relation("q1", "p1", labels=("TOLD",))], "unknown-label", "q1->p1"),
        (BASIC[3:5] + [relation("q1", "p1"), relation("p1", "q1", direction="left")], "duplicate-id", "p1->q1"),
        ([{**region("e9", "entity", 0, 8, "PERSON"), "value": {"start": 0, "end": 8, "text": "Qin Gang"}}], "missing-labels", "e9"),
        ([region("e9", "entity", 0, 8, "PER")], "unknown-label", "e9"),
        ([region("e9", "topic", 0, 8, "PERSON")], "unknown-layer", "e9"),
        ([region("e9", "entity", 90, 98, "GPE", text="x")], "span-out-of-bounds", "e9"),
        ([region("e9", "entity", 0, 8, "PERSON", text="Xi Jinping")], "span-text-mismatch", "e9"),
        ([region("e9", "entity", 8, 9, "PERSON")], "span-empty", "e9"),
        ([region("e9", "entity", 8, 3, "PERSON", text="")], "span-empty", "e9"),
        ([region("e9", "entity", -1, 3, "PERSON", text="")], "span-out-of-bounds", "e9"),
        ([region("e1", "entity", 0, 8, "PERSON"), region("e9", "entity", 4, 12, "PERSON")], "span-overlap", "e9"),
        ([region("s5", "sentence", 0, 20, "SENTENCE")], "unknown-sentence", "s5"),
        ([choices("s1", "discourse_role", ["EVALUATION"], 44, 64)], "unknown-sentence", "s1"),
        ([choices("g", "genre", ["reporting", "opinion"])], "single-cardinality", "g"),
        ([choices("f", "frames", ["Political", "Political"])], "duplicate-label", "f"),
        ([region("s1", "sentence", 44, 64, "SENTENCE"), choices("s1", "discourse_role", ["EVALUATION", "OTHER"], 44, 64)],
         "single-cardinality", "s1"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_bad_result_names_task_annotation_result_and_writes_nothing(tmp_path, small_corpus, result, code, rid):
    before = (small_corpus / "small.json").read_bytes()
    with pytest.raises(ExportError) as err:
        run(tmp_path, small_corpus, [task([annotation(21, 3, BASIC[:1])]), task([annotation(40, 3, result)], tid=12)])
    assert err.value.code == code
    assert f"task 12 (article small), annotation 40, result {rid!r}" in str(err.value)
    assert err.value.where.startswith("$[1].annotations[0].result[")
    assert (small_corpus / "small.json").read_bytes() == before
    assert [p.name for p in small_corpus.iterdir()] == ["small.json"]  # no staging folder left


def test_display_text_differing_in_whitespace_only_warns(tmp_path, small_corpus):
    result = [region("x1", "attribution", 33, 53, "QUOTE", text="Naypyidaw. “We agree"),
              region("x2", "attribution", 33, 53, "SOURCE", text="Naypyidaw.\\n“We agree")]
    report = run(tmp_path, small_corpus, [task([annotation(21, 3, result)])])
    spans = read_record(small_corpus / "small.json").annotations[0].spans
    assert [s.text for s in spans] == ["Naypyidaw.\n“We agree", "Naypyidaw.\n“We agree"]
    assert [w.code for w in report.warnings] == ["display-text-whitespace", "display-text-whitespace"]
    assert "the text's slice is kept" in report.warnings[0].message


def test_edge_whitespace_is_trimmed_with_a_warning_listing_the_spans(tmp_path, small_corpus):
    result = [region("e1", "entity", 12, 30, "PERSON"), region("e2", "entity", 81, 88, "GPE")]
    report = run(tmp_path, small_corpus, [task([annotation(21, 3, result)])])
    spans = read_record(small_corpus / "small.json").annotations[0].spans
    assert [(s.start, s.end, s.text) for s in spans] == [(13, 29, "Aung San Suu Kyi"), (82, 88, "Yangon")]
    (warning,) = report.warnings
    assert warning.code == "span-trimmed"
    assert warning.message.endswith("e1 [12, 30) -> [13, 29); e2 [81, 88) -> [82, 88)")


def test_utf16_offsets_are_detected_and_converted_exactly(tmp_path, small_corpus):
    old = [region("y", "entity", 83, 89, "GPE", text="Yangon"), region("c", "entity", 68, 72, "PERSON", text="Café")]
    with pytest.raises(OffsetUnitError) as err:
        run(tmp_path, small_corpus, [task([annotation(21, 3, old)])])
    assert err.value.code == "utf16-offsets"
    assert "--offset-unit utf16" in str(err.value)
    run(tmp_path, small_corpus, [task([annotation(21, 3, old)])], offset_unit="utf16")
    spans = read_record(small_corpus / "small.json").annotations[0].spans
    assert [(s.start, s.end, s.text) for s in spans] == [(67, 71, "Café"), (82, 88, "Yangon")]


def test_adjudicated_gold_is_never_overwritten(tmp_path, small_corpus):
    rec = read_record(small_corpus / "small.json")
    rec.gold = Gold(method="adjudicated", decided_by="ls-1", from_annotations=[])
    write_record(rec, small_corpus, default_scheme())
    run(tmp_path, small_corpus, [task([annotation(21, 3, BASIC)])])
    assert read_record(small_corpus / "small.json").gold.method == "adjudicated"


@pytest.mark.parametrize(
    "content, code",
    [
        ('[{"id": 1, "data": {"text": "x"', "invalid-json"),
        ('{"tasks": []}', "not-an-export"),
        ("id,text\n1,x\n", "not-an-export"),
        ("", "invalid-json"),
    ],
    ids=["truncated", "object", "csv", "empty"],
)
def test_malformed_export_files(tmp_path, small_corpus, content, code):
    export = tmp_path / "export.json"
    export.write_text(content, encoding="utf-8")
    with pytest.raises(ExportError) as err:
        import_export(export, annotations_dir=small_corpus)
    assert err.value.code == code
    assert str(export) in str(err.value)


@pytest.mark.parametrize(
    "data, code, where",
    [
        ({"text_sha256": "0" * 64}, "text-hash-mismatch", "$[0].data.text_sha256"),
        ({"text": SMALL_TEXT + " "}, "text-hash-mismatch", "$[0].data.text"),
        ({"article_id": "../etc/passwd"}, "unsafe-id", "$[0].data.article_id"),
        ({"article_id": "other"}, "no-record", "$[0].data.article_id"),
    ],
    ids=["sha", "text", "unsafe-id", "no-record"],
)
def test_task_that_does_not_match_its_record(tmp_path, small_corpus, data, code, where):
    before = (small_corpus / "small.json").read_bytes()
    with pytest.raises(ExportError) as err:
        run(tmp_path, small_corpus, [task([annotation(21, 3, BASIC)], **data)])
    assert (err.value.code, err.value.where) == (code, where)
    assert (small_corpus / "small.json").read_bytes() == before


def test_notes_on_spans_and_on_the_annotation(tmp_path, small_corpus):
    """Schema 1.1.0: a per-region TextArea note on a span, and the annotation's note."""
    result = BASIC[:2] + [
        {"id": "e2", "from_name": "span_note", "to_name": "text", "type": "textarea",
         "value": {"start": 13, "end": 29, "text": ["full name or short form?"]}},
        {"id": "n", "from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": ["unsure about s1"]}},
    ]
    run(tmp_path, small_corpus, [task([annotation(21, 3, result)])])
    rec = read_record(small_corpus / "small.json")
    (ann,) = rec.annotations
    assert ann.note == "unsure about s1"
    assert [(s.id, s.note) for s in ann.spans] == [("e1", None), ("e2", "full name or short form?")]
    raw = json.loads((small_corpus / "small.json").read_text(encoding="utf-8"))
    assert "note" not in raw["annotations"][0]["spans"][0]  # null notes are left out
    assert raw["annotations"][0]["spans"][1]["note"] == "full name or short form?"


def test_note_round_trips_through_label_studio_results(small_corpus):
    from newscorpus.importers.labelstudio.results import convert_results
    from newscorpus.core.scheme import default_scheme
    from newscorpus.labelstudio.tasks import to_results

    rec = read_record(small_corpus / "small.json")
    rec.gold = Gold(method="single", decided_by=None, from_annotations=[],
                    spans=[{"id": "e1", "layer": "entity", "label": "PERSON", "start": 0, "end": 8, "text": "Qin Gang",
                            "note": "title outside"}])
    back = convert_results(to_results(rec, rec.gold), text=rec.text, sentences=rec.sentences, scheme=default_scheme())
    assert [(s["id"], s["note"]) for s in back.spans] == [("e1", "title outside")]


def test_note_on_a_sentence_region_is_an_error(tmp_path, small_corpus):
    result = [region("s1", "sentence", 44, 64, "SENTENCE"),
              {"id": "s1", "from_name": "span_note", "to_name": "text", "type": "textarea", "value": {"text": ["?"]}}]
    with pytest.raises(ExportError) as err:
        run(tmp_path, small_corpus, [task([annotation(21, 3, result)])])
    assert "the note belongs to sentence s1" in str(err.value)


def test_same_annotation_id_in_two_projects_keeps_both(tmp_path, small_corpus):
    run(tmp_path, small_corpus, [task([annotation(1, 1, BASIC[:1], project=1)])])
    run(tmp_path, small_corpus, [task([annotation(1, 3, BASIC[1:2], project=2)])])
    rec = read_record(small_corpus / "small.json")
    assert [(a.id, a.annotator, a.spans[0].text) for a in rec.annotations] == [
        ("ls-p1-a1", "ls-1", "Qin Gang"), ("ls-p2-a1", "ls-3", "Aung San Suu Kyi")]
    assert rec.gold is None  # two submitted annotations: nothing silently chosen


@pytest.mark.parametrize(
    "annotations, code, where",
    [
        ([annotation(1, 1, BASIC[:1]), annotation(1, 2, BASIC[:1])], "duplicate-id", "$[0].annotations[1].id"),
        ([annotation(1, -1, BASIC[:1])], "missing-annotator", "$[0].annotations[0]"),
        ([annotation(1, 1, BASIC[:1], was_cancelled="yes")], "invalid-result", "$[0].annotations[0].was_cancelled"),
    ],
    ids=["duplicate-annotation-id", "negative-user", "was-cancelled-not-bool"],
)
def test_bad_annotation_fields(tmp_path, small_corpus, annotations, code, where):
    with pytest.raises(ExportError) as err:
        run(tmp_path, small_corpus, [task(annotations)])
    assert (err.value.code, err.value.where) == (code, where)


def test_export_with_a_byte_order_mark_is_read(tmp_path, small_corpus):
    export = tmp_path / "export.json"
    export.write_bytes(b"\xef\xbb\xbf" + json.dumps([task([annotation(21, 3, BASIC[:1])])]).encode())
    assert import_export(export, annotations_dir=small_corpus).annotations["submitted"] == 1


def test_json_min_export_gets_a_hint(tmp_path, small_corpus):
    with pytest.raises(ExportError) as err:
        run(tmp_path, small_corpus, [{"id": 1, "text": SMALL_TEXT, "label": []}])
    assert err.value.code == "not-an-export" and "JSON_MIN" in str(err.value)


def test_missing_hash_is_called_missing(tmp_path, small_corpus):
    t = task([annotation(21, 3, BASIC[:1])])
    del t["data"]["text_sha256"]
    with pytest.raises(ExportError) as err:
        run(tmp_path, small_corpus, [t])
    assert "data.text_sha256 is missing" in str(err.value)
