"""Seeded random property tests of the writers, on records with random Unicode text
(combining marks, astral characters, right-to-left scripts, line breaks; the seed file
written with CRLF, which ingest turns into LF) and random valid spans and relations:

- brat: every ``T`` line's offsets slice the ``.txt`` to its text, and name the gold
  spans, labels and relations exactly;
- wadm: every span's ``TextPositionSelector`` is the gold's offsets and its
  ``TextQuoteSelector`` ``exact``, ``prefix`` and ``suffix`` are slices of the ``.txt``;
- spacy: the DocBin's ``doc.ents`` and span groups are the gold spans exactly.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from newscorpus.core.models import Gold, Relation, Span
from newscorpus.exporters.run import export_corpus
from newscorpus.ingest.run import ingest_seed

from tests.support import META, write_seed
from tests.support.random_corpus import random_corpus

ALPHABET = [
    "a", "b", "Z", "é", "q\u0307", "e\u0301\u0323", "😀", "𝔘", "🇮🇱", "م", "ح", "ب", "ש", "ל", "ם", "\u200f", "王", "東",
    " ", " ", " ", "  ", "\u00a0", ".", ",", "“", "”", "!", "\r\n", "\n", "\r\n\r\n", "-",
]
ENTITIES = ["PERSON", "GPE", "ORG", "DATE"]
N = 25


def _record(rng: random.Random, seeds: Path, n: int):
    raw = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(5, 80))).strip() or "x"
    path = write_seed(seeds, f"r{n:03d}", (raw + "\r\n").encode("utf-8"), dict(META, split="train"))
    record = ingest_seed(path)
    text = record.text
    assert "\r" not in text
    edges = [i for i in range(len(text)) if not text[i].isspace()]
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    for k in range(rng.randint(0, 6)):
        start = rng.choice(edges)
        ends = [i + 1 for i in edges if start <= i < start + 12]
        end = rng.choice(ends)
        layer = rng.choice(["entity", "attribution"])
        if layer == "entity":
            if "\n" in text[start:end] or any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            label = rng.choice(ENTITIES)
        else:
            label = "QUOTE"
        note = rng.choice([None, None, "doubt 😀 " + text[start:end].replace("\n", " ")])
        spans.append(Span(id=f"s{k}", layer=layer, label=label, start=start, end=end, text=text[start:end], note=note))
    quotes = [s for s in spans if s.label == "QUOTE"]
    people = [s for s in spans if s.label in ("PERSON", "GPE", "ORG")]
    relations = [Relation(id=f"r{q.id}", label="SPEAKER", head=q.id, tail=rng.choice(people).id) for q in quotes if people]
    record.gold = Gold(method="single", decided_by=None, from_annotations=[], spans=spans, relations=relations)
    return record


def _corpus(tmp_path: Path, seed: int) -> tuple[Path, dict]:
    return random_corpus(tmp_path, seed, N, _record)


def test_brat_offsets_slice_the_text(tmp_path):
    ann, records = _corpus(tmp_path, 17)
    export_corpus("brat", annotations_dir=ann, out=tmp_path / "brat")
    checked = fragmented = noted = 0
    for rid, record in records.items():
        txt = (tmp_path / "brat" / f"{rid}.txt").read_bytes().decode("utf-8")
        assert txt == record.text
        ids: dict[str, str] = {}
        lines = (tmp_path / "brat" / f"{rid}.ann").read_bytes().decode("utf-8").split("\n")
        assert lines[-1] == ""
        spans = iter(record.gold.spans)
        relations = iter(record.gold.relations)
        notes = iter([s for s in record.gold.spans if s.note is not None])
        for line in lines[:-1]:
            kind, rest = line[0], line.split("\t")
            if kind == "T":
                span = next(spans)
                label, _, offsets = rest[1].partition(" ")
                pieces = [tuple(map(int, p.split(" "))) for p in offsets.split(";")]
                assert label == span.label
                assert "\t".join(rest[2:]) == " ".join(txt[a:b] for a, b in pieces)
                assert (pieces[0][0], pieces[-1][1]) == (span.start, span.end)
                assert "".join(txt[a:b] for a, b in pieces) == span.text.replace("\n", "")
                ids[rest[0]] = span.id
                checked += 1
                fragmented += len(pieces) > 1
            elif kind == "R":
                rel = next(relations)
                label, arg1, arg2 = rest[1].split(" ")
                assert (label, ids[arg1.removeprefix("Arg1:")], ids[arg2.removeprefix("Arg2:")]) == (rel.label, rel.head, rel.tail)
            else:
                span = next(notes)
                noted += 1
                assert (rest[1], rest[2]) == (f"AnnotatorNotes {next(k for k, v in ids.items() if v == span.id)}", span.note)
        assert next(spans, None) is None and next(relations, None) is None and next(notes, None) is None
    assert (checked > 40, fragmented > 0, noted > 0) == (True, True, True)


def test_wadm_selectors_equal_the_slices(tmp_path):
    ann, records = _corpus(tmp_path, 23)
    export_corpus("wadm", annotations_dir=ann, out=tmp_path / "wadm")
    checked = 0
    for rid, record in records.items():
        txt = (tmp_path / "wadm" / f"{rid}.txt").read_bytes().decode("utf-8")
        data = json.loads((tmp_path / "wadm" / f"{rid}.jsonld").read_bytes())
        items = {a["id"]: a for a in data["first"]["items"]}
        assert data["total"] == len(items)
        for span in record.gold.spans:
            annotation = items[f"#span-{span.id}"]
            assert annotation["body"][0] == {"type": "TextualBody", "purpose": "tagging", "value": span.label}
            target = annotation["target"]
            assert target["source"] == f"{rid}.txt"
            position, quote = target["selector"]
            assert (position["start"], position["end"]) == (span.start, span.end)
            assert quote["exact"] == txt[position["start"]:position["end"]] == span.text
            assert quote.get("prefix", "") == txt[max(0, span.start - 32):span.start]
            assert quote.get("suffix", "") == txt[span.end:span.end + 32]
            checked += 1
        for rel in record.gold.relations:
            link = items[f"#relation-{rel.id}"]
            assert (link["target"], link["body"][1]["source"]) == (f"#span-{rel.head}", f"#span-{rel.tail}")
    assert checked > 40


def test_docbin_entities_and_groups_equal_the_gold(tmp_path):
    ann, records = _corpus(tmp_path, 29)
    export_corpus("spacy", annotations_dir=ann, out=tmp_path / "spacy")
    docs = list(DocBin().from_disk(tmp_path / "spacy" / "train.spacy").get_docs(spacy.blank("xx").vocab))
    assert [d.user_data["id"] for d in docs] == sorted(records)
    checked = 0
    for doc in docs:
        record = records[doc.user_data["id"]]
        assert doc.text == record.text
        gold = [(s.text, s.label, s.start, s.end, s.id) for s in record.gold.spans]
        assert [(e.text, e.label_, e.start_char, e.end_char, e.id_) for e in doc.ents] == [g for g, s in zip(gold, record.gold.spans) if s.layer == "entity"]
        for layer in ("entity", "attribution"):
            assert [(s.text, s.label_, s.start_char, s.end_char, s.id_) for s in doc.spans[layer]] == [
                g for g, s in zip(gold, record.gold.spans) if s.layer == layer]
        starts = {s.start for s in record.sentences}
        assert {t.idx for t in doc if t.is_sent_start} == starts | {0}
        checked += len(gold)
    assert checked > 40


def test_conll_tags_decode_to_the_gold_entities(tmp_path):
    """Each article's tags, decoded (B- opens an entity, I- continues it), give the gold
    entities inside a sentence, in order, with their text less its whitespace (the file has
    no whitespace: it is what separates tokens)."""
    ann, records = _corpus(tmp_path, 31)
    export_corpus("conll", annotations_dir=ann, out=tmp_path / "conll")
    articles = (tmp_path / "conll" / "train.conll").read_text(encoding="utf-8").split("-DOCSTART-\tO\n\n")[1:]
    assert len(articles) == N
    checked = 0
    for rid, chunk in zip(sorted(records), articles):
        record = records[rid]
        found: list[list[str]] = []
        for line in chunk.split("\n"):
            if not line:
                continue
            token, tag = line.split("\t")
            if tag.startswith("B-"):
                found.append([tag[2:], token])
            elif tag.startswith("I-"):
                assert found and found[-1][0] == tag[2:]
                found[-1][1] += token
        inside = [s for s in record.gold.spans if s.layer == "entity"
                  and any(t.start <= s.start and s.end <= t.end for t in record.sentences)]
        assert [tuple(f) for f in found] == [(s.label, "".join(s.text.split())) for s in inside]
        checked += len(inside)
    assert checked > 15
