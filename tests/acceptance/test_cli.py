"""The command line: thin over the library, one-line errors, exit codes, help."""

from __future__ import annotations

import json

from click.testing import CliRunner

from newscorpus.cli import cli

from tests.support import SMALL_TEXT


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_help_lists_the_pipeline():
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("ingest", "tasks", "import"):
        assert f"  {command}" in result.output
    assert "code points" in result.output
    assert "--offset-unit" in invoke("import", "--help").output


def test_ingest_tasks_import_round(tmp_path, small_corpus):
    out = tmp_path / "ls"
    result = invoke("tasks", "--annotations", small_corpus, "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out / 'label_config.xml'} and {out / 'tasks.json'} (1 task(s))\n"
    task = json.loads((out / "tasks.json").read_text(encoding="utf-8"))[0]
    task.update(id=1, annotations=[{"id": 2, "completed_by": 9, "was_cancelled": False, "result": [
        {"id": "y", "from_name": "entity", "to_name": "text", "type": "labels",
         "value": {"start": 81, "end": 88, "text": " Yangon", "labels": ["GPE"]}}]}])
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(export), "--annotations", str(small_corpus)])
    assert result.exit_code == 0
    assert result.stdout == "imported 1 task(s) (1 submitted, 0 cancelled, 0 draft); 1 record(s) written, 0 unchanged\n"
    assert result.stderr.startswith(f"warning: {export}::$[0].annotations[0].result: task 1 (article small), annotation 2:"
                                    " whitespace trimmed from span edges: y [81, 88) -> [82, 88)")
    record = json.loads((small_corpus / "small.json").read_text(encoding="utf-8"))
    assert record["gold"]["spans"] == [{"id": "y", "layer": "entity", "label": "GPE", "start": 82, "end": 88, "text": "Yangon"}]
    assert SMALL_TEXT[82:88] == "Yangon"


def test_import_error_is_one_line_and_exit_1(tmp_path, small_corpus):
    export = tmp_path / "export.json"
    export.write_text('[{"id": 1, "data": {"text": "x", "article_id": "small", "text_sha256": "00"}}]', encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(export), "--annotations", str(small_corpus)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {export}::$[0].data.text_sha256: task 1 (article small): data.text_sha256 differs")


def test_ingest_error_names_the_file(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_bytes(b"\xff\xfe")
    result = CliRunner().invoke(cli, ["ingest", str(seeds), "--annotations", str(tmp_path / "ann")])
    assert result.exit_code == 1
    assert result.stderr == f"error: {seeds / 'a.txt'}::$: not UTF-8: byte 0 (0xff) cannot be decoded (hint: convert the file to UTF-8 before ingesting it)\n"
    assert not (tmp_path / "ann").exists()


def test_written_files_follow_the_umask(tmp_path):
    import os

    from newscorpus.util.fileio import atomic_write_text

    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "a.json", "{}\n")
    finally:
        os.umask(old)
    assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o644
    (tmp_path / "a.json").chmod(0o640)
    atomic_write_text(tmp_path / "a.json", "[]\n")
    assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o640


def test_public_surface_resolves():
    import newscorpus

    for name in newscorpus.__all__:
        assert getattr(newscorpus, name) is not None, name
    assert newscorpus.SCHEMA_VERSION == "1.2.0"
