"""The lock of a folder of records: one holder at a time across processes and threads, a
timeout with a one-line error, one notice while waiting, nothing left behind, and a lock
that a killed holder does not keep."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from newscorpus.errors import LockError
from newscorpus.records.lock import LOCK_NAME, TIMEOUT_ENV, corpus_lock, lock_timeout

from tests.support.team import run_killed


def _hold(folder: Path, seconds: float) -> None:
    with corpus_lock(folder):
        (folder / "held").write_text("yes")
        time.sleep(seconds)


def test_the_lock_file_exists_only_while_held_and_nests_in_one_thread(tmp_path):
    with corpus_lock(tmp_path) as held:
        assert held is True
        assert (tmp_path / LOCK_NAME).exists()
        with corpus_lock(tmp_path):  # ls pull holds it and calls the import, which takes it again
            assert (tmp_path / LOCK_NAME).exists()
        assert (tmp_path / LOCK_NAME).exists()
    assert list(tmp_path.iterdir()) == []


def test_a_second_process_times_out_with_a_one_line_error_and_one_notice(tmp_path, caplog):
    import multiprocessing

    ready = multiprocessing.get_context("fork").Event()

    def hold():
        with corpus_lock(tmp_path):
            ready.set()
            time.sleep(30)

    child = multiprocessing.get_context("fork").Process(target=hold)
    child.start()
    try:
        assert ready.wait(20)
        start = time.monotonic()
        with caplog.at_level("INFO", logger="newscorpus.lock"), pytest.raises(LockError) as err:
            with corpus_lock(tmp_path, timeout=0.5):
                pass
        assert 0.4 < time.monotonic() - start < 5
    finally:
        child.kill()
        child.join()
    assert err.value.code == "lock-timeout"
    assert str(err.value) == (f"{tmp_path}::$: another newscorpus command has held the lock for 0.5 s; nothing was done "
                              f"(hint: wait for it to finish, or set {TIMEOUT_ENV} to wait longer)")
    assert [r.getMessage() for r in caplog.records] == [
        f"waiting for the lock on {tmp_path}/ held by another newscorpus command..."]


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    assert run_killed(_hold, tmp_path, 60, after=1.5) == -9
    assert (tmp_path / "held").exists()  # it held the lock when it was killed
    start = time.monotonic()
    with corpus_lock(tmp_path, timeout=5):
        assert time.monotonic() - start < 1
    assert not (tmp_path / LOCK_NAME).exists()


def test_threads_of_one_process_take_turns(tmp_path):
    counter = tmp_path / "counter"
    counter.write_text("0")

    def work():
        for _ in range(50):
            with corpus_lock(tmp_path, timeout=30):
                value = int(counter.read_text())
                time.sleep(0.0005)
                counter.write_text(str(value + 1))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert counter.read_text() == "200"


def test_the_timeout_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    assert lock_timeout() == 600.0
    monkeypatch.setenv(TIMEOUT_ENV, "2.5")
    assert lock_timeout() == 2.5
    for bad in ("soon", "-1", "inf", "nan"):
        monkeypatch.setenv(TIMEOUT_ENV, bad)
        with pytest.raises(LockError) as err:
            lock_timeout()
        assert err.value.code == "bad-lock-timeout"


def test_a_reader_of_a_missing_folder_reads_without_a_lock(tmp_path):
    with corpus_lock(tmp_path / "missing", reading=True) as held:
        assert held is False
    with pytest.raises(LockError) as err, corpus_lock(tmp_path / "missing"):
        pass
    assert err.value.code == "lock-unavailable"
    assert list(tmp_path.iterdir()) == []  # no folder made
