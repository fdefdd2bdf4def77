"""`newscorpus revise` and revise_dir: the seeds folder against the records, all or nothing,
exact messages; a seed with CRLF line ends and NFD accents is read as ingest reads it; the
result passes `newscorpus validate`; `ingest` skips an annotated changed seed with a warning."""

from __future__ import annotations

import json
import unicodedata

import pytest
from click.testing import CliRunner

from newscorpus.cli import cli
from newscorpus.core.models import Annotation, Origin, Span
from newscorpus.core.scheme import default_scheme
from newscorpus.errors import ReviseError
from newscorpus.ingest.run import ingest_all
from newscorpus.records.io import read_record, write_record
from newscorpus.revise.run import revise_dir
from newscorpus.validate.run import validate_paths

from tests.support import SMALL_TEXT, write_seed

SCHEME = default_scheme()


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """seeds/ and annotations/ with 'small' (one annotation: Naypyidaw, Yangon) and 'other'."""
    seeds, ann = tmp_path / "seeds", tmp_path / "annotations"
    write_seed(seeds, "small", SMALL_TEXT)
    write_seed(seeds, "other", "Nothing happened.")
    ingest_all(seeds, annotations_dir=ann)
    record = read_record(ann / "small.json")
    record.annotations = [Annotation(
        id="ls-p1-a1", annotator="ls-2", status="submitted", origin=Origin(tool="label-studio"),
        spans=[Span(id="n", layer="entity", label="GPE", start=33, end=42, text="Naypyidaw"),
               Span(id="y", layer="entity", label="GPE", start=82, end=88, text="Yangon")])]
    write_record(record, ann, SCHEME)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_nothing_to_revise(corpus):
    result = _run("revise")
    assert (result.exit_code, result.stdout) == (0, "nothing to revise: 2 record(s) checked against their seeds\n")
    result = _run("revise", "small")
    assert result.stdout == "small: text unchanged, nothing to revise\nnothing to revise: 1 record(s) checked against their seeds\n"


def test_a_typo_fixed_outside_the_spans_with_crlf_and_nfd_in_the_seed(corpus):
    fixed = SMALL_TEXT.replace(" met ", " meets ")
    (corpus / "seeds" / "small.txt").write_bytes(unicodedata.normalize("NFD", fixed).replace("\n", "\r\n").encode("utf-8"))
    before = (corpus / "annotations" / "small.json").read_bytes()
    dry = _run("revise", "--dry-run")
    assert (dry.exit_code, dry.stdout) == (0, "small: 2 span(s) moved, 0 changed, 0 deleted; sentences: 1 changed, 0 added, 0 dropped\n"
                                              "dry run: 1 of 2 record(s) would be revised; nothing written\n")
    assert (corpus / "annotations" / "small.json").read_bytes() == before
    result = _run("revise")
    assert (result.exit_code, result.stdout) == (0, "small: 2 span(s) moved, 0 changed, 0 deleted; sentences: 1 changed, 0 added, 0 dropped\n"
                                                    "revised 1 of 2 record(s); `newscorpus ls push` updates their Label Studio tasks\n")
    record = read_record(corpus / "annotations" / "small.json")
    assert record.text == fixed
    assert [(s.start, s.end, s.text) for s in record.annotations[0].spans] == [(35, 44, "Naypyidaw"), (84, 90, "Yangon")]
    assert (record.revisions[0].moved, record.revisions[0].accepted) == (2, False)
    assert validate_paths([corpus / "annotations"]).valid
    assert _run("revise").stdout == "nothing to revise: 2 record(s) checked against their seeds\n"  # done once
    assert _run("ingest").stdout == "ingested 2 article(s): 0 new, 0 updated, 2 unchanged\n"


def test_a_changed_span_stops_the_run_until_accepted(corpus):
    (corpus / "seeds" / "small.txt").write_text(SMALL_TEXT.replace("Naypyidaw", "Nay Pyi Taw"), encoding="utf-8")
    before = (corpus / "annotations" / "small.json").read_bytes()
    result = _run("revise")
    assert result.exit_code == 1
    assert result.stdout == (
        "small: 1 span(s) moved, 1 changed, 0 deleted; sentences: 1 changed, 0 added, 0 dropped\n"
        "  refused: span changed: ls-p1-a1 (ls-2) span n GPE 'Naypyidaw' [33, 42) -> 'Nay Pyi Taw' [33, 44)\n")
    assert result.stderr == ("error: nothing written: 1 of 1 record(s) refused (--accept-changed keeps the changed spans "
                             "with their new text)\n")
    assert (corpus / "annotations" / "small.json").read_bytes() == before
    result = _run("revise", "--accept-changed")
    assert (result.exit_code, result.stdout) == (0, (
        "small: 1 span(s) moved, 1 changed, 0 deleted; sentences: 1 changed, 0 added, 0 dropped\n"
        "  span changed (accepted): ls-p1-a1 (ls-2) span n GPE 'Naypyidaw' [33, 42) -> 'Nay Pyi Taw' [33, 44)\n"
        "revised 1 of 2 record(s); `newscorpus ls push` updates their Label Studio tasks\n"))
    data = json.loads((corpus / "annotations" / "small.json").read_text(encoding="utf-8"))
    assert data["revisions"][0]["changed"] == [{"part": "ls-p1-a1", "span": "n", "before": "Naypyidaw", "after": "Nay Pyi Taw"}]
    assert data["annotations"][0]["spans"][1] == {"id": "y", "layer": "entity", "label": "GPE", "start": 84, "end": 90, "text": "Yangon"}
    assert validate_paths([corpus / "annotations"]).valid


def test_a_deleted_span_needs_drop_deleted(corpus):
    (corpus / "seeds" / "small.txt").write_text(SMALL_TEXT.replace(" in Yangon", ""), encoding="utf-8")
    result = _run("revise", "--accept-changed")
    assert result.exit_code == 1
    assert "  refused: span deleted: ls-p1-a1 (ls-2) span y GPE 'Yangon' [82, 88) -> deleted\n" in result.stdout
    assert result.stderr == "error: nothing written: 1 of 1 record(s) refused (--drop-deleted drops what was deleted)\n"
    result = _run("revise", "--drop-deleted")
    assert result.exit_code == 0 and "  span dropped: ls-p1-a1 (ls-2) span y GPE 'Yangon' [82, 88) -> deleted\n" in result.stdout
    assert [s.id for s in read_record(corpus / "annotations" / "small.json").annotations[0].spans] == ["n"]


def test_a_result_the_validator_refuses_is_not_written(corpus):
    # two entity spans an edit joins: both widened onto one replacement, they would overlap
    record = read_record(corpus / "annotations" / "small.json")
    record.annotations[0].spans.append(Span(id="s", layer="entity", label="PERSON", start=22, end=29, text="Suu Kyi"))
    record.annotations[0].spans.append(Span(id="a", layer="entity", label="PERSON", start=13, end=21, text="Aung San"))
    write_record(record, corpus / "annotations", SCHEME)
    (corpus / "seeds" / "small.txt").write_text(SMALL_TEXT.replace("Aung San Suu Kyi", "Aung SaXXuu Kyi"), encoding="utf-8")
    result = _run("revise", "--accept-changed")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        "  refused: $.annotations[0].spans[1]: entity span 's' PERSON [20, 28) overlaps entity span 'a' PERSON [13, 22): "
        "the 'entity' layer is flat (no overlap, no nesting) [span-overlap]")
    assert "  refused: span changed:" not in result.stdout  # accepted: only the rule stops it


def test_articles_asked_for_must_have_a_record_and_a_seed(corpus):
    with pytest.raises(ReviseError) as info:
        revise_dir(corpus / "seeds", annotations_dir=corpus / "annotations", scheme=SCHEME, ids=["nope"])
    assert (info.value.code, str(info.value)) == (
        "no-record", f"{corpus / 'annotations' / 'nope.json'}::$: no record of article 'nope' (hint: ingest its seed first (`newscorpus ingest`))")
    (corpus / "seeds" / "other.txt").unlink()
    result = _run("revise", "other")
    assert (result.exit_code, result.stderr) == (1, "error: seeds/other.txt::$: no seed of article 'other'\n")
    assert _run("revise").exit_code == 0  # without ids, a record without a seed is left alone


def test_ingest_skips_the_annotated_changed_seed_and_ingests_the_others(corpus):
    (corpus / "seeds" / "small.txt").write_text(SMALL_TEXT.replace(" met ", " meets "), encoding="utf-8")
    write_seed(corpus / "seeds", "third", "A third article.")
    before = (corpus / "annotations" / "small.json").read_bytes()
    result = _run("ingest")
    assert result.exit_code == 0
    assert result.stdout == "ingested 3 article(s): 1 new, 0 updated, 1 unchanged, 1 skipped (text changed: run `newscorpus revise`)\n"
    assert result.stderr.startswith("warning: seeds/small.txt: skipped: the seed's canonical text (sha256 ")
    assert result.stderr.endswith("run `newscorpus revise small` to move them onto the new text\n")
    assert (corpus / "annotations" / "small.json").read_bytes() == before and (corpus / "annotations" / "third.json").exists()


def test_a_record_validate_refuses_is_not_revised(corpus):
    path = corpus / "annotations" / "small.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["annotations"][0]["spans"][0]["text"] = "Naypyitaw"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (corpus / "seeds" / "small.txt").write_text(SMALL_TEXT.replace(" met ", " meets "), encoding="utf-8")
    result = _run("revise")
    assert (result.exit_code, result.stderr) == (1, "error: annotations/small.json::$.annotations[0].spans[0].text: "
                                                    "'Naypyitaw' differs from text[33:42] = 'Naypyidaw'\n")
