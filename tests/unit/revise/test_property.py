"""A seeded random property: edits made outside every span (inserts also at a span's very
start or end) leave every span's text unchanged and move it to exactly the offsets the
edits imply (the oracle below tracks each edit as it is made)."""

from __future__ import annotations

import random
import string

from newscorpus.core.models import Annotation, ArticleRecord, Origin, Segmenter, Sentence, Span
from newscorpus.ingest.run import text_sha256
from newscorpus.revise.diff import diff_texts
from newscorpus.revise.record import revise_record

GAP = " .,;0123456789\n"
INSERTED = string.ascii_uppercase + "😀é"


def _article(rng: random.Random) -> tuple[str, list[tuple[int, int]]]:
    """A text of lowercase words (the spans) between runs of other characters."""
    text, spans = "", []
    for _ in range(rng.randrange(2, 30)):
        text += "".join(rng.choice(GAP[:-1]) for _ in range(rng.randrange(1, 6)))
        word = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randrange(1, 9)))
        spans.append((len(text), len(text) + len(word)))
        text += word
    text += "".join(rng.choice(GAP[:-1]) for _ in range(rng.randrange(0, 4)))
    return text, spans


def _edit(rng: random.Random, text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """One random edit outside the spans; the text and the spans' offsets after it."""
    kind = rng.choice(["insert", "delete", "replace"])
    if kind == "insert":
        free = [p for p in range(len(text) + 1) if not any(s < p < e for s, e in spans)]
        p = rng.choice(free)
        piece = "".join(rng.choice(INSERTED) for _ in range(rng.randrange(1, 4)))
        moved = [(s + len(piece), e + len(piece)) if s >= p else (s, e) for s, e in spans]
        return text[:p] + piece + text[p:], moved
    gaps = [i for i in range(len(text)) if not any(s <= i < e for s, e in spans)]
    if not gaps:
        return text, spans
    i = rng.choice(gaps)
    j = i + 1
    while j < len(text) and j in gaps and rng.random() < 0.5:
        j += 1
    piece = "" if kind == "delete" else "".join(rng.choice(INSERTED) for _ in range(rng.randrange(1, 4)))
    delta = len(piece) - (j - i)
    return text[:i] + piece + text[j:], [(s + delta, e + delta) if s >= j else (s, e) for s, e in spans]


def _record(text: str, spans: list[tuple[int, int]]) -> ArticleRecord:
    return ArticleRecord(
        schema_version="1.3.0", id="prop", text=text, text_sha256=text_sha256(text),
        meta={"title": None, "publisher": "p", "url": None, "published": "2024-01-01", "language": "en",
              "license": "CC-BY-4.0", "redistributable": True, "source_file": "prop.txt"},
        sentences=[Sentence(id="s0", start=len(text) - len(text.lstrip()), end=len(text.rstrip()))],
        segmenter=Segmenter(name="spacy.sentencizer", version="3"),
        annotations=[Annotation(id="a1", annotator="ls-1", status="submitted", origin=Origin(tool="label-studio"),
                                spans=[Span(id=f"t{k}", layer="attribution", label="SOURCE", start=s, end=e, text=text[s:e])
                                       for k, (s, e) in enumerate(spans)])],
    )


def test_edits_outside_spans_keep_every_span_exact():
    rng = random.Random(20261202)
    for _ in range(300):
        old, spans = _article(rng)
        new, expected = old, spans
        for _ in range(rng.randrange(1, 6)):
            new, expected = _edit(rng, new, expected)
        if new == old:
            continue
        diff = diff_texts(old, new)
        for (s, e), (ns, ne) in zip(spans, expected):
            assert not diff.touched(s, e), (old, new, s, e)
            assert diff.move(s, e) == (ns, ne), (old, new, s, e)
        rev = revise_record(_record(old, spans), new, segment=lambda piece: [])
        assert rev.changes == [] and rev.moved == len(spans)
        assert [(x.start, x.end, x.text) for x in rev.record.annotations[0].spans] == [
            (ns, ne, old[s:e]) for (s, e), (ns, ne) in zip(spans, expected)]
