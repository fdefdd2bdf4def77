"""The brat writer: exact .ann lines, fragments of a span across lines, notes, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscorpus.core.scheme import default_scheme
from newscorpus.errors import ExporterError
from newscorpus.exporters.brat import ann_text, annotation_conf, attributes_of, fragments, note_parts
from newscorpus.exporters.items import ExportItem
from newscorpus.records.io import read_record

RECORD = Path(__file__).resolve().parents[2] / "cases" / "export" / "records" / "unicode" / "unicode-1.json"


def _item(record) -> ExportItem:
    return ExportItem(record, record.gold, "gold", "test", str(RECORD))


def test_ann_lines_exact():
    record = read_record(RECORD)
    assert ann_text(_item(record)).splitlines() == [
        "T1\tPERSON 0 3\tZoë",
        "T2\tPERSON 8 17\tمحمد عباس",
        "T3\tGPE 21 29\tTel Aviv",
        "T4\tDATE 36 42\tMonday",
        "T5\tQUOTE 45 53;54 63\tWe stay, we fight,",
        "T6\tPERSON 70 80\tq̇uinn 𝔘lf",
        "T7\tGPE 87 91\tעולם",
        "R1\tSPEAKER Arg1:T5 Arg2:T6",
        "#1\tAnnotatorNotes T2\tArabic name, right to left",
    ]


def test_fragments_split_at_line_breaks_only():
    text = "ab\n\ncd\u2028e\n"
    assert fragments(text, 0, 9) == [(0, 2), (4, 8)]  # the U+2028 stays inside: brat reads lines at LF
    assert fragments(text, 1, 2) == [(1, 2)]
    assert fragments("x\ny", 1, 2) == []


def test_annotation_conf_lists_layers_and_relations():
    conf = annotation_conf(default_scheme())
    assert "# layer attribution\nQUOTE\nSOURCE\n" in conf
    assert "SPEAKER\tArg1:QUOTE, Arg2:PERSON|NORP|ORG|GPE|SOURCE\n" in conf
    assert conf.startswith("# the scheme newscorpus-default ")
    assert conf.endswith("[events]\n\n[attributes]\n")


def test_a_note_with_a_line_break_is_refused():
    """A carriage return: a brat note is one line, and the importer joins several notes with
    LF only (a note with LF is written as several notes: below)."""
    record = read_record(RECORD)
    record.gold.spans[1].note = "two\rlines"
    with pytest.raises(ExporterError) as err:
        ann_text(_item(record))
    assert (err.value.code, err.value.where, err.value.file) == ("unsupported-note", "$.gold.spans[1].note", str(RECORD))
    assert err.value.message == "the note of span 'e2' holds a line break, which a brat note cannot"


def test_note_lines_and_attributes_are_written_as_the_importer_reads_them():
    record = read_record(RECORD)
    record.gold.spans[0].note = "two\n\nlines\n[attribute] Early\n[attribute] Negated\n[attribute] Confidence=Low"
    record.gold.spans[1].note = "[attribute] Fictional"
    record.gold.spans[2].note = "[attribute] Seen\nthen a plain line\n[attribute] two words\n[attribute] =x"
    attributes: dict[str, set[str]] = {}
    assert ann_text(_item(record), attributes).splitlines()[8:] == [
        "A1\tEarly T1",
        "A2\tNegated T1",
        "A3\tConfidence T1 Low",
        "A4\tFictional T2",
        "#1\tAnnotatorNotes T1\ttwo",
        "#2\tAnnotatorNotes T1\t",
        "#3\tAnnotatorNotes T1\tlines",
        "#4\tAnnotatorNotes T3\t[attribute] Seen",
        "#5\tAnnotatorNotes T3\tthen a plain line",
        "#6\tAnnotatorNotes T3\t[attribute] two words",
        "#7\tAnnotatorNotes T3\t[attribute] =x",
    ]
    assert attributes == {"Early": set(), "Negated": set(), "Confidence": {"Low"}, "Fictional": set()}
    conf = annotation_conf(default_scheme(), attributes)
    assert conf.endswith("[attributes]\nConfidence\tArg:<ENTITY>, Value:Low\nEarly\tArg:<ENTITY>\n"
                         "Fictional\tArg:<ENTITY>\nNegated\tArg:<ENTITY>\n")


def test_note_parts_split_off_the_trailing_attributes_only():
    assert note_parts("a\n[attribute] X=1") == (["a"], [("X", "1")])
    assert note_parts("[attribute] X\na") == (["[attribute] X", "a"], [])
    assert note_parts("[attribute] X") == ([], [("X", None)])
    assert note_parts("") == ([""], [])
    assert attributes_of("[attribute] Confidence=a=b") == ("Confidence", "a=b")
    assert [attributes_of(line) for line in ("[attribute] ", "[attribute] X=", "[attribute]X", "[attribute] X Y")] == [None] * 4


def test_a_label_with_a_space_is_refused():
    record = read_record(RECORD)
    record.gold.spans[0].label = "TWO WORDS"
    with pytest.raises(ExporterError) as err:
        ann_text(_item(record))
    assert (err.value.code, err.value.where) == ("unsupported-label", "$.gold.spans[0].label")


def test_an_annotators_part_is_located_in_annotations():
    record = read_record(RECORD)
    record.annotations[0].spans[0].label = "TWO WORDS"
    with pytest.raises(ExporterError) as err:
        ann_text(ExportItem(record, record.annotations[0], "ls-1", "test", str(RECORD)))
    assert err.value.where == "$.annotations[0].spans[0].label"


def test_brat_ids_of_an_imported_file_are_kept_in_id_order():
    record = read_record(RECORD)
    spans = record.gold.spans
    for span, new in zip(spans, ["T2", "T10", "T3", "T4", "T5", "T1", "T7"]):
        span.id = new
    q, tail = "T5", "T1"
    record.gold.relations = [record.gold.relations[0].model_copy(update={"id": "R4", "head": q, "tail": tail})]
    spans[0].note = "first"
    assert ann_text(_item(record)).splitlines() == [
        "T1\tPERSON 70 80\tq̇uinn 𝔘lf",
        "T2\tPERSON 0 3\tZoë",
        "T3\tGPE 21 29\tTel Aviv",
        "T4\tDATE 36 42\tMonday",
        "T5\tQUOTE 45 53;54 63\tWe stay, we fight,",
        "T7\tGPE 87 91\tעולם",
        "T10\tPERSON 8 17\tمحمد عباس",
        "R4\tSPEAKER Arg1:T5 Arg2:T1",
        "#1\tAnnotatorNotes T2\tfirst",
        "#2\tAnnotatorNotes T10\tArabic name, right to left",
    ]
    spans[3].id = "x4"  # one id that is not brat's: every span numbered in span order
    assert ann_text(_item(record)).splitlines()[:2] == ["T1\tPERSON 0 3\tZoë", "T2\tPERSON 8 17\tمحمد عباس"]
