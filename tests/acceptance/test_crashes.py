"""``kill -9`` at any point of import, ingest, migrate, adjudicate, revise and build: the next run
ends in the same bytes as an uninterrupted run, with no leftovers; before that, a recovered
folder is as before or as after, and ``dist/dataset`` is never missing.

Each command runs in a forked child (its modules already loaded, so that the kill lands in
its work, not in Python's start-up) killed either at a named step of the journal
(``NEWSCORPUS_CRASH_AT``) or after a random delay (seeded) within an uninterrupted run's
time. One case runs the real command line.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from pathlib import Path

import pytest

from newscorpus.agreement.adjudication_run import adjudicate_dir
from newscorpus.core.scheme import default_scheme
from newscorpus.dataset.build import build_dataset
from newscorpus.importers.run import import_export
from newscorpus.ingest.run import ingest_all
from newscorpus.records.access import recover_folder
from newscorpus.records.journal import CRASH_ENV
from newscorpus.records.migrate import migrate_paths
from newscorpus.revise.run import revise_dir

from tests.support import REPO
from tests.support.team import cli, copy_folder, hidden, make_corpus, run_killed, snapshot, timed

STEPS = ["staged", "journal", "move-3", "moved"]
OLD = REPO / "tests" / "cases" / "migrate" / "1.0.0" / "000_ba712161f3bc6069.json"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("crash"), 12)


def _import(folder: Path, export: Path) -> None:
    import_export(export, annotations_dir=folder, workers=1)


class Case:
    """A command on a folder: its state before, after an uninterrupted run, and a run."""

    def __init__(self, work: Path, before_from: Path, run, *args):
        self.work, self.folder = work, work / "annotations"
        self.before_from, self.run, self.args = before_from, run, args
        self.reset()
        self.before = snapshot(self.folder)
        assert run_killed(self.run, self.folder, *self.args) == 0
        self.after = snapshot(self.folder)
        assert self.after != self.before and hidden(self.folder) == []
        self.reset()
        self.seconds = timed(self.run, self.folder, *self.args)
        self.reset()

    def reset(self) -> None:
        copy_folder(self.before_from, self.folder)

    def check_step(self, step: str) -> None:
        self.reset()
        assert run_killed(self.run, self.folder, *self.args, env={CRASH_ENV: step}) == -9
        assert hidden(self.folder)
        recover_folder(self.folder)
        assert hidden(self.folder) == []
        assert snapshot(self.folder) == (self.before if step == "staged" else self.after)
        self.check_next_run()

    def check_random(self, rng: random.Random, times: int) -> None:
        for _ in range(times):
            self.reset()
            run_killed(self.run, self.folder, *self.args, after=rng.uniform(0, self.seconds))
            recover_folder(self.folder)
            assert snapshot(self.folder) in (self.before, self.after)
            self.check_next_run()

    def check_next_run(self) -> None:
        assert run_killed(self.run, self.folder, *self.args) == 0
        assert snapshot(self.folder) == self.after
        assert hidden(self.folder) == []


def test_import_killed_anywhere(corpus, tmp_path):
    case = Case(tmp_path, corpus / "annotations", _import, corpus / "export.json")
    for step in STEPS:
        case.check_step(step)
    case.check_random(random.Random(1), 8)


def test_the_command_line_import_killed_in_its_moves(corpus, tmp_path):
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    proc = cli("import", str(corpus / "export.json"), "--annotations", str(folder), env={CRASH_ENV: "move-4"})
    assert proc.returncode == -9
    assert ".newscorpus.journal" in hidden(folder)
    again = cli("import", str(corpus / "export.json"), "--annotations", str(folder))
    assert again.returncode == 0, again.stderr
    assert again.stdout.endswith("; 0 record(s) written, 12 unchanged\n")  # the journal had finished the change
    assert hidden(folder) == []


def _ingest(folder: Path, seeds: Path) -> None:
    ingest_all(seeds, annotations_dir=folder, workers=1)


def test_ingest_killed_anywhere(corpus, tmp_path):
    seeds = shutil.copytree(corpus / "seeds", tmp_path / "seeds")
    some = tmp_path / "some"
    some.mkdir()
    for path in sorted(seeds.iterdir())[:12]:  # the first 6 articles (text and sidecar)
        shutil.copy(path, some / path.name)
    before = tmp_path / "before"
    _ingest(before, some)
    meta = seeds / "bench_0000000.meta.json"
    meta.write_text(json.dumps(dict(json.loads(meta.read_text()), title="A new title")), encoding="utf-8")
    case = Case(tmp_path / "work", before, _ingest, seeds)
    for step in ("journal", "move-2"):
        case.check_step(step)
    case.check_random(random.Random(2), 5)


def _migrate(folder: Path) -> None:
    migrate_paths([folder], scheme=default_scheme())


def test_migrate_killed_anywhere(tmp_path):
    old = tmp_path / "old"
    old.mkdir()
    for i in range(30):
        shutil.copy(OLD, old / f"r{i:02d}.json")
    case = Case(tmp_path / "work", old, _migrate)
    for step in STEPS:
        case.check_step(step)
    case.check_random(random.Random(3), 5)


def _adjudicate(folder: Path) -> None:
    adjudicate_dir(folder, scheme=default_scheme())


def test_adjudicate_killed_in_its_moves(corpus, tmp_path):
    imported = copy_folder(corpus / "annotations", tmp_path / "imported")
    _import(imported, corpus / "export.json")
    case = Case(tmp_path / "work", imported, _adjudicate)
    case.check_step("move-3")


def _revise(folder: Path, seeds: Path) -> None:
    revise_dir(seeds, annotations_dir=folder, scheme=default_scheme(), revised_at=dt.datetime(2026, 12, 2, tzinfo=dt.timezone.utc))


def test_revise_killed_in_its_moves(corpus, tmp_path):
    imported = copy_folder(corpus / "annotations", tmp_path / "imported")
    _import(imported, corpus / "export.json")
    seeds = shutil.copytree(corpus / "seeds", tmp_path / "seeds")
    for path in sorted(seeds.glob("*.txt"))[:5]:  # five corrected texts: a word put before each
        path.write_text("Update: " + path.read_text(encoding="utf-8"), encoding="utf-8")
    case = Case(tmp_path / "work", imported, _revise, seeds)
    for step in STEPS:
        case.check_step(step)


def _build(out: Path, folder: Path) -> None:
    build_dataset(annotations_dir=folder, out=out)


def test_build_killed_anywhere_never_leaves_the_dataset_missing(corpus, tmp_path):
    imported = copy_folder(corpus / "annotations", tmp_path / "imported")
    _import(imported, corpus / "export.json")
    out = tmp_path / "dist" / "dataset"
    assert run_killed(_build, out, corpus / "annotations") == 0
    before = snapshot(out)
    assert run_killed(_build, out, imported) == 0
    after = snapshot(out)
    assert before != after
    seconds = timed(_build, out, imported)
    rng = random.Random(4)
    for _ in range(6):
        assert run_killed(_build, out, corpus / "annotations") == 0
        run_killed(_build, out, imported, after=rng.uniform(0, seconds))
        assert snapshot(out) in (before, after)  # there, and whole, at every instant
        assert run_killed(_build, out, imported) == 0
        assert snapshot(out) == after
        assert [p.name for p in out.parent.iterdir()] == ["dataset"]
