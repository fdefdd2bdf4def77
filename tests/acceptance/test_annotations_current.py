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


def test_the_seed_annotation_claims_no_unmeasured_lead_time():
    """The seed's annotation was written from scripts/seed_gold.yaml by a script: no
    annotator time was measured, so none is recorded (issue 15, provenance)."""
    record = json.loads((ROOT / "annotations" / "000_ba712161f3bc6069.json").read_text(encoding="utf-8"))
    assert [(a["id"], a["lead_time"]) for a in record["annotations"]] == [("ls-p1-a1", None)]
    assert "lead_time=" not in (ROOT / "scripts" / "annotate_seed.py").read_text(encoding="utf-8")
