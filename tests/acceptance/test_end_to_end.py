"""End to end on the seed: ingest, tasks, a Label Studio export, import, validate, build,
load_dataset; and the committed gold equals the decisions of scripts/seed_gold.yaml."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

from datasets import load_dataset

from newscorpus.dataset.build import build_dataset
from newscorpus.importers.run import import_export
from newscorpus.ingest.run import ingest_all
from newscorpus.records.io import read_record
from newscorpus.labelstudio.tasks import write_tasks
from newscorpus.validate.run import validate_paths

from tests.support import REPO, SEED

SEED_ID = "000_ba712161f3bc6069"
#: Gold span counts per label, from the annotation decisions in docs/guidelines.md.
GOLD_COUNTS = {"GPE": 17, "PERSON": 8, "ORG": 7, "DATE": 7, "NORP": 3, "CARDINAL": 2, "LOC": 1, "QUOTE": 5, "SOURCE": 2}
ROLES = ["CURRENT_CONTEXT", "MAIN_EVENT", "MAIN_EVENT", "MAIN_EVENT", "CURRENT_CONTEXT", "CURRENT_CONTEXT",
         "CURRENT_CONTEXT", "HISTORICAL_EVENT", "CURRENT_CONTEXT", "MAIN_EVENT", "MAIN_EVENT", "EXPECTATION",
         "EXPECTATION", "CURRENT_CONTEXT"]


def _annotate_seed():
    spec = importlib.util.spec_from_file_location("annotate_seed", REPO / "scripts" / "annotate_seed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pipeline_end_to_end(tmp_path: Path):
    ann = tmp_path / "annotations"
    assert ingest_all(SEED.parent, annotations_dir=ann).created == 1
    tasks = write_tasks([read_record(ann / f"{SEED_ID}.json")], out_dir=tmp_path / "ls")
    (task,) = json.loads(tasks.tasks_path.read_text(encoding="utf-8"))
    module = _annotate_seed()
    result = module.build_result(read_record(ann / f"{SEED_ID}.json"), module.load_spec())
    task.update(id=1, annotations=[{"id": 5, "completed_by": {"id": 2, "email": "x@y.z"}, "result": result,
                                    "was_cancelled": False, "ground_truth": False, "lead_time": 600.0,
                                    "created_at": "2026-11-29T10:00:00Z", "updated_at": "2026-11-29T10:10:00Z"}],
                drafts=[])
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    report = import_export(export, annotations_dir=ann)
    assert report.annotations == {"submitted": 1, "cancelled": 0, "draft": 0} and report.warnings == []
    assert validate_paths([ann]).valid
    built = build_dataset(annotations_dir=ann, out=tmp_path / "dataset")
    assert built.article_splits == {SEED_ID: "train"}

    articles = load_dataset(str(tmp_path / "dataset"), cache_dir=str(tmp_path / "cache"))
    assert list(articles) == ["train"] and articles["train"].num_rows == 1
    row = articles["train"][0]
    assert row["id"] == SEED_ID and len(row["sentences"]) == 14
    names = articles["train"].features["spans"].feature["label"].names
    counts = Counter(names[s["label"]] for s in row["spans"])
    assert dict(counts) == GOLD_COUNTS
    assert all(row["text"][s["start"]:s["end"]] == s["text"] for s in row["spans"])
    sentences = load_dataset(str(tmp_path / "dataset"), "sentences", cache_dir=str(tmp_path / "cache"))["train"]
    assert sentences.num_rows == 14
    role_names = sentences.features["discourse_role"].names
    assert [role_names[r] for r in sentences["discourse_role"]] == ROLES


def test_committed_gold_is_the_spec():
    record = read_record(REPO / "annotations" / f"{SEED_ID}.json")
    module = _annotate_seed()
    from newscorpus.importers.labelstudio.results import convert_results
    from newscorpus.core.scheme import default_scheme

    expected = convert_results(module.build_result(record, module.load_spec()), text=record.text,
                               sentences=record.sentences, scheme=default_scheme())
    gold = record.gold
    assert (gold.method, gold.from_annotations) == ("single", ["ls-p1-a1"])
    assert record.annotations[0].origin.tool == "label-studio" and record.annotations[0].status == "submitted"
    assert sorted((s.id, s.label, s.start, s.end) for s in gold.spans) == sorted((s["id"], s["label"], s["start"], s["end"]) for s in expected.spans)
    assert sorted(r.id for r in gold.relations) == sorted(r["id"] for r in expected.relations)
    assert [s.label for s in gold.sentence_labels] == ROLES
    assert gold.article_labels == {"genre": ["reporting"], "frames": ["Economic", "Crime_and_punishment", "Security_and_defense",
                                                                      "Political", "External_regulation_and_reputation"]}
    assert dict(Counter(s.label for s in gold.spans)) == GOLD_COUNTS
    assert sorted((r.head, r.tail) for r in gold.relations) == [
        ("s1-q1", "s1-e0"), ("s11-q11", "s11-e4"), ("s2-q2", "s2-e0"), ("s3-q3", "s3-src0"), ("s5-q5", "s5-src0")]
    by_id = {s.id: s.text for s in gold.spans}
    assert [by_id[t] for _, t in sorted((r.head, r.tail) for r in gold.relations)] == ["Qin Gang", "Mao Ning", "Qin", "he", "it"]
