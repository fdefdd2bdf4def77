"""Golden import cases (tests/cases/import/<format>/<case>/), through the format registry.

Each case folder holds the file imported: ``export.json``, or else the one entry named
``input`` or ``input.<ext>`` (a file, or a folder of files: brat pairs, PTC articles...);
optionally ``annotations/`` (the records it starts from; default: the small article of
tests/support, ingested, for labelstudio, and an empty folder for the other formats),
``options.json`` (keyword options of the importer), ``scheme.yaml`` (the case's scheme;
default: the packaged one) and ``label-map.yaml`` (a label map, as ``--label-map``), and
either ``expected/`` (every record of the folder afterwards, byte for byte, plus
``warnings.json``: the warnings' codes) or ``expected_error.json`` (the error's ``code``,
``where``, a ``message`` substring and optionally the name of the ``file`` it names; then
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
    elif case.parent.name == "labelstudio":
        write_seed(root / "seeds", "small", SMALL_TEXT)
        ingest_all(root / "seeds", annotations_dir=ann)
    else:
        ann.mkdir()
    return ann


def case_input(case: Path) -> Path:
    """The file or folder a case imports: ``export.json``, else its one ``input*`` entry."""
    if (case / "export.json").exists():
        return case / "export.json"
    (found,) = [p for p in case.iterdir() if p.name == "input" or p.name.startswith("input.")]
    return found


def case_scheme(case: Path):
    """The case's scheme (``scheme.yaml``), or None: the packaged one."""
    from newscorpus.core.scheme import load_scheme

    return load_scheme(case / "scheme.yaml") if (case / "scheme.yaml").exists() else None


def run_case(case: Path, ann: Path):
    """Import the case's input into ``ann`` with the case's format, options, scheme and label map."""
    from newscorpus.core.scheme import default_scheme
    from newscorpus.importers.labelmap import load_label_map

    options_file = case / "options.json"
    options = json.loads(options_file.read_text(encoding="utf-8")) if options_file.exists() else {}
    scheme = case_scheme(case)
    if scheme is not None:
        options["scheme"] = scheme
    if (case / "label-map.yaml").exists():
        options["label_map"] = load_label_map(case / "label-map.yaml", scheme or default_scheme())
    if "text" in options:
        options["text"] = case / options["text"]
    return IMPORTERS[case.parent.name].run(case_input(case), annotations_dir=ann, **options)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_every_format_has_cases_and_the_required_ones_exist():
    assert {case.parent.name for case in CASE_DIRS} == set(IMPORTERS)
    names = {case.name for case in CASE_DIRS if case.parent.name == "labelstudio"}
    assert {"basic-two-annotators", "draft-and-cancelled", "relation-left-with-notes", "utf16-offsets",
            "overlapping-entity-spans", "span-out-of-bounds"} <= names
    required = {
        "brat": {"conll2002-dutch-news", "tutorial-relations-notes-attributes", "bom-crlf-astral-nfc", "commodity-news-events",
                 "discontinuous-span", "offsets-outside-text", "span-text-mismatch", "conll2002-unknown-labels",
                 "relation-to-missing-span", "wrong-format-json"},
        "ptc": {"astral-article769752554", "bom-article712382330", "span-identification-refused"},
        "wadm": {"collection-on-brat-news-text", "w3c-example-41-fragment-refined", "quote-mismatch", "wrong-format-brat-ann"},
    }
    for fmt, wanted in required.items():
        assert wanted <= {case.name for case in CASE_DIRS if case.parent.name == fmt}, fmt
    for case in CASE_DIRS:
        assert (case / "expected").is_dir() != (case / "expected_error.json").exists(), case.name
        if case.parent.name != "labelstudio":  # real files or hand-written ones: each case says where they come from
            assert (case / "README.md").exists(), case.name


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
        if "file" in expected:
            assert Path(err.value.file).name == expected["file"]
        assert _files(ann) == before  # nothing written, no staging left
        return
    report = run_case(case, ann)
    expected = {p.name: p.read_bytes() for p in sorted((case / "expected").glob("*.json")) if p.name != "warnings.json"}
    assert _files(ann) == expected
    assert [w.code for w in report.warnings] == json.loads((case / "expected" / "warnings.json").read_text(encoding="utf-8"))
    assert validate_paths([ann], scheme=case_scheme(case)).valid
    again = run_case(case, ann)
    assert (again.written, _files(ann)) == ([], expected)  # a re-import changes no byte
