"""Ingest: canonical text, hash, id and sentences, on the seed and on bad input."""

from __future__ import annotations

import hashlib
import json

import pytest

from newscorpus.core.models import Annotation, Origin, Span
from newscorpus.core.scheme import default_scheme
from newscorpus.errors import IngestError
from newscorpus.ingest.run import canonical_text, ingest_all, ingest_seed, segment, text_sha256
from newscorpus.records.io import read_record, write_record

from tests.support import META, SEED, write_seed

SEED_SHA = "8bffaf920eb60fec964ea71559271be253926246d9606a6d7bfa9f76962cb596"
#: Sentence offsets of the seed, checked by hand against the text (12 paragraphs, 14 sentences:
#: paragraphs 7 and 11 hold two sentences each).
SEED_SENTENCES = [
    (0, 286), (287, 500), (501, 638), (639, 792), (793, 954), (955, 1164), (1165, 1275),
    (1276, 1425), (1426, 1646), (1647, 1842), (1843, 1904), (1905, 2223), (2224, 2407), (2408, 2680),
]


def test_seed_is_byte_identical_to_the_one_received():
    shared = SEED.parent.parent.parent / "shared" / "seeds" / SEED.name
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == hashlib.sha256(shared.read_bytes()).hexdigest()


def test_seed_record():
    record = ingest_seed(SEED)
    assert record.id == "000_ba712161f3bc6069"
    assert len(record.text) == 2680
    assert record.text_sha256 == SEED_SHA
    assert [(s.start, s.end) for s in record.sentences] == SEED_SENTENCES
    assert [s.id for s in record.sentences] == [f"s{i}" for i in range(14)]
    # the committed record was segmented by the plain sentencizer; the news rules change none
    # of its 14 sentences (none has a title, an opening quote after a full stop, ...)
    assert record.segmenter.name == "spacy.sentencizer+news"
    assert record.segmenter.version == "3.8.18+rules.1"
    assert record.meta.license == "LicenseRef-AP-copyright"
    assert record.meta.redistributable is False
    assert record.meta.url is None
    assert record.meta.source_file == "seeds/000_ba712161f3bc6069.txt"


def test_us_inside_a_sentence_is_not_a_boundary():
    record = ingest_seed(SEED)
    last = record.sentences[-1]
    assert record.text[last.start : last.end].startswith("The Chinese and Russian-dominated forum")
    assert "U.S. influence in Central Asia" in record.text[last.start : last.end]


def test_canonical_text_removes_bom_crlf_and_composes():
    raw = "\ufeffCafe\u0301 one.\r\nTwo.\rThree.".encode("utf-8")
    assert canonical_text(raw) == "Café one.\nTwo.\nThree."
    assert len(canonical_text(raw)) == 21  # é is one code point after NFC


def test_sentences_are_trimmed_and_split_at_line_breaks():
    text = "  First line without a stop\nSecond one. Third one!  \n\n"
    got = [(s.start, s.end, text[s.start : s.end]) for s in segment(text)]
    assert got == [(2, 27, "First line without a stop"), (28, 39, "Second one."), (40, 50, "Third one!")]


def test_not_utf8_is_refused(tmp_path):
    path = write_seed(tmp_path / "seeds", "latin", b"Caf\xe9 au lait.")
    with pytest.raises(IngestError) as err:
        ingest_seed(path)
    assert err.value.code == "not-utf8"
    assert "byte 3 (0xe9)" in str(err.value)


def test_unsafe_id_and_missing_meta(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "-bad name.txt").write_text("Text.", encoding="utf-8")
    with pytest.raises(IngestError) as err:
        ingest_seed(seeds / "-bad name.txt")
    assert err.value.code == "unsafe-id"
    (seeds / "ok.txt").write_text("Text.", encoding="utf-8")
    with pytest.raises(IngestError) as err:
        ingest_seed(seeds / "ok.txt")
    assert err.value.code == "missing-meta"


def test_invalid_meta_names_the_field(tmp_path):
    path = write_seed(tmp_path / "seeds", "a", "Text.", {**META, "published": "2 May 2023"})
    with pytest.raises(IngestError) as err:
        ingest_seed(path)
    assert err.value.code == "invalid-meta"
    assert err.value.where == "$.published"


def test_ingest_all_keeps_annotations_and_skips_a_changed_text_of_an_annotated_record(tmp_path):
    """A changed text never blocks the other seeds: the seed of a record with annotations
    is skipped with a warning naming `newscorpus revise`; a record with no annotations and
    no gold is simply ingested again, new text and sentences."""
    seeds, ann = tmp_path / "seeds", tmp_path / "annotations"
    write_seed(seeds, "a", "One sentence. Two sentences.")
    write_seed(seeds, "b", "Bare text.")
    report = ingest_all(seeds, annotations_dir=ann)
    assert (report.created, report.updated, report.unchanged, report.skipped) == (2, 0, 0, ())
    before = (ann / "a.json").read_bytes()
    report = ingest_all(seeds, annotations_dir=ann)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert (ann / "a.json").read_bytes() == before
    record = read_record(ann / "a.json")
    record.annotations = [Annotation(id="ls-p1-a1", annotator="ls-1", status="submitted", origin=Origin(tool="label-studio"),
                                     spans=[Span(id="x", layer="entity", label="CARDINAL", start=14, end=17, text="Two")])]
    write_record(record, ann, default_scheme())
    annotated = (ann / "a.json").read_bytes()
    write_seed(seeds, "a", "One sentence. Two changed sentences.")
    write_seed(seeds, "b", "Bare text, corrected.")
    write_seed(seeds, "c", "A new one.")
    report = ingest_all(seeds, annotations_dir=ann)
    assert (report.created, report.updated, report.unchanged, report.total) == (1, 1, 0, 3)
    a_sha = read_record(ann / "a.json").text_sha256
    new_sha = text_sha256("One sentence. Two changed sentences.")
    assert report.skipped == (
        f"{seeds / 'a.txt'}: skipped: the seed's canonical text (sha256 {new_sha[:12]}…) differs from the record's "
        f"({a_sha[:12]}…), and {ann / 'a.json'} holds annotations made against the recorded text; "
        "run `newscorpus revise a` to move them onto the new text",
    )
    assert (ann / "a.json").read_bytes() == annotated
    assert read_record(ann / "a.json").sentences[1].start == 14
    assert json.loads(before)["meta"]["publisher"] == "newscorpus tests"
    assert read_record(ann / "b.json").text == "Bare text, corrected." and (ann / "c.json").exists()


@pytest.mark.parametrize(
    "change, where, text",
    [
        ({"redistributable": "yes"}, "$.redistributable", "Input should be a valid boolean"),
        ({"redistributable": 1}, "$.redistributable", "Input should be a valid boolean"),
        ({"source_file": "/etc/passwd"}, "$.source_file", "source_file is recorded by ingest"),
        ({"url": "javascript:alert(1)"}, "$.url", "is not an http(s) address"),
        ({"title": " "}, "$.title", "title is empty"),
        ({"license": "AP copyright"}, "$.license", "'AP copyright' is not an SPDX id"),
    ],
    ids=["redistributable-str", "redistributable-int", "source-file", "url", "empty-title", "license"],
)
def test_sidecar_is_checked_strictly(tmp_path, change, where, text):
    path = write_seed(tmp_path / "seeds", "a", "Text.", {**META, **change})
    with pytest.raises(IngestError) as err:
        ingest_seed(path)
    assert (err.value.code, err.value.where) == ("invalid-meta", where)
    assert text in str(err.value)
