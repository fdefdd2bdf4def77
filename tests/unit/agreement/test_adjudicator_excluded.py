"""The adjudicator is left out of agreement figures without being named: in each record,
the annotator an adjudicated gold names (decided_by) does not count."""

from __future__ import annotations

from newscorpus.agreement.figures import corpus_agreement
from newscorpus.core.models import Annotation, ArticleRecord, Gold, Origin, Segmenter, Sentence, Span
from newscorpus.core.scheme import default_scheme
from newscorpus.ingest.run import text_sha256

TEXT = "Alpha met Beta in Gamma."


def _annotation(n: int, annotator: str, label: str) -> Annotation:
    return Annotation(id=f"ls-p1-a{n}", annotator=annotator, status="submitted", origin=Origin(tool="label-studio"),
                      spans=[Span(id=f"s{n}", layer="entity", label=label, start=18, end=23, text="Gamma")])


def _record(gold: Gold | None) -> ArticleRecord:
    return ArticleRecord(
        schema_version="1.3.0", id="alpha", text=TEXT, text_sha256=text_sha256(TEXT),
        meta={"title": "t", "publisher": "p", "url": None, "published": "2024-01-01", "language": "en",
              "license": "CC-BY-4.0", "redistributable": True, "source_file": "alpha.txt"},
        sentences=[Sentence(id="s0", start=0, end=len(TEXT))], segmenter=Segmenter(name="spacy.sentencizer", version="3"),
        annotations=[_annotation(1, "ls-2", "GPE"), _annotation(2, "ls-3", "ORG"), _annotation(3, "ls-4", "GPE")],
        gold=gold,
    )


def test_the_adjudicator_of_an_adjudicated_gold_does_not_count():
    scheme = default_scheme()
    decided = Gold(method="adjudicated", decided_by="ls-4", from_annotations=["ls-p1-a3"])
    report = corpus_agreement([_record(decided)], scheme=scheme)
    assert (report.annotators, report.excluded) == (["ls-2", "ls-3"], [])
    assert (report.span_overall.exact_matched, report.span_overall.spans) == (0, 2)
    # a majority gold names no adjudicator: everyone counts
    report = corpus_agreement([_record(Gold(method="majority", decided_by=None, from_annotations=[]))], scheme=scheme)
    assert report.annotators == ["ls-2", "ls-3", "ls-4"]
    assert (report.span_overall.exact_matched, report.span_overall.spans) == (1, 6)
