"""The compiled schema check (jsonschema-rs) gives the reference jsonschema's verdict on
every fixture of tests/cases/validate, against every published schema version, and the
same violations through validate_paths."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import jsonschema_rs
import pytest

from newscorpus.core.scheme import default_scheme
from newscorpus.schema.generate import load_schema
from newscorpus.validate.run import JsonschemaCheck, JsonschemaRsCheck, validate_paths, validate_record
from newscorpus.validate.structure import without_label_clauses

from tests.support import REPO
from tests.support.record_edits import random_edit

CASES = REPO / "tests" / "cases" / "validate"
FILES = sorted(p for p in CASES.glob("*/*.json") if p.name != "expected.json")
VERSIONS = sorted(p.name for p in (REPO / "schema").iterdir() if p.is_dir())


def _parsed(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def test_there_are_fixtures_and_versions():
    assert len(FILES) >= 40 and "1.0.0" in VERSIONS


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_same_verdict_as_reference(path, version):
    data = _parsed(path)
    if data is None:  # not JSON: stage 1 never sees it; the reader reports it
        assert path.parent.name in {"invalid-json", "not-utf8"}
        return
    schema = load_schema(version)
    reference = JsonschemaCheck(schema)(data)
    # jsonschema-rs as JsonschemaRsCheck builds it decides alone; the check then gives the reference's errors
    assert jsonschema_rs.Draft202012Validator(schema, validate_formats=True).is_valid(data) == (reference == [])
    assert JsonschemaRsCheck(schema)(data) == reference


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()))
def test_same_violations_through_validate_paths(case):
    ref = validate_paths([CASES / case], checker="jsonschema")
    fast = validate_paths([CASES / case], checker="jsonschema-rs")
    assert [v.to_dict() for v in fast.violations] == [v.to_dict() for v in ref.violations]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_decision_schema_drops_only_the_label_rules(version):
    schema = load_schema(version)
    decide = without_label_clauses(schema)
    assert schema == load_schema(version)  # not changed in place
    changed = {name for name in schema["$defs"] if schema["$defs"][name] != decide["$defs"][name]}
    assert changed == {"Span", "SentenceLabel"}
    for name in changed:
        assert {key: value for key, value in schema["$defs"][name].items() if key != "allOf"} == decide["$defs"][name]
    assert {key: value for key, value in schema.items() if key != "$defs"} == {key: value for key, value in decide.items() if key != "$defs"}


def _break_structure(data: dict, rng: random.Random) -> None:
    """A change stage 2 cannot walk past (a wrong type, a missing key), or a sound one, in an
    annotation (in the gold, under the schema's ``anyOf`` of gold or null, the reference
    names only the deepest error: a label error there hides a missing key from stage 1)."""
    spans = [span for part in data.get("annotations", []) for span in part.get("spans", [])]
    if not spans:
        return
    span = rng.choice(spans)
    what = rng.randrange(3)
    if what == 0:
        span["start"] = str(span["start"])
    elif what == 1:
        del span["text"]
    else:
        span["id"] = "not an id!"


@pytest.mark.parametrize("seed", range(2))
def test_same_violations_as_reference_after_random_edits(seed):
    """validate_record gives the reference's violations (jsonschema, full schema) when
    jsonschema-rs decides without the label rules: label errors alone, with errors stage 2
    cannot walk past, and with other errors the schema finds."""
    rng = random.Random(seed)
    seed_record = json.loads((REPO / "annotations" / "000_ba712161f3bc6069.json").read_text(encoding="utf-8"))
    bases = [(seed_record, "000_ba712161f3bc6069.json")] + [(d, p.name) for p in FILES if isinstance(d := _parsed(p), dict)]
    scheme = default_scheme()
    rules: set[str] = set()
    for _ in range(150):
        data, file = copy.deepcopy(rng.choice(bases))
        for _ in range(rng.choice([1, 2, 3])):
            file = random_edit(data, file, rng, scheme)
        if rng.random() < 0.3:
            _break_structure(data, rng)
        fast = validate_record(copy.deepcopy(data), file=file, scheme=scheme, checker="jsonschema-rs")
        assert fast == validate_record(data, file=file, scheme=scheme, checker="jsonschema")
        rules |= {v.rule for v in fast}
    assert {"unknown-label", "schema"} <= rules


def test_the_decision_schema_keeps_other_clauses():
    """Only a clause of the exact shape ``if layer == L then label ...`` is dropped."""
    label_rule = {"if": {"properties": {"layer": {"const": "entity"}}, "required": ["layer"]},
                  "then": {"properties": {"label": {"enum": ["PERSON"]}}}}
    others = [
        {"if": {"properties": {"layer": {"const": "entity"}}, "required": ["layer"]}, "then": {"properties": {"text": {"minLength": 2}}}},
        {"if": {"properties": {"layer": {"enum": ["entity"]}}, "required": ["layer"]}, "then": {"properties": {"label": {"enum": ["X"]}}}},
        {"if": True, "then": {"properties": {"label": {"enum": ["X"]}}}},
        {"required": ["note"]},
    ]
    schema = {"$defs": {"Span": {"type": "object", "allOf": [label_rule, *others]}, "Other": {"allOf": [label_rule]}}}
    assert without_label_clauses(schema) == {"$defs": {"Span": {"type": "object", "allOf": others}, "Other": {}}}
    assert schema["$defs"]["Span"]["allOf"][0] is label_rule  # not changed in place
