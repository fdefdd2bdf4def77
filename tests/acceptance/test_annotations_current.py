"""The records committed in annotations/ are valid and carry the current schema version
(run `newscorpus migrate` after a version bump)."""

from __future__ import annotations

import json
from pathlib import Path

from newscorpus.core.models import SCHEMA_VERSION
from newscorpus.validate.run import render_text, validate_paths

from tests.support import REPO
ROOT = REPO
RECORDS = sorted((ROOT / "annotations").glob("*.json"))


def test_committed_records_are_current_and_valid():
    versions = {path.name: json.loads(path.read_text(encoding="utf-8")).get("schema_version") for path in RECORDS}
    assert {name: v for name, v in versions.items() if v != SCHEMA_VERSION} == {}, "run `newscorpus migrate annotations`"
    result = validate_paths(RECORDS)
    assert result.valid, render_text(result)
    assert len(result.files) == len(RECORDS)
