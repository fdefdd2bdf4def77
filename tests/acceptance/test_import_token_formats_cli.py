"""`newscorpus import --format conll|webanno`: --text (a folder or a file), --tagging,
--layer, refusals naming file and line with nothing written, the options that do not apply."""

from __future__ import annotations

import json

from click.testing import CliRunner

from newscorpus.cli import cli

from tests.support import REPO

CASES = REPO / "tests" / "cases" / "import"


def meta(case) -> list[str]:
    """The case's meta defaults as --meta options."""
    options = json.loads((case / "options.json").read_text(encoding="utf-8"))
    return [arg for key, value in options["meta_defaults"].items() for arg in ("--meta", f"{key}={value}")]


def test_conll_with_a_given_text_a_label_map_and_gold_writes_the_expected_record(tmp_path):
    case = CASES / "conll" / "turku-wikinews-text"
    args = ["import", "--format", "conll", str(case / "input.tsv"), "--annotations", str(tmp_path / "ann"), "--text",
            str(case / "wn006.txt"), "--tagging", "iob2", "--label-map", str(case / "label-map.yaml"), "--annotator",
            "turku-1", "--gold", *meta(case)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout == "imported 1 document(s) (1 annotation(s)); 1 record(s) written, 0 unchanged\n"
    assert (tmp_path / "ann" / "input-1.json").read_bytes() == (case / "expected" / "input-1.json").read_bytes()


def test_conll_text_may_be_a_folder_of_name_txt(tmp_path):
    case = CASES / "conll" / "turku-wikinews-text"
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "input-1.txt").write_bytes((case / "wn006.txt").read_bytes())
    result = CliRunner().invoke(cli, ["import", "--format", "conll", str(case / "input.tsv"), "--annotations", str(tmp_path / "ann"),
                                      "--text", str(texts), "--label-map", str(case / "label-map.yaml"), "--annotator", "turku-1",
                                      "--gold", *meta(case)])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "ann" / "input-1.json").read_text(encoding="utf-8"))
    assert record["meta"]["source_file"] == "input-1.txt"
    assert [(s["start"], s["end"], s["label"]) for s in record["gold"]["spans"]][:2] == [(0, 15, "PERSON"), (44, 56, "ORG")]


def test_an_iob1_file_read_as_iob2_is_one_line_naming_file_and_line_and_nothing_is_written(tmp_path):
    case = CASES / "conll" / "sec-filing-iob2-refused"
    (tmp_path / "ann").mkdir()
    result = CliRunner().invoke(cli, ["import", "--format", "conll", str(case / "input.conll"), "--annotations", str(tmp_path / "ann"),
                                      "--tagging", "iob2", *meta(case)])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line == (f"error: {case / 'input.conll'}::line 7: I-ORG (token 'Silicium') follows O: an IOB2 entity starts with B- "
                    "(hint: if the file is IOB1 (I- starts an entity), import it with --tagging iob1)")
    assert list((tmp_path / "ann").iterdir()) == []


def test_webanno_layers_and_a_txt_given_as_webanno(tmp_path):
    tsv = tmp_path / "doc.tsv"
    tsv.write_text("#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.lexmorph.type.pos.POS|PosValue\n"
                   "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value\n\n\n"
                   "#Text=Haag 😊 .\n1-1\t0-4\tHaag\tNNP\tPER\t\n1-2\t5-7\t😊\tSYM\t_\t\n1-3\t8-9\t.\t.\t_\t\n", encoding="utf-8")
    label_map = tmp_path / "map.yaml"
    label_map.write_text("controls: {NamedEntity: entity}\nlabels: {entity: {PER: PERSON}}\n", encoding="utf-8")
    args = ["import", "--format", "webanno", str(tsv), "--annotations", str(tmp_path / "ann"), "--label-map", str(label_map),
            "--meta", "publisher=Test", "--meta", "published=2024-05-01", "--meta", "language=en", "--meta", "license=CC0-1.0",
            "--meta", "redistributable=true"]
    refused = CliRunner().invoke(cli, args)  # the POS layer's labels are not the scheme's
    assert refused.exit_code == 1 and "unmapped labels" in refused.stderr
    result = CliRunner().invoke(cli, [*args, "--layer", "NamedEntity"])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "ann" / "doc.json").read_text(encoding="utf-8"))
    assert (record["text"], record["annotations"][0]["annotator"]) == ("Haag 😊 .\n", "webanno-source")
    assert [(s["start"], s["end"], s["label"], s["text"]) for s in record["annotations"][0]["spans"]] == [(0, 4, "PERSON", "Haag")]

    txt = tmp_path / "article.txt"
    txt.write_text("Haag 😊 .\n", encoding="utf-8")
    wrong = CliRunner().invoke(cli, ["import", "--format", "webanno", str(txt), "--annotations", str(tmp_path / "ann")])
    assert wrong.exit_code == 1
    assert wrong.stderr.startswith(f"error: {txt}::line 1: not a WebAnno TSV 3.3 file: the first line is 'Haag 😊 .'")


def test_reader_options_of_another_format_are_usage_errors(tmp_path):
    case = CASES / "conll" / "sec-filing-conll2003"
    for args, message in ((["--format", "conll", "--layer", "NamedEntity"], "--layer does not apply to --format conll"),
                          (["--format", "webanno", "--tagging", "iob1"], "--tagging does not apply to --format webanno"),
                          (["--tagging", "iob1"], "--tagging does not apply to --format labelstudio")):
        result = CliRunner().invoke(cli, ["import", *args, str(case / "input.conll"), "--annotations", str(tmp_path / "ann")])
        assert result.exit_code == 2 and message in result.output, result.output


def test_a_missing_meta_key_names_only_the_option_the_format_takes(tmp_path):
    """A document format has no data fields: the hint names --meta alone (--meta-field is
    Label Studio's), and nothing is written."""
    case = CASES / "conll" / "turku-wikinews-text"
    options = json.loads((case / "options.json").read_text(encoding="utf-8"))["meta_defaults"]
    given = [arg for key, value in options.items() if key != "publisher" for arg in ("--meta", f"{key}={value}")]
    args = ["import", "--format", "conll", str(case / "input.tsv"), "--annotations", str(tmp_path / "ann"), "--text",
            str(case / "wn006.txt"), "--label-map", str(case / "label-map.yaml"), "--annotator", "turku-1", *given]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr == f"error: {case / 'wn006.txt'}::$: input-1: no publisher for the new article (give --meta publisher=VALUE)\n"
    assert not (tmp_path / "ann").exists() or list((tmp_path / "ann").iterdir()) == []
