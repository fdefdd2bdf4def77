"""The version policy in code: every published schema against the previous one, and proof
that a deliberately breaking edit without a major bump fails."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from newscorpus.records.versions import MIGRATIONS
from newscorpus.core.models import SCHEMA_VERSION
from newscorpus.schema.generate import build_schema, load_schema, published_versions
from newscorpus.schema.policy import check_policy, schema_changes
from newscorpus.core.scheme import Scheme, default_scheme

from tests.support import REPO
ROOT = REPO
CHANGELOG = (ROOT / "schema" / "CHANGELOG.md").read_text(encoding="utf-8")
VERSIONS = published_versions()
PAIRS = list(zip(VERSIONS, VERSIONS[1:]))


def _bump(version: str, part: str) -> str:
    major, minor, patch = map(int, version.split("."))
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[part]


def test_every_published_version_has_a_changelog_entry():
    for version in VERSIONS:
        assert f"\n## {version}\n" in CHANGELOG


@pytest.mark.parametrize("old,new", PAIRS or [(SCHEMA_VERSION, SCHEMA_VERSION)], ids=lambda v: v)
def test_published_versions_follow_the_policy(old, new):
    """The current schema (== the generated one, see test_schema.py) against the previous
    released version: breaking changes only with a major bump, every change in the changelog."""
    assert check_policy(old_version=old, old_schema=load_schema(old), new_version=new, new_schema=load_schema(new), changelog=CHANGELOG) == []


@pytest.mark.parametrize("old,new", PAIRS or [(SCHEMA_VERSION, SCHEMA_VERSION)], ids=lambda v: v)
def test_every_older_version_has_a_migration_path(old, new):
    if old != new:
        assert MIGRATIONS[old].target == new


def test_no_change_no_problem():
    schema = build_schema()
    assert schema_changes(schema, copy.deepcopy(schema)) == []
    assert check_policy(old_version="1.0.0", old_schema=schema, new_version="1.0.0", new_schema=schema, changelog="") == []


def _without_label(scheme: Scheme, layer_name: str, label: str) -> Scheme:
    data = scheme.model_dump()
    for layer in data["layers"]:
        if layer["name"] == layer_name:
            layer["labels"] = [lab for lab in layer["labels"] if lab["name"] != label]
    return Scheme.model_validate(data)


def test_a_deliberately_breaking_edit_without_a_major_bump_fails():
    """Removing the LAW label from the scheme and releasing the result as a minor version."""
    current = build_schema()
    edited = build_schema(_without_label(default_scheme(), "entity", "LAW"), version=_bump(SCHEMA_VERSION, "minor"))
    new_version = _bump(SCHEMA_VERSION, "minor")
    changelog = CHANGELOG + f"\n## {new_version}\n\nRemoved LAW.\n"
    problems = check_policy(old_version=SCHEMA_VERSION, old_schema=current, new_version=new_version, new_schema=edited, changelog=changelog)
    assert len(problems) == 1
    assert problems[0].startswith(f"1 breaking change(s) from {SCHEMA_VERSION} to {new_version} need a major version ({_bump(SCHEMA_VERSION, 'major')}) and a migration step: ")
    assert problems[0].endswith(
        'BREAKING $.$defs.Span.allOf[if {"properties": {"layer": {"const": "entity"}}, "required": ["layer"]}].then.properties.label: '
        "removed value(s) ['LAW'] (a removed label is a major change)"
    )
    # the same edit as a major version passes, once the changelog says so
    major = _bump(SCHEMA_VERSION, "major")
    edited["properties"]["schema_version"]["const"] = major
    assert check_policy(old_version=SCHEMA_VERSION, old_schema=current, new_version=major, new_schema=edited, changelog=changelog) == [
        f"schema/CHANGELOG.md has no '## {major}' entry"
    ]
    assert check_policy(old_version=SCHEMA_VERSION, old_schema=current, new_version=major, new_schema=edited, changelog=changelog + f"\n## {major}\n") == []


def _breaking(old: dict, new: dict) -> list[tuple[str, str]]:
    return [(c.where, c.what) for c in schema_changes(old, new) if c.breaking]


def test_kinds_of_breaking_change():
    old = build_schema()
    removed = copy.deepcopy(old)
    del removed["$defs"]["Span"]["properties"]["text"]
    assert _breaking(old, removed) == [("$.$defs.Span.properties.text", "field removed (or renamed)")]

    renamed = copy.deepcopy(old)
    meta = renamed["$defs"]["Meta"]
    meta["properties"]["headline"] = meta["properties"].pop("title")
    meta["required"] = ["headline" if r == "title" else r for r in meta["required"]]
    found = _breaking(old, renamed)
    assert found == [("$.$defs.Meta.properties.title", "field removed (or renamed)"), ("$.$defs.Meta.required", "'headline' is now required")]

    narrowed = copy.deepcopy(old)
    narrowed["$defs"]["Meta"]["properties"]["url"] = {"type": "string"}
    assert _breaking(old, narrowed) == [("$.$defs.Meta.properties.url", "type narrowed: no longer accepts ['null']")]

    required = copy.deepcopy(old)
    required["$defs"]["Origin"]["required"].append("version")
    assert _breaking(old, required) == [("$.$defs.Origin.required", "'version' is now required")]

    tighter = copy.deepcopy(old)
    tighter["$defs"]["ArticleLabels"]["properties"]["frames"]["maxItems"] = 3
    assert _breaking(old, tighter) == [("$.$defs.ArticleLabels.properties.frames", "maxItems changed from None to 3")]


def test_compatible_changes_are_not_breaking():
    old = build_schema()
    added = copy.deepcopy(old)
    added["$defs"]["Span"]["properties"]["comment"] = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None}
    changes = schema_changes(old, added)
    assert changes and not any(c.breaking for c in changes)
    assert {c.what for c in changes} == {"field added"}

    new_label = copy.deepcopy(old)
    new_label["$defs"]["Relation"]["properties"]["label"]["enum"].append("ADDRESSEE")
    assert [(c.breaking, c.what) for c in schema_changes(old, new_label)][0] == (False, "added value(s) ['ADDRESSEE']")

    problems = check_policy(old_version="1.0.0", old_schema=old, new_version="1.0.0", new_schema=added, changelog=CHANGELOG)
    assert problems[0].startswith("the schema changed but its version did not go up from 1.0.0")


@pytest.mark.parametrize("old, new, field", [("1.1.0", "1.2.0", "scheme"), ("1.2.0", "1.3.0", "revisions")])
def test_minor_versions_that_add_an_optional_field(old, new, field):
    """1.2.0 adds the optional scheme, 1.3.0 the optional revisions: compatible, minor."""
    changes = schema_changes(load_schema(old), load_schema(new))
    assert not any(c.breaking for c in changes)
    assert (f"$.properties.{field}", "field added") in [(c.where, c.what) for c in changes]
    assert field not in load_schema(new)["required"]
    assert check_policy(old_version=old, old_schema=load_schema(old), new_version=new,
                        new_schema=load_schema(new), changelog=CHANGELOG) == []
