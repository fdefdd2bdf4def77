"""The compiled schema check (jsonschema-rs) gives the reference jsonschema's verdict on
every fixture of tests/cases/validate, against every published schema version, and the
same violations through validate_paths."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import pytest

from newscorpus.schema.generate import load_schema
from newscorpus.validate.run import JsonschemaCheck, JsonschemaRsCheck, validate_paths

from tests.support import REPO
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
