"""A small multi-annotator corpus for the agreement and adjudication tests.

Three articles, built here so that every figure can be computed by hand:

a1  annotators ls-1, ls-2, ls-3 submitted (ls-1 and ls-2 both flagged ground_truth, as Label
    Studio does for annotations imported with their tasks), ls-4 cancelled, a draft of ls-2;
    ls-3 left sentences s2 and s3 without a role (a missing value).
a2  ls-1 and ls-2 submitted; ls-3 has no annotation (missing); ls-1's PERSON span is a 1:1 tie.
a3  ls-1 submitted, ls-2 cancelled: one annotator only.

T1 offsets (code points): Myanmar [0,7) Indian [19,25) "Indian officials" [19,35) Delhi [39,44)
"We will return" [47,61) she [64,67) "on Monday" [86,95) Monday [89,95).
"""

from __future__ import annotations

import datetime as dt

from newscorpus.ingest.run import text_sha256
from newscorpus.core.models import (
    SCHEMA_VERSION,
    Annotation,
    ArticleRecord,
    Meta,
    Origin,
    Relation,
    Segmenter,
    Sentence,
    SentenceLabel,
    Span,
)

T1 = 'Myanmar\'s army met Indian officials in Delhi. "We will return," she said. Talks ended on Monday. Prices rose.'
T2 = "Ann Lee wrote a column. It argued for lower taxes."
T3 = "A short note."


def make_record(article_id: str, text: str, sentences: list[tuple[int, int]], annotations: list[Annotation]) -> ArticleRecord:
    return ArticleRecord(
        schema_version=SCHEMA_VERSION,
        id=article_id,
        text=text,
        text_sha256=text_sha256(text),
        meta=Meta(
            title=None,
            publisher="Test",
            url=None,
            published=dt.date(2024, 1, 1),
            language="en",
            license="CC-BY-4.0",
            redistributable=True,
            source_file=f"seeds/{article_id}.txt",
        ),
        sentences=[Sentence(id=f"s{i}", start=s, end=e) for i, (s, e) in enumerate(sentences)],
        segmenter=Segmenter(name="spacy.sentencizer", version="3.8.18"),
        annotations=annotations,
    )


def make_annotation(
    text: str,
    ls_id: int,
    annotator: str,
    *,
    status: str = "submitted",
    ground_truth: bool = False,
    spans: tuple = (),
    relations: tuple = (),
    roles: dict | None = None,
    labels: dict | None = None,
) -> Annotation:
    """``spans``: (id, layer, label, start, end); ``relations``: (head id, tail id) SPEAKER;
    ``roles``: sentence id -> discourse_role; ``labels``: article layer -> labels."""
    ann_id = f"ls-draft-{ls_id}" if status == "draft" else f"ls-{ls_id}"
    return Annotation(
        id=ann_id,
        annotator=annotator,
        status=status,
        ground_truth=ground_truth,
        origin=Origin(tool="label-studio", version="1.23.2", project=1, task=1, annotation=ls_id),
        article_labels=dict(labels or {}),
        sentence_labels=[SentenceLabel(sentence=s, layer="discourse_role", label=r) for s, r in (roles or {}).items()],
        spans=[Span(id=i, layer=la, label=lb, start=s, end=e, text=text[s:e]) for i, la, lb, s, e in spans],
        relations=[Relation(id=f"SPEAKER:{h}>{t}", label="SPEAKER", head=h, tail=t) for h, t in relations],
    )


def corpus() -> list[ArticleRecord]:
    a = make_annotation
    a1 = [
        a(T1, 101, "ls-1", ground_truth=True,
          spans=(("m1", "entity", "GPE", 0, 7), ("i1", "entity", "NORP", 19, 25), ("d1", "entity", "GPE", 39, 44),
                 ("t1", "entity", "DATE", 89, 95), ("q1", "attribution", "QUOTE", 47, 61), ("p1", "attribution", "SOURCE", 64, 67)),
          relations=(("q1", "p1"),),
          roles={"s0": "MAIN_EVENT", "s1": "EVALUATION", "s2": "PREVIOUS_EVENT", "s3": "CURRENT_CONTEXT"},
          labels={"genre": ["reporting"], "frames": ["Security_and_defense", "Political"]}),
        a(T1, 102, "ls-2", ground_truth=True,
          spans=(("m2", "entity", "GPE", 0, 7), ("i2", "entity", "NORP", 19, 25), ("d2", "entity", "LOC", 39, 44),
                 ("t2", "entity", "DATE", 86, 95), ("q2", "attribution", "QUOTE", 47, 61), ("p2", "attribution", "SOURCE", 64, 67)),
          relations=(("q2", "p2"),),
          roles={"s0": "MAIN_EVENT", "s1": "EVALUATION", "s2": "CONSEQUENCE", "s3": "CURRENT_CONTEXT"},
          labels={"genre": ["reporting"], "frames": ["Political"]}),
        a(T1, 103, "ls-3",
          spans=(("m3", "entity", "GPE", 0, 7), ("i3", "entity", "NORP", 19, 35), ("d3", "entity", "GPE", 39, 44),
                 ("q3", "attribution", "QUOTE", 47, 61)),
          relations=(("q3", "i3"),),
          roles={"s0": "MAIN_EVENT", "s1": "CONSEQUENCE"},
          labels={"genre": ["opinion"], "frames": ["Economic", "Political"]}),
        a(T1, 104, "ls-4", status="cancelled",
          spans=(("x4", "entity", "ORG", 74, 79),),
          roles={"s0": "OTHER", "s1": "OTHER", "s2": "OTHER", "s3": "OTHER"},
          labels={"genre": ["satire"], "frames": ["Morality"]}),
        a(T1, 7, "ls-2", status="draft", spans=(("x5", "entity", "ORG", 97, 103),),
          roles={"s2": "OTHER"}, labels={"genre": ["satire"]}),
    ]
    a2 = [
        a(T2, 201, "ls-1", spans=(("n1", "entity", "PERSON", 0, 7),), labels={"genre": ["opinion"], "frames": ["Economic"]}),
        a(T2, 202, "ls-2", labels={"genre": ["opinion"]}),
    ]
    a3 = [
        a(T3, 301, "ls-1", labels={"genre": ["reporting"]}),
        a(T3, 302, "ls-2", status="cancelled", labels={"genre": ["satire"]}),
    ]
    return [
        make_record("a1", T1, [(0, 45), (46, 73), (74, 96), (97, 109)], a1),
        make_record("a2", T2, [(0, 23), (24, 50)], a2),
        make_record("a3", T3, [(0, 13)], a3),
    ]
