"""The readers of brat, PTC and W3C Web Annotation files: what each line or object becomes,
and the errors that name file, line (or JSON path) and item."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscorpus.errors import ExportError
from newscorpus.importers.brat import ATTRIBUTE_PREFIX, read_brat
from newscorpus.importers.documents import SourceRelation, SourceSpan
from newscorpus.importers.ptc import read_ptc
from newscorpus.importers.wadm import read_wadm

TEXT = "Qin Gang met Aung San Suu Kyi in Naypyidaw.\n\u201cWe agree,\u201d he said.\n"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_brat_spans_relations_notes_and_attributes(tmp_path):
    write(tmp_path, "a.txt", TEXT)
    write(tmp_path, "a.ann", "T1\tPERSON 0 8\tQin Gang\nT2\tQUOTE 45 53\tWe agree\n\nR1\tSPEAKER Arg1:T2 Arg2:T1\t\n"
                             "#1\tAnnotatorNotes T1\tForeign minister.\nA1\tNegated T1\nA2\tConfidence T1 High\n"
                             "#2\tAnnotatorNotes T1\tSecond note\twith a tab.\nA3\tUncertain R1\n")
    (doc,) = read_brat(tmp_path)
    assert (doc.name, doc.file, doc.annotation_file) == ("a", str(tmp_path / "a.txt"), str(tmp_path / "a.ann"))
    assert doc.spans == (
        SourceSpan("T1", 0, 8, "PERSON", None, f"Foreign minister.\nSecond note\twith a tab.\n{ATTRIBUTE_PREFIX}Negated\n"
                                                f"{ATTRIBUTE_PREFIX}Confidence=High", 1, "Qin Gang"),
        SourceSpan("T2", 45, 53, "QUOTE", line=2, text="We agree"),
    )
    assert doc.relations == (SourceRelation("R1", "T2", "T1", "SPEAKER", line=4),)
    assert [(w.code, w.where, w.message) for w in doc.warnings] == [
        ("attribute-dropped", f"{tmp_path / 'a.ann'}::line 9",
         "attribute A3 of relation R1 left out: a record's relation has no note and no attributes")]


@pytest.mark.parametrize(("ann", "code", "where", "message"), [
    ("T1\tPERSON 0 3;4 8\tQin Gang\n", "discontinuous-span", "line 1", "T1: a discontinuous span (0 3;4 8)"),
    ("T1\tPERSON 0 8\tQin Gang\nE1\tMeet:T1\n", "unsupported-annotation", "line 2", "E1: an event (Meet:T1) has no place in a record"),
    ("T1\tPERSON 0 8\tQin Gang\nN1\tReference T1 Wikidata:Q1\tQin\n", "unsupported-annotation", "line 2", "N1: a normalisation"),
    ("T1\tPERSON zero 8\tQin Gang\n", "invalid-offsets", "line 1", "T1: offsets 'zero' '8' are not integers"),
    ("T1\tPERSON 0 8\tQin Gang\n#1\tAnnotatorNotes T5\tNote\n", "dangling-relation", "line 2", "#1: its target 'T5' is no span"),
    ("{\"id\": 1}\n", "wrong-format", "line 1", "'{\"id\": 1}' is not a brat standoff line"),
    ("R1\tSPEAKER Arg1:T2\n", "wrong-format", "line 1", "R1: not a relation"),
])
def test_brat_refusals_name_the_line_and_the_item(tmp_path, ann, code, where, message):
    write(tmp_path, "a.txt", TEXT)
    write(tmp_path, "a.ann", ann)
    with pytest.raises(ExportError) as err:
        list(read_brat(tmp_path / "a.ann"))
    assert (err.value.code, err.value.file, err.value.where) == (code, str(tmp_path / "a.ann"), where)
    assert message in err.value.message


def test_brat_files_and_folders(tmp_path):
    write(tmp_path / "sub", "b.txt", TEXT)
    write(tmp_path / "sub", "b.ann", "")
    write(tmp_path, "notes.txt", "not an article: no .ann, not read")
    assert [d.name for d in read_brat(tmp_path)] == ["b"]
    assert [d.name for d in read_brat(tmp_path / "sub" / "b.txt")] == ["b"]
    write(tmp_path / "lone", "c.ann", "T1\tPERSON 0 8\tQin Gang\n")
    with pytest.raises(ExportError) as err:
        list(read_brat(tmp_path / "lone"))
    assert (err.value.code, err.value.message) == ("missing-file", "no text file c.txt")
    write(tmp_path / "latin1", "d.txt", "Caf\u00e9".encode("latin-1"))
    write(tmp_path / "latin1", "d.ann", "")
    with pytest.raises(ExportError) as err:
        list(read_brat(tmp_path / "latin1"))
    assert (err.value.code, err.value.message) == ("not-utf8", "not UTF-8: byte 3 (0xe9) cannot be decoded")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ExportError) as err:
        list(read_brat(tmp_path / "empty"))
    assert err.value.code == "wrong-format" and "no brat annotation files (*.ann)" in err.value.message


def test_ptc_counts_a_bom_and_an_emoji_as_one_code_point_each(tmp_path):
    text = "\ufeffTitle \U0001F600 here\n\nThey are traitors and liars.\n"
    start = text.index("traitors")
    write(tmp_path / "articles", "article42.txt", text)
    write(tmp_path / "labels", "article42.task-flc-tc.labels",
          f"42\tName_Calling,Labeling\t{start}\t{start + 8}\n42\tLoaded_Language\t{start + 13}\t{start + 18}\n")
    (doc,) = read_ptc(tmp_path)
    assert (doc.name, doc.meta) == ("article42", {"language": "en", "title": "Title \U0001F600 here"})
    assert [(s.id, s.label, s.start, s.end, s.line, text[s.start:s.end]) for s in doc.spans] == [
        ("1", "Name_Calling,Labeling", 24, 32, 1, "traitors"), ("2", "Loaded_Language", 37, 42, 2, "liars")]
    with pytest.raises(ExportError) as err:  # one file: its labels are looked for beside it
        list(read_ptc(tmp_path / "articles" / "article42.txt"))
    assert (err.value.code, err.value.file) == ("missing-file", str(tmp_path / "articles" / "article42.txt"))


@pytest.mark.parametrize(("labels", "code", "message"), [
    ("42\t10\t20\n", "wrong-format",
     "span 1: three columns (id, start, end) and no technique: a span-identification file, which has no label"),
    ("43\tDoubt\t10\t20\n", "wrong-format", "span 1: article id '43' is not this file's (42)"),
    ("42\tDoubt\tten\t20\n", "invalid-offsets", "span 1: offsets 'ten' '20' are not integers"),
])
def test_ptc_refusals(tmp_path, labels, code, message):
    write(tmp_path, "article42.txt", TEXT)
    write(tmp_path, "article42.labels.tsv", labels)
    with pytest.raises(ExportError) as err:
        list(read_ptc(tmp_path))
    assert (err.value.code, err.value.where, err.value.message) == (code, "line 1", message)


def test_ptc_an_article_without_labels_and_a_wrong_file(tmp_path):
    write(tmp_path, "article42.txt", TEXT)
    with pytest.raises(ExportError) as err:
        list(read_ptc(tmp_path))
    assert (err.value.code, err.value.message) == (
        "missing-file", "article42.txt has no labels file (article42.labels.tsv or article42.task-flc-tc.labels)")
    with pytest.raises(ExportError) as err:
        list(read_ptc(write(tmp_path, "x.json", "{}")))
    assert err.value.code == "wrong-format"


def annotation(ident, selector, body, **more):
    return {"id": f"http://example.org/anno/{ident}", "type": "Annotation", "body": body,
            "target": {"source": "http://example.org/texts/wire-1", "selector": selector}, **more}


def tag(label):
    return {"type": "TextualBody", "value": label, "purpose": "tagging"}


def test_wadm_positions_quotes_and_bodies(tmp_path):
    write(tmp_path, "wire-1.txt", TEXT)
    items = [
        annotation("a1", {"type": "TextPositionSelector", "start": 0, "end": 8}, tag("PERSON")),
        annotation("a2", {"type": "TextQuoteSelector", "exact": "Naypyidaw", "prefix": "in ", "suffix": "."},
                   [tag("GPE"), {"type": "TextualBody", "value": "The capital.", "purpose": "commenting"}]),
        annotation("a3", [{"type": "TextPositionSelector", "start": 13, "end": 29},
                          {"type": "TextQuoteSelector", "exact": "Aung San Suu Kyi", "prefix": "met ", "suffix": " in"}],
                   {"type": "TextualBody", "value": "PERSON"}, motivation="classifying"),
    ]
    write(tmp_path, "anno.jsonld", json.dumps({"type": "AnnotationPage", "items": items}))
    (doc,) = read_wadm(tmp_path / "anno.jsonld")
    assert (doc.name, doc.file) == ("wire-1", str(tmp_path / "wire-1.txt"))
    assert doc.spans == (
        SourceSpan("a1", 0, 8, "PERSON", where="$.items[0]"),
        SourceSpan("a2", 33, 42, "GPE", note="The capital.", text="Naypyidaw", where="$.items[1]"),
        SourceSpan("a3", 13, 29, "PERSON", text="Aung San Suu Kyi", where="$.items[2]"),
    )


@pytest.mark.parametrize(("item", "code", "where", "message"), [
    (annotation("q", {"type": "TextQuoteSelector", "exact": "Xi"}, tag("PERSON")), "quote-not-found", "$[0].target.selector",
     "q: the quote 'Xi' (with its prefix and suffix) occurs 0 times in the text"),
    (annotation("q", {"type": "TextQuoteSelector", "exact": "a"}, tag("PERSON")), "quote-ambiguous", "$[0].target.selector",
     "occurs 6 times"),
    (annotation("p", {"type": "TextPositionSelector", "start": "0", "end": 8}, tag("PERSON")), "invalid-offsets",
     "$[0].target.selector", "p: start '0' and end 8 must be integers"),
    (annotation("c", {"type": "CssSelector", "value": "#p1"}, tag("PERSON")), "unsupported-selector", "$[0].target.selector",
     "selector ['CssSelector'] cannot be read"),
    (annotation("n", {"type": "TextPositionSelector", "start": 0, "end": 8}, [tag("PERSON"), tag("ORG")]), "no-label",
     "$[0].body", "2 tagging bodies (PERSON, ORG): a span has one label"),
    ({"type": "Note"}, "wrong-format", "$[0]", "type 'Note' is not an Annotation"),
])
def test_wadm_refusals_name_the_json_path(tmp_path, item, code, where, message):
    write(tmp_path, "wire-1.txt", TEXT)
    write(tmp_path, "anno.json", json.dumps([item]))
    with pytest.raises(ExportError) as err:
        list(read_wadm(tmp_path))
    assert (err.value.code, err.value.file, err.value.where) == (code, str(tmp_path / "anno.json"), where)
    assert message in err.value.message


def test_wadm_text_sources(tmp_path):
    item = annotation("a1", {"type": "TextPositionSelector", "start": 0, "end": 8}, tag("PERSON"))
    write(tmp_path, "anno.json", json.dumps(item))
    with pytest.raises(ExportError) as err:
        list(read_wadm(tmp_path / "anno.json"))
    assert (err.value.code, err.value.where) == ("missing-file", "$.target.source")
    assert "no text for source http://example.org/texts/wire-1: neither wire-1 nor wire-1.txt is beside the file" in err.value.message
    given = write(tmp_path / "texts", "story.txt", TEXT)
    (doc,) = read_wadm(tmp_path / "anno.json", text=given)
    assert (doc.name, doc.text) == ("story", TEXT)
    item["target"]["source"] = {"id": "http://example.org/texts/wire-2", "value": TEXT, "language": "my"}
    write(tmp_path, "anno.json", json.dumps(item))
    (doc,) = read_wadm(tmp_path / "anno.json")
    assert (doc.name, doc.text, doc.meta) == ("wire-2", TEXT, {"language": "my"})
    write(tmp_path, "anno.json", "{\n  \"type\": \"Annotation\",\n  oops\n}")
    with pytest.raises(ExportError) as err:
        list(read_wadm(tmp_path / "anno.json"))
    assert (err.value.code, err.value.where) == ("wrong-format", "line 3 column 3")
