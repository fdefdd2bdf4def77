"""read_webanno: WebAnno TSV 3.3 into source documents, UTF-16 offsets converted exactly."""

from __future__ import annotations

import pytest

from newscorpus.errors import ExportError
from newscorpus.importers.webanno import read_webanno

NE = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
HEADER = f"#FORMAT=WebAnno TSV 3.3\n#T_SP={NE}|identifier|value\n#T_RL=webanno.custom.Speaker|role|BT_{NE}\n\n"


def write(tmp_path, body: str, name="doc.tsv", header=HEADER):
    path = tmp_path / name
    path.write_bytes((header + body).encode("utf-8"))
    return path


def spans(document):
    return [(s.id, s.start, s.end, s.label, s.layer, s.line, document.text[s.start:s.end]) for s in document.spans]


def relations(document):
    return [(r.id, r.head, r.tail, r.label, r.line) for r in document.relations]


def test_multi_token_stacked_spans_and_a_relation_with_disambiguation_ids(tmp_path):
    path = write(tmp_path, "\n#Text=Ms. Haag said it .\n"
                 "1-1\t0-3\tMs.\t*[1]|*[2]\tPER[1]|PERpart[2]\t_\t_\t\n"
                 "1-2\t4-8\tHaag\t*[1]\tPER[1]\t_\t_\t\n"
                 "1-3\t9-13\tsaid\t_\t_\t_\t_\t\n"
                 "1-4\t14-16\tit\t*\tQUOTE\tspeaker\t1-1[1_0]\t\n"
                 "1-5\t17-18\t.\t_\t_\t_\t_\t\n")
    [document] = read_webanno(path)
    assert (document.name, document.text) == ("doc", "Ms. Haag said it .\n")
    assert spans(document) == [("T1", 0, 8, "PER", "NamedEntity", 7, "Ms. Haag"),
                               ("T2", 0, 3, "PERpart", "NamedEntity", 7, "Ms."),
                               ("T3", 14, 16, "QUOTE", "NamedEntity", 10, "it")]
    assert relations(document) == [("R1", "T1", "T3", "speaker", 10)]  # governor (the BT_ column) -> dependent (the row)
    assert (document.file, document.annotation_file, document.meta) == (str(path), str(path), {})


def test_utf16_offsets_are_converted_exactly_past_astral_characters(tmp_path):
    path = write(tmp_path, "\n#Text=I 😊 like 𝔘nicode .\n"
                 "1-1\t0-1\tI\t_\t_\t_\t_\t\n"
                 "1-2\t2-4\t😊\t*\tEMOJI\t_\t_\t\n"
                 "1-3\t5-9\tlike\t_\t_\t_\t_\t\n"
                 "1-4\t10-18\t𝔘nicode\t*\tLANG\t_\t_\t\n"
                 "1-5\t19-20\t.\t_\t_\t_\t_\t\n"
                 "\n#Text=😊 .\n"
                 "2-1\t21-23\t😊\t*\tEMOJI\t_\t_\t\n"
                 "2-2\t24-25\t.\t_\t_\t_\t_\t\n")
    [document] = read_webanno(path)
    assert document.text == "I 😊 like 𝔘nicode .\n😊 .\n"
    assert spans(document) == [("T1", 2, 3, "EMOJI", "NamedEntity", 8, "😊"), ("T2", 9, 16, "LANG", "NamedEntity", 10, "𝔘nicode"),
                               ("T3", 19, 20, "EMOJI", "NamedEntity", 14, "😊")]


def test_sentences_joined_as_webanno_rebuilds_the_text(tmp_path):
    header = "#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Quote|\n\n"
    path = write(tmp_path, "\n#Sentence.id=s1\n#Text=one\n1-1\t0-3\tone\t*\t\n"
                 "\n#Text=two\n2-1\t3-6\ttwo\t_\t\n"  # no space between: the line break goes
                 "\n#Text=a\\tb\\\\c\n#Text=d\n3-1\t9-10\ta\t*[1]\t\n3-2\t11-14\tb\\c\t*[1]\t\n3-3\t15-16\td\t*[1]\t\n",
                 header=header)
    [document] = read_webanno(path)
    assert document.text == "onetwo\n  a\tb\\c\nd\n"  # a gap of 3: the line break and two spaces
    assert spans(document) == [("T1", 0, 3, "Quote", "Quote", 7, "one"), ("T2", 9, 16, "Quote", "Quote", 14, "a\tb\\c\nd")]


def test_escaped_values_and_look_alike_suffixes(tmp_path):
    path = write(tmp_path, "\n#Text=a b c\n"
                 "1-1\t0-1\ta\t*\tA\\|B\\_C\\[1\\]|D\\\\\t_\t_\t\n"
                 "1-2\t2-3\tb\t*\tE\\->\\;\\*\t_\t_\t\n"
                 "1-3\t4-5\tc\t*\t\\*\t_\t_\t\n")
    [document] = read_webanno(path)
    assert [s.label for s in document.spans] == ["A|B_C[1]", "D\\", "E->;*", "*"]


def test_layers_limit_the_import(tmp_path):
    header = (f"#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS|PosValue\n"
              f"#T_SP={NE}|value\n\n")
    path = write(tmp_path, "\n#Text=Haag .\n1-1\t0-4\tHaag\tNNP\tPER\t\n1-2\t5-6\t.\t.\t_\t\n", header=header)
    assert [s.label for s in read_webanno(path)[0].spans] == ["NNP", "PER", "."]
    assert [s.label for s in read_webanno(path, layers=["NamedEntity"])[0].spans] == ["PER"]
    assert [s.label for s in read_webanno(path, layers=[NE])[0].spans] == ["PER"]
    with pytest.raises(ExportError, match="no layer named 'Entity' in the header") as err:
        read_webanno(path, layers=["Entity"])
    assert err.value.code == "webanno-format"


def test_a_folder_gives_every_tsv_file_sorted(tmp_path):
    write(tmp_path, "\n#Text=b\n1-1\t0-1\tb\t_\t_\t_\t_\t\n", "b.tsv")
    write(tmp_path, "\n#Text=a\n1-1\t0-1\ta\t_\t_\t_\t_\t\n", "a.tsv")
    (tmp_path / "notes.txt").write_text("not read", encoding="utf-8")
    assert [(d.name, d.text) for d in read_webanno(tmp_path)] == [("a", "a\n"), ("b", "b\n")]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ExportError, match="the folder holds no .tsv file"):
        read_webanno(empty)


ROW = "\n#Text=I 😊 .\n1-1\t0-1\tI\t_\t_\t_\t_\t\n"


@pytest.mark.parametrize(("body", "code", "where", "message"), [
    (ROW + "1-2\t2-4\t😊\t_\t_\t\n", "webanno-columns", "line 8",
     "5 columns where the header declares 7 (id, offsets, token and 4 feature column(s))"),
    (ROW + "1-2\t2-4\t😊\t_\t\t_\t_\t\n", "webanno-columns", "line 8", "column 5 is empty (no annotation is _)"),
    (ROW + "1-2\t2-3\t😊\t_\t_\t_\t_\t\n", "webanno-offsets", "line 8", "offsets 2-3 (UTF-16) fall outside the text or inside"),
    (ROW + "1-2\t2-4\t😀\t_\t_\t_\t_\t\n", "webanno-text-mismatch", "line 8", "row 1-2 has the token '😀' but the text at its offsets is '😊'"),
    (ROW + "1-2\t2-40\t😊\t_\t_\t_\t_\t\n", "webanno-offsets", "line 8", "offsets 2-40 (UTF-16) fall outside the text"),
    (ROW + "1-x\t2-4\t😊\t_\t_\t_\t_\t\n", "webanno-malformed", "line 8", "'1-x' is not a row id"),
    (ROW + "1-2\t4-2\t😊\t_\t_\t_\t_\t\n", "webanno-malformed", "line 8", "'4-2' is not begin-end offsets"),
    (ROW + "1-2\t2-4\t😊\t*\tX\tspeaker\t1-1\t\n", "webanno-reference", "line 8", "row 1-1 has no NamedEntity span to link"),
    (ROW + "1-2\t2-4\t😊\t*\tX\tspeaker\t1-9\t\n", "webanno-reference", "line 8", "row 1-9 does not exist"),
    (ROW + "1-2\t2-4\t😊\t*\tX\tspeaker\t1-1[3_0]\t\n", "webanno-reference", "line 8", "annotation [3] has no NamedEntity span"),
    ("1-1\t0-1\tI\t_\t_\t_\t_\t\n", "webanno-malformed", "line 5", "row 1-1 has no sentence text (#Text=) before it"),
    (ROW + "#Text=more\n", "webanno-malformed", "line 8", "a sentence header (#Text=) must follow a blank line"),
    ("\n#Text=a\n1-1.1\t0-1\ta\t_\t_\t_\t_\t\n", "webanno-malformed", "line 7", "sub-token 1-1.1 starts a sentence"),
    (ROW + "1-1\t2-4\t😊\t_\t_\t_\t_\t\n", "webanno-malformed", "line 8", "row id 1-1 appears twice"),
    (ROW + "\n#Text=I\n1-2\t0-1\tI\t_\t_\t_\t_\t\n", "webanno-malformed", "line 10", "the sentence starts at 0 (UTF-16), inside"),
    (ROW + "1-2\t2-2\t\t*\tX\t_\t_\t\n", "webanno-empty-span", "line 8", "NamedEntity annotation is empty (offsets 2-2, UTF-16)"),
])
def test_bad_rows_are_errors_naming_file_and_line(tmp_path, body, code, where, message):
    path = write(tmp_path, body)
    with pytest.raises(ExportError) as err:
        read_webanno(path)
    assert (err.value.code, err.value.file, err.value.where) == (code, str(path), where)
    assert message in str(err.value)


def test_a_txt_file_given_as_webanno_is_refused_at_line_1(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("Mikael Granlund asuu Helsingissä.\n", encoding="utf-8")
    with pytest.raises(ExportError) as err:
        read_webanno(path)
    assert (err.value.code, err.value.file, err.value.where) == ("wrong-format", str(path), "line 1")
    assert "not a WebAnno TSV 3.3 file: the first line is 'Mikael Granlund asuu Helsingissä.'" in str(err.value)
    old = write(tmp_path, "", header="#FORMAT=WebAnno TSV 3.1\n\n")
    with pytest.raises(ExportError, match="not a WebAnno TSV 3.3 file"):
        read_webanno(old)


@pytest.mark.parametrize(("header", "body", "code", "where", "message"), [
    ("#FORMAT=WebAnno TSV 3.3\n#T_CH=webanno.custom.CorefLink|referenceType|referenceRelation\n\n",
     "\n#Text=He\n1-1\t0-2\tHe\tpr[1]\tcoref->1-1\t\n", "webanno-unsupported", "line 6",
     "CorefLink: chain annotations have no place in a record"),
    ("#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Frame|ROLE_webanno.custom.Frame:Roles_webanno.custom.FrameLink|"
     "webanno.custom.Lu\n\n", "\n#Text=He\n1-1\t0-2\tHe\tseller\t1-1\t\n", "webanno-unsupported", "line 6",
     "Frame: slot annotations have no place in a record (found 'seller')"),
    ("#FORMAT=WebAnno TSV 3.3\n#T_RL=webanno.custom.Rel|value|BT_de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token\n\n",
     "\n#Text=He\n1-1\t0-2\tHe\t_\t_\t\n", "webanno-unsupported", "line 2",
     "relation layer Rel links de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token, which is not an imported span layer"),
    ("#FORMAT=WebAnno TSV 3.3\n#Text=He\n\n", "", "webanno-format", "line 2", "declares no layer"),
])
def test_what_a_record_cannot_hold_is_refused(tmp_path, header, body, code, where, message):
    path = write(tmp_path, body, header=header)
    with pytest.raises(ExportError) as err:
        read_webanno(path)
    assert (err.value.code, err.value.where) == (code, where)
    assert message in str(err.value)
