"""Migrations: a real 1.0.0 record upgrades to the current version, in place, atomically;
read_record migrates in memory; a newer record asks for a newer newscorpus; a record of
1.1.0 gains the packaged scheme's name and version (1.2.0)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newscorpus.errors import RecordError, SchemaVersionError
from newscorpus.records.migrate import migrate_paths
from newscorpus.records.versions import MIGRATIONS, SCHEME_BEFORE_1_2_0, migrate_data
from newscorpus.core.models import SCHEMA_VERSION, ArticleRecord
from newscorpus.core.scheme import default_scheme
from newscorpus.records.io import dump_record, read_record
from newscorpus.validate.run import validate_paths

from tests.support import REPO
ROOT = REPO
OLD = ROOT / "tests" / "cases" / "migrate" / "1.0.0" / "000_ba712161f3bc6069.json"
NAME = OLD.name
SCHEME = default_scheme()
SCHEME_KEY = '\n  "scheme": {\n    "name": "newscorpus-default",\n    "version": "2.0.0"\n  },'


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "annotations"
    target.mkdir()
    shutil.copy(OLD, target / NAME)
    return target


def test_the_old_record_is_a_valid_1_0_0_record():
    data = json.loads(OLD.read_text(encoding="utf-8"))
    assert data["schema_version"] == "1.0.0"
    assert [(v.rule, v.message) for v in validate_paths([OLD]).violations] == [
        ("outdated-schema-version", f"1.0.0 is older than the current {SCHEMA_VERSION}: run `newscorpus migrate {OLD}`")
    ]


def test_migrate_data_is_pure_and_chains_to_current():
    data = json.loads(OLD.read_text(encoding="utf-8"))
    new, steps = migrate_data(data)
    assert data["schema_version"] == "1.0.0"
    assert [(s.source, s.target) for s in steps] == [("1.0.0", "1.1.0"), ("1.1.0", "1.2.0"), ("1.2.0", "1.3.0")]
    assert new["schema_version"] == SCHEMA_VERSION == "1.3.0"
    assert new["scheme"] == {"name": "newscorpus-default", "version": "1.0.0"} and "scheme" not in data
    assert migrate_data(new) == (new, [])


def test_migrate_in_place_then_valid_and_only_the_version_changed(folder):
    before = (folder / NAME).read_text(encoding="utf-8")
    report = migrate_paths([folder], scheme=SCHEME)
    assert [(f.file, f.source) for f in report.pending] == [(str(folder / NAME), "1.0.0")]
    assert report.lines() == [f"{folder / NAME}: migrated 1.0.0 -> 1.3.0", "1 of 1 record(s) migrated; current schema 1.3.0"]
    after = (folder / NAME).read_text(encoding="utf-8")
    assert after == before.replace('"schema_version": "1.0.0",', '"schema_version": "1.3.0",' + SCHEME_KEY, 1)
    assert validate_paths([folder]).valid
    again = migrate_paths([folder], scheme=SCHEME)
    assert again.pending == [] and (folder / NAME).read_text(encoding="utf-8") == after


def test_check_reports_without_writing(folder):
    before = (folder / NAME).read_bytes()
    report = migrate_paths([folder], scheme=SCHEME, check=True)
    assert [f.source for f in report.pending] == ["1.0.0"] and not report.written
    assert report.lines()[-1] == "1 of 1 record(s) to migrate; current schema 1.3.0"
    assert (folder / NAME).read_bytes() == before


def test_nothing_is_written_when_one_record_cannot_migrate(folder):
    bad = json.loads(OLD.read_text(encoding="utf-8"))
    bad["id"] = "other"
    bad["sentences"][0]["start"] = -1
    (folder / "other.json").write_text(json.dumps(bad), encoding="utf-8")
    before = (folder / NAME).read_bytes()
    with pytest.raises(RecordError) as info:
        migrate_paths([folder], scheme=SCHEME)
    assert info.value.code == "invalid-record"
    assert str(info.value).startswith(f"{folder / 'other.json'}::$.sentences[0].start: after migration to 1.3.0: Input should be greater than or equal to 0")
    assert (folder / NAME).read_bytes() == before


def test_unknown_versions_are_refused(folder):
    data = json.loads(OLD.read_text(encoding="utf-8"))
    data["schema_version"] = "0.9.0"
    with pytest.raises(SchemaVersionError) as info:
        migrate_data(data, file="x.json")
    assert str(info.value) == "x.json::$.schema_version: no migration from schema_version 0.9.0 to 1.3.0 (hint: versions that migrate: 1.0.0, 1.1.0, 1.2.0)"
    data["schema_version"] = "1.4.0"
    (folder / NAME).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SchemaVersionError) as info:
        read_record(folder / NAME)
    assert "newer than this newscorpus supports (1.3.0)" in str(info.value)
    assert "upgrade newscorpus" in str(info.value)


def test_read_record_migrates_in_memory(folder):
    record = read_record(folder / NAME)
    assert record.schema_version == SCHEMA_VERSION
    assert (folder / NAME).read_text(encoding="utf-8").count('"schema_version": "1.0.0"') == 1  # file untouched


def test_notes_round_trip_and_are_omitted_when_null():
    record = ArticleRecord.model_validate(migrate_data(json.loads(OLD.read_text(encoding="utf-8")))[0])
    assert '"note"' not in dump_record(record, SCHEME)
    record.annotations[0].note = "Is 'border defense system' a FAC?"
    record.annotations[0].spans[0].note = "UN: ORG"
    text = dump_record(record, SCHEME)
    again = ArticleRecord.model_validate(json.loads(text))
    assert again.annotations[0].note == "Is 'border defense system' a FAC?"
    assert again.annotations[0].spans[0].note == "UN: ORG"
    assert again.gold.spans[0].note is None
    assert dump_record(again, SCHEME) == text


def test_cli_migrate_check_then_migrate(folder):
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "newscorpus.cli", "migrate", *args], capture_output=True, text=True, cwd=folder.parent, env=env)
    check = run("--check")
    assert (check.returncode, check.stdout) == (1, f"annotations/{NAME}: needs migration 1.0.0 -> 1.3.0\n1 of 1 record(s) to migrate; current schema 1.3.0\n")
    assert run().returncode == 0
    assert run("--check").returncode == 0
    missing = run("nope")
    assert (missing.returncode, missing.stderr) == (1, "error: nope::$: no such file or folder\n")


def test_every_step_is_registered_under_its_source():
    assert all(key == step.source for key, step in MIGRATIONS.items())


def test_a_1_1_0_record_follows_the_packaged_scheme():
    data = json.loads(OLD.read_text(encoding="utf-8"))
    data["schema_version"] = "1.1.0"
    new, steps = migrate_data(data)
    assert [(s.source, s.target, s.summary) for s in steps] == [("1.1.0", "1.2.0", "optional `scheme` (name, version) the record follows"), ("1.2.0", "1.3.0", "optional `revisions`: the corrections of the text")]
    assert new["scheme"] == SCHEME_BEFORE_1_2_0 == {"name": SCHEME.name, "version": "1.0.0"}
    assert ArticleRecord.model_validate(new).scheme.model_dump() == SCHEME_BEFORE_1_2_0


def test_migrating_under_another_scheme_is_refused_and_writes_nothing(folder):
    other = SCHEME.model_copy(update={"name": "my-scheme"})
    before = (folder / NAME).read_bytes()
    with pytest.raises(RecordError) as info:
        migrate_paths([folder], scheme=other)
    assert str(info.value) == (
        f"{folder / NAME}::$.scheme.name: the record follows the scheme 'newscorpus-default', the scheme in use is "
        "'my-scheme' 2.0.0 (hint: use the record's scheme (newscorpus.toml, [corpus] scheme), or change $.scheme if its "
        "labels fit this one)"
    )
    assert info.value.code == "scheme-mismatch"
    assert (folder / NAME).read_bytes() == before


def test_a_1_2_0_record_is_a_1_3_0_record_without_revisions():
    data = json.loads(OLD.read_text(encoding="utf-8"))
    data["schema_version"] = "1.2.0"
    data["scheme"] = {"name": SCHEME.name, "version": SCHEME.version}
    new, steps = migrate_data(data)
    assert [(s.source, s.target, s.summary) for s in steps] == [("1.2.0", "1.3.0", "optional `revisions`: the corrections of the text")]
    assert new == {**data, "schema_version": "1.3.0"}
    record = ArticleRecord.model_validate(new)
    assert record.revisions == []
    assert '"revisions"' not in dump_record(record, SCHEME)  # omitted when empty: only the version changes
