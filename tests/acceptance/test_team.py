"""A team at work: two imports at once (one export per annotator) keep both annotators in
every record; a writer waits for another with one notice, or gives up with a one-line
error after the timeout."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newscorpus.records.io import iter_record_paths, read_record
from newscorpus.records.lock import TIMEOUT_ENV, corpus_lock

from tests.support.team import ANNOTATORS, cli, cli_process, copy_folder, hidden, make_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("team"), 40)


def _annotators(folder: Path) -> list[set[str]]:
    return [{a.annotator for a in read_record(p).annotations} for p in iter_record_paths(folder)]


@pytest.mark.parametrize("trial", range(3))
def test_two_imports_at_once_keep_both_annotators_in_every_record(corpus, tmp_path, trial):
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    runs = [cli_process("import", str(corpus / f"export-{user}.json"), "--annotations", str(folder)) for user in ANNOTATORS]
    outs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outs
    assert _annotators(folder) == [{f"ls-{user}" for user in ANNOTATORS}] * 40
    assert hidden(folder) == []
    assert cli("validate", str(folder)).returncode == 0


def test_a_writer_waits_with_one_notice_and_goes_on(corpus, tmp_path):
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    with corpus_lock(folder):
        run = cli_process("import", str(corpus / "export-3.json"), "--annotations", str(folder))
        time.sleep(3)
        assert run.poll() is None  # waiting
    out, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    assert err == f"waiting for the lock on {folder}/ held by another newscorpus command...\n"
    assert out.endswith("40 record(s) written, 0 unchanged\n")


def test_a_writer_gives_up_after_the_timeout_and_writes_nothing(corpus, tmp_path):
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    with corpus_lock(folder):
        proc = cli("import", str(corpus / "export-3.json"), "--annotations", str(folder), env={TIMEOUT_ENV: "1"})
        readers = cli("validate", str(folder), env={TIMEOUT_ENV: "1"})
    assert proc.returncode == 1
    assert proc.stderr == (f"waiting for the lock on {folder}/ held by another newscorpus command...\n"
                           f"error: {folder}::$: another newscorpus command has held the lock for 1 s; nothing was done "
                           f"(hint: wait for it to finish, or set {TIMEOUT_ENV} to wait longer)\n")
    assert _annotators(folder) == [set()] * 40
    assert readers.returncode == 1 and readers.stderr.splitlines()[-1].startswith(f"error: {folder}::$: another newscorpus command")


def test_import_and_adjudicate_at_once_lose_nothing(corpus, tmp_path):
    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    runs = [cli_process("import", str(corpus / "export.json"), "--annotations", str(folder)),
            cli_process("adjudicate", "--annotations", str(folder))]
    outs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outs
    assert _annotators(folder) == [{f"ls-{user}" for user in ANNOTATORS}] * 40


def test_a_build_during_an_import_reads_the_records_before_or_after(corpus, tmp_path):
    from tests.support.team import snapshot

    folder = copy_folder(corpus / "annotations", tmp_path / "annotations")
    dist = tmp_path / "dist"
    assert cli("build", "--annotations", str(folder), "--out", str(dist / "before")).returncode == 0
    imported = copy_folder(folder, tmp_path / "imported")
    assert cli("import", str(corpus / "export.json"), "--annotations", str(imported)).returncode == 0
    assert cli("build", "--annotations", str(imported), "--out", str(dist / "after")).returncode == 0
    runs = [cli_process("import", str(corpus / "export.json"), "--annotations", str(folder)),
            cli_process("build", "--annotations", str(folder), "--out", str(dist / "during"))]
    outs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outs
    assert snapshot(dist / "during") in (snapshot(dist / "before"), snapshot(dist / "after"))
