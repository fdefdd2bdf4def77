"""revise_record: every span of every annotation and of the gold, and every sentence, moved
onto a corrected text, with exact offsets; what was touched is listed, and refused unless
accepted."""

from __future__ import annotations

import datetime as dt

import pytest

from newscorpus.core.models import Annotation, Gold, Origin, Relation, SentenceLabel, Span
from newscorpus.ingest.run import ingest_seed, segment
from newscorpus.revise.record import revise_record

from tests.support import SMALL_TEXT, write_seed

WHEN = dt.datetime(2026, 12, 2, 6, 0, 0, tzinfo=dt.timezone.utc)


def _spans(*items: tuple[str, str, str, str]) -> list[Span]:
    return [Span(id=sid, layer=layer, label=label, start=SMALL_TEXT.index(text), end=SMALL_TEXT.index(text) + len(text), text=text)
            for sid, layer, label, text in items]


@pytest.fixture
def record(tmp_path):
    record = ingest_seed(write_seed(tmp_path / "seeds", "small", SMALL_TEXT))
    first = dict(spans=_spans(("p", "entity", "PERSON", "Qin Gang"), ("q", "attribution", "QUOTE", "We agree,"),
                              ("g", "entity", "GPE", "Yangon")),
                 relations=[Relation(id="SPEAKER:q>p", label="SPEAKER", head="q", tail="p")],
                 sentence_labels=[SentenceLabel(sentence="s1", layer="discourse_role", label="MAIN_EVENT")])
    record.annotations = [
        Annotation(id="ls-p1-a1", annotator="ls-2", status="submitted", origin=Origin(tool="label-studio"), **first),
        Annotation(id="ls-p1-a2", annotator="ls-3", status="submitted", origin=Origin(tool="label-studio"),
                   spans=_spans(("n", "entity", "GPE", "Naypyidaw"), ("c", "entity", "ORG", "Café"))),
    ]
    record.gold = Gold(method="single", decided_by=None, from_annotations=["ls-p1-a1"], **first)
    return record


def _revise(record, text, **kw):
    return revise_record(record, text, segment=lambda piece: segment(piece, language="en"), revised_at=WHEN, **kw)


def _offsets(part) -> dict[str, tuple[int, int, str]]:
    return {s.id: (s.start, s.end, s.text) for s in part.spans}


def test_an_edit_outside_every_span_moves_them_silently(record):
    text = SMALL_TEXT.replace(" met ", " meets ")
    rev = _revise(record, text)
    assert (rev.moved, rev.changes, rev.refusals) == (8, [], [])
    new = rev.record
    assert _offsets(new.annotations[0]) == {"p": (0, 8, "Qin Gang"), "q": (47, 56, "We agree,"), "g": (84, 90, "Yangon")}
    assert _offsets(new.annotations[1]) == {"n": (35, 44, "Naypyidaw"), "c": (69, 73, "Café")}
    assert _offsets(new.gold) == _offsets(new.annotations[0])
    assert [(s.id, s.start, s.end) for s in new.sentences] == [("s0", 0, 45), ("s1", 46, 66), ("s2", 67, 99)]
    assert rev.sentences_changed == ["s0"]
    assert new.annotations[0].relations == record.annotations[0].relations
    assert new.text == text and new.text_sha256 == rev.sha256 != record.text_sha256
    (revision,) = new.revisions
    assert revision.model_dump(mode="json") == {
        "previous_text_sha256": record.text_sha256, "revised_at": "2026-12-02T06:00:00Z", "moved": 8, "changed": [],
        "dropped": [], "sentences_added": [], "sentences_dropped": [], "accepted": False}
    assert record.text == SMALL_TEXT and record.revisions == []  # the record given is not modified


def test_an_edit_inside_a_span_is_listed_and_refused_unless_accepted(record):
    text = SMALL_TEXT.replace("Naypyidaw", "Naypyitaw")
    rev = _revise(record, text)
    assert rev.moved == 7
    assert [c.line() for c in rev.changes] == ["ls-p1-a2 (ls-3) span n GPE 'Naypyidaw' [33, 42) -> 'Naypyitaw' [33, 42)"]
    assert rev.refusals == ["span changed: ls-p1-a2 (ls-3) span n GPE 'Naypyidaw' [33, 42) -> 'Naypyitaw' [33, 42)"]
    accepted = _revise(record, text, accept_changed=True)
    assert accepted.refusals == []
    assert _offsets(accepted.record.annotations[1])["n"] == (33, 42, "Naypyitaw")
    (revision,) = accepted.record.revisions
    assert [c.model_dump() for c in revision.changed] == [{"part": "ls-p1-a2", "span": "n", "before": "Naypyidaw", "after": "Naypyitaw"}]
    assert revision.accepted is True


def test_a_span_deleted_whole_is_refused_even_when_accepted_and_dropped_with_its_relations_on_request(record):
    text = SMALL_TEXT.replace("“We agree,” ", "")
    rev = _revise(record, text, accept_changed=True)
    assert rev.refusals == ["span deleted: ls-p1-a1 (ls-2) span q QUOTE 'We agree,' [45, 54) -> deleted",
                            "span deleted: gold span q QUOTE 'We agree,' [45, 54) -> deleted"]
    dropped = _revise(record, text, drop_deleted=True)
    assert dropped.refusals == [] and dropped.relations_dropped == [("ls-p1-a1", "SPEAKER:q>p"), ("gold", "SPEAKER:q>p")]
    new = dropped.record
    assert _offsets(new.annotations[0]) == {"p": (0, 8, "Qin Gang"), "g": (70, 76, "Yangon")}
    assert new.annotations[0].relations == [] and new.gold.relations == []
    assert [(s.id, s.start, s.end) for s in new.sentences] == [("s0", 0, 43), ("s1", 44, 52), ("s2", 53, 85)]
    assert new.text[44:52] == "he said."
    assert [d.model_dump() for d in new.revisions[0].dropped] == [
        {"part": "ls-p1-a1", "span": "q", "before": "We agree,", "after": None},
        {"part": "gold", "span": "q", "before": "We agree,", "after": None}]


def test_text_added_on_a_sentence_line_joins_it_and_new_lines_become_new_sentences(record):
    text = SMALL_TEXT.replace("Naypyidaw.\n", "Naypyidaw.\nThey talked. Then they ate.\n") + " Loudly."
    rev = _revise(record, text)
    assert rev.refusals == [] and rev.sentences_added == ["s3", "s4"]
    new = rev.record
    assert [(s.id, new.text[s.start : s.end]) for s in new.sentences] == [
        ("s0", "Qin Gang met Aung San Suu Kyi in Naypyidaw."), ("s3", "They talked."), ("s4", "Then they ate."),
        ("s1", "“We agree,” he said."), ("s2", "😀 Café owners in Yangon cheered. Loudly.")]
    assert rev.sentences_changed == ["s2"]
    assert new.revisions[0].sentences_added == ["s3", "s4"]


def test_a_labelled_sentence_deleted_whole_is_refused_unless_dropped(record):
    text = SMALL_TEXT.replace("“We agree,” he said. ", "")
    rev = _revise(record, text, accept_changed=True)
    assert rev.sentences_dropped == ["s1"] and rev.sentences_labelled_dropped == ["s1"]
    assert rev.refusals[-1] == "sentence s1 deleted: it holds sentence labels"
    dropped = _revise(record, text, drop_deleted=True)
    assert dropped.refusals == [] and dropped.record.annotations[0].sentence_labels == []
    assert [s.id for s in dropped.record.sentences] == ["s0", "s2"]
    assert dropped.record.revisions[0].sentences_dropped == ["s1"]


def test_astral_characters_before_and_in_a_span(record):
    text = SMALL_TEXT.replace("😀 Café", "😀😃 Caffé")
    rev = _revise(record, text, accept_changed=True)
    assert _offsets(rev.record.annotations[1]) == {"n": (33, 42, "Naypyidaw"), "c": (68, 73, "Caffé")}
    assert _offsets(rev.record.annotations[0])["g"] == (84, 90, "Yangon")
    assert [s.id for s in rev.record.sentences] == ["s0", "s1", "s2"] and rev.record.sentences[2].start == 65


def test_an_unchanged_text_is_not_revised(record):
    with pytest.raises(ValueError, match="small: the text is unchanged"):
        _revise(record, SMALL_TEXT)
