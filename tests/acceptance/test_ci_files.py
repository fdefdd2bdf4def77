"""The pre-commit hook manifest and the GitHub Actions workflow that run newscorpus validate."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.support import REPO
ROOT = REPO


def test_pre_commit_manifest_is_valid_and_runs_validate_on_records():
    exe = Path(sys.executable).with_name("pre-commit")
    proc = subprocess.run([str(exe), "validate-manifest", ".pre-commit-hooks.yaml"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["language"]) == ("newscorpus-validate", "newscorpus validate", "python")
    files = re.compile(hook["files"])
    assert files.search("annotations/000_ba712161f3bc6069.json")
    assert not files.search("annotations/sub/x.json")
    assert not files.search("tests/cases/validate/schema-type/000_ba712161f3bc6069.json")
    assert not files.search("schema/1.0.0/article.schema.json")


def test_workflow_validates_pull_requests():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    runs = [step.get("run", "") for step in workflow["jobs"]["validate"]["steps"]]
    assert "newscorpus validate annotations --format text" in runs
    assert "newscorpus migrate annotations --check" in runs
    assert any("check-jsonschema --schemafile \"schema/$version/article.schema.json\" annotations/*.json" in run for run in runs)
