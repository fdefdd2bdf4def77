"""Golden export cases: ``tests/cases/export/<format>/<case>/`` holds, byte for byte, every
file ``newscorpus export --format <format>`` writes from the records of
``tests/cases/export/records/<case>/`` (the default scheme, the default split ratios)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscorpus.exporters.run import export_corpus

CASES = Path(__file__).resolve().parents[2] / "cases" / "export"
GOLDEN = sorted((fmt.name, case.name) for fmt in CASES.iterdir() if fmt.is_dir() and fmt.name != "records"
                for case in fmt.iterdir() if case.is_dir())


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_format_with_files_has_a_case():
    assert {fmt for fmt, _ in GOLDEN} == {"brat", "conll", "labelstudio", "wadm"}


@pytest.mark.parametrize(("fmt", "case"), GOLDEN)
def test_export_equals_the_golden_files(fmt, case, tmp_path):
    out = tmp_path / "out"
    report = export_corpus(fmt, annotations_dir=CASES / "records" / case, out=out)
    expected = _tree(CASES / fmt / case)
    assert report.files == sorted(expected)
    assert _tree(out) == expected
    assert (report.read, report.exported, report.skipped) == (2, 1, ["unicode-2"])
