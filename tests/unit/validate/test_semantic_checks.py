"""Each semantic check's fast pre-check never hides a violation, and every rule has one home.

For every fixture of tests/cases/validate that reaches stage 2, for targeted edits of the
seed's record and for seeded random edits (tests/support/record_edits.py): whenever a
check's pre-check (``clean``) says there is nothing to report, its exact loop finds nothing
either, and :func:`semantic_violations` equals the exact loops of every check run alone.
"""

from __future__ import annotations

import copy
import json
import random

import pytest

from newscorpus.core.scheme import Scheme, default_scheme
from newscorpus.validate.rules import RULES, loc_key
from newscorpus.validate.semantic import CHECKS, semantic_violations
from newscorpus.validate.view import RecordView

from tests.support import REPO
from tests.support.record_edits import random_edit

CASES = REPO / "tests" / "cases" / "validate"
SEED = REPO / "annotations" / "000_ba712161f3bc6069.json"
SCHEME = default_scheme()


def _other_scheme(cardinality: str) -> Scheme:
    """The default scheme with a second flat span layer and a second sentence layer (of
    ``cardinality``) that shares a label with the first: the shapes the pre-checks take a
    slower path for (more than one flat layer; more than one sentence layer; a sentence
    label of two layers)."""
    data = SCHEME.model_dump(mode="json")
    data["layers"] += [
        {"name": "claim", "level": "span", "source": "test", "overlap": False,
         "labels": [{"name": "CLAIM", "definition": "A claim."}, {"name": "DENIAL", "definition": "A denial."}]},
        {"name": "tone", "level": "sentence", "source": "test", "cardinality": cardinality,
         "labels": [{"name": "OTHER", "definition": "Any other tone."}, {"name": "IRONIC", "definition": "Irony."}]},
    ]
    return Scheme.model_validate(data)


OTHER_SCHEMES = {cardinality: _other_scheme(cardinality) for cardinality in ("multi", "single")}


def _views(data: dict, file: str, scheme: Scheme = SCHEME) -> list[tuple[str, object]]:
    """(scope, view) for the record and each of its parts."""
    view = RecordView(data, file=file, scheme=scheme)
    return [("record", view)] + [("part", part) for part in view.parts()]


def _exact(data: dict, file: str, scheme: Scheme = SCHEME) -> list:
    """Every check's exact loop, none skipped, in location order (then registry order)."""
    out = [v for scope, view in _views(data, file, scheme) for check in CHECKS if check.scope == scope for v in check.exact(view)]
    return sorted(out, key=lambda v: loc_key(v.loc))


def _hold(data: dict, file: str, scheme: Scheme = SCHEME) -> list:
    """Assert each pre-check against its exact loop and the whole against the exact loops;
    returns the violations."""
    for scope, view in _views(data, file, scheme):
        for check in CHECKS:
            if check.scope == scope and check.clean is not None and check.clean(view):
                assert list(check.exact(view)) == [], f"{check.name}: the pre-check hides a violation"
    fast = semantic_violations(copy.deepcopy(data), file=file, scheme=scheme)
    assert fast == _exact(data, file, scheme)
    return fast


def test_every_rule_has_one_home():
    codes = {code for check in CHECKS for code in check.codes}
    semantic = {code for code, rule in RULES.items() if rule.stage == "semantic"}
    rechecked = {"unknown-layer", "unknown-label", "single-cardinality", "duplicate-label", "not-pseudonymous"}
    assert codes == semantic | rechecked
    assert len({check.name for check in CHECKS}) == len(CHECKS)
    assert {check.scope for check in CHECKS} == {"record", "part"}


def _records():
    for path in sorted(CASES.glob("*/*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        try:  # records whose structure stage 1 rejects never reach stage 2
            semantic_violations(data, file=path.name, scheme=SCHEME)
        except (KeyError, TypeError, AttributeError):
            continue
        yield pytest.param(data, path.name, id=path.parent.name)


def test_most_fixtures_reach_stage_2():
    assert len(list(_records())) >= 35


@pytest.mark.parametrize(("data", "file"), list(_records()))
def test_fixtures_same_violations(data, file):
    _hold(data, file)


def _seed() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


def test_every_pre_check_accepts_the_seed():
    """The fast path is the one valid records take: no exact loop runs on the seed."""
    for scope, view in _views(_seed(), SEED.name):
        for check in CHECKS:
            if check.scope == scope and check.clean is not None:
                assert check.clean(view) is True, check.name


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
def test_edits_are_caught_by_both_paths(edit, where):
    data = _seed()
    part = data["annotations"][0] if where == "annotations" else data["gold"]
    change, rule = EDITS[edit]
    change(part, data["text"])
    view = [p for p in RecordView(data, file=SEED.name, scheme=SCHEME).parts() if p.part is part][0]
    assert any(not check.clean(view) for check in CHECKS if check.scope == "part" and rule in check.codes)
    assert rule in {v.rule for v in _hold(data, SEED.name)}


@pytest.mark.parametrize("seed", range(4))
def test_random_edits_same_violations(seed):
    """Seeded random edits of the seed and the fixtures, one to three at a time."""
    rng = random.Random(seed)
    bases = [(_seed(), SEED.name)] + [tuple(p.values) for p in _records()]
    found: set[str] = set()
    for _ in range(400):
        data, file = copy.deepcopy(rng.choice(bases))
        for _ in range(rng.choice([1, 1, 2, 3])):
            file = random_edit(data, file, rng, SCHEME)
        found |= {v.rule for v in _hold(data, file)}
    assert len(found) >= 15  # the edits reach most rules


@pytest.mark.parametrize("cardinality", sorted(OTHER_SCHEMES))
@pytest.mark.parametrize("seed", range(3))
def test_random_edits_same_violations_two_flat_layers(seed, cardinality):
    """The same under a scheme of two flat span layers and two sentence layers sharing a
    label (the second multi- or single-label), where the pre-checks leave their fastest paths."""
    scheme = OTHER_SCHEMES[cardinality]
    rng = random.Random(1000 + seed)
    base = _seed()
    found: set[str] = set()
    for _ in range(400):
        data, file = copy.deepcopy(base), SEED.name
        for _ in range(rng.choice([1, 2, 3, 4])):
            file = random_edit(data, file, rng, scheme)
        found |= {v.rule for v in _hold(data, file, scheme)}
    assert {"span-overlap", "unknown-label", "duplicate-label", "single-cardinality"} <= found
