"""The shared core of the character-offset importers (importers/documents.py): canonical
text and exact offsets, new and existing records, label map, checks before writing, gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscorpus.errors import ExportError
from newscorpus.importers.documents import SourceDocument, SourceRelation, SourceSpan, import_documents
from newscorpus.importers.labelmap import LabelMap
from newscorpus.validate.run import validate_paths

from tests.support import SMALL_TEXT

META = {"publisher": "Test Wire", "published": "2026-01-15", "language": "en", "license": "CC0-1.0", "redistributable": "true"}


def doc(text: str = SMALL_TEXT, spans=(), relations=(), name: str = "wire-1", **meta) -> SourceDocument:
    return SourceDocument(file=f"in/{name}.txt", annotation_file=f"in/{name}.ann", name=name, text=text, spans=tuple(spans),
                          relations=tuple(relations), meta=meta)


def span(ident: str, text: str, needle: str, label: str, line: int = 1, **kw) -> SourceSpan:
    start = text.index(needle)
    return SourceSpan(ident, start, start + len(needle), label, line=line, text=needle, **kw)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def run(tmp_path: Path, *docs: SourceDocument, **options):
    return import_documents(docs, annotations_dir=tmp_path / "ann", tool="brat", meta_defaults=META, **options)


def record(tmp_path: Path, name: str = "wire-1") -> dict:
    return json.loads((tmp_path / "ann" / f"{name}.json").read_text(encoding="utf-8"))


def test_a_new_article_with_bom_crlf_and_an_emoji_gets_exact_offsets(tmp_path):
    raw = "\ufeffQin Gang met Aung San Suu Kyi.\r\n\U0001F600 Caf\u00e9 owners in Yangon cheered.\r\n"
    spans = [span("T1", raw, "Qin Gang", "PERSON"), span("T2", raw, "Yangon", "GPE", line=2)]
    report = run(tmp_path, doc(raw, spans))
    rec = record(tmp_path)
    assert rec["text"] == "Qin Gang met Aung San Suu Kyi.\n\U0001F600 Caf\u00e9 owners in Yangon cheered.\n"
    got = [(s["id"], s["start"], s["end"], s["text"]) for s in rec["annotations"][0]["spans"]]
    assert got == [("T1", 0, 8, "Qin Gang"), ("T2", 48, 54, "Yangon")]
    assert (raw.index("Yangon"), rec["text"][48:54]) == (50, "Yangon")  # BOM and CR: two code points fewer
    assert rec["annotations"][0]["id"] == "brat:brat-source" and rec["annotations"][0]["origin"]["tool"] == "brat"
    assert rec["gold"]["method"] == "single"
    assert (report.tasks, report.annotations["submitted"], [p.name for p in report.written]) == (1, 1, ["wire-1.json"])
    assert rec["meta"]["source_file"] == "wire-1.txt" and rec["sentences"][0] == {"id": "s0", "start": 0, "end": 30}
    assert validate_paths([tmp_path / "ann"]).valid


def test_a_combining_accent_nfc_composes_is_mapped_exactly_or_refused(tmp_path):
    raw = "Cafe\u0301 Nero opened in Yangon."
    run(tmp_path, doc(raw, [SourceSpan("T1", 0, 10, "ORG", text="Cafe\u0301 Nero"), span("T2", raw, "Yangon", "GPE")]))
    got = [(s["start"], s["end"], s["text"]) for s in record(tmp_path)["annotations"][0]["spans"]]
    assert got == [(0, 9, "Caf\u00e9 Nero"), (20, 26, "Yangon")]
    with pytest.raises(ExportError) as err:  # an end between the e and its accent has no place in "Café"
        import_documents([doc(raw, [SourceSpan("T1", 0, 4, "ORG", line=3)], name="wire-2")], annotations_dir=tmp_path / "ann",
                         tool="brat", meta_defaults=META)
    assert (err.value.code, err.value.file, err.value.where) == ("offsets-not-convertible", "in/wire-2.ann", "line 3")
    assert "span T1 [0, 4) has no place in the canonical text" in err.value.message


def test_reimporting_changes_no_byte_and_an_existing_record_with_the_same_text_gets_the_annotation(tmp_path, small_corpus):
    spans = [span("T1", SMALL_TEXT, "Qin Gang", "PERSON")]
    before = (small_corpus / "small.json").read_bytes()
    report = import_documents([doc(spans=spans, name="small")], annotations_dir=small_corpus, tool="ptc", annotator="ptc-7")
    rec = json.loads((small_corpus / "small.json").read_text(encoding="utf-8"))
    assert json.loads(before)["meta"] == rec["meta"]  # the existing record keeps its metadata
    assert [(a["id"], a["annotator"]) for a in rec["annotations"]] == [("ptc:ptc-7", "ptc-7")]
    after = files(small_corpus)
    again = import_documents([doc(spans=spans, name="small")], annotations_dir=small_corpus, tool="ptc", annotator="ptc-7")
    assert (again.written, [p.name for p in again.unchanged], files(small_corpus)) == ([], ["small.json"], after)
    assert [p.name for p in report.written] == ["small.json"]


def test_another_text_under_the_same_id_is_refused(tmp_path, small_corpus):
    before = files(small_corpus)
    with pytest.raises(ExportError) as err:
        import_documents([doc(SMALL_TEXT + " More.", name="small")], annotations_dir=small_corpus, tool="brat")
    assert (err.value.code, err.value.file) == ("text-hash-mismatch", "in/small.txt")
    assert "article 'small' already has a record (small.json) with another text" in err.value.message
    assert files(small_corpus) == before


@pytest.mark.parametrize(("bad", "code", "message"), [
    (SourceSpan("T2", 30, 500, "GPE", line=2), "span-out-of-bounds", "span T2 [30, 500) lies outside the text of in/wire-1.txt (97 characters)"),
    (SourceSpan("T2", 13, 29, "PERSON", line=2, text="Aung San Suu Ky"), "span-text-mismatch",
     "span T2 states the text 'Aung San Suu Ky', but [13, 29) of in/wire-1.txt is 'Aung San Suu Kyi'"),
    (SourceSpan("T1", 13, 29, "PERSON", line=2), "duplicate-id", "span id 'T1' is used twice"),
    (SourceSpan("T 2", 13, 29, "PERSON", line=2), "invalid-id", "span id 'T 2' is not an id"),
    (SourceSpan("T2", 8, 9, "PERSON", line=2), "empty-span", "span T2 [8, 9) holds only whitespace"),
])
def test_a_bad_span_is_refused_naming_file_line_and_item_and_nothing_is_written(tmp_path, bad, code, message):
    (tmp_path / "ann").mkdir()
    good = span("T1", SMALL_TEXT, "Qin Gang", "PERSON")
    with pytest.raises(ExportError) as err:
        run(tmp_path, doc(spans=[good]), doc(spans=[good, bad], name="wire-2"))
    assert (err.value.code, err.value.file, err.value.where) == (code, "in/wire-2.ann", "line 2")
    assert message.replace("wire-1", "wire-2") in err.value.message and err.value.message.startswith("wire-2: ")
    assert files(tmp_path / "ann") == {}


def test_a_relation_to_a_missing_span_and_a_relation_the_validator_refuses(tmp_path):
    (tmp_path / "ann").mkdir()
    quote, who = span("T1", SMALL_TEXT, "We agree,", "QUOTE"), span("T2", SMALL_TEXT, "Qin Gang", "PERSON", line=2)
    with pytest.raises(ExportError) as err:
        run(tmp_path, doc(spans=[quote, who], relations=[SourceRelation("R1", "T1", "T7", "SPEAKER", line=3)]))
    assert (err.value.code, err.value.where) == ("dangling-relation", "line 3")
    assert "relation R1: its tail 'T7' is no span of the document" in err.value.message
    with pytest.raises(ExportError) as err:  # SPEAKER goes from a QUOTE: the validator's rule, located in the source
        run(tmp_path, doc(spans=[quote, who], relations=[SourceRelation("R1", "T2", "T1", "SPEAKER", line=4)]))
    assert (err.value.code, err.value.file, err.value.where) == ("relation-endpoint", "in/wire-1.ann", "line 4")
    assert err.value.message.startswith("wire-1: relation R1: the record would break a validation rule")
    assert files(tmp_path / "ann") == {}


def test_every_unknown_label_is_listed_with_its_count_across_documents(tmp_path):
    (tmp_path / "ann").mkdir()
    first = doc(spans=[span("T1", SMALL_TEXT, "Qin Gang", "PER", line=4), span("T2", SMALL_TEXT, "Yangon", "LOC", line=5)])
    second = doc(spans=[span("T1", SMALL_TEXT, "Qin Gang", "PER"), span("T2", SMALL_TEXT, "Naypyidaw", "CITY", line=2)],
                 relations=[SourceRelation("R1", "T1", "T2", "lives_in", line=3)], name="wire-2")
    with pytest.raises(ExportError) as err:
        run(tmp_path, first, second)
    assert (err.value.code, err.value.file, err.value.where) == ("unmapped-label", "in/wire-1.ann", "line 4")
    assert err.value.message == "unmapped labels: PER (2), CITY (1), relation/lives_in (1) (the first: span T1)"
    assert files(tmp_path / "ann") == {}


def test_the_label_map_maps_layers_labels_and_relations(tmp_path):
    label_map = LabelMap(controls={"ent": "entity"}, labels={"entity": {"PER": "PERSON"}, "attribution": {"Q": "QUOTE"}},
                         relations={"said_by": "SPEAKER"})
    spans = [span("T1", SMALL_TEXT, "Qin Gang", "PER", layer="ent"), span("T2", SMALL_TEXT, "We agree,", "Q"),
             span("T3", SMALL_TEXT, "Yangon", "GPE")]
    run(tmp_path, doc(spans=spans, relations=[SourceRelation("R1", "T2", "T1", "said_by")]), label_map=label_map)
    ann = record(tmp_path)["annotations"][0]
    assert [(s["id"], s["layer"], s["label"]) for s in ann["spans"]] == [("T1", "entity", "PERSON"), ("T2", "attribution", "QUOTE"),
                                                                      ("T3", "entity", "GPE")]
    assert ann["relations"] == [{"id": "R1", "label": "SPEAKER", "head": "T2", "tail": "T1"}]


def test_gold_is_ground_truth_and_never_replaces_an_adjudicated_gold(tmp_path):
    spans = [span("T1", SMALL_TEXT, "Qin Gang", "PERSON", note="Foreign minister.")]
    run(tmp_path, doc(spans=spans), annotator="ptc-gold", as_gold=True)
    rec = record(tmp_path)
    assert rec["annotations"][0]["ground_truth"] is True
    assert {k: rec["gold"][k] for k in ("method", "decided_by", "from_annotations")} == {
        "method": "ground_truth", "decided_by": None, "from_annotations": ["brat:ptc-gold"]}
    assert rec["gold"]["spans"] == [{"id": "T1", "layer": "entity", "label": "PERSON", "start": 0, "end": 8, "text": "Qin Gang",
                                     "note": "Foreign minister."}]
    rec["gold"]["method"] = "adjudicated"
    (tmp_path / "ann" / "wire-1.json").write_text(json.dumps(rec, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    before = files(tmp_path / "ann")
    with pytest.raises(ExportError) as err:
        run(tmp_path, doc(spans=spans), annotator="ptc-gold", as_gold=True)
    assert (err.value.code, err.value.message) == ("gold-conflict", "wire-1: the record of 'wire-1' has a gold of method "
                                                   "adjudicated; --gold would replace it")
    assert files(tmp_path / "ann") == before


@pytest.mark.parametrize(("name", "expected"), [("wire 1", "wire_1"), ("article 12 (draft)", "article_12_draft_"), ("A.b-c", "A.b-c")])
def test_document_names_are_sanitised(tmp_path, name, expected):
    run(tmp_path, doc(name=name))
    assert [p.name for p in (tmp_path / "ann").iterdir()] == [f"{expected}.json"]


@pytest.mark.parametrize("name", ["../etc", "a/b", "_x", "é"])
def test_unsafe_document_names_are_refused(tmp_path, name):
    with pytest.raises(ExportError) as err:
        run(tmp_path, doc(name=name))
    assert err.value.code == "unsafe-id"


def test_two_documents_of_one_article_an_empty_text_missing_meta_and_a_named_annotator(tmp_path):
    with pytest.raises(ExportError) as err:
        run(tmp_path, doc(), doc())
    assert (err.value.code, err.value.message) == ("duplicate-document", "wire-1: a second document of article 'wire-1' (the first: in/wire-1.txt)")
    with pytest.raises(ExportError) as err:
        run(tmp_path, doc(" \r\n"))
    assert (err.value.code, err.value.file) == ("empty-text", "in/wire-1.txt")
    with pytest.raises(ExportError) as err:
        import_documents([doc()], annotations_dir=tmp_path / "ann", tool="brat", meta_defaults={"publisher": "X"})
    assert err.value.code == "missing-meta" and "no published for the new article" in err.value.message
    with pytest.raises(ExportError) as err:
        run(tmp_path, doc(), annotator="jane.doe@example.org")
    assert err.value.code == "not-pseudonymous"
    assert not (tmp_path / "ann").exists()  # the folder this import would have made is not left behind
