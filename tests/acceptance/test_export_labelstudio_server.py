"""``newscorpus export --format labelstudio`` into a real Label Studio 1.23.2 (the session
fixture ``ls_server``): a new project from the exported label_config.xml, tasks.json
imported as is, then ``ls pull`` into records that hold only the text: each article's
annotation (and so its single gold) equals the exported gold, span for span."""

from __future__ import annotations

import json
import shutil

import pytest

from newscorpus.core.scheme import default_scheme
from newscorpus.exporters.run import export_corpus
from newscorpus.labelstudio import server as labelstudio
from newscorpus.records.io import read_record, write_record

from tests.support import REPO
from tests.support.dataset import write_fixture

pytestmark = pytest.mark.server

CASE = REPO / "tests" / "cases" / "export" / "records" / "unicode"


def test_exported_tasks_import_into_label_studio_as_annotations(ls_server, tmp_path):
    ann, _ = write_fixture(tmp_path)
    for record in CASE.glob("*.json"):
        shutil.copy(record, ann / record.name)
    report = export_corpus("labelstudio", annotations_dir=ann, out=tmp_path / "ls")
    assert (report.exported, report.skipped) == (3, ["unicode-2"])
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    assert [t["data"]["article_id"] for t in tasks] == ["000_ba712161f3bc6069", "synthetic_unicode", "unicode-1"]
    assert all(len(t["annotations"]) == 1 and "predictions" not in t for t in tasks)

    key = ls_server.personal_access_token
    client = labelstudio.connect(url=ls_server.url, api_key=key)
    project = client.projects.create(title="exported-gold", label_config=(tmp_path / "ls" / "label_config.xml").read_text(encoding="utf-8"))
    client.projects.import_tasks(project.id, request=tasks, commit_to_project=True)

    target = tmp_path / "target"  # the same articles, text and sentences only
    for path in sorted(ann.glob("*.json")):
        record = read_record(path)
        record.gold, record.annotations = None, []
        write_record(record, target, default_scheme())
    pulled = labelstudio.pull(url=ls_server.url, annotations_dir=target, project="exported-gold", api_key=key)
    assert pulled.imported.annotations == {"submitted": 3, "cancelled": 0, "draft": 0}
    assert pulled.imported.warnings == []

    for rid in ("000_ba712161f3bc6069", "synthetic_unicode", "unicode-1"):
        want = read_record(ann / f"{rid}.json").gold
        got = read_record(target / f"{rid}.json")
        (annotation,) = got.annotations
        assert annotation.spans == want.spans  # ids, layers, labels, offsets, texts and notes
        assert [(r.label, r.head, r.tail) for r in annotation.relations] == [(r.label, r.head, r.tail) for r in want.relations]
        assert annotation.sentence_labels == want.sentence_labels
        assert annotation.article_labels == {k: v for k, v in want.article_labels.items() if v}
        assert got.gold is not None and got.gold.spans == want.spans
    assert read_record(target / "unicode-2.json").annotations == []
