"""The semantic checks' whole-list fast path (checks._part_clean) never hides a violation:
for every fixture of tests/cases/validate and for targeted edits of the seed's gold record,
the violations with the fast path equal those of the exact per-item checks alone."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from newscorpus.validate import semantic as checks
from newscorpus.core.scheme import default_scheme

from tests.support import REPO
ROOT = REPO
CASES = ROOT / "tests" / "cases" / "validate"
SEED = ROOT / "annotations" / "000_ba712161f3bc6069.json"


def _both(data: dict, file: str, monkeypatch) -> tuple[list, list]:
    scheme = default_scheme()
    fast = checks.semantic_violations(data, file=file, scheme=scheme)
    with monkeypatch.context() as m:
        m.setattr(checks, "_part_clean", lambda *a: False)
        exact = checks.semantic_violations(data, file=file, scheme=scheme)
    return fast, exact


def _records():
    for path in sorted(CASES.glob("*/*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        try:  # records whose structure stage 1 rejects never reach stage 2
            checks.semantic_violations(data, file=path.name, scheme=default_scheme())
        except (KeyError, TypeError, AttributeError):
            continue
        yield pytest.param(data, path.name, id=path.parent.name)


def test_most_fixtures_reach_stage_2():
    assert len(list(_records())) >= 35


@pytest.mark.parametrize(("data", "file"), list(_records()))
def test_fixtures_same_violations(data, file, monkeypatch):
    fast, exact = _both(data, file, monkeypatch)
    assert fast == exact


def _seed() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


def test_fast_path_accepts_the_seed_gold():
    data = _seed()
    index = checks._index(default_scheme())
    ids = {s["id"] for s in data["sentences"]}
    assert [checks._part_clean(a, data["text"], index, ids) for a in data["annotations"]] == [True]
    assert checks._part_clean(data["gold"], data["text"], index, ids) is True


def _entity_spans(part: dict) -> list[dict]:
    return [s for s in part["spans"] if s["layer"] == "entity"]


def _edit_overlap_same_start(part: dict, text: str) -> None:
    first = _entity_spans(part)[0]
    part["spans"].append(dict(first, id="T1", end=first["start"] + 1, text=text[first["start"]]))


def _edit_overlap_unsorted(part: dict, text: str) -> None:
    a, b = _entity_spans(part)[:2]
    part["spans"].insert(0, dict(b, id="T2", start=b["start"] + 1, text=text[b["start"] + 1 : b["end"]]))


def _edit_untrimmed(part: dict, text: str) -> None:
    span = part["spans"][0]
    span["end"] += 1
    span["text"] = text[span["start"] : span["end"]]


EDITS = {
    "overlap-same-start": (_edit_overlap_same_start, "span-overlap"),
    "overlap-unsorted": (_edit_overlap_unsorted, "span-overlap"),
    "untrimmed": (_edit_untrimmed, "span-untrimmed"),
    "duplicate-span-id": (lambda p, t: p["spans"][1].update(id=p["spans"][0]["id"]), "duplicate-id"),
    "text-mismatch": (lambda p, t: p["spans"][0].update(text=p["spans"][0]["text"].upper() + "x"), "span-text-mismatch"),
    "past-end": (lambda p, t: p["spans"][0].update(end=len(t) + 1), "span-out-of-bounds"),
    "wrong-layer-label": (lambda p, t: p["spans"][0].update(label="QUOTE"), "unknown-label"),
    "relation-endpoint": (lambda p, t: p["relations"][0].update(head=p["relations"][0]["tail"]), "relation-endpoint"),
    "dangling-relation": (lambda p, t: p["relations"][0].update(tail="nope"), "dangling-relation"),
    "duplicate-relation-id": (lambda p, t: p["relations"].append(dict(p["relations"][0])), "duplicate-id"),
    "sentence-label-twice": (lambda p, t: p["sentence_labels"].append(dict(p["sentence_labels"][0])), "duplicate-label"),
    "second-role": (lambda p, t: p["sentence_labels"].append(dict(p["sentence_labels"][0], label="background" if p["sentence_labels"][0]["label"] != "background" else "lede")), "single-cardinality"),
    "dangling-sentence": (lambda p, t: p["sentence_labels"][0].update(sentence="s99"), "dangling-sentence"),
    "article-label-twice": (lambda p, t: p["article_labels"]["frames"].append(p["article_labels"]["frames"][0]), "duplicate-label"),
    "two-genres": (lambda p, t: p["article_labels"]["genre"].append("opinion" if p["article_labels"]["genre"][0] != "opinion" else "reporting"), "single-cardinality"),
}


@pytest.mark.parametrize("where", ["annotations", "gold"])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_edits_are_caught_by_both_paths(edit, where, monkeypatch):
    data = _seed()
    part = data["annotations"][0] if where == "annotations" else data["gold"]
    change, rule = EDITS[edit]
    change(part, data["text"])
    index = checks._index(default_scheme())
    assert checks._part_clean(part, data["text"], index, {s["id"] for s in data["sentences"]}) is False
    fast, exact = _both(copy.deepcopy(data), SEED.name, monkeypatch)
    assert fast == exact
    assert rule in {v.rule for v in fast}
