"""The published JSON Schema: generated from the models and the scheme, committed, shipped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from newscorpus.core.models import SCHEMA_VERSION
from newscorpus.schema.generate import DIALECT, build_schema, dump_schema, load_schema, published_versions, schema_id, write_schema
from newscorpus.core.scheme import default_scheme

from tests.support import REPO
ROOT = REPO
REPO_SCHEMAS = ROOT / "schema"
PACKAGE_SCHEMAS = ROOT / "src" / "newscorpus" / "data" / "schema"


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_committed_schema_equals_generated():
    committed = (REPO_SCHEMAS / SCHEMA_VERSION / "article.schema.json").read_text(encoding="utf-8")
    assert committed == dump_schema(build_schema()), "models or scheme drifted: run `newscorpus schema --write`"


@pytest.mark.parametrize("version", sorted(p.name for p in REPO_SCHEMAS.iterdir() if p.is_dir()))
def test_repo_copy_equals_packaged_copy(version):
    repo = (REPO_SCHEMAS / version / "article.schema.json").read_bytes()
    assert (PACKAGE_SCHEMAS / version / "article.schema.json").read_bytes() == repo


def test_published_versions_match_the_repo():
    assert published_versions() == sorted((p.name for p in REPO_SCHEMAS.iterdir() if p.is_dir()), key=lambda v: tuple(map(int, v.split("."))))
    assert published_versions()[-1] == SCHEMA_VERSION


@pytest.mark.parametrize("version", sorted(p.name for p in REPO_SCHEMAS.iterdir() if p.is_dir()))
def test_schema_is_self_contained_draft_2020_12(version):
    schema = load_schema(version)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT
    if _key(version) < (1, 3, 0):  # released before the $id named the scheme: released files never change
        assert schema["$id"] == f"https://newscorpus.dev/schema/{version}/article.schema.json"
    else:  # the scheme's name and version, then the record version
        scheme = default_scheme()
        assert schema["$id"] == f"https://newscorpus.dev/schema/{scheme.name}/{scheme.version}/{version}/article.schema.json"
    assert schema["properties"]["schema_version"]["const"] == version
    refs = set(_refs(schema))
    assert refs and all(ref.startswith("#/$defs/") for ref in refs)
    for ref in refs:
        assert ref.removeprefix("#/$defs/") in schema["$defs"]


def test_enums_come_from_the_scheme():
    scheme = default_scheme()
    defs = build_schema()["$defs"]
    assert defs["Span"]["properties"]["layer"]["enum"] == ["entity", "attribution"]
    rules = {r["if"]["properties"]["layer"]["const"]: r["then"]["properties"]["label"]["enum"] for r in defs["Span"]["allOf"]}
    assert rules == {"entity": scheme.layer("entity").label_names, "attribution": ["QUOTE", "SOURCE"]}
    assert len(rules["entity"]) == 18 and rules["entity"][0] == "PERSON" and rules["entity"][-1] == "LANGUAGE"
    assert defs["SentenceLabel"]["properties"]["layer"]["enum"] == ["discourse_role"]
    assert defs["SentenceLabel"]["allOf"][0]["then"]["properties"]["label"]["enum"][-1] == "OTHER"
    assert defs["Relation"]["properties"]["label"]["enum"] == ["SPEAKER"]
    article = defs["ArticleLabels"]
    assert article["additionalProperties"] is False
    assert article["properties"]["genre"] == {
        "description": "single-label layer (SemEval-2023 Task 3, subtask 1 (news genre categorisation)).",
        "type": "array",
        "items": {"enum": ["reporting", "opinion", "satire"]},
        "uniqueItems": True,
        "maxItems": 1,
    }
    assert "maxItems" not in article["properties"]["frames"]
    assert len(article["properties"]["frames"]["items"]["enum"]) == 14
    assert defs["Annotation"]["properties"]["article_labels"]["$ref"] == "#/$defs/ArticleLabels"
    assert defs["Gold"]["properties"]["article_labels"]["$ref"] == "#/$defs/ArticleLabels"


def _key(version: str) -> tuple[int, ...]:
    return tuple(map(int, version.split(".")))


def test_schema_id_has_the_version():
    assert schema_id("2.3.4") == "https://newscorpus.dev/schema/2.3.4/article.schema.json"
    assert build_schema(version="2.3.4")["properties"]["schema_version"]["const"] == "2.3.4"


def test_schema_id_names_the_scheme_and_its_version():
    assert load_schema("1.3.0")["$id"] == "https://newscorpus.dev/schema/newscorpus-default/2.0.0/1.3.0/article.schema.json"
    assert build_schema(version="2.3.4")["$id"] == "https://newscorpus.dev/schema/newscorpus-default/2.0.0/2.3.4/article.schema.json"
    acme = default_scheme().model_copy(update={"name": "acme news/de", "version": "1.0.0-rc.1"})
    assert schema_id("1.3.0", acme) == "https://newscorpus.dev/schema/acme%20news%2Fde/1.0.0-rc.1/1.3.0/article.schema.json"
    assert build_schema(acme)["$id"] == schema_id("1.3.0", acme)


def test_write_schema_writes_repo_and_package_copies(tmp_path):
    changed = write_schema(root=tmp_path)
    rel = f"{SCHEMA_VERSION}/article.schema.json"
    assert changed == [tmp_path / "schema" / rel, tmp_path / "src/newscorpus/data/schema" / rel]
    assert (tmp_path / "schema" / rel).read_text(encoding="utf-8") == dump_schema(build_schema())
    assert write_schema(root=tmp_path) == []


def test_cli_schema_prints_the_committed_file():
    out = subprocess.run(
        [sys.executable, "-m", "newscorpus.cli", "schema"], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out == (REPO_SCHEMAS / SCHEMA_VERSION / "article.schema.json").read_text(encoding="utf-8")
    assert json.loads(out)["$id"].endswith(f"/{SCHEMA_VERSION}/article.schema.json")


def test_docs_table_lists_every_rule():
    from newscorpus.validate.rules import RULES

    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f"| `{rule.code}` | {rule.stage} | {rule.summary} |" in doc
    assert f"current version | `newscorpus.core.models.SCHEMA_VERSION` ({SCHEMA_VERSION})" in doc
