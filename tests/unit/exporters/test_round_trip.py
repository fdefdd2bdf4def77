"""Round trips, record -> format -> record, as seeded random property tests (docs/formats.md,
What each format keeps): for each format that holds spans, relations and span notes
(brat, wadm), random records are exported (:func:`newscorpus.exporters.run.export_corpus`,
as ``newscorpus export --format F``) and the export imported into an empty folder
(:data:`newscorpus.importers.IMPORTERS`, as ``newscorpus import --format F``, with
``--gold`` or with an annotator id); every imported record has the same text, the same
spans (layer, offsets, label, text, note), the same relations and nothing else.

The records: random Unicode text (combining marks, some NFC cannot compose, astral
characters, a regional-indicator flag, right-to-left Arabic and Hebrew with a RIGHT-TO-LEFT
MARK, CJK, no-break spaces, line breaks; each seed file written with CRLF, which ingest
turns into LF); entity spans that never overlap, attribution spans that nest, cross and
repeat the offsets of others (a QUOTE and a SOURCE over one stretch), spans across line
breaks (brat writes them as fragments), span edges inside a grapheme cluster;
SPEAKER relations from a QUOTE to a span whose label the scheme allows as its tail; notes
of any Unicode with line breaks, brat attributes (``[attribute] Negated``) ending a note
and an attribute line inside one.

Compared as sets: spans keyed by (layer, start, end, label), relations by (label, head
key, tail key). Ids are not compared: brat numbers spans ``T1``... and relations ``R1``...
when the record's ids are not brat's; wadm gives them back as ``span-<id>`` and
``relation-<id>`` (the last segment of the annotation's IRI; a ``>`` becomes ``_``).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newscorpus.core.models import Gold, Relation, Span
from newscorpus.core.scheme import default_scheme
from newscorpus.exporters.run import export_corpus
from newscorpus.importers import IMPORTERS
from newscorpus.ingest.run import ingest_seed
from newscorpus.records.io import read_record

from tests.support import META, write_seed
from tests.support.random_corpus import random_corpus

ALPHABET = [
    "a", "b", "k", "Z", "é", "q\u0307", "e\u0301\u0323", "\u0915\u094d\u0937", "😀", "𝔘", "🇮🇱", "\U00020BB7",
    "م", "ح", "ب", "مرحبا", "ש", "ל", "ם", "שלום", "\u200f", "王", "東", "\u2028",
    " ", " ", " ", " ", "  ", "\u00a0", ".", ",", "“", "”", "!", "\r\n", "\n", "\r\n\r\n", "-",
]
SCHEME = default_scheme()
ENTITIES = next(layer.label_names for layer in SCHEME.span_layers if layer.name == "entity")
(SPEAKER,) = [label for relation in SCHEME.relations for label in relation.labels if label.name == "SPEAKER"]
HEADS, TAILS = set(SPEAKER.head_labels), set(SPEAKER.tail_labels)  # QUOTE; PERSON, NORP, ORG, GPE, SOURCE
NOTES = ["", "doubt 😀", "שלום, مرحبا", "e\u0301 \U00020BB7", "two\nlines", "tab\there", "[attribute] Negated",
         "[attribute] Confidence=High", "[attribute] two words", "\u2028"]
N = 50
META_DEFAULTS = {k: str(v).lower() if isinstance(v, bool) else v for k, v in META.items() if k != "title" and v is not None}


def _note(rng: random.Random) -> str | None:
    if rng.random() < 0.5:
        return None
    return "\n".join(rng.choice(NOTES) for _ in range(rng.randint(1, 4)))


def _spans(rng: random.Random, text: str) -> list[Span]:
    edges = [i for i in range(len(text)) if not text[i].isspace()]
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    keys: set[tuple] = set()
    for k in range(rng.randint(0, 9)):
        if spans and rng.random() < 0.25:  # nested in, or over the same characters as, a span before
            outer = rng.choice(spans)
            inside = [i for i in edges if outer.start <= i < outer.end]
            start = rng.choice(inside)
            end = rng.choice([i + 1 for i in inside if i >= start])
        else:
            start = rng.choice(edges)
            end = rng.choice([i + 1 for i in edges if start <= i < start + 15])
        layer = "entity" if rng.random() < 0.5 else "attribution"
        if layer == "entity":
            if any(a < end and start < b for a, b in taken):
                continue
            label = rng.choice(ENTITIES[:6] if rng.random() < 0.7 else ENTITIES)  # most often a speaker's label
        else:
            label = rng.choice(["QUOTE", "QUOTE", "SOURCE"])
        if (layer, start, end, label) in keys:
            continue
        keys.add((layer, start, end, label))
        if layer == "entity":
            taken.append((start, end))
        spans.append(Span(id=f"s{k}", layer=layer, label=label, start=start, end=end, text=text[start:end], note=_note(rng)))
    return spans


def _record(rng: random.Random, seeds: Path, n: int):
    raw = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(5, 90))).strip() or "x"
    path = write_seed(seeds, f"rt{n:03d}", (raw + "\r\n").encode("utf-8"), dict(META, split="train"))
    record = ingest_seed(path)
    assert "\r" not in record.text
    spans = _spans(rng, record.text)
    tails = [s for s in spans if s.label in TAILS]
    relations: list[Relation] = []
    pairs: set[tuple[str, str]] = set()
    for quote in (s for s in spans if s.label in HEADS):
        for tail in rng.sample(tails, min(len(tails), rng.randint(0, 2))):
            if tail.id != quote.id and (quote.id, tail.id) not in pairs:
                pairs.add((quote.id, tail.id))
                relations.append(Relation(id=f"{quote.id}>{tail.id}", label="SPEAKER", head=quote.id, tail=tail.id))
    record.gold = Gold(method="single", decided_by=None, from_annotations=[], spans=spans, relations=relations)
    return record


def _corpus(tmp_path: Path, seed: int) -> tuple[Path, dict]:
    return random_corpus(tmp_path, seed, N, _record)


def _keyed(part) -> tuple[dict, set]:
    """A part's spans (key -> (text, note)) and relations (label, head key, tail key)."""
    keys = {s.id: (s.layer, s.start, s.end, s.label) for s in part.spans}
    assert len(set(keys.values())) == len(keys)
    spans = {keys[s.id]: (s.text, s.note) for s in part.spans}
    return spans, {(r.label, keys[r.head], keys[r.tail]) for r in part.relations}


@pytest.mark.parametrize("annotator", [None, "roundtrip-1"], ids=["gold", "annotator"])
@pytest.mark.parametrize("fmt, seed", [("brat", 41), ("wadm", 43)])
def test_record_format_record_keeps_spans_relations_and_notes(tmp_path, fmt, seed, annotator):
    ann, records = _corpus(tmp_path, seed)
    report = export_corpus(fmt, annotations_dir=ann, out=tmp_path / "out")
    assert (report.exported, report.skipped) == (N, [])
    back = tmp_path / "back"
    options = {"as_gold": True} if annotator is None else {"annotator": annotator}
    imported = IMPORTERS[fmt].run(tmp_path / "out", annotations_dir=back, meta_defaults=META_DEFAULTS, **options)
    # a W3C document is named by its annotations' target: an article with no span has none (docs/formats.md)
    kept = {rid for rid, r in records.items() if fmt == "brat" or r.gold.spans}
    assert (imported.tasks, sorted(p.stem for p in imported.written), [w.code for w in imported.warnings]) == (
        len(kept), sorted(kept), [])
    assert len(kept) > 40
    counts = {"spans": 0, "relations": 0, "notes": 0, "lines": 0, "nested": 0, "attributes": 0}
    for rid in sorted(kept):
        record = records[rid]
        again = read_record(back / f"{rid}.json")
        assert again.text == record.text
        (annotation,) = again.annotations
        assert (annotation.annotator, annotation.origin.tool) == (annotator or f"{fmt}-source", fmt)
        assert again.gold.method == ("ground_truth" if annotator is None else "single")
        spans, relations = _keyed(record.gold)
        for part in (again.gold, annotation):
            assert _keyed(part) == (spans, relations)
        counts["spans"] += len(spans)
        counts["relations"] += len(relations)
        counts["notes"] += sum(note is not None for _, note in spans.values())
        counts["attributes"] += sum(note is not None and "[attribute] " in note for _, note in spans.values())
        counts["lines"] += sum("\n" in text for text, _ in spans.values())
        counts["nested"] += sum(a[1] <= b[1] and b[2] <= a[2] and a != b for a in spans for b in spans)
    assert all(count > 15 for count in counts.values()), str(counts)


def test_wadm_labels_and_the_annotations_note_are_left_out_with_warnings(tmp_path):
    """The export of tests/cases/export/records/unicode (sentence and article labels, the
    note of ls-1's annotation) imports: its spans and relations come back, what a W3C
    import does not read is named in warnings."""
    records = Path(__file__).resolve().parents[2] / "cases" / "export" / "records" / "unicode"
    export_corpus("wadm", annotations_dir=records, out=tmp_path / "out", layer="ls-1")
    report = IMPORTERS["wadm"].run(tmp_path / "out", annotations_dir=tmp_path / "back", meta_defaults=META_DEFAULTS)
    out = tmp_path / "out"
    assert [(w.code, w.where.replace(str(out), "out"), w.message) for w in report.warnings] == [
        ("label-dropped", "out/unicode-1.jsonld::$.first.items[8]",
         "sentence-discourse_role-s0 left out: a classification (sentence or article labels, which a W3C import does not read)"),
        ("label-dropped", "out/unicode-1.jsonld::$.first.items[9]",
         "article-genre left out: a classification (sentence or article labels, which a W3C import does not read)"),
        ("label-dropped", "out/unicode-1.jsonld::$.first.items[10]",
         "article-frames left out: a classification (sentence or article labels, which a W3C import does not read)"),
        ("note-dropped", "out/unicode-1.jsonld::$.first.items[11]",
         "note left out: a note on the whole text (the annotation's note, which a W3C import does not read)"),
    ]
    assert [p.name for p in report.written] == ["unicode-1.json"]  # unicode-2 has no annotation of ls-1
    for path in report.written:
        record, again = read_record(records / path.name), read_record(path)
        part = next(a for a in record.annotations if a.annotator == "ls-1")
        assert again.text == record.text
        assert _keyed(again.annotations[0]) == _keyed(part)
        assert (again.annotations[0].article_labels, again.annotations[0].sentence_labels, again.annotations[0].note) == ({}, [], None)
