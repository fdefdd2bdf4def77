"""The journal: a change of many records is all or nothing across ``kill -9``, and the next
command finishes it (after the journal is written) or removes it (before)."""

from __future__ import annotations

import os
import random

import pytest

from newscorpus.records.journal import CRASH_ENV, commit_files, commit_staging, recover, staging_folder

from tests.support.team import hidden, run_killed, snapshot


def _folder(tmp_path, n=40):
    folder = tmp_path / "annotations"
    folder.mkdir()
    for i in range(n):
        (folder / f"r{i:03d}.json").write_text(f"old {i}\n")
    os.chmod(folder / "r000.json", 0o640)
    return folder


def _restore(folder, state):
    for path in folder.iterdir():
        path.unlink()
    for name, data in state.items():
        (folder / name).write_bytes(data)
    os.chmod(folder / "r000.json", 0o640)


def _change(folder, n=40):
    staging = staging_folder(folder, "import")
    for i in range(0, n, 2):  # every other record changes, and one is new
        (staging / f"r{i:03d}.json").write_text(f"new {i}\n")
    (staging / "new.json").write_text("brand new\n")
    commit_staging(staging, folder)
    staging.rmdir()


def test_a_commit_moves_every_staged_file_keeps_modes_and_leaves_nothing(tmp_path):
    folder = _folder(tmp_path)
    _change(folder)
    assert (folder / "r000.json").read_text() == "new 0\n" and (folder / "r001.json").read_text() == "old 1\n"
    assert (folder / "new.json").read_text() == "brand new\n"
    assert oct(os.stat(folder / "r000.json").st_mode & 0o777) == "0o640"
    assert hidden(folder) == []


@pytest.mark.parametrize("step", ["staged", "journal", "move-1", "move-7", "move-21", "moved"])
def test_a_kill_at_any_step_ends_before_or_after_once_recovered(tmp_path, step):
    folder = _folder(tmp_path)
    before = snapshot(folder)
    _change(folder)
    after = snapshot(folder)
    _restore(folder, before)

    assert run_killed(_change, folder, env={CRASH_ENV: step}) == -9
    assert hidden(folder) != []  # the staging folder, and a journal from step "journal" on
    report = recover(folder)
    assert hidden(folder) == []
    assert snapshot(folder) == (before if step == "staged" else after)
    assert report.moved == {"staged": 0, "journal": 21, "move-1": 20, "move-7": 14, "move-21": 0, "moved": 0}[step]


def test_random_kills_end_before_or_after(tmp_path):
    rng = random.Random(13)
    folder = _folder(tmp_path, n=400)
    before = snapshot(folder)
    for _ in range(6):
        _restore(folder, before)
        run_killed(_change, folder, 400, after=rng.uniform(0.0, 0.08))
        recover(folder)
        state = snapshot(folder)
        changed = {name for name in state if state[name] != before.get(name)}
        assert changed in (set(), {f"r{i:03d}.json" for i in range(0, 400, 2)} | {"new.json"})
        assert hidden(folder) == []


def test_commit_files_writes_changed_files_per_folder(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x.json").write_bytes(b"same")
    n = commit_files([(a / "x.json", b"same"), (a / "y.json", b"y"), (b / "z.json", b"z")], kind="migrate")
    assert n == 2
    assert snapshot(a) == {"x.json": b"same", "y.json": b"y"} and snapshot(b) == {"z.json": b"z"}
    with pytest.raises(ValueError):
        commit_files([(a / ".hidden.json", b"")], kind="migrate")
    with pytest.raises(ValueError):
        staging_folder(a, "build")
