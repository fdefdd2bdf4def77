"""``newscorpus scheme from-labelstudio``: a scheme from a Label Studio label config.

The golden cases (tests/cases/scheme/<case>/, README there) hold real Label Studio
templates and configs written for the tests, with the scheme, warnings or one-line error
expected; the config newscorpus writes for its packaged scheme comes back as that scheme's
layers and labels.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from newscorpus.cli import cli
from newscorpus.core.scheme import default_scheme, load_scheme
from newscorpus.errors import SchemeError
from newscorpus.labelstudio.scheme_import import NO_DEFINITION, scheme_from_label_config, scheme_yaml
from newscorpus.labelstudio.tasks import label_config

from tests.support import REPO

CASES = REPO / "tests" / "cases" / "scheme"
ALL = sorted(p.name for p in CASES.iterdir() if p.is_dir())
GOOD = [c for c in ALL if (CASES / c / "scheme.yaml").exists()]
BAD = [c for c in ALL if (CASES / c / "error.txt").exists()]
CODES = {
    "doctype": "labelstudio-config-invalid",
    "duplicate-label": "scheme-duplicate-label",
    "dynamic-labels": "labelstudio-config-unsupported",
    "no-layers-taxonomy": "labelstudio-config-empty",
    "not-xml": "labelstudio-config-invalid",
    "per-region-without-sentences": "labelstudio-config-unsupported",
    "span-label-in-two-layers": "scheme-duplicate-label",
}


def test_every_case_has_an_expected_outcome():
    assert sorted(GOOD + BAD) == ALL and len(GOOD) >= 5 and sorted(BAD) == sorted(CODES)


def _run(case: str, monkeypatch, *extra: str):
    monkeypatch.chdir(CASES / case)
    return CliRunner().invoke(cli, ["scheme", "from-labelstudio", "config.xml", "--name", case, *extra])


@pytest.mark.parametrize("case", GOOD)
def test_case_scheme(case, monkeypatch, tmp_path):
    result = _run(case, monkeypatch)
    assert result.exit_code == 0, result.output
    expected = (CASES / case / "scheme.yaml").read_text(encoding="utf-8")
    assert result.stdout == expected
    warnings = CASES / case / "warnings.txt"
    assert result.stderr == (warnings.read_text(encoding="utf-8") if warnings.exists() else "")
    # the file written passes the scheme checks and reads back as the scheme made
    imported = scheme_from_label_config(CASES / case / "config.xml", name=case)
    out = tmp_path / "scheme.yaml"
    out.write_text(expected, encoding="utf-8")
    assert load_scheme(out) == imported.scheme
    assert yaml.safe_load(expected)["name"] == case


@pytest.mark.parametrize("case", BAD)
def test_case_error(case, monkeypatch):
    result = _run(case, monkeypatch)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (CASES / case / "error.txt").read_text(encoding="utf-8")
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: config.xml::")
    with pytest.raises(SchemeError) as err:
        scheme_from_label_config(CASES / case / "config.xml")
    assert err.value.code == CODES[case]


def test_named_entity_template_gives_one_span_layer():
    scheme = scheme_from_label_config(CASES / "ls-named-entity-recognition" / "config.xml", name="ner").scheme
    assert [(layer.name, layer.level, layer.overlap) for layer in scheme.layers] == [("label", "span", True)]
    assert scheme.span_labels == ["PER", "ORG", "LOC", "MISC"]
    assert {label.definition for label in scheme.layers[0].labels} == {NO_DEFINITION}


def test_relations_join_every_span_label_and_the_file_says_so():
    imported = scheme_from_label_config(CASES / "ls-relation-extraction" / "config.xml", name="rel")
    (relation,) = imported.scheme.relations
    assert relation.name == "relations" and relation.label_names == ["org:founded_by", "org:founded"]
    for label in relation.labels:
        assert label.head_labels == label.tail_labels == ("Organization", "Person", "Datetime") and label.directed
    text = scheme_yaml(imported)
    assert "# Label Studio does not restrict which spans a relation joins: head_labels and tail_labels\n" \
           "# are every span label." in text
    assert "head_labels: [Organization, Person, Datetime]" in text


def test_aliases_hints_titles_sentence_choices_and_ignored_controls():
    imported = scheme_from_label_config(CASES / "aliases-hints-and-notes" / "config.xml")
    scheme = imported.scheme
    assert scheme.name == "config"  # the file's stem by default
    assert [(layer.name, layer.level, layer.cardinality) for layer in scheme.layers] == [
        ("mentions", "span", "single"), ("function", "sentence", "single"), ("section", "article", "multi")]
    assert [(label.name, label.definition) for label in scheme.layer("mentions").labels] == [
        ("PER", "A person, by name."), ("ORG", "A company, agency or institution."), ("QUOTE", NO_DEFINITION)]
    assert scheme.layer("function").labels[0].definition == "The sentence gives the main event."  # whitespace collapsed
    assert scheme.layer("section").label_names == ["Politics", "sport"]  # the alias is what results hold
    assert [w.split(": ignored")[0] for w in imported.warnings] == [
        '<Rating name="quality"> at line 27', '<TextArea name="comments"> at line 28', '<Choices name="body"> at line 30']


def test_the_packaged_schemes_label_config_comes_back_as_its_layers(tmp_path):
    config = tmp_path / "label_config.xml"
    config.write_text(label_config(default_scheme()), encoding="utf-8")
    imported = scheme_from_label_config(config, name="newscorpus-default")
    assert imported.warnings == []
    ours = default_scheme()
    assert sorted(layer.name for layer in imported.scheme.layers) == sorted(layer.name for layer in ours.layers)
    for layer in imported.scheme.layers:
        mine = ours.layer(layer.name)
        assert (layer.level, layer.cardinality, layer.labels) == (mine.level, mine.cardinality, mine.labels)
    assert imported.scheme.relation_labels == ours.relation_labels
    # the committed case is that config, as newscorpus writes it today
    committed = (CASES / "newscorpus-default" / "config.xml").read_text(encoding="utf-8")
    assert committed.split("-->\n", 1)[1] == config.read_text(encoding="utf-8")


def test_version_and_output_file(tmp_path, monkeypatch):
    out = tmp_path / "scheme.yaml"
    result = _run("ls-relation-extraction", monkeypatch, "--version", "0.3.0", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == (f"wrote {out}: scheme ls-relation-extraction 0.3.0, 1 span layer(s), 0 sentence layer(s), "
                             "0 article layer(s), 2 relation label(s)\n")
    assert load_scheme(out).version == "0.3.0"


def test_a_missing_file(tmp_path):
    with pytest.raises(SchemeError) as err:
        scheme_from_label_config(tmp_path / "nope.xml")
    assert err.value.code == "scheme-not-found" and str(err.value).startswith(f"{tmp_path / 'nope.xml'}::$: cannot read")


@pytest.mark.parametrize(("xml", "code", "where"), [
    ('<View><Labels toName="text"><Label value="A"/></Labels><Text name="text" value="$text"/></View>',
     "labelstudio-config-invalid", "<Labels> at line 1"),
    ('<View><Labels name="ner" toName="text"><Label/></Labels><Text name="text" value="$text"/></View>',
     "labelstudio-config-invalid", "<Label> at line 1"),
    ('<View><Labels name="ner" toName="text"></Labels><Text name="text" value="$text"/></View>',
     "scheme-empty-layer", '<Labels name="ner"> at line 1'),
    ('<View><Choices name="g" toName="text" choice="some"><Choice value="A"/></Choices><Text name="text" value="$text"/></View>',
     "labelstudio-config-invalid", '<Choices name="g"> at line 1'),
    ('<View><Choices name="g" toName="text"><Choice value="A"/></Choices>\n<Labels name="g" toName="text"><Label value="B"/></Labels></View>',
     "scheme-duplicate-layer", '<Labels name="g"> at line 2'),
    ('<View><Relations><Relation value="R"/><Relation value="R"/></Relations><Labels name="n" toName="t"><Label value="A"/></Labels></View>',
     "scheme-duplicate-label", '<Relation value="R"> at line 1'),
    ('<View><Relations><Relation value="R"/></Relations><Choices name="g" toName="t"><Choice value="A"/></Choices></View>',
     "labelstudio-config-unsupported", "<Relations> at line 1"),
])
def test_bad_controls(tmp_path, xml, code, where):
    config = tmp_path / "config.xml"
    config.write_text(xml, encoding="utf-8")
    with pytest.raises(SchemeError) as err:
        scheme_from_label_config(config)
    assert (err.value.code, err.value.where) == (code, where)
    assert "\n" not in str(err.value)


def test_reserved_names_are_not_layers(tmp_path):
    config = tmp_path / "config.xml"
    config.write_text('<View><Labels name="note" toName="text"><Label value="A"/></Labels>'
                      '<Choices name="g" toName="text"><Choice value="B"/></Choices><Text name="text" value="$text"/></View>',
                      encoding="utf-8")
    imported = scheme_from_label_config(config)
    assert [layer.name for layer in imported.scheme.layers] == ["g"]
    assert imported.warnings == ["<Labels name=\"note\"> at line 1: ignored: 'note' is reserved for newscorpus's own controls, not a layer name"]


def test_a_written_scheme_is_a_corpus_scheme(tmp_path, monkeypatch):
    """From the config to records: init with the written scheme, ingest under it."""
    from newscorpus.ingest.run import ingest_all
    from newscorpus.scaffold.corpus import init_corpus
    from newscorpus.validate.run import validate_paths

    from tests.support import SMALL_TEXT, write_seed

    out = tmp_path / "scheme.yaml"
    out.write_text(scheme_yaml(scheme_from_label_config(CASES / "ls-relation-extraction" / "config.xml", name="rel")), encoding="utf-8")
    init_corpus(tmp_path / "c", scheme_file=out)
    scheme = load_scheme(tmp_path / "c" / "scheme.yaml")
    write_seed(tmp_path / "c" / "seeds", "small", SMALL_TEXT)
    ingest_all(tmp_path / "c" / "seeds", annotations_dir=tmp_path / "c" / "annotations", scheme=scheme)
    assert validate_paths([tmp_path / "c" / "annotations"], scheme=scheme).valid
    assert Path(tmp_path / "c" / "annotations" / "small.json").read_text(encoding="utf-8").count('"name": "rel"') == 1
