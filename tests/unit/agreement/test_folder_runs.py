"""``agreement`` and ``adjudicate`` over a folder stream it: one record at a time, by a pool
of processes or by one, with the same figures, the same records, the same tasks file (byte
for byte what the in-memory run wrote) and the same reports; nothing changes on an error."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
from tests.support import REPO
from tests.unit.agreement import oracles

from newscorpus.agreement.adjudication import adjudicate
from newscorpus.agreement.adjudication_run import ReportLog, adjudicate_dir
from newscorpus.agreement.adjudication_tasks import adjudication_task
from newscorpus.agreement.corpus import tally_folder
from newscorpus.agreement.report import agreement_dir
from newscorpus.core.scheme import default_scheme
from newscorpus.errors import AdjudicationError, RecordError
from newscorpus.records.io import dump_record_bytes, iter_record_paths, read_record

sys.path.insert(0, str(REPO / "scripts"))
import synth  # noqa: E402

SCHEME = default_scheme()
N = 40


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """40 synthetic articles imported with three annotators each (some open units)."""
    from newscorpus.importers.run import import_export
    from newscorpus.ingest.run import ingest_all

    root = tmp_path_factory.mktemp("three")
    synth.write_seeds(N, root / "seeds")
    ingest_all(root / "seeds", annotations_dir=root / "annotations", workers=1)
    synth.write_export(N, root / "annotations", root / "export.json", annotators=3)
    import_export(root / "export.json", annotations_dir=root / "annotations", workers=1)
    return root / "annotations"


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_agreement_by_a_pool_equals_one_process_and_the_in_memory_figures(imported, tmp_path):
    records = [read_record(p) for p in iter_record_paths(imported)]
    expected = oracles.corpus_agreement(records, scheme=SCHEME).to_dict()
    assert expected["articles_with_multiple_annotators"] == N and len(expected["annotators"]) == 3
    seen = []
    pooled = tally_folder(imported, scheme=SCHEME, workers=2, on_record=lambda d, t: seen.append((d, t)))
    assert seen == [(k, N) for k in range(1, N + 1)]
    assert pooled.report().to_dict() == tally_folder(imported, scheme=SCHEME, workers=1).report().to_dict() == expected
    run = agreement_dir(imported, out_dir=tmp_path / "out", scheme=SCHEME)
    assert json.loads(run.json_path.read_text(encoding="utf-8")) == json.loads(json.dumps(expected))


def test_agreement_of_a_pool_reports_the_first_bad_record(imported, tmp_path):
    folder = _copy(imported, tmp_path / "annotations")
    (folder / "bench_0000021.json").write_text("[]", encoding="utf-8")
    (folder / "bench_0000033.json").write_text("{", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        tally_folder(folder, scheme=SCHEME, workers=2)
    assert (err.value.code, err.value.file) == ("not-an-object", str(folder / "bench_0000021.json"))


def _old_tasks_file(folder: Path) -> bytes:
    """The tasks file as the in-memory run wrote it: json.dumps of the whole list."""
    tasks = []
    for path in iter_record_paths(folder):
        record, report = adjudicate(read_record(path), scheme=SCHEME)
        if report.open:
            tasks.append(adjudication_task(record, report))
    return (json.dumps(tasks, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def test_adjudicate_by_a_pool_equals_one_process_and_the_in_memory_run(imported, tmp_path):
    old_tasks = _old_tasks_file(imported)
    expected = [adjudicate(read_record(p), scheme=SCHEME) for p in iter_record_paths(imported)]
    one, two = _copy(imported, tmp_path / "one"), _copy(imported, tmp_path / "two")
    r1 = adjudicate_dir(one, scheme=SCHEME, tasks_path=tmp_path / "t1" / "tasks.json", workers=1)
    seen = []
    r2 = adjudicate_dir(two, scheme=SCHEME, tasks_path=tmp_path / "t2" / "tasks.json", workers=2,
                        on_record=lambda d, t: seen.append((d, t)))
    assert seen == [(k, N) for k in range(1, N + 1)]
    assert _files(one) == _files(two)
    assert [(one / f"{rec.id}.json").read_bytes() for rec, _ in expected] == [dump_record_bytes(rec, SCHEME) for rec, _ in expected]
    assert (r1.written, r2.written) == (N, N) and r1.tasks == r2.tasks > 0
    assert (tmp_path / "t1" / "tasks.json").read_bytes() == (tmp_path / "t2" / "tasks.json").read_bytes() == old_tasks
    assert isinstance(r2.reports, ReportLog) and r1.reports == r2.reports == [rep for _, rep in expected]
    assert sum(len(rep.open) for rep in r2.reports) >= r2.tasks
    assert [hidden.name for hidden in two.iterdir() if hidden.name.startswith(".") and hidden.name != ".newscorpus.lock"] == []
    # a second run changes nothing and leaves the tasks file as it was (not rewritten)
    stat = (tmp_path / "t2" / "tasks.json").stat()
    again = adjudicate_dir(two, scheme=SCHEME, tasks_path=tmp_path / "t2" / "tasks.json", workers=2)
    assert (again.written, again.tasks, again.reports) == (0, r2.tasks, r2.reports)
    assert (tmp_path / "t2" / "tasks.json").stat().st_ino == stat.st_ino


def test_the_report_log_is_a_sequence(imported, tmp_path):
    folder = _copy(imported, tmp_path / "annotations")
    reports = adjudicate_dir(folder, scheme=SCHEME, workers=1).reports
    as_list = list(reports)
    assert len(reports) == N and reports[0] == as_list[0] and reports[-1] == as_list[-1]
    assert reports[3:7] == as_list[3:7] and reports[::-5] == as_list[::-5]
    assert [r.article_id for r in reports] == [f"bench_{i:07d}" for i in range(N)]
    with pytest.raises(IndexError):
        reports[N]
    assert "ReportLog(40 reports)" == repr(reports)
    assert adjudicate_dir(folder, scheme=SCHEME, workers=1).to_dict()["reports"] == [asdict(r) for r in as_list]


@pytest.mark.parametrize("workers", [1, 2])
def test_adjudicate_changes_nothing_on_a_bad_record_or_an_unknown_adjudicator(imported, tmp_path, workers):
    folder = _copy(imported, tmp_path / "annotations")
    before = _files(folder)
    with pytest.raises(AdjudicationError) as err:
        adjudicate_dir(folder, scheme=SCHEME, adjudicator="ls-77", tasks_path=tmp_path / "tasks.json", workers=workers)
    assert err.value.code == "unknown-adjudicator"
    assert _files(folder) == before and not (tmp_path / "tasks.json").exists()
    bad = json.loads((folder / "bench_0000025.json").read_text(encoding="utf-8"))
    bad["annotations"][1]["status"] = "finished"
    (folder / "bench_0000025.json").write_text(json.dumps(bad), encoding="utf-8")
    before = _files(folder)
    with pytest.raises(RecordError) as err:
        adjudicate_dir(folder, scheme=SCHEME, tasks_path=tmp_path / "tasks.json", workers=workers)
    assert (err.value.code, err.value.where) == ("schema", "$.annotations[1].status")  # the validator's verdict (validate.gate)
    assert _files(folder) == before and not (tmp_path / "tasks.json").exists()
