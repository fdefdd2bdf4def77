"""Loading a scheme file: the packaged scheme loads as the default, and every kind of bad
file is one SchemeError naming the file, the YAML path and the rule (a stable code)."""

from __future__ import annotations

import copy
from importlib import resources
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from newscorpus.core.scheme import RESERVED_NAMES, Scheme, default_scheme, load_scheme, scheme_problems
from newscorpus.errors import NewscorpusError, SchemeError
from newscorpus.labelstudio.tasks import ANNOTATION_NOTE, SENTENCE_CONTROL, SPAN_NOTE, TEXT_NAME

PACKAGED = resources.files("newscorpus") / "data" / "scheme.yaml"
BASE = yaml.safe_load(PACKAGED.read_text(encoding="utf-8"))
SPAN_LABELS = ", ".join(default_scheme().span_labels)


def _write(tmp_path: Path, data=None, *, raw: str | None = None) -> Path:
    path = tmp_path / "scheme.yaml"
    path.write_text(raw if raw is not None else yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _edited(edit) -> dict:
    data = copy.deepcopy(BASE)
    edit(data)
    return data


def test_the_packaged_file_loads_as_the_default_scheme():
    scheme = load_scheme(Path(str(PACKAGED)))
    assert scheme == default_scheme()
    assert (scheme.name, scheme.version) == ("newscorpus-default", "2.0.0")
    assert scheme_problems(scheme) == []


def test_reserved_names_are_the_label_configs_own_controls():
    assert RESERVED_NAMES == {TEXT_NAME, SENTENCE_CONTROL, SPAN_NOTE, ANNOTATION_NOTE}


def test_a_custom_scheme_loads(tmp_path):
    data = _edited(lambda d: d.update(name="my-scheme", version="0.3.0", layers=[d["layers"][0]], relations=[], roles={}))
    scheme = load_scheme(_write(tmp_path, data))
    assert (scheme.name, scheme.version, [layer.name for layer in scheme.layers]) == ("my-scheme", "0.3.0", ["genre"])


def _error(tmp_path: Path, data=None, *, raw: str | None = None) -> SchemeError:
    path = _write(tmp_path, data, raw=raw)
    with pytest.raises(SchemeError) as info:
        load_scheme(path)
    assert isinstance(info.value, NewscorpusError) and info.value.file == str(path)
    return info.value


# (case id, edit of the packaged scheme, code, YAML path, message)
BAD = [
    ("invalid-role", lambda d: d["roles"]["quote"].update(label="QUOTES"), "scheme-invalid-role", "$.roles.quote",
     "role quote names label 'QUOTES', which the span layer attribution does not have"),
    ("reserved-name", lambda d: d["layers"][2].update(name="sentence"), "scheme-reserved-name", "$.layers[2].name",
     "layer name 'sentence' is reserved: the Label Studio label config has a control of that name "
     "(reserved: note, sentence, span_note, text); rename the layer"),
    ("reserved-note", lambda d: d["layers"][0].update(name="note"), "scheme-reserved-name", "$.layers[0].name",
     "layer name 'note' is reserved: the Label Studio label config has a control of that name "
     "(reserved: note, sentence, span_note, text); rename the layer"),
    ("duplicate-layer", lambda d: d["layers"][3].update(name="genre"), "scheme-duplicate-layer", "$.layers[3].name",
     "layer 'genre' is defined twice (first at $.layers[0])"),
    ("empty-layer", lambda d: d["layers"][1].update(labels=[]), "scheme-empty-layer", "$.layers[1].labels",
     "layer 'frames' has no labels"),
    ("empty-relation", lambda d: d["relations"][0].update(labels=[]), "scheme-empty-layer", "$.relations[0].labels",
     "relation type 'attribution' has no labels"),
    ("duplicate-label", lambda d: d["layers"][3]["labels"].append({"name": "ORG", "definition": "again"}),
     "scheme-duplicate-label", "$.layers[3].labels[18].name",
     "label 'ORG' appears twice in layer 'entity' (first at $.layers[3].labels[3])"),
    ("duplicate-span-label", lambda d: d["layers"][4]["labels"].append({"name": "ORG", "definition": "again"}),
     "scheme-duplicate-label", "$.layers[4].labels[2].name",
     "span label 'ORG' is in span layers 'entity' and 'attribution': a span's label names its layer, so span labels "
     "are unique across span layers (first at $.layers[3].labels[3])"),
    ("duplicate-relation-label", lambda d: d["relations"][0]["labels"].append(copy.deepcopy(d["relations"][0]["labels"][0])),
     "scheme-duplicate-label", "$.relations[0].labels[1].name",
     "relation label 'SPEAKER' is defined twice (first at $.relations[0].labels[0])"),
    ("unknown-head", lambda d: d["relations"][0]["labels"][0].update(head_labels=["QUOTES"]),
     "scheme-unknown-label", "$.relations[0].labels[0].head_labels[0]",
     f"relation 'SPEAKER' names head label 'QUOTES', which no span layer has (span labels: {SPAN_LABELS})"),
    ("unknown-tail", lambda d: d["relations"][0]["labels"][0].update(tail_labels=["PERSON", "genre"]),
     "scheme-unknown-label", "$.relations[0].labels[0].tail_labels[1]",
     f"relation 'SPEAKER' names tail label 'genre', which no span layer has (span labels: {SPAN_LABELS})"),
    ("unknown-key", lambda d: d["layers"][1].update(colour="red"), "scheme-invalid", "$.layers[1].colour",
     "unknown key (allowed: name, level, source, labels, cardinality, overlap)"),
    ("unknown-top-key", lambda d: d.update(colours={}), "scheme-invalid", "$.colours",
     f"unknown key (allowed: {', '.join(Scheme.model_fields)})"),
    ("bad-level", lambda d: d["layers"][1].update(level="paragraph"), "scheme-invalid", "$.layers[1].level",
     "'paragraph' is not one of 'article', 'sentence' or 'span'"),
    ("missing-key", lambda d: d["layers"][1].pop("source"), "scheme-invalid", "$.layers[1].source", "required key missing"),
    ("bad-type", lambda d: d.update(version=1.0), "scheme-invalid", "$.version", "Input should be a valid string, found 1.0"),
]


@pytest.mark.parametrize("edit,code,where,message", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_bad_scheme_is_one_error_with_file_path_and_code(tmp_path, edit, code, where, message):
    err = _error(tmp_path, _edited(edit))
    assert (err.code, err.where, err.message) == (code, where, message)
    assert str(err) == f"{tmp_path / 'scheme.yaml'}::{where}: {message}"


def test_missing_file(tmp_path):
    with pytest.raises(SchemeError) as info:
        load_scheme(tmp_path / "nope.yaml")
    assert (info.value.code, str(info.value)) == ("scheme-not-found", f"{tmp_path / 'nope.yaml'}::$: no such scheme file")


def test_bad_yaml_names_line_and_column(tmp_path):
    err = _error(tmp_path, raw="name: x\nlayers: [\n  - a: b\n")
    assert (err.code, err.where, err.message) == ("scheme-invalid-yaml", None, "not valid YAML at line 3 column 3: expected the node content, but found '-'")


def test_not_a_mapping(tmp_path):
    err = _error(tmp_path, raw="- genre\n- frames\n")
    assert (err.code, err.message) == ("scheme-invalid", "a scheme is a YAML mapping, found list")


def test_building_a_bad_scheme_in_code_fails_too():
    with pytest.raises(ValidationError, match=r"\$\.layers\[3\]\.name: layer 'genre' is defined twice"):
        Scheme.model_validate(_edited(lambda d: d["layers"][3].update(name="genre")))
