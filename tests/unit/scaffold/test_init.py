"""``newscorpus init``: the files of a new corpus repository, what they hold, and bad input
(a folder that is not empty, a file in the way, a bad scheme)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from newscorpus.cli import cli
from newscorpus.config import Config, read_config
from newscorpus.core.models import SCHEMA_VERSION
from newscorpus.core.scheme import default_scheme, load_scheme
from newscorpus.errors import ScaffoldError, SchemeError
from newscorpus.scaffold.corpus import corpus_files, init_corpus
from newscorpus.schema.generate import build_schema, dump_schema

from tests.support import REPO

SCHEMA_FILE = f"schema/{SCHEMA_VERSION}/article.schema.json"
FILES = [
    ".github/workflows/validate.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    "annotations/README.md",
    "newscorpus.toml",
    SCHEMA_FILE,
    "scheme.yaml",
    "seeds/README.md",
]
THREE_LABELS = {
    "name": "acme-ner",
    "version": "0.1.0",
    "layers": [{"name": "ner", "level": "span", "overlap": False, "source": "ACME guidelines",
                "labels": [{"name": n, "definition": f"a {n}"} for n in ("PER", "ORG", "LOC")]}],
}


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_init_writes_the_corpus_files(tmp_path):
    root = tmp_path / "my-corpus"
    report = init_corpus(root)
    assert [p.as_posix() for p in report.created] == FILES and report.kept == []
    assert _tree(root) == FILES
    for rel in FILES:
        assert not re.search(r"@[A-Z_]+@", (root / rel).read_text(encoding="utf-8")), rel  # every placeholder filled
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# my-corpus\n")
    assert "newscorpus ingest && newscorpus validate" in readme and "newscorpus build" in readme


def test_the_scheme_is_the_packaged_one_and_the_schema_is_generated_from_it(tmp_path):
    init_corpus(tmp_path / "c")
    assert load_scheme(tmp_path / "c" / "scheme.yaml") == default_scheme()
    assert (tmp_path / "c" / SCHEMA_FILE).read_text(encoding="utf-8") == dump_schema(build_schema(default_scheme()))


def test_a_scheme_given_is_copied_byte_for_byte(tmp_path):
    given = tmp_path / "acme.yaml"
    given.write_text("# ACME's scheme\n" + yaml.safe_dump(THREE_LABELS, sort_keys=False), encoding="utf-8")
    init_corpus(tmp_path / "c", scheme_file=given)
    assert (tmp_path / "c" / "scheme.yaml").read_bytes() == given.read_bytes()
    scheme = load_scheme(given)
    assert (tmp_path / "c" / SCHEMA_FILE).read_text(encoding="utf-8") == dump_schema(build_schema(scheme))
    config = read_config(tmp_path / "c" / "newscorpus.toml")
    assert config.corpus.scheme == tmp_path / "c" / "scheme.yaml"


def test_a_bad_scheme_writes_nothing(tmp_path):
    given = tmp_path / "bad.yaml"
    given.write_text(yaml.safe_dump({**THREE_LABELS, "layers": [{**THREE_LABELS["layers"][0], "name": "text"}]}), encoding="utf-8")
    with pytest.raises(SchemeError) as err:
        init_corpus(tmp_path / "c", scheme_file=given)
    assert (err.value.code, err.value.where) == ("scheme-reserved-name", "$.layers[0].name")
    assert not (tmp_path / "c").exists()


def test_the_configuration_names_the_scheme_and_shows_every_other_key_with_its_default(tmp_path):
    init_corpus(tmp_path / "c")
    toml = (tmp_path / "c" / "newscorpus.toml").read_text(encoding="utf-8")
    config = read_config(tmp_path / "c" / "newscorpus.toml")
    assert config.model_dump(exclude={"corpus", "paths"}) == Config().model_dump(exclude={"corpus", "paths"})
    assert config.paths.model_dump() == {k: tmp_path / "c" / v for k, v in Config().paths.model_dump().items()}
    assert config.corpus.scheme == tmp_path / "c" / "scheme.yaml"
    # uncommenting every `# key = value` line gives the defaults, and names every key of every section
    data = tomllib.loads(re.sub(r"(?m)^# (?=\w+ = )", "", toml))
    got, defaults = Config.model_validate(data).model_dump(exclude={"corpus"}), Config().model_dump(exclude={"corpus"})
    # a key whose default is none ([labelstudio] server) shows an example value instead
    assert got == {s: {k: got[s][k] if v is None else v for k, v in keys.items()} for s, keys in defaults.items()}
    assert {s: set(v) for s, v in data.items()} == {s: set(f.annotation.model_fields) for s, f in Config.model_fields.items()}


def test_gitignore_holds_the_lock_journal_and_staging_patterns_of_the_repository(tmp_path):
    init_corpus(tmp_path / "c")
    ours = (REPO / ".gitignore").read_text(encoding="utf-8").split("# newscorpus in a folder of records", 1)[1].split("\n", 1)[1]
    patterns = [line for line in ours.splitlines() if line and not line.startswith("#")]
    assert patterns and "dist/" not in patterns
    corpus = (tmp_path / "c" / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert set(patterns + ["dist/"]) <= set(corpus)


def test_pre_commit_config_runs_the_repository_hook_with_the_installed_newscorpus(tmp_path):
    init_corpus(tmp_path / "c")
    exe = Path(sys.executable).with_name("pre-commit")
    proc = subprocess.run([str(exe), "validate-config", ".pre-commit-config.yaml"], cwd=tmp_path / "c", capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (repo,) = yaml.safe_load((tmp_path / "c" / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
    (hook,) = repo["hooks"]
    (upstream,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (repo["repo"], hook["language"]) == ("local", "system")
    for key in ("id", "name", "entry", "files", "types"):
        assert hook[key] == upstream[key], key


def test_ci_workflow_installs_this_newscorpus_and_validates(tmp_path):
    from importlib.metadata import version

    init_corpus(tmp_path / "c")
    workflow = tmp_path / "c" / ".github" / "workflows" / "validate.yml"
    exe = Path(sys.executable).with_name("check-jsonschema")
    proc = subprocess.run([str(exe), "--builtin-schema", "vendor.github-workflows", str(workflow)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert "pull_request" in data[True]  # YAML 1.1 reads the key `on` as True
    runs = [step.get("run", "") for step in data["jobs"]["validate"]["steps"]]
    assert f'pip install "newscorpus=={version("newscorpus")}"' in runs
    assert "newscorpus validate --format text" in runs and "newscorpus migrate --check" in runs
    assert any(run.startswith("newscorpus schema --write\n") for run in runs)


def test_a_folder_that_is_not_empty_is_refused_and_force_adds_only_missing_files(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "README.md").write_text("ours\n", encoding="utf-8")
    with pytest.raises(ScaffoldError) as err:
        init_corpus(root)
    assert err.value.code == "corpus-not-empty" and "\n" not in str(err.value)
    assert str(err.value) == (f"{root} is not empty (README.md): newscorpus init makes a new corpus in a new or empty folder "
                              "(hint: --force adds only the missing files and keeps every existing one)")
    assert _tree(root) == ["README.md"]
    report = init_corpus(root, force=True)
    assert [p.as_posix() for p in report.kept] == ["README.md"]
    assert [p.as_posix() for p in report.created] == [f for f in FILES if f != "README.md"]
    assert (root / "README.md").read_text(encoding="utf-8") == "ours\n"
    again = init_corpus(root, force=True)
    assert again.created == [] and [p.as_posix() for p in again.kept] == FILES


def test_a_git_repository_counts_as_empty(tmp_path):
    (tmp_path / "c" / ".git").mkdir(parents=True)
    assert [p.as_posix() for p in init_corpus(tmp_path / "c").created] == FILES


def test_a_file_in_the_way(tmp_path):
    (tmp_path / "c").write_text("x", encoding="utf-8")
    with pytest.raises(ScaffoldError) as err:
        init_corpus(tmp_path / "c")
    assert err.value.code == "corpus-not-a-folder"
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "seeds").write_text("x", encoding="utf-8")
    with pytest.raises(ScaffoldError) as err:
        init_corpus(tmp_path / "d", force=True)
    assert err.value.code == "corpus-not-a-folder" and "seeds" in str(err.value)


def test_corpus_files_are_the_package_templates_plus_scheme_and_schema():
    files = corpus_files(name="x")
    assert list(files) == FILES
    assert files["README.md"].startswith(b"# x\n")


def test_cli_init(tmp_path):
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp_path)
        result = runner.invoke(cli, ["init", "my-corpus"])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == [f"created my-corpus/{f}" for f in FILES] + [
            "next: put articles in my-corpus/seeds/, then in my-corpus: newscorpus ingest && newscorpus validate"]
        result = runner.invoke(cli, ["init", "my-corpus"])
        assert result.exit_code == 1
        assert result.output.startswith("error: my-corpus is not empty (.github, .gitignore, .pre-commit-config.yaml, README.md, "
                                        "annotations and 4 more)") and result.output.count("\n") == 1
        Path("my-corpus/README.md").unlink()
        result = runner.invoke(cli, ["init", "my-corpus", "--force"])
        assert result.exit_code == 0
        assert result.output.splitlines()[:2] == ["created my-corpus/README.md", f"kept    my-corpus/{FILES[0]}"]
