"""The minimum ``datasets`` release on the card is the measured one: the constants of
``newscorpus.dataset.card.about`` equal the table of docs/dataset.md that
``scripts/min_datasets.py run`` printed, and that script's probe and comparison work on a
real build with the installed (pinned) release."""

from __future__ import annotations

import copy
import re
import sys

import datasets

from newscorpus.dataset.build import build_dataset
from newscorpus.dataset.card.about import FAILS_WITH, LOADS_WITH, MIN_DATASETS, TESTED_DATASETS
from newscorpus.dataset.card.usage import loading
from tests.support.dataset import REPO, write_fixture

sys.path.insert(0, str(REPO / "scripts"))
import min_datasets  # noqa: E402

#: A row of the measured table: | datasets | pinned | pyarrow | numpy | result | detail |
ROW = re.compile(r"^\| (\d+(?:\.\d+)+) \| ([^|]+) \| [^|]+ \| [^|]+ \| (loads|fails) \| (.+) \|$", re.M)


def _section() -> str:
    doc = (REPO / "docs" / "dataset.md").read_text(encoding="utf-8")
    start = doc.index("**`datasets` version.**")
    return doc[start:doc.index("\n**", start + 1)]


def _table() -> list[tuple[str, bool, str]]:
    """The rows installed with pip's own pick of dependencies (no pin), oldest first."""
    found = ROW.findall(_section())
    assert any(pins != "-" for _, pins, _, _ in found)  # the rows that tell why a release fails
    rows = [(v, result == "loads", detail) for v, pins, result, detail in found if pins == "-"]
    return sorted(rows, key=lambda row: min_datasets.version_key(row[0]))


def test_the_constants_are_the_measured_table():
    rows = _table()
    assert len(rows) >= 10 and [v for v, _, _ in rows].count(TESTED_DATASETS) == 1
    assert dict((v, ok) for v, ok, _ in rows)[TESTED_DATASETS] is True
    oldest = None
    for version, ok, _ in reversed(rows):
        if not ok:
            break
        oldest = version
    assert MIN_DATASETS == oldest
    assert LOADS_WITH == tuple(v for v, ok, _ in rows if ok)
    assert all(ok for v, ok, _ in rows if min_datasets.version_key(v) >= min_datasets.version_key(MIN_DATASETS))
    key = min_datasets.version_key
    below = [(v, detail) for v, ok, detail in rows if key(v) < key(MIN_DATASETS)]
    assert FAILS_WITH is not None and FAILS_WITH[0] == below[-1][0]
    section = _section()
    assert re.search(r"Measured on \d{4}-\d{2}-\d{2} at commit [0-9a-f]{7,40}\s", section)
    assert "python scripts/min_datasets.py run" in section


def test_the_card_says_the_measured_minimum():
    assert loading() == (
        f"loads with `datasets>={MIN_DATASETS}` (measured: every config and split loaded with {', '.join(LOADS_WITH)}"
        f"; fails with `{FAILS_WITH[0]}`: {FAILS_WITH[1]}); built and tested with `datasets=={TESTED_DATASETS}` "
        "(`datasets.load_dataset`, no loading script)")


def test_the_probe_reads_every_config_and_split_of_a_build(tmp_path, monkeypatch):
    """The probe as the measurement runs it, with the installed release, on a real build."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")
    annotations, records = write_fixture(tmp_path)
    build_dataset(annotations_dir=annotations, out=tmp_path / "out")
    found = min_datasets.probe([tmp_path / "out"])
    assert found["datasets"] == datasets.__version__ == TESTED_DATASETS
    build = found["builds"][str(tmp_path / "out")]
    assert set(build) == {f"{config}/{split}" for config in ("articles", "sentences", "ner", "quotes", "annotations")
                          for split in ("train", "validation")}
    assert {key: value["rows"] for key, value in build.items()} == {
        key: len(datasets.load_dataset(str(tmp_path / "out"), key.split("/")[0], split=key.split("/")[1],
                                       cache_dir=str(tmp_path / "cache")))
        for key in build}
    ner_tags = build["ner/train"]["features"]["ner_tags"]["list"]["class_label"]
    assert ner_tags[:3] == ["O", "B-PERSON", "I-PERSON"] and len(ner_tags) == 37
    assert min_datasets.verdict(found, found) == (True, "every config and split: same features and rows")

    other = copy.deepcopy(found)
    other["builds"][str(tmp_path / "out")]["ner/train"]["features"]["ner_tags"]["list"]["class_label"].reverse()
    assert min_datasets.verdict(other, found) == (False, "1 config/split(s): features differ (ner_tags)")
    other = copy.deepcopy(found)
    other["builds"][str(tmp_path / "out")]["quotes/train"] = {"error": "TypeError: boom"}
    assert min_datasets.verdict(other, found) == (False, "1 config/split(s): TypeError: boom")
    assert min_datasets.verdict({"datasets": "0.1", "error": "pip install failed: x"}, found) == (
        False, "pip install failed: x")
