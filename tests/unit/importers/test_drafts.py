"""A pull a team can live with: a draft that breaks a rule is left out with a warning naming
the article, the annotator and the Label Studio task; the others' submitted work is imported.

The article is conftest.SMALL_TEXT ("Qin Gang" [0, 8), "Aung San Suu Kyi" [13, 29));
sentences s0 [0, 43), s1 [44, 64), s2 [65, 97).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscorpus.errors import ExportError
from newscorpus.importers.run import import_export
from newscorpus.records.io import read_record

from tests.support import SMALL_TEXT

SHA = __import__("hashlib").sha256(SMALL_TEXT.encode()).hexdigest()


def region(rid, control, start, end, label):
    return {"id": rid, "from_name": control, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "labels": [label], "text": SMALL_TEXT[start:end]}}


GOOD = [region("e1", "entity", 0, 8, "PERSON"), region("e2", "entity", 13, 29, "PERSON")]
SENTENCE_DRAWN = GOOD + [region("x", "sentence", 0, 8, "SENTENCE")]  # no sentence of the article
OVERLAP = GOOD + [region("e3", "entity", 4, 20, "ORG")]


def task(annotations=(), drafts=()):
    return {"id": 11, "project": 4, "data": {"text": SMALL_TEXT, "article_id": "small", "text_sha256": SHA},
            "annotations": list(annotations), "drafts": list(drafts), "predictions": []}


def submitted(aid, user, result):
    return {"id": aid, "completed_by": user, "result": result, "was_cancelled": False, "project": 4,
            "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:10:00Z"}


def draft(did, user, result):
    return {"id": did, "user": f"u{user}@example.org", "created_username": f"U u{user}@example.org, {user}", "result": result,
            "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:20:00Z"}


def run(tmp_path: Path, ann: Path, tasks, **kw):
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    return import_export(export, annotations_dir=ann, **kw)


@pytest.mark.parametrize("result, problem", [
    (SENTENCE_DRAWN, "unknown-sentence"),
    (OVERLAP, "span-overlap"),
    ([region("e1", "entity", 0, 8, "NOT_A_LABEL")], "unknown-label"),
])
@pytest.mark.parametrize("url, link", [
    ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/projects/4/data?task=11"),
    (None, "task 11"),
])
def test_a_draft_that_breaks_a_rule_is_skipped_and_the_submitted_work_imported(tmp_path, small_corpus, result, problem, url, link):
    report = run(tmp_path, small_corpus, [task([submitted(21, 3, GOOD)], [draft(9, 5, result), draft(10, 6, GOOD)])], server_url=url)
    rec = read_record(small_corpus / "small.json")
    assert sorted((a.id, a.status) for a in rec.annotations) == [("ls-p4-a21", "submitted"), ("ls-p4-d10", "draft")]
    assert rec.gold is not None and rec.gold.from_annotations == ["ls-p4-a21"]
    assert report.annotations == {"submitted": 1, "cancelled": 0, "draft": 1}
    (warning,) = report.warnings
    assert warning.code == "draft-skipped" and warning.where.startswith("$[0].drafts[0]")
    assert warning.message.startswith(f"article small: draft 9 of ls-5 ({link}) was skipped, it breaks a rule: ")
    assert warning.message.endswith(f"[{problem}]")


def test_a_submitted_annotation_that_breaks_a_rule_is_still_refused(tmp_path, small_corpus):
    before = (small_corpus / "small.json").read_bytes()
    with pytest.raises(ExportError) as err:
        run(tmp_path, small_corpus, [task([submitted(21, 3, OVERLAP)], [draft(9, 5, GOOD)])])
    assert err.value.code == "span-overlap"
    assert (small_corpus / "small.json").read_bytes() == before


def test_a_draft_without_a_result_is_skipped(tmp_path, small_corpus):
    bad = draft(9, 5, GOOD)
    del bad["result"]
    report = run(tmp_path, small_corpus, [task([submitted(21, 3, GOOD)], [bad])])
    assert [w.code for w in report.warnings] == ["draft-skipped"]
    assert report.warnings[0].message.endswith("no result (missing) [missing-result]")


def _two_bad_tasks():
    """Task 11: annotation 21 (overlap) and 22 (valid); task 12 of article small too: 23 (a
    result that cannot be read)."""
    second = task([submitted(23, 7, [region("e9", "entity", 0, 8, "PERSON") | {"value": {"start": 0, "end": 8}}])])
    second["id"] = 12
    return [task([submitted(21, 3, OVERLAP), submitted(22, 4, GOOD)]), second]


def test_every_invalid_submitted_annotation_is_listed_with_its_task_link(tmp_path, small_corpus):
    before = (small_corpus / "small.json").read_bytes()
    with pytest.raises(ExportError) as err:
        run(tmp_path, small_corpus, _two_bad_tasks(), server_url="http://ls.example:8080")
    lines = err.value.message.split("\n")
    assert lines[0] == "2 annotations break a rule:"
    assert lines[1].startswith("  $[0].annotations[0].result[") and lines[1].endswith(
        "[span-overlap] (http://ls.example:8080/projects/4/data?task=11)")
    assert lines[2].startswith("  $[1].annotations[0].result[0]: task 12 (article small), annotation 23, result 'e9': ")
    assert lines[2].endswith("(http://ls.example:8080/projects/4/data?task=12)")
    assert (err.value.code, err.value.where) == ("span-overlap", lines[1].split(": ")[0].strip())
    assert "--skip-invalid" in err.value.hint
    assert (small_corpus / "small.json").read_bytes() == before
    assert sorted(p.name for p in small_corpus.iterdir()) == ["small.json"]


def test_skip_invalid_imports_every_valid_annotation_and_reports_the_others(tmp_path, small_corpus):
    report = run(tmp_path, small_corpus, _two_bad_tasks(), skip_invalid=True)
    rec = read_record(small_corpus / "small.json")
    assert [a.id for a in rec.annotations] == ["ls-p4-a22"] and rec.gold.from_annotations == ["ls-p4-a22"]
    assert report.annotations == {"submitted": 1, "cancelled": 0, "draft": 0}
    assert report.report_file == tmp_path / "export.refused.json"
    written = json.loads(report.report_file.read_text(encoding="utf-8"))
    assert written["export"] == str(tmp_path / "export.json")
    assert [(r["article"], r["annotation"], r["code"], r["link"]) for r in written["refused"]] == [
        ("small", "ls-p4-a21", "span-overlap", "task 11"), ("small", "ls-p4-a23", written["refused"][1]["code"], "task 12")]
    assert written["refused"] == [{k: v for k, v in r.items() if k != "hint"} for r in report.refused]


def test_import_cli_skip_invalid_with_a_report_file(tmp_path, small_corpus):
    from click.testing import CliRunner

    from newscorpus.cli import cli

    export = tmp_path / "export.json"
    export.write_text(json.dumps(_two_bad_tasks()), encoding="utf-8")
    out = tmp_path / "refused.json"
    result = CliRunner().invoke(cli, ["import", str(export), "--annotations", str(small_corpus), "--skip-invalid", "--report", str(out)])
    assert result.exit_code == 0, result.output
    assert f"refused 2 invalid annotation(s), listed in {out}" in result.output
    assert len(json.loads(out.read_text(encoding="utf-8"))["refused"]) == 2
