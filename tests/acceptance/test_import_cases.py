"""Golden import cases (tests/cases/import/<format>/<case>/), through the format registry.

Each case folder holds ``export.json`` (the file imported), optionally ``annotations/``
(the records it starts from; default: the small article of tests/support, ingested) and
``options.json`` (keyword options of the importer), and either ``expected/`` (every record
of the folder afterwards, byte for byte, plus ``warnings.json``: the warnings' codes) or
``expected_error.json`` (the error's ``code``, ``where`` and a ``message`` substring; then
nothing may be written). scripts/make_import_cases.py writes ``expected/`` from the
importer (review the diff); expected errors are declared by hand.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newscorpus.errors import ExportError
from newscorpus.importers import IMPORTERS
from newscorpus.validate.run import validate_paths

from tests.support import REPO, SMALL_TEXT, write_seed

CASES = REPO / "tests" / "cases" / "import"
CASE_DIRS = sorted(case for fmt in CASES.iterdir() if fmt.is_dir() for case in fmt.iterdir() if case.is_dir())


def start(case: Path, root: Path) -> Path:
    """The annotations folder a case starts from, under ``root``."""
    from newscorpus.ingest.run import ingest_all

    ann = root / "annotations"
    if (case / "annotations").is_dir():
        shutil.copytree(case / "annotations", ann)
    else:
        write_seed(root / "seeds", "small", SMALL_TEXT)
        ingest_all(root / "seeds", annotations_dir=ann)
    return ann


def run_case(case: Path, ann: Path):
    """Import the case's export into ``ann`` with the case's format and options."""
    options_file = case / "options.json"
    options = json.loads(options_file.read_text(encoding="utf-8")) if options_file.exists() else {}
    return IMPORTERS[case.parent.name].run(case / "export.json", annotations_dir=ann, **options)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_every_format_has_cases_and_the_required_ones_exist():
    assert {case.parent.name for case in CASE_DIRS} == set(IMPORTERS)
    names = {case.name for case in CASE_DIRS if case.parent.name == "labelstudio"}
    assert {"basic-two-annotators", "draft-and-cancelled", "relation-left-with-notes", "utf16-offsets",
            "overlapping-entity-spans", "span-out-of-bounds"} <= names
    for case in CASE_DIRS:
        assert (case / "expected").is_dir() != (case / "expected_error.json").exists(), case.name


@pytest.mark.parametrize("case", CASE_DIRS, ids=lambda case: f"{case.parent.name}/{case.name}")
def test_import_case(case, tmp_path):
    ann = start(case, tmp_path)
    before = _files(ann)
    expected_error = case / "expected_error.json"
    if expected_error.exists():
        expected = json.loads(expected_error.read_text(encoding="utf-8"))
        with pytest.raises(ExportError) as err:
            run_case(case, ann)
        assert (err.value.code, err.value.where) == (expected["code"], expected["where"])
        assert expected["message"] in str(err.value)
        assert _files(ann) == before  # nothing written, no staging left
        return
    report = run_case(case, ann)
    expected = {p.name: p.read_bytes() for p in sorted((case / "expected").glob("*.json")) if p.name != "warnings.json"}
    assert _files(ann) == expected
    assert [w.code for w in report.warnings] == json.loads((case / "expected" / "warnings.json").read_text(encoding="utf-8"))
    assert validate_paths([ann]).valid
    again = run_case(case, ann)
    assert (again.written, _files(ann)) == ([], expected)  # a re-import changes no byte
