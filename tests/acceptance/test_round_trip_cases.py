"""The held-out files of tests/cases/import/ (real brat news files with relations,
attributes and notes; PTC articles with a BOM and astral characters) round the corpus:

- brat: every case that imports (``expected/``) is imported as its case says, exported
  again (``newscorpus export --format brat``, of the layer the import wrote: the gold
  with ``--gold``, else the annotator's annotation) and the ``.ann`` written equals the
  case's own standoff as a multiset of lines, modulo what brat leaves free: the order of
  lines, the ids of notes and attributes (``#1``, ``A1``, renumbered), an empty tail
  field after an ``R`` line (brat writes ``R1<TAB>...<TAB>``), ``M`` for ``A``, and what
  the import warned it left out (notes and attributes of relations). The span ids ``T``
  and relation ids ``R`` are kept, so they are compared too. Labels are compared after
  the case's label map; offsets and texts after canonicalisation (a BOM, CRLF and
  combining marks of the source: ``bom-crlf-astral-nfc``), mapped exactly as
  ``len(canonical_form(raw[:p]))``: every other case's text is canonical already, and its
  lines come back byte for byte.
- PTC (no exporter): every span of the labels file is in the imported record with the
  text of the article file at its offsets, exactly.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from newscorpus.core.text import canonical_form
from newscorpus.exporters.run import export_corpus
from newscorpus.importers.labelmap import load_label_map
from newscorpus.core.scheme import default_scheme
from newscorpus.records.io import read_record

from tests.acceptance.test_import_cases import CASES, case_input, case_scheme, run_case, start


def _cases(fmt: str) -> list[Path]:
    return sorted(case for case in (CASES / fmt).iterdir() if (case / "expected").is_dir())


def _options(case: Path) -> dict:
    return json.loads((case / "options.json").read_text(encoding="utf-8"))


def _standoff(ann: str, *, labels: dict[str, str], position, dropped: set[str]) -> Counter:
    """The lines of ``ann`` as comparable items: ``T`` (id, label, offsets, text), ``R``
    (id, label, Arg1 id, Arg2 id), ``A`` (name, target, value), ``#`` (type, target, text);
    ``labels`` renames, ``position`` maps an offset, lines about the ids of ``dropped``
    (relations whose notes and attributes a record cannot hold) are left out."""
    items: Counter = Counter()
    for line in ann.split("\n"):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        fields = line.split("\t", 2)
        head = fields[1].split(" ")
        kind = fields[0][0]
        if kind == "T":
            label, offsets = head[0], [tuple(map(int, p.split(" "))) for p in fields[1][len(head[0]) + 1:].split(";")]
            pieces = tuple((position(a), position(b)) for a, b in offsets)
            items[("T", fields[0], labels.get(label, label), pieces, canonical_form(fields[2]))] += 1
        elif kind == "R":
            assert fields[2:] in ([], [""]), line  # no text, or brat's empty tail
            items[("R", fields[0], labels.get(head[0], head[0]), head[1], head[2])] += 1
        elif kind in "AM" and head[1] not in dropped:
            items[("A", head[0], head[1], head[2] if len(head) > 2 else None)] += 1
        elif kind == "#" and head[1] not in dropped:
            items[("#", head[0], head[1], fields[2])] += 1
    return items


@pytest.mark.parametrize("case", _cases("brat"), ids=lambda case: case.name)
def test_brat_import_then_export_gives_the_same_standoff(case, tmp_path):
    ann = start(case, tmp_path)
    report = run_case(case, ann)
    options = _options(case)
    layer = "gold" if options.get("as_gold") else options.get("annotator", "brat-source")
    scheme = case_scheme(case)
    out = tmp_path / "export"
    exported = export_corpus("brat", annotations_dir=ann, out=out, scheme=scheme, layer=layer)
    source = case_input(case)
    originals = sorted(source.rglob("*.ann"))
    assert (exported.exported, exported.skipped) == (len(originals), [])
    label_map = load_label_map(case / "label-map.yaml", scheme or default_scheme()) if (case / "label-map.yaml").exists() else None
    labels = {old: new for pairs in label_map.labels.values() for old, new in pairs.items()} if label_map else {}
    labels.update(label_map.relations if label_map else {})
    dropped = {w.message.split(" of relation ")[1].split(" ")[0] for w in report.warnings if w.code.endswith("-dropped")}
    for original in originals:
        raw = original.with_suffix(".txt").read_bytes().decode("utf-8")
        text = (out / f"{original.stem}.txt").read_bytes().decode("utf-8")
        assert text == canonical_form(raw) == read_record(ann / f"{original.stem}.json").text

        def position(p: int, raw: str = raw) -> int:
            return len(canonical_form(raw[:p]))

        written = (out / f"{original.stem}.ann").read_bytes().decode("utf-8")
        source_ann = original.read_bytes().decode("utf-8")
        assert _standoff(written, labels={}, position=int, dropped=set()) == _standoff(
            source_ann, labels=labels, position=position, dropped=dropped)
        assert all(line.split("\t")[0][0] in "TRA#" for line in written.split("\n")[:-1]) and written.endswith("\n")
        if raw == text and not labels:  # a canonical text: the T lines come back byte for byte
            assert {line for line in written.split("\n") if line.startswith("T")} == {
                line.removesuffix("\r") for line in source_ann.split("\n") if line.startswith("T")}
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    for name in {item[1] for item in _standoff(written, labels={}, position=int, dropped=set()) if item[0] == "A"}:
        assert f"\n{name}\tArg:<ENTITY>" in conf


def test_the_held_out_brat_cases_hold_relations_attributes_and_notes():
    kinds = Counter(line.split("\t")[0][0] for case in _cases("brat") for ann in case_input(case).rglob("*.ann")
                    for line in ann.read_text(encoding="utf-8").splitlines() if line.strip())
    assert {kind: kinds[kind] > 0 for kind in "TRA#"} == dict.fromkeys("TRA#", True)


@pytest.mark.parametrize("case", _cases("ptc"), ids=lambda case: case.name)
def test_ptc_spans_are_the_article_text_at_their_offsets(case, tmp_path):
    ann = start(case, tmp_path)
    run_case(case, ann)
    source = case_input(case)
    checked = 0
    for labels in sorted(p for p in source.rglob("*") if p.is_file() and ".labels" in p.name):
        article = labels.name.split(".")[0]
        (txt,) = source.rglob(f"{article}.txt")
        raw = txt.read_bytes().decode("utf-8")  # as Python reads the file: a BOM is one character
        record = read_record(ann / f"{article}.json")
        spans = {(s.start, s.end, s.label): s.text for s in record.annotations[0].spans}
        for line in labels.read_text(encoding="utf-8").splitlines():
            _, technique, s, e = line.split("\t")
            start_at, end_at = int(s), int(e)
            shift = len(canonical_form(raw[:start_at])) - start_at  # -1 after a BOM, 0 else
            key = (start_at + shift, len(canonical_form(raw[:end_at])), technique)
            assert spans[key] == raw[start_at:end_at] == record.text[key[0]:key[1]], (article, line)
            checked += 1
        assert checked and len(spans) == len({tuple(line.split("\t")[1:]) for line in labels.read_text(encoding="utf-8").splitlines()})
    assert checked >= 4
