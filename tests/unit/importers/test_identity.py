"""Annotation identity on import: newer work wins, and another annotation (maybe of another
Label Studio server) under the same id is a conflict, never a silent replacement.

The article is conftest.SMALL_TEXT ("Qin Gang" [0, 8), "Aung San Suu Kyi" [13, 29),
"Naypyidaw" [33, 42)); the seed record is the committed annotations/000_ba712161f3bc6069.json
(annotation ``ls-p1-a1`` of user 1, task 1, 52 spans, single gold).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newscorpus.cli import cli
from newscorpus.config import read_config
from newscorpus.errors import ConfigError, ExportError
from newscorpus.importers.run import import_export
from newscorpus.records.io import read_record

from tests.support import SMALL_TEXT

SHA = __import__("hashlib").sha256(SMALL_TEXT.encode()).hexdigest()
ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "annotations" / "000_ba712161f3bc6069.json"


def region(rid, start, end, label="PERSON", text=None):
    return {"id": rid, "from_name": "entity", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "labels": [label], "text": SMALL_TEXT[start:end] if text is None else text}}


THREE = [region("e1", 0, 8), region("e2", 13, 29), region("e3", 33, 42, "GPE")]


def annotation(aid, user, result, *, created="2026-11-01T09:00:00Z", updated="2026-11-01T09:10:00Z", **extra):
    return {"id": aid, "completed_by": user, "result": result, "was_cancelled": False, "ground_truth": False,
            "created_at": created, "updated_at": updated, "lead_time": 1.0, "project": 4, **extra}


def task(annotations, tid=11, **kw):
    return {"id": tid, "data": {"text": SMALL_TEXT, "article_id": "small", "text_sha256": SHA},
            "annotations": list(annotations), "drafts": [], "predictions": [], "project": 4, **kw}


def export(tmp_path: Path, name: str, tasks) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return path


def test_an_older_export_changes_nothing_and_says_so_per_annotation(tmp_path, small_corpus):
    new = export(tmp_path, "new.json", [task([annotation(21, 3, THREE, updated="2026-11-02T10:00:00Z"),
                                              annotation(22, 5, THREE, updated="2026-11-02T11:00:00Z")])])
    import_export(new, annotations_dir=small_corpus)
    before = (small_corpus / "small.json").read_bytes()
    old = export(tmp_path, "old.json", [task([annotation(21, 3, THREE[:1], updated="2026-11-01T10:00:00Z"),
                                              annotation(22, 5, [], updated="2026-11-02T10:59:59.5+00:00")])])
    report = import_export(old, annotations_dir=small_corpus)
    assert (small_corpus / "small.json").read_bytes() == before
    assert report.written == [] and report.unchanged == [small_corpus / "small.json"]
    assert [(w.code, w.where, w.message) for w in report.warnings] == [
        ("older-annotation", "small", "annotation ls-p4-a21 was not applied: it was updated at 2026-11-01T10:00:00Z, "
                                      "before the record's copy (updated at 2026-11-02T10:00:00Z); the newer work is kept"),
        ("older-annotation", "small", "annotation ls-p4-a22 was not applied: it was updated at 2026-11-02T10:59:59.500000Z, "
                                      "before the record's copy (updated at 2026-11-02T11:00:00Z); the newer work is kept"),
    ]


def test_a_newer_export_replaces_and_an_equal_one_is_a_no_op(tmp_path, small_corpus):
    import_export(export(tmp_path, "a.json", [task([annotation(21, 3, THREE)])]), annotations_dir=small_corpus)
    report = import_export(export(tmp_path, "b.json", [task([annotation(21, 3, THREE[:1], updated="2026-11-03T00:00:00Z")])]),
                           annotations_dir=small_corpus)
    assert report.warnings == [] and [len(a.spans) for a in read_record(small_corpus / "small.json").annotations] == [1]
    again = import_export(tmp_path / "b.json", annotations_dir=small_corpus)
    assert again.written == [] and again.warnings == []


@pytest.mark.parametrize("change, stored, incoming", [
    ({"created": "2026-11-01T08:00:00Z"}, "created_at 2026-11-01T09:00:00Z, task 11, server (none)",
     "created_at 2026-11-01T08:00:00Z, task 11, server (none)"),
    ({"tid": 12}, "created_at 2026-11-01T09:00:00Z, task 11, server (none)", "created_at 2026-11-01T09:00:00Z, task 12, server (none)"),
])
def test_another_annotation_under_the_same_id_is_a_conflict(tmp_path, small_corpus, change, stored, incoming):
    import_export(export(tmp_path, "a.json", [task([annotation(21, 3, THREE)])]), annotations_dir=small_corpus)
    before = (small_corpus / "small.json").read_bytes()
    tid = change.pop("tid", 11)
    other = export(tmp_path, "b.json", [task([annotation(21, 3, THREE[:1], updated="2026-12-01T00:00:00Z", **change)], tid=tid)])
    with pytest.raises(ExportError) as err:
        import_export(other, annotations_dir=small_corpus)
    assert err.value.code == "annotation-conflict" and err.value.where == "$[0]"
    assert err.value.message == (f"article small: annotation ls-p4-a21 is already in the record as another annotation "
                                 f"(stored: {stored}; incoming: {incoming})")
    assert "--server NAME" in err.value.hint
    assert (small_corpus / "small.json").read_bytes() == before
    assert not list(small_corpus.glob(".import-*"))


def test_a_named_server_gives_its_own_ids_and_a_second_import_of_it_is_the_same_annotation(tmp_path, small_corpus):
    path = export(tmp_path, "a.json", [task([annotation(21, 3, THREE)])])
    import_export(path, annotations_dir=small_corpus)
    report = import_export(path, annotations_dir=small_corpus, server="other")
    second, first = read_record(small_corpus / "small.json").annotations  # in id order
    assert (first.id, first.annotator, first.origin.server) == ("ls-p4-a21", "ls-3", None)
    assert (second.id, second.annotator, second.origin.server) == ("ls-other-p4-a21", "ls-other-3", "other")
    assert [w.code for w in report.warnings] == ["gold-undecided"]
    raw = json.loads((small_corpus / "small.json").read_text(encoding="utf-8"))
    assert "server" not in raw["annotations"][1]["origin"] and raw["annotations"][0]["origin"]["server"] == "other"
    assert import_export(path, annotations_dir=small_corpus, server="other").written == []


@pytest.mark.parametrize("name", ["Other", "1st", "a_b", "x-", "-x", "a" * 33, ""])
def test_a_server_name_is_a_short_slug(tmp_path, small_corpus, name):
    with pytest.raises(ExportError) as err:
        import_export(export(tmp_path, "a.json", [task([annotation(21, 3, THREE)])]), annotations_dir=small_corpus, server=name)
    assert err.value.code == "invalid-server"


def test_the_server_name_in_the_configuration(tmp_path):
    (tmp_path / "newscorpus.toml").write_text('[labelstudio]\nserver = "newsroom"\n', encoding="utf-8")
    assert read_config(cwd=tmp_path).labelstudio.server == "newsroom"
    (tmp_path / "newscorpus.toml").write_text('[labelstudio]\nserver = "News Room"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_config(cwd=tmp_path)
    assert err.value.where == "labelstudio.server"
    assert read_config(cwd=tmp_path / "none").labelstudio.server is None


def _fresh_server_export(tmp_path: Path, ann: Path) -> Path:
    """A fresh Label Studio's first annotation on the seed article: project 1, task 1,
    annotation 1 by user 1, one span, made later than the seed's."""
    rec = read_record(ann / SEED.name)
    span = rec.annotations[0].spans[0]
    result = [{"id": "x1", "from_name": span.layer, "to_name": "text", "type": "labels",
               "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]}}]
    fresh = {"id": 1, "completed_by": 1, "result": result, "was_cancelled": False, "ground_truth": False,
             "created_at": "2026-12-01T08:00:00Z", "updated_at": "2026-12-01T08:05:00Z", "lead_time": 3.0, "project": 1}
    tasks = [{"id": 1, "data": {"text": rec.text, "article_id": rec.id, "text_sha256": rec.text_sha256},
              "annotations": [fresh], "drafts": [], "predictions": [], "project": 1}]
    return export(tmp_path, "fresh.json", tasks)


def test_a_fresh_servers_first_annotation_never_replaces_the_seed(tmp_path):
    """Issue 13's case: ``ls-p1-a1`` of another server is refused with both named, and the
    seed's 52 spans and gold stay; with ``--server other`` it is a second annotation."""
    ann = tmp_path / "annotations"
    ann.mkdir()
    shutil.copy(SEED, ann / SEED.name)
    before = (ann / SEED.name).read_bytes()
    path = _fresh_server_export(tmp_path, ann)
    runner = __import__("click.testing", fromlist=["CliRunner"]).CliRunner()
    result = runner.invoke(cli, ["import", str(path), "--annotations", str(ann)])
    assert result.exit_code == 1
    assert ("annotation ls-p1-a1 is already in the record as another annotation (stored: created_at "
            "2026-11-29T20:34:32.139463Z, task 1, server (none); incoming: created_at 2026-12-01T08:00:00Z, task 1, "
            "server (none))") in result.output
    assert (ann / SEED.name).read_bytes() == before
    result = runner.invoke(cli, ["import", str(path), "--annotations", str(ann), "--server", "other"])
    assert result.exit_code == 0, result.output
    other, seed = read_record(ann / SEED.name).annotations  # in id order
    assert (seed.id, seed.annotator, len(seed.spans)) == ("ls-p1-a1", "ls-1", 52)
    assert (other.id, other.annotator, other.origin.server, len(other.spans)) == ("ls-other-p1-a1", "ls-other-1", "other", 1)
    assert "gold-undecided" in result.output


def test_the_configured_server_name_is_the_default_of_import(tmp_path):
    ann = tmp_path / "annotations"
    ann.mkdir()
    shutil.copy(SEED, ann / SEED.name)
    path = _fresh_server_export(tmp_path, ann)
    (tmp_path / "newscorpus.toml").write_text('[labelstudio]\nserver = "fresh"\n', encoding="utf-8")
    runner = __import__("click.testing", fromlist=["CliRunner"]).CliRunner()
    result = runner.invoke(cli, ["--config", str(tmp_path / "newscorpus.toml"), "import", str(path), "--annotations", str(ann)])
    assert result.exit_code == 0, result.output
    assert [a.id for a in read_record(ann / SEED.name).annotations] == ["ls-fresh-p1-a1", "ls-p1-a1"]


def test_the_merge_keeps_to_the_reference_merge_on_random_identities(small_corpus):
    """merge_annotations (the shipped JSON form) against the oracle merge_models: random
    created_at, task, server and updated_at for a stored and an incoming annotation."""
    import random

    from newscorpus.core.models import Annotation
    from newscorpus.core.scheme import default_scheme
    from newscorpus.importers.merge import merge_annotations
    from newscorpus.records.io import dump_record_data_bytes

    from tests.unit.importers.oracles import merge_models
    from tests.unit.records.oracles import dump_models

    rng, scheme, seen = random.Random(3), default_scheme(), set()
    times = ["2026-11-01T09:00:00Z", "2026-11-01T10:00:00+01:00", "2026-11-02T09:00:00Z", None]
    base = read_record(small_corpus / "small.json")

    def one(aid):
        return Annotation(id=aid, annotator="ls-3", status=rng.choice(["submitted", "draft"]),
                          origin={"tool": "label-studio", "task": rng.choice([1, 2]), "server": rng.choice([None, "a"])},
                          created_at=rng.choice(times[:2]), updated_at=rng.choice(times))

    for _ in range(300):
        record = base.model_copy(update={"annotations": [one("x"), one("y")]})
        incoming = [one(rng.choice(["x", "y", "z"])) for _ in range(rng.randrange(1, 3))]
        incoming = list({a.id: a for a in incoming}.values())
        try:
            data, warnings = merge_annotations(record, [a.model_dump(mode="json") for a in incoming])
            fast = (dump_record_data_bytes(data, scheme), warnings)
        except ExportError as exc:
            fast = exc.code
        reference = record.model_copy(deep=True)
        try:
            warnings = merge_models(reference, incoming)
            expected = (dump_models(reference, scheme), warnings)
        except ExportError as exc:
            expected = exc.code
        assert fast == expected
        seen.add(fast if isinstance(fast, str) else tuple(w.code for w in fast[1]))
    assert {"annotation-conflict", ("older-annotation",), ()} <= seen, seen
