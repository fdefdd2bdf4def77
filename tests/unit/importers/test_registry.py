"""The import-format registry: every format has a name, a one-line description and an
entry point that imports like the format's own function."""

from __future__ import annotations

import json

from newscorpus.importers import IMPORTERS, Importer
from newscorpus.importers.run import import_export

from tests.unit.importers.test_import import BASIC, annotation, task


def test_every_importer_is_named_and_described():
    assert list(IMPORTERS)[:4] == ["labelstudio", "brat", "ptc", "wadm"]  # more formats may follow
    for name, importer in IMPORTERS.items():
        assert isinstance(importer, Importer) and importer.name == name
        assert importer.description and "\n" not in importer.description and len(importer.description) < 120


def test_the_labelstudio_entry_point_is_import_export(tmp_path, small_corpus):
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task([annotation(21, 3, BASIC)])], ensure_ascii=False), encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "small.json").write_bytes((small_corpus / "small.json").read_bytes())
    seen: list[int] = []
    report = IMPORTERS["labelstudio"].run(export, annotations_dir=small_corpus, progress=seen.append, offset_unit="codepoint", workers=1)
    direct = import_export(export, annotations_dir=other)
    assert (report.tasks, report.annotations, [p.name for p in report.written]) == (direct.tasks, direct.annotations, ["small.json"])
    assert (small_corpus / "small.json").read_bytes() == (other / "small.json").read_bytes()
    assert seen == [export.stat().st_size - 1]
    assert set(IMPORTERS["labelstudio"].options) == {"offset_unit", "workers", "server", "server_url", "skip_invalid", "report_file", "tool_version"}
