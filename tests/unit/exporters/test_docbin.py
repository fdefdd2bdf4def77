"""The spaCy DocBin writer: loaded back with spaCy, the docs hold the gold exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from newscorpus.core.scheme import default_scheme
from newscorpus.errors import ExporterError
from newscorpus.exporters.docbin import make_doc, words_and_spaces
from newscorpus.exporters.items import ExportItem
from newscorpus.exporters.run import export_corpus
from newscorpus.records.io import read_record

CASE = Path(__file__).resolve().parents[2] / "cases" / "export" / "records" / "unicode"


def test_the_docbin_loads_with_the_gold_entities_spans_and_sentences(tmp_path):
    report = export_corpus("spacy", annotations_dir=CASE, out=tmp_path / "out")
    assert report.files == ["test.spacy"]  # unicode-1 has meta.split test; unicode-2 has no gold
    nlp = spacy.blank("en")
    (doc,) = DocBin().from_disk(tmp_path / "out" / "test.spacy").get_docs(nlp.vocab)
    record = read_record(CASE / "unicode-1.json")
    assert doc.text == record.text
    assert [(e.text, e.label_, e.start_char, e.end_char, e.id_) for e in doc.ents] == [
        ("Zoë", "PERSON", 0, 3, "e1"),
        ("محمد عباس", "PERSON", 8, 17, "e2"),
        ("Tel Aviv", "GPE", 21, 29, "e3"),
        ("Monday", "DATE", 36, 42, "e4"),
        ("q̇uinn 𝔘lf", "PERSON", 70, 80, "e5"),
        ("עולם", "GPE", 87, 91, "e6"),
    ]
    assert list(doc.spans) == ["entity", "attribution"]
    assert [(s.text, s.label_, s.start_char, s.end_char, s.id_) for s in doc.spans["attribution"]] == [
        ("We stay,\nwe fight,", "QUOTE", 45, 63, "q1")]
    assert [(s.start_char, s.end_char) for s in doc.spans["entity"]] == [(e.start_char, e.end_char) for e in doc.ents]
    assert [(s.start_char, s.text.strip()) for s in doc.sents] == [
        (0, record.text[0:43]), (44, record.text[44:53]), (54, record.text[54:81]), (82, record.text[82:92])]
    assert doc.cats["reporting"] == 1.0 and doc.cats["opinion"] == 0.0
    assert (doc.cats["Political"], doc.cats["Cultural_identity"], doc.cats["Economic"]) == (1.0, 1.0, 0.0)
    assert doc.user_data["id"] == "unicode-1"
    assert list(doc.user_data["relations"]) == [("r1", "SPEAKER", "q1", "e5")]
    assert doc.user_data["notes"] == {"e2": "Arabic name, right to left"}
    assert list(doc.user_data["sentence_labels"]) == [("s0", "discourse_role", "MAIN_EVENT")]


def test_an_annotators_note_reaches_user_data(tmp_path):
    export_corpus("spacy", annotations_dir=CASE, out=tmp_path / "out", layer="ls-1")
    (doc,) = DocBin().from_disk(tmp_path / "out" / "test.spacy").get_docs(spacy.blank("en").vocab)
    assert (doc.user_data["layer"], doc.user_data["note"]) == ("ls-1", "checked twice")


def test_whitespace_becomes_what_spacys_tokenizer_makes():
    text = " a  b\n\nc "
    words, spaces, offsets = words_and_spaces(text, [(1, 2), (4, 5), (7, 8)])
    assert (words, spaces, offsets) == ([" ", "a", " ", "b", "\n\n", "c"], [False, True, False, False, False, True], [0, 1, 3, 4, 5, 7])
    nlp = spacy.blank("en")
    assert [(t.text, t.whitespace_) for t in nlp(text)] == [(w, " " if s else "") for w, s in zip(words, spaces)]


def test_overlapping_spans_of_two_flat_layers_are_refused():
    record = read_record(CASE / "unicode-1.json")
    scheme = default_scheme()
    both_flat = scheme.model_copy(update={"layers": [
        layer.model_copy(update={"overlap": False}) if layer.name == "attribution" else layer for layer in scheme.layers]})
    quote = next(s for s in record.gold.spans if s.id == "q1")  # q1 [45, 63): overlaps no entity; q2 [71, 75) overlaps e5 [70, 80)
    record.gold.spans.append(quote.model_copy(update={"id": "q2", "start": 71, "end": 75, "text": record.text[71:75]}))
    with pytest.raises(ExporterError) as err:
        make_doc(ExportItem(record, record.gold, "gold", "test", "unicode-1.json"), both_flat)
    assert (err.value.code, err.value.where, err.value.file) == ("span-overlap", "$.gold.spans", "unicode-1.json")
    make_doc(ExportItem(record, record.gold, "gold", "test", "unicode-1.json"), scheme)  # nesting across layers is fine
