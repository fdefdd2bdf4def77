"""Adjudication into gold on the small corpus of ``_agree_corpus``: which rule decides,
exactly which annotations gold derives from, what stays open, and the adjudication tasks."""

from __future__ import annotations

import json

import pytest
from tests.support.agreement import T1, corpus, make_annotation
from click.testing import CliRunner

from newscorpus.agreement.adjudication import OpenUnit, adjudicate
from newscorpus.agreement.adjudication_run import adjudicate_dir
from newscorpus.agreement.adjudication_tasks import adjudication_task
from newscorpus.cli import cli
from newscorpus.errors import AdjudicationError, RecordError
from newscorpus.core.models import Gold, Relation, SentenceLabel, Span
from newscorpus.records.io import read_record, write_record
from newscorpus.core.scheme import default_scheme

SCHEME = default_scheme()


def _records():
    return {r.id: r for r in corpus()}


def _gold_spans(gold: Gold):
    return [(s.id, s.layer, s.label, s.start, s.end, s.text) for s in gold.spans]


def test_majority_with_several_ground_truths():
    record, report = adjudicate(_records()["a1"], scheme=SCHEME)
    gold = record.gold
    # ls-101 and ls-102 are both flagged ground_truth: that decides nothing -> majority of
    # the three submitted annotations; ls-104 (cancelled) and ls-draft-7 take no part.
    assert (gold.method, gold.decided_by, gold.from_annotations) == ("majority", None, ["ls-101", "ls-102", "ls-103"])
    assert report.notes == ["2 submitted annotations are marked ground_truth (ls-101, ls-102): ground truth decides nothing here"]
    # Spans made by 2 or 3 of the 3 annotators; ids from the first annotator who made them.
    assert _gold_spans(gold) == [
        ("m1", "entity", "GPE", 0, 7, "Myanmar"),  # 3 of 3
        ("i1", "entity", "NORP", 19, 25, "Indian"),  # ls-1, ls-2 ("Indian officials" only ls-3)
        ("d1", "entity", "GPE", 39, 44, "Delhi"),  # ls-1, ls-3 (LOC only ls-2)
        ("q1", "attribution", "QUOTE", 47, 61, "We will return"),  # 3 of 3
        ("p1", "attribution", "SOURCE", 64, 67, "she"),  # ls-1, ls-2
    ]
    # Neither DATE span (1 of 3 each) is gold. SPEAKER QUOTE -> she: ls-1, ls-2, both spans gold;
    # ls-3's QUOTE -> "Indian officials" is 1 of 3.
    assert gold.relations == [Relation(id="SPEAKER:q1>p1", label="SPEAKER", head="q1", tail="p1")]
    # s2: PREVIOUS_EVENT (ls-1) vs CONSEQUENCE (ls-2), ls-3 abstains: a tie, left open.
    # s3: CURRENT_CONTEXT from both votes cast (ls-3 abstains).
    assert gold.sentence_labels == [
        SentenceLabel(sentence="s0", layer="discourse_role", label="MAIN_EVENT"),
        SentenceLabel(sentence="s1", layer="discourse_role", label="EVALUATION"),
        SentenceLabel(sentence="s3", layer="discourse_role", label="CURRENT_CONTEXT"),
    ]
    assert gold.article_labels == {"genre": ["reporting"], "frames": ["Political"]}
    assert report.open == [
        OpenUnit("sentence", "discourse_role", "s2", {"ls-1": "PREVIOUS_EVENT", "ls-2": "CONSEQUENCE", "ls-3": None}, {"sentence": "s2"})
    ]
    assert (report.status, report.method) == ("set", "majority")


def test_tie_on_a_span_and_an_abstaining_annotator():
    record, report = adjudicate(_records()["a2"], scheme=SCHEME)
    gold = record.gold
    assert (gold.method, gold.from_annotations) == ("majority", ["ls-201", "ls-202"])
    assert gold.spans == []  # ls-1's PERSON span against ls-2's none: 1 of 2, open
    # ls-2 chose no frame: it abstains, so ls-1's Economic has 1 of 1 votes cast.
    assert gold.article_labels == {"genre": ["opinion"], "frames": ["Economic"]}
    ref = {"layer": "entity", "label": "PERSON", "start": 0, "end": 7}
    assert report.open == [OpenUnit("span", "entity", "[0, 7) PERSON 'Ann Lee'", {"ls-1": True, "ls-2": False}, ref)]


def test_single_annotator_and_cancelled_is_never_gold():
    record, report = adjudicate(_records()["a3"], scheme=SCHEME)
    assert (record.gold.method, record.gold.from_annotations) == ("single", ["ls-301"])
    assert record.gold.article_labels == {"genre": ["reporting"]}  # not ls-302's cancelled "satire"
    assert report.open == [] and report.notes == []


def test_exactly_one_ground_truth_decides():
    a2 = _records()["a2"]
    a2.annotations[1].ground_truth = True  # ls-202
    record, report = adjudicate(a2, scheme=SCHEME)
    assert (record.gold.method, record.gold.decided_by, record.gold.from_annotations) == ("ground_truth", None, ["ls-202"])
    assert record.gold.article_labels == {"genre": ["opinion"]} and record.gold.spans == []
    assert report.open == []


def test_adjudicator_overrides_and_is_kept():
    a1 = _records()["a1"]
    a1.annotations.append(
        make_annotation(T1, 199, "ls-7", spans=(("z1", "entity", "GPE", 0, 7),), roles={"s2": "CONSEQUENCE"}, labels={"genre": ["reporting"]})
    )
    record, report = adjudicate(a1, scheme=SCHEME, adjudicator="ls-7")
    gold = record.gold
    assert (gold.method, gold.decided_by, gold.from_annotations) == ("adjudicated", "ls-7", ["ls-199"])
    assert _gold_spans(gold) == [("z1", "entity", "GPE", 0, 7, "Myanmar")]
    assert gold.sentence_labels == [SentenceLabel(sentence="s2", layer="discourse_role", label="CONSEQUENCE")]
    assert report.notes == [] and report.open == []
    # Run again without the adjudicator: the adjudicated gold stays.
    again, kept = adjudicate(record, scheme=SCHEME)
    assert again.gold == gold
    assert (kept.status, kept.method, kept.decided_by) == ("kept", "adjudicated", "ls-7")
    assert kept.notes == ["kept the gold adjudicated by ls-7; use --force to rebuild it"]
    # --force rebuilds it; ls-7 is then one more annotator in the vote.
    forced, rebuilt = adjudicate(record, scheme=SCHEME, force=True)
    assert (rebuilt.status, rebuilt.method) == ("set", "majority")
    assert (forced.gold.method, forced.gold.from_annotations) == ("majority", ["ls-101", "ls-102", "ls-103", "ls-199"])
    # the input record is never changed in place
    assert record.gold == gold


def test_no_submitted_annotation_means_no_gold():
    a3 = _records()["a3"]
    a3.annotations = [a3.annotations[1]]  # only the cancelled one
    a3.gold = Gold(method="single", decided_by=None, from_annotations=["ls-302"])
    record, report = adjudicate(a3, scheme=SCHEME)
    assert record.gold is None
    assert (report.status, report.notes) == ("none", ["no submitted annotation: no gold"])


def test_adjudication_task_has_one_candidate_per_annotator():
    record, report = adjudicate(_records()["a2"], scheme=SCHEME)
    task = adjudication_task(record, report)
    assert task["data"] == {"text": record.text, "article_id": "a2", "text_sha256": record.text_sha256}
    assert [p["model_version"] for p in task["predictions"]] == ["candidates-ls-1", "candidates-ls-2"]
    sentence_regions = [
        {"id": "s0", "from_name": "sentence", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 23, "text": "Ann Lee wrote a column.", "labels": ["SENTENCE"]}},
        {"id": "s1", "from_name": "sentence", "to_name": "text", "type": "labels",
         "value": {"start": 24, "end": 50, "text": "It argued for lower taxes.", "labels": ["SENTENCE"]}},
    ]
    decided = [
        {"id": "article-genre", "from_name": "genre", "to_name": "text", "type": "choices", "value": {"choices": ["opinion"]}},
        {"id": "article-frames", "from_name": "frames", "to_name": "text", "type": "choices", "value": {"choices": ["Economic"]}},
    ]
    person = {"id": "n1", "from_name": "entity", "to_name": "text", "type": "labels",
              "value": {"start": 0, "end": 7, "text": "Ann Lee", "labels": ["PERSON"]}}
    # The candidates differ exactly on the open unit: ls-1 made the PERSON span, ls-2 did not.
    assert task["predictions"][0]["result"] == [*sentence_regions, person, *decided]
    assert task["predictions"][1]["result"] == [*sentence_regions, *decided]


def test_adjudication_task_candidate_sentence_roles():
    record, report = adjudicate(_records()["a1"], scheme=SCHEME)
    task = adjudication_task(record, report)
    roles = {
        p["model_version"]: [(r["id"], r["value"]["choices"][0]) for r in p["result"] if r.get("from_name") == "discourse_role"]
        for p in task["predictions"]
    }
    decided = [("s0", "MAIN_EVENT"), ("s1", "EVALUATION")]
    assert roles == {
        "candidates-ls-1": [*decided, ("s2", "PREVIOUS_EVENT"), ("s3", "CURRENT_CONTEXT")],
        "candidates-ls-2": [*decided, ("s2", "CONSEQUENCE"), ("s3", "CURRENT_CONTEXT")],
        "candidates-ls-3": [*decided, ("s3", "CURRENT_CONTEXT")],
    }
    relation = {"type": "relation", "from_id": "q1", "to_id": "p1", "direction": "right", "labels": ["SPEAKER"]}
    assert all(relation in p["result"] for p in task["predictions"])


def _write_corpus(folder):
    for record in corpus():
        write_record(record, folder, SCHEME)


def test_adjudicate_dir_writes_gold_and_tasks(tmp_path):
    folder = tmp_path / "annotations"
    _write_corpus(folder)
    tasks_path = tmp_path / "out" / "tasks.json"
    result = adjudicate_dir(folder, scheme=SCHEME, tasks_path=tasks_path)
    assert [(r.article_id, r.method, r.from_annotations) for r in result.reports] == [
        ("a1", "majority", ["ls-101", "ls-102", "ls-103"]),
        ("a2", "majority", ["ls-201", "ls-202"]),
        ("a3", "single", ["ls-301"]),
    ]
    assert (result.written, result.tasks) == (3, 2)
    assert read_record(folder / "a1.json").gold.from_annotations == ["ls-101", "ls-102", "ls-103"]
    tasks = json.loads(tasks_path.read_text(encoding="utf-8"))
    assert [t["data"]["article_id"] for t in tasks] == ["a1", "a2"]
    # A second run changes nothing.
    assert adjudicate_dir(folder, scheme=SCHEME, tasks_path=tasks_path).written == 0


def test_adjudicate_dir_writes_nothing_on_a_bad_record(tmp_path):
    folder = tmp_path / "annotations"
    _write_corpus(folder)
    bad = json.loads((folder / "a3.json").read_text(encoding="utf-8"))
    bad["annotations"][0]["status"] = "finished"
    (folder / "a3.json").write_text(json.dumps(bad), encoding="utf-8")
    before = (folder / "a1.json").read_bytes()
    with pytest.raises(RecordError) as exc:
        adjudicate_dir(folder, scheme=SCHEME, tasks_path=tmp_path / "tasks.json")
    assert exc.value.code == "schema"  # the validator's verdict (validate.gate), as `newscorpus validate` says it
    assert exc.value.where == "$.annotations[0].status"
    assert (folder / "a1.json").read_bytes() == before
    assert not (tmp_path / "tasks.json").exists()


def test_adjudicate_and_agreement_refuse_a_record_validate_refuses(tmp_path):
    """A span [5000, 61) no longer reaches the adjudication tasks or the figures (issue 14, item 7)."""
    from newscorpus.agreement.report import agreement_dir

    folder = tmp_path / "annotations"
    _write_corpus(folder)
    bad = json.loads((folder / "a2.json").read_text(encoding="utf-8"))
    bad["annotations"][0]["spans"][0].update(start=5000, end=61)
    (folder / "a2.json").write_text(json.dumps(bad), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for run in (lambda: adjudicate_dir(folder, scheme=SCHEME, tasks_path=tmp_path / "tasks.json"),
                lambda: agreement_dir(folder, out_dir=tmp_path / "agreement", scheme=SCHEME)):
        with pytest.raises(RecordError) as exc:
            run()
        assert (exc.value.file, exc.value.where, exc.value.code) == (str(folder / "a2.json"), "$.annotations[0].spans[0].end",
                                                                     "span-out-of-bounds")
        assert exc.value.message == (f"61 is past the end of the text (50 code points) (and 1 more; run "
                                     f"`newscorpus validate {folder / 'a2.json'}`)")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert not (tmp_path / "tasks.json").exists() and not (tmp_path / "agreement").exists()


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({"adjudicator": "Bob Smith"}, "bad-adjudicator"), ({"adjudicator": None}, "no-annotations-dir")],
)
def test_adjudicate_dir_errors(tmp_path, kwargs, code):
    folder = tmp_path / ("annotations" if code != "no-annotations-dir" else "missing")
    if code != "no-annotations-dir":
        folder.mkdir()
    with pytest.raises(AdjudicationError) as exc:
        adjudicate_dir(folder, scheme=SCHEME, **kwargs)
    assert exc.value.code == code


def test_cli_adjudicate(tmp_path):
    folder = tmp_path / "annotations"
    _write_corpus(folder)
    tasks_path = tmp_path / "tasks.json"
    result = CliRunner().invoke(cli, ["adjudicate", "--annotations", str(folder), "--tasks", str(tasks_path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "adjudicated 3 record(s): 2 majority, 1 single; 3 file(s) changed",
        "a1: 2 submitted annotations are marked ground_truth (ls-101, ls-102): ground truth decides nothing here",
        "a1: open sentence discourse_role s2: ls-1=PREVIOUS_EVENT, ls-2=CONSEQUENCE, ls-3=—",
        "a2: open span entity [0, 7) PERSON 'Ann Lee': ls-1=True, ls-2=False",
        f"wrote 2 adjudication task(s) to {tasks_path}",
    ]


def test_cli_adjudicate_bad_adjudicator(tmp_path):
    folder = tmp_path / "annotations"
    _write_corpus(folder)
    result = CliRunner().invoke(cli, ["adjudicate", "--annotations", str(folder), "--adjudicator", "Bob"])
    assert result.exit_code == 1
    assert result.output == "error: 'Bob' is not an annotator id (hint: give it as in the records, e.g. ls-7)\n"


def test_gold_spans_keep_text_equal_to_slice():
    record, _ = adjudicate(_records()["a1"], scheme=SCHEME)
    assert all(record.text[s.start : s.end] == s.text for s in record.gold.spans)
    assert all(isinstance(s, Span) for s in record.gold.spans)


def test_cli_adjudicate_unknown_adjudicator_changes_nothing(tmp_path):
    folder = tmp_path / "annotations"
    _write_corpus(folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = CliRunner().invoke(cli, ["adjudicate", "--annotations", str(folder), "--adjudicator", "ls-77", "--force"])
    assert result.exit_code == 1
    assert result.output.startswith(f"error: annotator ls-77 has no annotation in any record of {folder}; nothing was changed")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
