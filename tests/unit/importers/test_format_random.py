"""Seeded random property test of the character-offset importers: random Unicode texts
(combining marks NFC composes, astral characters, CRLF and lone CR, a BOM, right-to-left
scripts) and random spans, written as brat, PTC and W3C files by the test, imported, and
held to an oracle: a source position ``p`` maps to ``len(canonical_form(raw[:p]))``, and a
span's record text is ``canonical_form(raw[start:end])``, the canonical slice of the source.
The shipped exact map (:func:`newscorpus.core.text.nfc_offset_map`) is held to the same
oracle at every position."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from newscorpus.core.text import canonical_form, canonical_offset_map, line_form, nfc_offset_map
from newscorpus.importers import IMPORTERS

META = {"publisher": "Random Wire", "published": "2026-02-01", "language": "en", "license": "CC0-1.0", "redistributable": "true"}
PIECES = [*"abcdefghijklmnop", " ", " ", ".", ",", "\u00e9", "e\u0301", "a\u0308\u0323", "o\u0323\u0302", "\u0301",
          "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\u200f", "\U0001F600", "\U0001D11E", "\U00020BB7",
          "\r\n", "\n", "\r", "\u1100\u1161\u11a8", "\u0915\u094d\u0937", "\u212b", "\u0041\u030a"]
LABELS = ["QUOTE", "SOURCE"]  # the attribution layer: spans may overlap


def oracle(raw: str, pos: int) -> int | None:
    """The canonical position of source position ``pos``, or None when it has none."""
    if 0 < pos < len(raw) and raw[pos - 1] == "\r" and raw[pos] == "\n":
        return None
    head, whole = canonical_form(raw[:pos]), canonical_form(raw)
    return len(head) if head + canonical_form(raw[pos:]) == whole else None


def shipped(raw: str, pos: int) -> int:
    lines = canonical_offset_map(raw)
    pos = lines[pos] if lines is not None else pos
    if pos < 0:
        return -1
    form = line_form(raw)
    if form == canonical_form(raw):
        return pos
    nfc = nfc_offset_map(form)
    return -1 if nfc is None else nfc[pos]


def random_text(rng: random.Random) -> str:
    text = "".join(rng.choice(PIECES) for _ in range(rng.randint(30, 90))) + " end"
    return ("\ufeff" + text) if rng.random() < 0.5 else text


def random_spans(rng: random.Random, raw: str, *, one_line: bool) -> list[tuple[str, int, int, str]]:
    text = canonical_form(raw)
    places = [p for p in range(1 if raw.startswith("\ufeff") else 0, len(raw) + 1) if shipped(raw, p) >= 0]
    spans: list[tuple[str, int, int, str]] = []
    for _ in range(200):
        start, end = sorted(rng.sample(places, 2))
        piece = text[shipped(raw, start):shipped(raw, end)]
        if not piece.strip() or piece != piece.strip() or (one_line and any(c in raw[start:end] for c in "\r\n")):
            continue
        spans.append((f"T{len(spans) + 1}", start, end, rng.choice(LABELS)))
        if len(spans) == 6:
            break
    return spans


def write_brat(folder: Path, raw: str, spans) -> Path:
    (folder / "doc.txt").write_bytes(raw.encode("utf-8"))
    (folder / "doc.ann").write_text("".join(f"{i}\t{label} {s} {e}\t{raw[s:e]}\n" for i, s, e, label in spans), encoding="utf-8")
    return folder


def write_ptc(folder: Path, raw: str, spans) -> Path:
    (folder / "article7.txt").write_bytes(raw.encode("utf-8"))
    (folder / "article7.labels.tsv").write_text("".join(f"7\t{label}\t{s}\t{e}\n" for _, s, e, label in spans), encoding="utf-8")
    return folder


def write_wadm(folder: Path, raw: str, spans) -> Path:
    (folder / "doc.txt").write_bytes(raw.encode("utf-8"))
    items = [{"id": f"http://example.org/anno/{i}", "type": "Annotation",
              "body": {"type": "TextualBody", "value": label, "purpose": "tagging"},
              "target": {"source": "http://example.org/doc", "selector": [
                  {"type": "TextPositionSelector", "start": s, "end": e},
                  {"type": "TextQuoteSelector", "exact": raw[s:e], "prefix": raw[max(0, s - 3):s], "suffix": raw[e:e + 3]}]}}
             for i, s, e, label in spans]
    (folder / "anno.jsonld").write_text(json.dumps({"type": "AnnotationCollection", "first": {"type": "AnnotationPage", "items": items}},
                                                   ensure_ascii=False), encoding="utf-8")
    return folder / "anno.jsonld"


WRITERS = {"brat": (write_brat, "doc"), "ptc": (write_ptc, "article7"), "wadm": (write_wadm, "doc")}


def test_the_shipped_map_agrees_with_the_oracle_wherever_it_maps():
    rng = random.Random(1117)
    refused = total = 0
    for _ in range(60):
        raw = random_text(rng)
        for pos in range(len(raw) + 1):
            got, want = shipped(raw, pos), oracle(raw, pos)
            total += 1
            if got < 0:
                refused += 1
                continue
            assert got == want, (raw, pos)
    assert refused < total // 5  # it refuses only inside what NFC composes and between CR and LF


@pytest.mark.parametrize("fmt", sorted(WRITERS))
@pytest.mark.parametrize("seed", range(8))
def test_random_spans_import_exactly(tmp_path, fmt, seed):
    rng = random.Random(seed * 31 + len(fmt))
    raw = random_text(rng)
    spans = random_spans(rng, raw, one_line=fmt == "brat")
    assert spans
    write, name = WRITERS[fmt]
    source = tmp_path / "source"
    source.mkdir()
    path = write(source, raw, spans)
    IMPORTERS[fmt].run(path, annotations_dir=tmp_path / "ann", meta_defaults=META)
    record = json.loads((tmp_path / "ann" / f"{name}.json").read_text(encoding="utf-8"))
    assert record["text"] == canonical_form(raw)
    imported = record["annotations"][0]["spans"]
    expected = sorted((oracle(raw, s), oracle(raw, e), canonical_form(raw[s:e]), label) for _, s, e, label in spans)
    assert sorted((s["start"], s["end"], s["text"], s["label"]) for s in imported) == expected
    for span in imported:
        assert record["text"][span["start"]:span["end"]] == span["text"]
