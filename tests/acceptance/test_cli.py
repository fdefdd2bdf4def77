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
    assert newscorpus.SCHEMA_VERSION == "1.3.0"


def _custom_scheme(folder):
    """A corpus scheme: the packaged one with a VEHICLE entity label, named my-news 2.0.0."""
    import yaml
    from importlib import resources

    data = yaml.safe_load((resources.files("newscorpus") / "data" / "scheme.yaml").read_text(encoding="utf-8"))
    data.update(name="my-news", version="2.0.0")
    next(layer for layer in data["layers"] if layer["name"] == "entity")["labels"].append(
        {"name": "VEHICLE", "definition": "Cars, ships, aircraft."})
    (folder / "scheme.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_a_corpus_scheme_from_the_configuration_reaches_ingest_tasks_and_validate(tmp_path, monkeypatch):
    from tests.support import write_seed

    corpus = tmp_path / "corpus"
    write_seed(corpus / "articles", "small", SMALL_TEXT)
    _custom_scheme(corpus)
    (corpus / "newscorpus.toml").write_text('[corpus]\nscheme = "scheme.yaml"\n\n[paths]\nseeds = "articles"\nannotations = "records"\n',
                                            encoding="utf-8")
    monkeypatch.chdir(corpus)
    result = CliRunner().invoke(cli, ["ingest"])
    assert (result.exit_code, result.stdout) == (0, "ingested 1 article(s): 1 new, 0 updated, 0 unchanged\n")
    record = json.loads((corpus / "records" / "small.json").read_text(encoding="utf-8"))
    assert record["scheme"] == {"name": "my-news", "version": "2.0.0"}
    assert invoke("tasks", "--out", "ls").exit_code == 0
    assert '<Label value="VEHICLE"' in (corpus / "ls" / "label_config.xml").read_text(encoding="utf-8")

    start = SMALL_TEXT.index("Café")
    record["gold"] = {"method": "adjudicated", "decided_by": "ls-1", "from_annotations": [], "article_labels": {}, "sentence_labels": [],
                      "spans": [{"id": "v", "layer": "entity", "label": "VEHICLE", "start": start, "end": start + 4, "text": "Café"}],
                      "relations": []}
    (corpus / "records" / "small.json").write_text(json.dumps(record), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate"])
    assert (result.exit_code, result.stdout) == (0, "valid: 1 file checked, no errors\n")
    # the same record under the packaged scheme: another scheme, refused before its labels are read
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", str(corpus / "records")])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{corpus / 'records' / 'small.json'}::$.scheme.name: the record follows the scheme 'my-news', the scheme in use is "
        "'newscorpus-default' 2.0.0; use the record's scheme (newscorpus.toml, [corpus] scheme), or change $.scheme if its "
        "labels fit this one [scheme-mismatch]")
    result = CliRunner().invoke(cli, ["--config", str(corpus / "newscorpus.toml"), "validate"])
    assert (result.exit_code, result.stdout) == (0, "valid: 1 file checked, no errors\n")


def test_without_a_configuration_file_the_defaults_apply(tmp_path, monkeypatch, small_corpus):
    monkeypatch.chdir(small_corpus.parent)
    assert not (small_corpus.parent / "newscorpus.toml").exists()
    result = CliRunner().invoke(cli, ["validate"])
    assert (result.exit_code, result.stdout) == (0, "valid: 1 file checked, no errors\n")
    assert json.loads((small_corpus / "small.json").read_text(encoding="utf-8"))["scheme"] == {"name": "newscorpus-default", "version": "2.0.0"}


def test_a_wrong_key_or_value_in_the_configuration_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "newscorpus.toml").write_text('[paths]\nseed = "articles"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate"])
    assert (result.exit_code, result.stderr) == (1, "error: newscorpus.toml::paths.seed: unknown key (allowed: seeds, annotations, dataset)\n")
    (tmp_path / "newscorpus.toml").write_text('[segmenter]\nname = "stanza"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest"])
    assert (result.exit_code, result.stderr) == (1, "error: newscorpus.toml::segmenter.name: 'stanza' is not one of 'spacy.sentencizer+news'\n")
    (tmp_path / "newscorpus.toml").write_text('[corpus]\nscheme = "scheme.yaml"\n', encoding="utf-8")
    (tmp_path / "scheme.yaml").write_text("name: x\nversion: '1'\nlayers:\n  - {name: text, level: span, source: s, labels: [{name: A, definition: a}]}\n",
                                          encoding="utf-8")
    result = CliRunner().invoke(cli, ["tasks"])
    assert (result.exit_code, result.stderr) == (1, "error: scheme.yaml::$.layers[0].name: layer name 'text' is reserved: the Label Studio "
                                                    "label config has a control of that name (reserved: note, sentence, span_note, text); "
                                                    "rename the layer\n")
    result = CliRunner().invoke(cli, ["--config", "other.toml", "migrate"])
    assert (result.exit_code, result.stderr) == (1, "error: other.toml::$: no such configuration file\n")
    assert "--config" in invoke("--help").output and "newscorpus.toml" in invoke("build", "--help").output


# --- errors a command did not foresee are one line too (issue 13, item 7) -----------------


def test_a_name_too_long_is_one_line(tmp_path):
    from tests.support import write_seed

    write_seed(tmp_path / "seeds", "small", SMALL_TEXT)
    target = tmp_path / ("a" * 300)
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "seeds"), "--annotations", str(target)])
    assert result.exit_code == 1
    assert result.stderr == f"error: {target}::$: File name too long\n"


def test_an_agreement_file_that_is_not_utf8_json_is_one_line(tmp_path, small_corpus):
    bad = tmp_path / "agreement.json"
    bad.write_bytes(b"\xff\xfe{}")
    result = CliRunner().invoke(cli, ["build", "--annotations", str(small_corpus), "--out", str(tmp_path / "out"), "--agreement", str(bad)])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {bad}::$: not an agreement.json of `newscorpus agreement`: "
                             "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte\n")
    assert not (tmp_path / "out").exists()


def test_a_deeply_nested_sidecar_is_one_line(tmp_path):
    from tests.support import write_seed

    path = write_seed(tmp_path / "seeds", "deep", SMALL_TEXT)
    meta = path.with_suffix(".meta.json")
    meta.write_text('{"title": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "seeds"), "--annotations", str(tmp_path / "ann")])
    assert result.exit_code == 1
    assert result.stderr == f"error: {meta}::$: not a metadata object: nested too deeply\n"


def test_a_local_build_holding_restricted_text_follows_the_umask(tmp_path, small_corpus):
    import os
    import stat

    old = os.umask(0o077)
    try:
        result = invoke("build", "--annotations", small_corpus, "--out", tmp_path / "out")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    modes = {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert modes == {0o600}
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700
