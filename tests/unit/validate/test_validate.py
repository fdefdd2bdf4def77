"""newscorpus validate: messages with values, files and folders, reporters, exit codes, and
the pluggable schema step."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from newscorpus.schema.generate import load_schema
from newscorpus.validate.run import SCHEMA_CHECKS, SchemaError, render_json, render_text, validate_paths, validate_record

from tests.support import REPO
ROOT = REPO
CASES = ROOT / "tests" / "cases" / "validate"
RECORD = "000_ba712161f3bc6069.json"


def _load(case: str) -> dict:
    return json.loads((CASES / case / RECORD).read_text(encoding="utf-8"))


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env_path = str(ROOT / "src")
    return subprocess.run(
        [sys.executable, "-m", "newscorpus.cli", *args], capture_output=True, text=True, cwd=cwd,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
    )


def test_out_of_bounds_message_names_file_path_and_values():
    (violation,) = validate_record(_load("span-out-of-bounds"), file=f"annotations/{RECORD}")
    assert str(violation) == (
        f"annotations/{RECORD}::$.gold.spans[2].end: 2690 is past the end of the text (2680 code points) [span-out-of-bounds]"
    )
    assert violation.to_dict() == {
        "file": f"annotations/{RECORD}",
        "path": "$.gold.spans[2].end",
        "rule": "span-out-of-bounds",
        "message": "2690 is past the end of the text (2680 code points)",
    }


def test_span_text_mismatch_shows_both_texts():
    (violation,) = validate_record(_load("span-text-mismatch"), file=RECORD)
    assert violation.message == "'Myanmr' differs from text[51:58] = 'Myanmar'"


def test_offsets_count_code_points_not_utf16_units():
    record = json.loads((CASES / "valid-astral" / "001_astral.json").read_text(encoding="utf-8"))
    quote = next(s for s in record["gold"]["spans"] if s["label"] == "QUOTE")
    assert (quote["start"], quote["end"]) == (72, 79)
    assert len(record["text"][:72].encode("utf-16-le")) // 2 == 76  # 👍, 🇲🇲 and 😀 are astral
    assert validate_record(record, file="001_astral.json") == []
    quote["start"], quote["end"] = 76, 83  # UTF-16 code units (Label Studio < 1.4)
    gpe = next(s for s in record["gold"]["spans"] if s["label"] == "GPE")
    assert (gpe["start"], gpe["text"]) == (27, "Myanmar")
    gpe["start"], gpe["end"] = 28, 35  # one astral character (👍) before it
    found = [(v.path, v.rule, v.message) for v in validate_record(record, file="001_astral.json")]
    assert found == [
        ("$.gold.spans[0]", "span-untrimmed", "text[28:35] = 'yanmar ' starts or ends with whitespace: move the offsets inward"),
        ("$.gold.spans[0].text", "span-text-mismatch", "'Myanmar' differs from text[28:35] = 'yanmar '"),
        ("$.gold.spans[2].end", "span-out-of-bounds", f"83 is past the end of the text ({len(record['text'])} code points)"),
    ]


def test_a_label_error_is_reported_once_with_the_layer_named():
    violations = validate_record(_load("unknown-label"), file=RECORD)
    assert [(v.path, v.rule) for v in violations] == [("$.gold.spans[1].label", "unknown-label")]
    assert violations[0].message.startswith("'GEO' is not a label of span layer 'entity' (labels: PERSON, NORP, FAC,")


def test_a_broken_structure_stops_before_the_semantic_checks():
    data = _load("schema-type")
    data["text_sha256"] = "0" * 64  # semantic error, not reported while the structure is broken
    assert [(v.path, v.rule) for v in validate_record(data, file=RECORD)] == [("$.gold.spans[1].start", "schema")]


def test_every_error_of_a_broken_gold_is_reported_and_nothing_raises():
    """Under the schema's ``anyOf`` of gold or null, the gold branch's errors are all kept: an
    unknown label no longer hides a missing span key (stage 2 then walked a span without
    ``end`` and raised KeyError)."""
    data = _load("unknown-label")
    del data["gold"]["spans"][0]["end"]
    found = [(v.path, v.rule) for v in validate_record(data, file=RECORD)]
    assert found == [("$.gold.spans[0]", "schema"), ("$.gold.spans[1].label", "unknown-label")]
    data["gold"]["spans"][0]["end"] = "12"
    found = [(v.path, v.rule, v.message) for v in validate_record(data, file=RECORD)]
    assert found[0] == ("$.gold.spans[0].end", "schema", "'12' is not of type 'integer'")
    assert [(p, r) for p, r, _ in found[1:]] == [("$.gold.spans[1].label", "unknown-label")]


def test_folder_and_files_and_missing_paths(tmp_path):
    folder = tmp_path / "annotations"
    folder.mkdir()
    for case in ("valid-annotated", "valid-astral"):
        for path in (CASES / case).glob("0*.json"):
            shutil.copy(path, folder / path.name)
    result = validate_paths([folder])
    assert [f.file for f in result.files] == [str(folder / RECORD), str(folder / "001_astral.json")]
    assert result.valid and result.counts == {}
    broken = CASES / "span-empty" / RECORD
    result = validate_paths([folder, broken, tmp_path / "nope.json"])
    assert not result.valid
    assert [(f.file, [v.rule for v in f.violations]) for f in result.files] == [
        (str(folder / RECORD), []),
        (str(folder / "001_astral.json"), []),
        (str(broken), ["span-empty"]),
        (str(tmp_path / "nope.json"), ["not-found"]),
    ]
    assert result.counts == {"not-found": 1, "span-empty": 1}


def test_text_and_json_reporters():
    files = [CASES / "span-empty" / RECORD, CASES / "duplicate-id" / RECORD, CASES / "valid-ingested" / RECORD]
    result = validate_paths(files)
    text = render_text(result)
    lines = text.splitlines()
    assert lines[0] == f"{files[0]}::$.gold.spans[1].end: end 51 is not after start 51: a span covers at least one code point [span-empty]"
    assert lines[1] == ""
    assert lines[2] == f"{files[1]}::$.gold.spans[2].id: span id 'e2' is already used at spans[1] [duplicate-id]"
    assert lines[3:] == ["", "invalid: 2 errors in 2 of 3 files", "  span-empty    1", "  duplicate-id  1"]
    doc = json.loads(render_json(result))
    assert doc["valid"] is False and doc["files_checked"] == 3
    assert list(doc["counts"].items()) == [("span-empty", 1), ("duplicate-id", 1)]
    assert [set(e) for e in doc["errors"]] == [{"file", "path", "rule", "message"}] * 2
    assert [e["rule"] for e in doc["errors"]] == ["span-empty", "duplicate-id"]
    assert render_text(validate_paths([files[2]])) == "valid: 1 file checked, no errors\n"


def test_cli_exit_codes_and_formats(tmp_path):
    folder = tmp_path / "annotations"
    folder.mkdir()
    shutil.copy(CASES / "valid-annotated" / RECORD, folder / RECORD)
    ok = _cli("validate", cwd=tmp_path)  # default path: annotations
    assert (ok.returncode, ok.stdout) == (0, "valid: 1 file checked, no errors\n")
    shutil.copy(CASES / "text-hash-mismatch" / RECORD, folder / "other.json")
    bad = _cli("validate", "annotations", "--format", "json", cwd=tmp_path)
    assert bad.returncode == 1
    doc = json.loads(bad.stdout)
    assert [(e["file"], e["path"], e["rule"]) for e in doc["errors"]] == [
        ("annotations/other.json", "$.id", "file-name-mismatch"),
        ("annotations/other.json", "$.text_sha256", "text-hash-mismatch"),
    ]
    single = _cli("validate", f"annotations/{RECORD}", cwd=tmp_path)
    assert single.returncode == 0


class FirstErrorCheck:
    """A second schema check, as a faster validator would be: it stops at the first error."""

    def __init__(self, schema: dict) -> None:
        cls = jsonschema.validators.validator_for(schema)
        self._validator = cls(schema, format_checker=jsonschema.FormatChecker())

    def __call__(self, data) -> list[SchemaError]:
        error = next(iter(self._validator.iter_errors(data)), None)
        return [] if error is None else [SchemaError(tuple(error.absolute_path), str(error.validator), error.message)]


@pytest.fixture
def first_error_check():
    SCHEMA_CHECKS["first-error"] = FirstErrorCheck
    yield "first-error"
    del SCHEMA_CHECKS["first-error"]


def test_the_schema_check_is_pluggable_with_identical_verdicts(first_error_check):
    for case in sorted(p for p in CASES.iterdir() if p.is_dir()):
        (record,) = [p for p in case.iterdir() if p.name != "expected.json"]
        reference = validate_paths([record])
        other = validate_paths([record], checker=first_error_check)
        assert other.valid is reference.valid, case.name
    assert load_schema()["$id"].startswith("https://newscorpus.dev/schema/")


def test_a_folder_without_records_is_an_error(tmp_path):
    from newscorpus.validate.run import validate_paths

    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("x", encoding="utf-8")
    result = validate_paths([tmp_path / "empty"])
    assert not result.valid
    assert [(v.rule, v.message) for f in result.files for v in f.violations] == [("no-records", "no record files (*.json) in this folder")]
