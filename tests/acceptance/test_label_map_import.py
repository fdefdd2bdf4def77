"""Issue 16's check of an existing Label Studio project: from a fresh ``newscorpus init``
corpus, a three-label scheme written by ``scheme from-labelstudio`` (from the project's
config, whose control and labels differ from the scheme's: a label map is needed), an
export in the shape of a real project (plain text tasks without ``article_id``, two
annotators, one text with CRLF line ends) brought in with ``import --new-articles
--label-map``, then validate, build and ``load_dataset`` with the scheme's ClassLabels.
The same export with labels the map does not know is refused with the exact list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newscorpus.cli import cli

CONFIG = """<View>
  <Labels name="entity" toName="text">
    <Label value="PERSON" hint="A person, by name."/>
    <Label value="GPE" hint="A country, city or region."/>
    <Label value="ORG" hint="A company, agency or institution."/>
  </Labels>
  <Text name="text" value="$text"/>
</View>
"""

LABEL_MAP = """controls:
  label: entity
labels:
  entity:
    PER: PERSON
    LOC: GPE
"""

TEXTS = [
    ("Anna Berg leads Nordlys Energi in Tromsø.", "Oslo Dagblad"),
    ("Ola Nordmann spoke in Bergen.\r\nHe met Acme Corp there.", "Bergen Tidende"),
]


def _region(rid: str, text: str, words: str, label: str, control: str = "label") -> dict:
    start = text.index(words)
    return {"id": rid, "from_name": control, "to_name": "text", "type": "labels", "origin": "manual",
            "value": {"start": start, "end": start + len(words), "text": words, "labels": [label]}}


def _annotation(aid: int, user: int, result: list[dict]) -> dict:
    return {"id": aid, "completed_by": user, "result": result, "was_cancelled": False, "ground_truth": False,
            "created_at": "2024-05-08T09:00:00.000000Z", "updated_at": "2024-05-08T09:04:00.000000Z",
            "lead_time": 240.5, "project": 7, "task": None, "parent_prediction": None, "parent_annotation": None}


def export(extra_label: str | None = None) -> list[dict]:
    """Two tasks of an ordinary project (text + headline, no article_id), each annotated by
    users 3 and 5 with the project's names (control ``label``; PER, LOC, ORG)."""
    first, second = TEXTS[0][0], TEXTS[1][0]
    tasks = [
        {"id": 101, "data": {"text": first, "headline": "Energy in the north", "paper": TEXTS[0][1]},
         "annotations": [
             _annotation(1, 3, [_region("a1", first, "Anna Berg", "PER"), _region("a2", first, "Nordlys Energi", "ORG"),
                                _region("a3", first, "Tromsø", "LOC")]),
             _annotation(2, 5, [_region("b1", first, "Anna Berg", "PER"), _region("b2", first, "Tromsø", "LOC")]),
         ], "drafts": [], "predictions": [], "project": 7, "meta": {}, "inner_id": 1,
         "created_at": "2024-05-07T10:00:00.000000Z", "updated_at": "2024-05-08T09:04:00.000000Z"},
        {"id": 102, "data": {"text": second, "headline": "A visit", "paper": TEXTS[1][1]},
         "annotations": [
             _annotation(3, 3, [_region("c1", second, "Ola Nordmann", "PER"), _region("c2", second, "Bergen", "LOC"),
                                _region("c3", second, "Acme Corp", "ORG")]),
             _annotation(4, 5, [_region("d1", second, "Acme Corp", "ORG")]),
         ], "drafts": [], "predictions": [], "project": 7, "meta": {}, "inner_id": 2,
         "created_at": "2024-05-07T10:00:00.000000Z", "updated_at": "2024-05-08T09:04:00.000000Z"},
    ]
    if extra_label:
        tasks[0]["annotations"][1]["result"].append(_region("b9", first, "Nordlys Energi", extra_label))
        tasks[1]["annotations"][1]["result"].append(_region("d9", second, "Bergen", extra_label))
        tasks[1]["annotations"][0]["result"].append(_region("c9", second, "He", "PRON"))
    return tasks


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


IMPORT = ["import", "--new-articles", "--label-map", "label-map.yaml", "--meta-field", "title=headline",
          "--meta-field", "publisher=paper", "--meta", "license=CC-BY-4.0", "--meta", "language=no",
          "--meta", "published=2024-05-07", "--meta", "redistributable=true"]


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert invoke("init", tmp_path / "corpus").exit_code == 0
    monkeypatch.chdir(tmp_path / "corpus")
    Path("label_config.xml").write_text(CONFIG, encoding="utf-8")
    made = invoke("scheme", "from-labelstudio", "label_config.xml", "--name", "nordic-news", "-o", "scheme.yaml")
    assert made.exit_code == 0, made.output
    assert invoke("schema", "--write").exit_code == 0
    Path("label-map.yaml").write_text(LABEL_MAP, encoding="utf-8")
    return tmp_path / "corpus"


def test_an_existing_project_comes_in_and_builds(corpus: Path) -> None:
    Path("export.json").write_text(json.dumps(export(), ensure_ascii=False), encoding="utf-8")
    result = invoke(*IMPORT, "export.json")
    assert result.exit_code == 0, result.output
    assert "imported 2 task(s) (4 submitted, 0 cancelled, 0 draft); 2 record(s) written, 0 unchanged" in result.output
    records = sorted(Path("annotations").glob("*.json"))
    assert [p.name[:3] for p in records] == ["lt-", "lt-"]
    by_text = {json.loads(p.read_text("utf-8"))["text"]: json.loads(p.read_text("utf-8")) for p in records}
    crlf = by_text["Ola Nordmann spoke in Bergen.\nHe met Acme Corp there."]  # canonical: LF
    assert crlf["meta"]["title"] == "A visit" and crlf["meta"]["publisher"] == "Bergen Tidende"
    spans = {(s["text"], s["label"], s["start"]) for a in crlf["annotations"] for s in a["spans"]}
    assert ("Acme Corp", "ORG", 37) in spans  # after the CRLF: one code point earlier than in the export
    assert crlf["text"][37:46] == "Acme Corp"
    assert {a["annotator"] for a in crlf["annotations"]} == {"ls-3", "ls-5"}
    again = invoke(*IMPORT, "export.json")
    assert "0 record(s) written, 2 unchanged" in again.output
    valid = invoke("validate")
    assert valid.exit_code == 0, valid.output
    built = invoke("build")
    assert built.exit_code == 0, built.output

    from datasets import load_dataset

    articles = load_dataset("dist/dataset", split="train")
    label = articles.features["spans"].feature["label"]
    assert label.names == ["PERSON", "GPE", "ORG"]
    work = load_dataset("dist/dataset", "annotations", split="train")  # two annotators each: no gold yet
    assert work.features["spans"].feature["label"].names == ["PERSON", "GPE", "ORG"]
    decoded = {(row["annotator"], s["text"], label.int2str(s["label"])) for row in work for s in row["spans"]}
    assert ("ls-5", "Acme Corp", "ORG") in decoded and ("ls-3", "Ola Nordmann", "PERSON") in decoded


def test_unmapped_labels_are_listed_and_nothing_is_written(corpus: Path) -> None:
    Path("export.json").write_text(json.dumps(export("MISC"), ensure_ascii=False), encoding="utf-8")
    result = invoke(*IMPORT, "export.json")
    assert result.exit_code == 1
    assert "unmapped labels: entity/MISC (2), entity/PRON (1)" in result.output
    from tests.support import REPO  # the line docs/corpus.md shows is this one

    shown = [line for line in (REPO / "docs" / "corpus.md").read_text(encoding="utf-8").splitlines() if "unmapped labels:" in line]
    assert shown == [line for line in result.output.splitlines() if line.startswith("error:")]
    assert not list(Path("annotations").glob("*.json"))
