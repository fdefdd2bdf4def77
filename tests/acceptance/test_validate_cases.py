"""Golden validation cases (tests/cases/validate/<case>/): newscorpus validate, and the
published schema alone through check-jsonschema and plain jsonschema, give the verdicts of
expected.json; wherever the schema rejects a record, newscorpus rejects it too.

The cases are written by scripts/make_validate_cases.py (expectations declared by hand there).
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from newscorpus.core.models import SCHEMA_VERSION
from newscorpus.validate.rules import RULES
from newscorpus.validate.run import validate_paths

from tests.support import REPO
ROOT = REPO
CASES = ROOT / "tests" / "cases" / "validate"
SCHEMA_FILE = ROOT / "schema" / SCHEMA_VERSION / "article.schema.json"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _case(name: str) -> tuple[Path, dict]:
    folder = CASES / name
    (record,) = [p for p in folder.iterdir() if p.name != "expected.json"]
    return record, json.loads((folder / "expected.json").read_text(encoding="utf-8"))


@cache
def _check_jsonschema_failures() -> frozenset[str]:
    """Files check-jsonschema rejects, from one run over every case (its JSON output)."""
    files = [str(_case(name)[0]) for name in CASE_NAMES]
    exe = Path(sys.executable).with_name("check-jsonschema")
    proc = subprocess.run([str(exe), "--schemafile", str(SCHEMA_FILE), "-o", "JSON", *files], capture_output=True, text=True)
    report = json.loads(proc.stdout)
    failed = {e["filename"] for e in report["errors"]} | {e["filename"] for e in report["parse_errors"]}
    assert proc.returncode == (1 if failed else 0)
    return frozenset(failed)


def _jsonschema_valid(record: Path) -> bool:
    try:
        data = json.loads(record.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=FormatChecker()).is_valid(data)


def test_there_is_a_negative_case_for_every_rule_a_file_can_break():
    rules = {e["rule"] for name in CASE_NAMES for e in _case(name)[1]["errors"]}
    # not-found and no-records are about paths, not files: tests/test_validate.py covers them.
    # Entries that are not records and leftovers of killed commands cannot be committed as
    # case files (FIFOs, links, journals): tests/unit/records/test_entries.py covers them.
    assert set(RULES) - rules == {"not-found", "no-records", *ENTRY_RULES}
    assert [n for n in CASE_NAMES if n.startswith("valid-")] == ["valid-annotated", "valid-astral", "valid-ingested", "valid-notes"]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_newscorpus_validate(name):
    record, expected = _case(name)
    result = validate_paths([record])
    got = sorted((v.path, v.rule) for v in result.violations)
    assert got == sorted((e["path"], e["rule"]) for e in expected["errors"])
    assert result.valid is expected["valid"]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_schema_alone_agrees(name):
    record, expected = _case(name)
    by_check_jsonschema = str(record) not in _check_jsonschema_failures()
    by_jsonschema = _jsonschema_valid(record)
    assert by_check_jsonschema is expected["schema_valid"]
    assert by_jsonschema is expected["schema_valid"]
    if not expected["schema_valid"]:
        assert expected["valid"] is False  # what the schema rejects, newscorpus rejects
    schema_rules = {e["rule"] for e in expected["errors"]} & {c for c, r in RULES.items() if r.stage in ("file", "schema")}
    if expected["schema_valid"]:
        # only rules the schema cannot express (sentence cardinality, e-mail adjudicator...)
        assert all(RULES[e["rule"]].stage == "semantic" or name in _SCHEMA_SILENT for e in expected["errors"])
    else:
        assert schema_rules


ENTRY_RULES = {"record-symlink", "record-folder", "record-special-file", "interrupted-change", "leftover-staging"}

# Cases of a schema-stage rule in a place the schema cannot reach.
_SCHEMA_SILENT = {"single-cardinality-sentence", "not-pseudonymous-adjudicator"}


def test_cases_are_reproducible(tmp_path, monkeypatch):
    """The committed cases are exactly what the generator writes (nothing edited by hand)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_validate_cases", ROOT / "scripts" / "make_validate_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.chdir(ROOT)
    names = module.write_cases(tmp_path / "cases")
    assert sorted(names) == CASE_NAMES
    for name in CASE_NAMES:
        for path in (CASES / name).iterdir():
            assert (tmp_path / "cases" / name / path.name).read_bytes() == path.read_bytes(), f"{name}/{path.name}"
