"""An entity that crosses a sentence boundary fails the build, naming the article, the span
and the sentence merge that fixes it; a quotation across two sentences is only reported."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from newscorpus.cli import cli
from newscorpus.core.models import Gold, Relation, SentenceLabel, Span
from newscorpus.core.scheme import default_scheme
from newscorpus.dataset.build import build_dataset
from newscorpus.dataset.crossing import crossing_spans
from newscorpus.errors import BuildError
from newscorpus.records.io import write_record

from tests.support.agreement import make_annotation, make_record

#: Sentences as spaCy's plain sentencizer cut this text before the news rules: after "Ft."
#: (s0/s1) and inside a two-sentence quotation (s2/s3).
TEXT = "He moved to Ft. Worth in May. “We are ready. We will win,” she said."
SENTENCES = [(0, 15), (16, 29), (30, 44), (45, 68)]
assert [TEXT[a:b] for a, b in SENTENCES] == ["He moved to Ft.", "Worth in May.", "“We are ready.", "We will win,” she said."]


def _record(*, entity: bool):
    spans = [("q1", "attribution", "QUOTE", 31, 57), ("p1", "attribution", "SOURCE", 59, 62), ("d1", "entity", "DATE", 25, 28)]
    if entity:
        spans.append(("g1", "entity", "GPE", 12, 21))
    spans.sort(key=lambda s: s[3])  # the canonical order of a record: by start
    ann = make_annotation(TEXT, 1, "ls-1", spans=tuple(spans), relations=(("q1", "p1"),), labels={"genre": ["reporting"]})
    record = make_record("ftworth", TEXT, SENTENCES, [ann])
    record.gold = Gold(method="single", decided_by=None, from_annotations=[ann.id], article_labels={"genre": ["reporting"]},
                       sentence_labels=[SentenceLabel(sentence="s0", layer="discourse_role", label="MAIN_EVENT")],
                       spans=[Span.model_validate(s.model_dump()) for s in ann.spans],
                       relations=[Relation(id="r1", label="SPEAKER", head="q1", tail="p1")])
    return record


def test_the_spans_that_cross():
    rec = _record(entity=True).model_dump(mode="json")
    # in gold.spans order; "May" lies inside s1, "she" inside s3
    assert [(c.index, c.span_id, c.label, c.start, c.end, c.text, c.first, c.last) for c in crossing_spans(rec)] == [
        (0, "g1", "GPE", 12, 21, "Ft. Worth", "s0", "s1"), (2, "q1", "QUOTE", 31, 57, "We are ready. We will win,", "s2", "s3")]


def test_an_entity_across_a_boundary_fails_the_build(tmp_path):
    ann = tmp_path / "annotations"
    write_record(_record(entity=True), ann, default_scheme())
    with pytest.raises(BuildError) as err:
        build_dataset(annotations_dir=ann, out=tmp_path / "out")
    assert (err.value.code, err.value.where) == ("entity-crosses-sentence", "$.gold.spans[0]")
    assert str(err.value) == (
        f"{ann / 'ftworth.json'}::$.gold.spans[0]: entity g1 (GPE, [12, 21), \"Ft. Worth\") of article ftworth crosses the "
        "boundary between sentences s0 and s1: in `ner` and `sentences` it would be O "
        "(hint: merge the sentences: newscorpus sentences merge ftworth s0 s1)"
    )
    assert not (tmp_path / "out").exists()


def test_the_build_command_names_the_fix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_record(_record(entity=True), tmp_path / "annotations", default_scheme())
    result = CliRunner().invoke(cli, ["build", "--annotations", "annotations", "--out", "out"])
    assert (result.exit_code, result.stderr) == (1, (
        "error: annotations/ftworth.json::$.gold.spans[0]: entity g1 (GPE, [12, 21), \"Ft. Worth\") of article ftworth crosses "
        "the boundary between sentences s0 and s1: in `ner` and `sentences` it would be O "
        "(hint: merge the sentences: newscorpus sentences merge ftworth s0 s1)\n"))


def test_a_quotation_across_a_boundary_is_reported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_record(_record(entity=False), tmp_path / "annotations", default_scheme())
    result = build_dataset(annotations_dir=tmp_path / "annotations", out=tmp_path / "out")
    assert result.crossing == [("ftworth", "q1")]
    cli_result = CliRunner().invoke(cli, ["build", "--annotations", "annotations", "--out", "out2"])
    assert cli_result.exit_code == 0
    assert cli_result.stderr.endswith(
        "warning: 1 gold span(s) of overlapping layers (quotations) cross a sentence boundary (only in `articles`)\n")
