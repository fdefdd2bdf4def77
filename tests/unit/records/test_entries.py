"""Only regular files are records: links, FIFOs, devices and folders named ``*.json`` are
errors with their own codes, found without opening them; leftovers of killed commands are
errors for ``validate`` (which changes nothing) and are removed by ``recover``."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from newscorpus.errors import IngestError, RecordError
from newscorpus.importers.run import import_export
from newscorpus.ingest.run import ingest_all
from newscorpus.records.access import recover_folder
from newscorpus.records.entries import JOURNAL_NAME, scan_folder
from newscorpus.records.io import read_record
from newscorpus.validate.run import validate_paths

from tests.support import SMALL_TEXT, write_seed
from tests.support.team import cli, hidden, snapshot


def _bad_entries(folder: Path) -> None:
    os.mkfifo(folder / "fifo.json")
    (folder / "zero.json").symlink_to("/dev/zero")
    (folder / "dangling.json").symlink_to(folder / "nowhere.json")
    (folder / "dir.json").mkdir()


@pytest.mark.parametrize("entry", ["fifo", "zero"])
def test_validate_exits_1_within_seconds_on_a_fifo_or_a_link_to_dev_zero(small_corpus, entry):
    if entry == "fifo":
        os.mkfifo(small_corpus / "x.json")
        code = "record-special-file"
    else:
        (small_corpus / "x.json").symlink_to("/dev/zero")
        code = "record-symlink"
    start = time.monotonic()
    proc = cli("validate", str(small_corpus), "--format", "json", timeout=60)
    assert time.monotonic() - start < 30
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert [(e["file"], e["rule"]) for e in report["errors"]] == [(str(small_corpus / "x.json"), code)]


def test_every_kind_of_entry_has_its_code(small_corpus):
    _bad_entries(small_corpus)
    result = validate_paths([small_corpus])
    got = [(Path(v.file).name, v.rule, v.message) for v in result.violations]
    assert got == [
        ("dangling.json", "record-symlink", "a record file must be a regular file; this is a symbolic link"),
        ("dir.json", "record-folder", "a record file must be a regular file; this is a folder"),
        ("fifo.json", "record-special-file", "a record file must be a regular file; this is a FIFO"),
        ("zero.json", "record-symlink", "a record file must be a regular file; this is a symbolic link"),
    ]
    assert [f.valid for f in result.files] == [False, False, False, True, False]  # small.json is valid


def test_readers_name_the_entry_and_writers_refuse_the_folder(tmp_path, small_corpus):
    (small_corpus / "zero.json").symlink_to("/dev/zero")
    with pytest.raises(RecordError) as err:
        read_record(small_corpus / "zero.json")
    assert err.value.code == "record-symlink"
    before = snapshot(small_corpus)
    export = tmp_path / "export.json"
    export.write_text("[]", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        import_export(export, annotations_dir=small_corpus)
    assert err.value.code == "record-symlink"
    assert str(err.value).startswith(f"{small_corpus / 'zero.json'}::$: a record file must be a regular file; this is a symbolic link")
    assert snapshot(small_corpus) == before


def test_a_seed_that_is_a_link_or_a_fifo_is_refused_at_ingest(tmp_path):
    seeds = tmp_path / "seeds"
    real = write_seed(tmp_path / "elsewhere", "real", SMALL_TEXT)
    seeds.mkdir()
    (seeds / "linked.txt").symlink_to(real)
    (seeds / "linked.meta.json").write_bytes((tmp_path / "elsewhere" / "real.meta.json").read_bytes())
    with pytest.raises(IngestError) as err:
        ingest_all(seeds, annotations_dir=tmp_path / "annotations")
    assert err.value.code == "seed-symlink"
    assert str(err.value).startswith(f"{seeds / 'linked.txt'}::$: a seed file must be a regular file; this is a symbolic link")
    assert not (tmp_path / "annotations").exists()  # nothing written, not even the folder
    (seeds / "linked.txt").unlink()
    write_seed(seeds, "piped", SMALL_TEXT)
    (seeds / "piped.meta.json").unlink()
    os.mkfifo(seeds / "piped.meta.json")
    with pytest.raises(IngestError) as err:
        ingest_all(seeds, annotations_dir=tmp_path / "annotations")
    assert err.value.code == "seed-special-file"


def _leftovers(folder: Path) -> None:
    (folder / ".import-k2j4").mkdir()
    (folder / ".import-k2j4" / "small.json").write_text("{}")
    (folder / ".small.json.x81.tmp").write_text("{")


def test_validate_reports_leftovers_and_changes_nothing(small_corpus):
    _leftovers(small_corpus)
    (small_corpus / JOURNAL_NAME).write_text(json.dumps({"format": "newscorpus-journal/1", "staging": ".ingest-zz", "suffix": ".json"}))
    before = snapshot(small_corpus)
    result = validate_paths([small_corpus])
    assert [(Path(v.file).name, v.rule) for v in result.violations] == [
        (JOURNAL_NAME, "interrupted-change"), (".import-k2j4", "leftover-staging"), (".small.json.x81.tmp", "leftover-staging")]
    assert result.violations[1].message == "a staging folder left by an interrupted command: run `newscorpus recover` to remove it"
    assert snapshot(small_corpus) == before
    scan = scan_folder(small_corpus)
    assert (scan.journal, scan.leftovers, scan.irregular) == (
        True, [(".import-k2j4", "a staging folder"), (".small.json.x81.tmp", "a temporary file")], [])


def test_recover_removes_leftovers_and_every_writer_does_it_first(small_corpus, tmp_path):
    record = (small_corpus / "small.json").read_bytes()
    _leftovers(small_corpus)
    proc = cli("recover", "--annotations", str(small_corpus))
    assert (proc.returncode, proc.stdout) == (0, f"{small_corpus}: 0 staged record(s) moved in, 2 leftover(s) removed\n")
    assert hidden(small_corpus) == [] and (small_corpus / "small.json").read_bytes() == record
    _leftovers(small_corpus)
    export = tmp_path / "export.json"
    export.write_text("[]", encoding="utf-8")
    import_export(export, annotations_dir=small_corpus)
    assert hidden(small_corpus) == []
    assert recover_folder(small_corpus).removed == []


def test_a_journal_newscorpus_did_not_write_is_refused(small_corpus):
    (small_corpus / JOURNAL_NAME).write_text('{"staging": "../../etc"}')
    proc = cli("recover", "--annotations", str(small_corpus))
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"error: {small_corpus / JOURNAL_NAME}::$: this is not a journal newscorpus wrote")
