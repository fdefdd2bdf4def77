"""The built folder is swapped in whole: a reader never finds the path missing, and what a
killed build left beside it is repaired before the next build."""

from __future__ import annotations

import os
import threading

from newscorpus.util.swap import recover_swap, swap_in


def _folder(path, text):
    path.mkdir()
    (path / "README.md").write_text(text)
    return path


def test_the_path_is_never_missing_while_folders_are_swapped_in(tmp_path):
    out = _folder(tmp_path / "dataset", "0")
    missing = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            if not os.path.isdir(out):
                missing.append(1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for i in range(1, 300):
            swap_in(_folder(tmp_path / f".dataset.tmp-{i}", str(i)), out)
    finally:
        stop.set()
        watcher.join()
    assert missing == []
    assert (out / "README.md").read_text() == "299"
    assert sorted(os.listdir(tmp_path)) == ["dataset"]


def test_a_first_build_just_moves_in(tmp_path):
    swap_in(_folder(tmp_path / ".dataset.tmp-1", "new"), tmp_path / "dataset")
    assert sorted(os.listdir(tmp_path)) == ["dataset"]


def test_recovery_puts_an_old_folder_set_aside_back_and_removes_the_rest(tmp_path):
    aside = tmp_path / ".dataset.old-x1"
    aside.mkdir()
    _folder(aside / "dataset", "old")
    _folder(tmp_path / ".dataset.tmp-y2", "half built")
    (tmp_path / "other").mkdir()
    removed = recover_swap(tmp_path / "dataset")
    assert removed == [".dataset.old-x1", ".dataset.tmp-y2"]
    assert (tmp_path / "dataset" / "README.md").read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["dataset", "other"]
    assert recover_swap(tmp_path / "dataset") == [] and recover_swap(tmp_path / "nowhere" / "dataset") == []
