"""Splitting and merging a record's sentences: offsets, ids, every label kept or listed,
gold spans never cut, and a merge conflict left open for the adjudicator."""

from __future__ import annotations

import pytest

from newscorpus.agreement.adjudication import adjudicate
from newscorpus.boundaries.edit import LabelConflict, merge_sentences, new_sentence_id, split_sentence
from newscorpus.core.models import SCHEMA_VERSION, Annotation, ArticleRecord, Gold, Origin, Segmenter, Sentence, SentenceLabel, Span
from newscorpus.core.scheme import default_scheme
from newscorpus.errors import RecordError
from newscorpus.ingest.run import text_sha256
from newscorpus.validate.run import validate_record

from tests.support import SMALL_TEXT

SCHEME = default_scheme()
ROLES = {"ls-2": ("MAIN_EVENT", "CONSEQUENCE", "CONSEQUENCE"), "ls-3": ("MAIN_EVENT", "EVALUATION", "EVALUATION"),
         "ls-4": ("MAIN_EVENT", "CONSEQUENCE", "EVALUATION")}
SUU_KYI = Span(id="t1", layer="entity", label="PERSON", start=13, end=29, text="Aung San Suu Kyi")


def _labels(roles) -> list[SentenceLabel]:
    return [SentenceLabel(sentence=f"s{i}", layer="discourse_role", label=label) for i, label in enumerate(roles)]


def _record() -> ArticleRecord:
    """SMALL_TEXT with its three sentences s0 [0, 43), s1 [44, 64), s2 [65, 97), three
    annotators' roles and a gold adjudicated by ls-4 (a copy of their annotation)."""
    anns = [Annotation(id=f"ls-p1-a{n}", annotator=name, status="submitted", origin=Origin(tool="label-studio", annotation=n),
                       sentence_labels=_labels(roles), spans=[SUU_KYI])
            for n, (name, roles) in enumerate(ROLES.items(), 1)]
    gold = Gold(method="adjudicated", decided_by="ls-4", from_annotations=["ls-p1-a3"], sentence_labels=_labels(ROLES["ls-4"]),
                spans=[SUU_KYI])
    return ArticleRecord(
        schema_version=SCHEMA_VERSION, id="small", text=SMALL_TEXT, text_sha256=text_sha256(SMALL_TEXT),
        meta={"title": "t", "publisher": "p", "url": None, "published": "2024-01-01", "language": "en",
              "license": "CC-BY-4.0", "redistributable": True, "source_file": "seeds/small.txt"},
        sentences=[Sentence(id="s0", start=0, end=43), Sentence(id="s1", start=44, end=64), Sentence(id="s2", start=65, end=97)],
        segmenter=Segmenter(name="spacy.sentencizer", version="3.8.7"), annotations=anns, gold=gold)


def _valid(record: ArticleRecord) -> None:
    assert validate_record(record.model_dump(mode="json"), file="small.json", scheme=SCHEME) == []


def _roles(part) -> list[tuple[str, str]]:
    return [(sl.sentence, sl.label) for sl in part.sentence_labels]


def test_split_at_a_space_trims_both_halves_and_copies_every_label():
    record = _record()
    _valid(record)
    new, change = split_sentence(record, 12, scheme=SCHEME)  # "Qin Gang met| Aung San Suu Kyi in Naypyidaw."
    assert [(s.id, s.start, s.end) for s in new.sentences] == [("s0", 0, 12), ("c13", 13, 43), ("s1", 44, 64), ("s2", 65, 97)]
    assert SMALL_TEXT[0:12] == "Qin Gang met" and SMALL_TEXT[13:43] == "Aung San Suu Kyi in Naypyidaw."
    assert (change.action, change.before, change.after, change.labels) == ("split", [("s0", 0, 43)], [("s0", 0, 12), ("c13", 13, 43)], 4)
    for part in (*new.annotations, new.gold):
        assert _roles(part)[:2] == [("s0", "MAIN_EVENT"), ("c13", "MAIN_EVENT")]
        assert len(part.sentence_labels) == 4
    assert new.gold.spans == [SUU_KYI]  # the span lies whole in the second half
    _valid(new)
    assert [(s.id, s.start, s.end) for s in record.sentences][0] == ("s0", 0, 43)  # the input is not changed
    # the same cut given right after the space: the same sentences
    again, _ = split_sentence(record, 13, scheme=SCHEME)
    assert again.sentences == new.sentences


def test_split_inside_a_word_and_the_id_when_taken():
    _, change = split_sentence(_record(), 46, scheme=SCHEME)  # "“W|e agree,” he said."
    assert change.after == [("s1", 44, 46), ("c46", 46, 64)]
    _, change = split_sentence(_record(), 47, scheme=SCHEME)  # "“We| agree,” he said.": the space stays between
    assert change.after == [("s1", 44, 47), ("c48", 48, 64)]
    assert (SMALL_TEXT[44:47], SMALL_TEXT[47], SMALL_TEXT[48:64]) == ("“We", " ", "agree,” he said.")
    assert new_sentence_id(48, {"s0", "c48"}) == "c48-2"
    assert new_sentence_id(48, {"c48", "c48-2"}) == "c48-3"
    assert new_sentence_id(48, {"s0"}) == "c48"


def test_split_refusals_name_the_place():
    record = _record()
    with pytest.raises(RecordError) as exc:
        split_sentence(record, 20, scheme=SCHEME, file="small.json")
    assert exc.value.code == "split-crosses-span"
    assert str(exc.value).startswith("small.json::$.gold.spans[0]: splitting s0 [0, 43) 'Qin Gang met Aung San Suu Kyi in Nayp…' "
                                     "at 20 would cut gold span t1 [13, 29) PERSON 'Aung San Suu Kyi' across the new boundary")
    for at in (0, 43, 44, 97, 500):
        with pytest.raises(RecordError) as exc:
            split_sentence(record, at, scheme=SCHEME, file="small.json")
        assert exc.value.code == "split-outside-sentence"
    assert exc.value.message.startswith("offset 500 is not inside a sentence: ")
    with pytest.raises(RecordError) as exc:
        split_sentence(record, 43, scheme=SCHEME)
    assert exc.value.message.startswith("offset 43 is not inside a sentence (it is on the edge of s0 [0, 43) ")
    # a quotation (a layer whose spans may overlap) may cover several sentences: split through it
    quote = Span(id="q1", layer="attribution", label="QUOTE", start=0, end=43, text=SMALL_TEXT[:43])
    quoted = _record()
    quoted.gold.spans = [quote]
    new, _ = split_sentence(quoted, 20, scheme=SCHEME)
    assert [s.id for s in new.sentences] == ["s0", "c20", "s1", "s2"] and new.gold.spans == [quote]
    _valid(new)
    # a raw annotation's span is not sentence-bound: only the gold's is checked
    record.gold = None
    new, _ = split_sentence(record, 20, scheme=SCHEME)
    assert [s.id for s in new.sentences] == ["s0", "c20", "s1", "s2"]
    assert new.annotations[0].spans == [SUU_KYI]


def test_merge_keeps_shared_labels_and_lists_the_conflicts():
    new, change = merge_sentences(_record(), "s2", "s1", scheme=SCHEME)  # either order
    assert [(s.id, s.start, s.end) for s in new.sentences] == [("s0", 0, 43), ("s1", 44, 97)]
    assert (change.action, change.before, change.after) == ("merge", [("s1", 44, 64), ("s2", 65, 97)], [("s1", 44, 97)])
    by_id = {a.annotator: _roles(a) for a in new.annotations}
    assert by_id == {"ls-2": [("s0", "MAIN_EVENT"), ("s1", "CONSEQUENCE")], "ls-3": [("s0", "MAIN_EVENT"), ("s1", "EVALUATION")],
                     "ls-4": [("s0", "MAIN_EVENT")]}
    assert _roles(new.gold) == [("s0", "MAIN_EVENT")]  # undecided: no gold label, as a tie leaves it
    assert change.labels == 2  # the labels the merged sentence holds
    assert change.conflicts == [LabelConflict("ls-p1-a3", "discourse_role", "CONSEQUENCE", "EVALUATION"),
                                LabelConflict("gold", "discourse_role", "CONSEQUENCE", "EVALUATION")]
    _valid(new)
    # the adjudicated gold is kept (adjudicate --force re-runs the vote): the merged sentence is an open unit
    _, report = adjudicate(new, scheme=SCHEME)
    assert report.status == "kept"
    decided, report = adjudicate(new, scheme=SCHEME, force=True)
    assert [(u.kind, u.layer, u.unit, u.candidates) for u in report.open] == [
        ("sentence", "discourse_role", "s1", {"ls-2": "CONSEQUENCE", "ls-3": "EVALUATION", "ls-4": None})]
    assert _roles(decided.gold) == [("s0", "MAIN_EVENT")]


def test_merge_then_split_gives_back_the_sentences_and_a_label_on_one_half_is_a_conflict():
    record = _record()
    record.annotations[0].sentence_labels = record.annotations[0].sentence_labels[:2]  # ls-2 left s2 unlabelled
    merged, change = merge_sentences(record, "s1", "s2", scheme=SCHEME)
    assert change.conflicts[0] == LabelConflict("ls-p1-a1", "discourse_role", "CONSEQUENCE", None)
    back, _ = split_sentence(merged, 65, scheme=SCHEME)
    assert [(s.id, s.start, s.end) for s in back.sentences] == [("s0", 0, 43), ("s1", 44, 64), ("c65", 65, 97)]
    assert _roles(back.annotations[1]) == [("s0", "MAIN_EVENT"), ("s1", "EVALUATION"), ("c65", "EVALUATION")]


def test_merge_refusals():
    record = _record()
    cases = {("s0", "s2"): ("not-adjacent", "$.sentences[2]: s0 [0, 43) 'Qin Gang met Aung San Suu Kyi in Nayp…' and "
                                            "s2 [65, 97) '😀 Café owners in Yangon cheered.' are not adjacent (s1 between them)"),
             ("s1", "s1"): ("same-sentence", "$.sentences[1]: 's1' given twice: a merge takes two adjacent sentences"),
             ("s1", "s9"): ("no-such-sentence", "$.sentences: no sentence 's9' (sentences: s0, s1, s2)")}
    for (a, b), (code, text) in cases.items():
        with pytest.raises(RecordError) as exc:
            merge_sentences(record, a, b, scheme=SCHEME, file="small.json")
        assert exc.value.code == code
        assert str(exc.value).split("\n")[0].startswith("small.json::" + text)
