"""read_conll: CoNLL-2003 and two-column IOB files into source documents, exact offsets."""

from __future__ import annotations

import pytest

from newscorpus.errors import ExportError
from newscorpus.importers.conll import read_conll

CONLL_2003 = """-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
German JJ B-NP B-MISC
call NN I-NP O
. . O O

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER

-DOCSTART- -X- -X- O

BRUSSELS NNP I-NP B-LOC
1996-08-22 CD I-NP O
"""


def spans(document):
    return [(s.id, s.start, s.end, s.label, s.line, document.text[s.start:s.end]) for s in document.spans]


def write(tmp_path, text, name="news.conll", newline="\n"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def test_conll_2003_with_docstart_gives_one_document_per_docstart(tmp_path):
    path = write(tmp_path, CONLL_2003, "eng.sample.conll")
    first, second = read_conll(path)
    assert (first.name, second.name) == ("eng.sample-1", "eng.sample-2")
    assert first.text == "EU rejects German call .\nPeter Blackburn"
    assert spans(first) == [("T1", 0, 2, "ORG", 3, "EU"), ("T2", 11, 17, "MISC", 5, "German"),
                            ("T3", 25, 40, "PER", 9, "Peter Blackburn")]
    assert (second.text, spans(second)) == ("BRUSSELS 1996-08-22", [("T1", 0, 8, "LOC", 14, "BRUSSELS")])
    assert (first.file, first.annotation_file, first.relations, first.meta) == (str(path), str(path), (), {})
    assert all(s.layer is None for s in first.spans)


def test_two_columns_without_docstart_is_one_document_named_after_the_file(tmp_path):
    path = write(tmp_path, "Mikael\tB-PER\nGranlund\tI-PER\nasuu\tO\n\n\nHelsingissä\tB-LOC\n.\tO\n", "wn006.tsv", "\r\n")
    [document] = read_conll(path)
    assert (document.name, document.text) == ("wn006", "Mikael Granlund asuu\nHelsingissä .")
    assert spans(document) == [("T1", 0, 15, "PER", 1, "Mikael Granlund"), ("T2", 21, 32, "LOC", 6, "Helsingissä")]


def test_iob1_is_detected_and_b_separates_two_entities_of_one_type(tmp_path):
    path = write(tmp_path, "Emmanuel I-PER\nDESOLES I-PER\nJean B-PER\nà O\nRue I-LOC\ndu I-LOC\nRENNES I-ORG\n")
    [document] = read_conll(path)
    assert spans(document) == [("T1", 0, 16, "PER", 1, "Emmanuel DESOLES"), ("T2", 17, 21, "PER", 3, "Jean"),
                               ("T3", 24, 30, "LOC", 5, "Rue du"), ("T4", 31, 37, "ORG", 7, "RENNES")]
    assert read_conll(path, tagging="iob1") == [document]


def test_an_i_after_o_is_an_error_in_iob2(tmp_path):
    path = write(tmp_path, "Emmanuel I-PER\nDESOLES I-PER\n")
    with pytest.raises(ExportError) as err:
        read_conll(path, tagging="iob2")
    assert (err.value.code, err.value.file, err.value.where) == ("iob-continuation", str(path), "line 1")
    assert "I-PER (token 'Emmanuel') follows the start of the sentence" in str(err.value)
    mixed = write(tmp_path, "EU B-ORG\nrejects O\nGerman I-MISC\ncall O\n", "mixed.conll")
    with pytest.raises(ExportError) as err:  # B- after O: IOB2, so the I- after O is an error
        read_conll(mixed)
    assert (err.value.code, err.value.where) == ("iob-continuation", "line 3")
    assert "I-MISC (token 'German') follows O" in str(err.value) and "--tagging iob1" in str(err.value)
    other = write(tmp_path, "New B-LOC\nYork I-ORG\n", "other.conll")
    with pytest.raises(ExportError, match="follows B-LOC") as err:
        read_conll(other)
    assert err.value.where == "line 2"


def test_iob1_read_of_a_b_after_o_starts_an_entity(tmp_path):
    path = write(tmp_path, "EU B-ORG\nrejects O\nGerman I-MISC\ncall O\n")
    [document] = read_conll(path, tagging="iob1")
    assert spans(document) == [("T1", 0, 2, "ORG", 1, "EU"), ("T2", 11, 17, "MISC", 3, "German")]


def test_tokens_located_in_a_given_text(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "wn006.txt").write_bytes("Mikael  Granlund asuu\r\n\tHelsingissä.\n".encode("utf-8"))
    path = write(tmp_path, "Mikael\tB-PER\nGranlund\tI-PER\nasuu\tO\n\nHelsingissä\tB-LOC\n.\tO\n", "wn006.tsv")
    [document] = read_conll(path, text=texts)
    assert document.text == "Mikael  Granlund asuu\r\n\tHelsingissä.\n"  # as in the file
    assert (document.file, document.annotation_file) == (str(texts / "wn006.txt"), str(path))
    assert spans(document) == [("T1", 0, 16, "PER", 1, "Mikael  Granlund"), ("T2", 24, 35, "LOC", 5, "Helsingissä")]


def test_a_token_not_in_the_given_text_is_an_error_naming_file_and_line(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "wn006.txt").write_text("Mikael Granlund asuu Turussa.", encoding="utf-8")
    path = write(tmp_path, "Mikael\tB-PER\nGranlund\tI-PER\nasuu\tO\nHelsingissä\tB-LOC\n", "wn006.tsv")
    with pytest.raises(ExportError) as err:
        read_conll(path, text=texts)
    assert (err.value.code, err.value.file, err.value.where) == ("token-not-found", str(path), "line 4")
    assert f"token 'Helsingissä' not found in {texts / 'wn006.txt'} at code point 21 (the text has 'Turussa.' there)" in str(err.value)
    (texts / "wn006.txt").write_text("Mikael Granlund asuu Helsingissä . Turussa", encoding="utf-8")
    with pytest.raises(ExportError, match="goes on after the last token with 'Turussa'") as err:
        read_conll(write(tmp_path, "Mikael\tB-PER\nGranlund\tI-PER\nasuu\tO\nHelsingissä\tB-LOC\n.\tO\n", "wn006.tsv"),
                   text=texts)
    assert (err.value.code, err.value.where) == ("token-not-found", "line 5")
    with pytest.raises(ExportError) as err:
        read_conll(path, text=tmp_path / "nowhere")
    assert err.value.code == "missing-file" and err.value.file == str(tmp_path / "nowhere")


@pytest.mark.parametrize(("text", "code", "where", "message"), [
    ("EU NNP B-NP B-ORG\nrejects VBZ O\n", "conll-columns", "line 2", "3 columns where the file's first token line has 4"),
    ("EU\n", "conll-malformed", "line 1", "expected a token and a tag (at least two columns), found one"),
    ("EU NNP B-NP ORG\n", "conll-malformed", "line 1", "tag 'ORG' is not O, B-TYPE or I-TYPE"),
    ("EU B-\n", "conll-malformed", "line 1", "tag 'B-' is not O, B-TYPE or I-TYPE"),
    ("EU B-ORG\n-DOCSTART- O\n\nx O\n", "conll-malformed", "line 1", "token 'EU' comes before the first -DOCSTART- line"),
    ("-DOCSTART- O\n\n-DOCSTART- O\nx O\n", "conll-malformed", "line 1", "the document has no tokens"),
])
def test_malformed_lines_are_errors_naming_file_and_line(tmp_path, text, code, where, message):
    path = write(tmp_path, text)
    with pytest.raises(ExportError) as err:
        read_conll(path)
    assert (err.value.code, err.value.file, err.value.where) == (code, str(path), where)
    assert message in str(err.value)


def test_bytes_that_are_not_utf8_are_an_error_naming_the_line(tmp_path):
    path = tmp_path / "latin1.conll"
    path.write_bytes("EU B-ORG\nGenève B-LOC\n".encode("latin-1"))
    with pytest.raises(ExportError) as err:
        read_conll(path)
    assert (err.value.code, err.value.where) == ("not-utf8", "line 2")


def test_an_unknown_tagging_is_refused(tmp_path):
    with pytest.raises(ValueError, match="tagging must be auto, iob1 or iob2"):
        read_conll(write(tmp_path, "EU B-ORG\n"), tagging="bio")


def test_text_may_be_the_one_text_file_of_a_one_document_file(tmp_path):
    given = tmp_path / "article.txt"
    given.write_text("EU rejects\nGerman call.", encoding="utf-8")
    path = write(tmp_path, "EU B-ORG\nrejects O\nGerman B-MISC\ncall O\n. O\n")
    [document] = read_conll(path, text=given)
    assert (document.file, spans(document)) == (str(given), [("T1", 0, 2, "ORG", 1, "EU"), ("T2", 11, 17, "MISC", 3, "German")])
    with pytest.raises(ExportError) as err:
        read_conll(write(tmp_path, CONLL_2003, "two.conll"), text=given)
    assert err.value.code == "conll-text" and "2 documents, one text file" in str(err.value)


@pytest.mark.parametrize(("text", "message"), [
    ('\n[{"id": 1, "data": {"text": "EU"}}]\n', "not CoNLL columns: the file is JSON (a Label Studio or W3C export?)"),
    ("#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Span|value\n", "not CoNLL columns: the file is WebAnno TSV"),
])
def test_a_file_of_another_format_is_refused(tmp_path, text, message):
    with pytest.raises(ExportError) as err:
        read_conll(write(tmp_path, text))
    assert (err.value.code, err.value.where, err.value.message) == ("wrong-format", "line 2" if text.startswith("\n") else "line 1",
                                                                    message)


def test_a_bracket_token_on_the_first_line_is_a_token(tmp_path):
    [document] = read_conll(write(tmp_path, "[ CD - O\nHERBERT NNP - I-PER\n{ ( - O\n"))
    assert (document.text, spans(document)) == ("[ HERBERT {", [("T1", 2, 9, "PER", 2, "HERBERT")])
