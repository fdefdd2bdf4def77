"""What the readers take back of what the exporters write: a brat span across lines (its
fragments between line breaks) and W3C ``linking`` annotations (relations between span
annotations), and the errors about them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscorpus.errors import ExportError
from newscorpus.importers.brat import read_brat
from newscorpus.importers.documents import SourceRelation, SourceSpan
from newscorpus.importers.wadm import read_wadm

TEXT = "Qin Gang met Aung San\nSuu Kyi.\r\n\r\n\u201cWe agree,\u201d he said."


def test_a_brat_span_across_line_breaks_is_one_span(tmp_path):
    (tmp_path / "a.txt").write_bytes(TEXT.encode("utf-8"))
    (tmp_path / "a.ann").write_text("T1\tPERSON 13 21;22 29\tAung San Suu Kyi\nT2\tQUOTE 22 30;34 35\tSuu Kyi. \u201c\n",
                                    encoding="utf-8")
    (doc,) = read_brat(tmp_path)
    assert doc.spans == (SourceSpan("T1", 13, 29, "PERSON", line=1), SourceSpan("T2", 22, 35, "QUOTE", line=2))
    assert TEXT[13:29] == "Aung San\nSuu Kyi"


@pytest.mark.parametrize(("ann", "code", "message"), [
    ("T1\tPERSON 13 21;22 29\tAung San  Suu Kyi\n", "span-text-mismatch",
     "T1 states the text 'Aung San  Suu Kyi', but its fragments 13 21;22 29 of the text are 'Aung San Suu Kyi'"),
    ("T1\tPERSON 13 17;18 21\tAung San\n", "discontinuous-span",
     "T1: a discontinuous span (13 17;18 21) cannot be one span of a record"),
    ("T1\tPERSON 13 22;22 29\tAung San\n Suu Kyi\n", "discontinuous-span",
     "T1: a discontinuous span (13 22;22 29) cannot be one span of a record"),
    ("T1\tPERSON 13 21;x 29\tAung San Suu Kyi\n", "invalid-offsets", "T1: offsets '13 21;x 29' are not integers"),
])
def test_other_discontinuous_brat_spans_are_refused(tmp_path, ann, code, message):
    (tmp_path / "a.txt").write_bytes(TEXT.encode("utf-8"))
    (tmp_path / "a.ann").write_text(ann, encoding="utf-8")
    with pytest.raises(ExportError) as err:
        list(read_brat(tmp_path))
    assert (err.value.code, err.value.where, err.value.message) == (code, "line 1", message)


def _span(ident: str, start: int, end: int, label: str) -> dict:
    return {"id": f"#span-{ident}", "type": "Annotation", "motivation": "tagging",
            "body": [{"type": "TextualBody", "purpose": "tagging", "value": label}],
            "target": {"source": "a.txt", "selector": [{"type": "TextPositionSelector", "start": start, "end": end}]}}


def _link(ident: str, head: object, tail: object) -> dict:
    return {"id": f"#relation-{ident}", "type": "Annotation", "motivation": "linking", "target": head,
            "body": [{"type": "TextualBody", "purpose": "tagging", "value": "SPEAKER"},
                     {"type": "SpecificResource", "purpose": "linking", "source": tail}]}


def _write(folder: Path, items: list[dict]) -> Path:
    (folder / "a.txt").write_bytes(TEXT.encode("utf-8"))
    (folder / "a.jsonld").write_text(json.dumps({"type": "AnnotationCollection", "first": {"type": "AnnotationPage",
                                                                                           "items": items}}), encoding="utf-8")
    return folder / "a.jsonld"


def test_wadm_linking_annotations_are_relations(tmp_path):
    path = _write(tmp_path, [_link("r1", "#span-q", "#span-p"), _span("p", 0, 8, "PERSON"), _span("q", 35, 43, "QUOTE"),
                             _link("r2", {"id": "#span-q"}, "#span-p")])
    (doc,) = read_wadm(path)
    assert [s.id for s in doc.spans] == ["span-p", "span-q"]
    assert doc.relations == (SourceRelation("relation-r1", "span-q", "span-p", "SPEAKER", where="$.first.items[0]"),
                             SourceRelation("relation-r2", "span-q", "span-p", "SPEAKER", where="$.first.items[3]"))


@pytest.mark.parametrize(("link", "where", "message"), [
    (_link("r1", "#span-x", "#span-p"), "$.first.items[1].target",
     "relation relation-r1: its head '#span-x' is no span annotation of the file"),
    (_link("r1", "#span-p", "#span-p2"), "$.first.items[1].body",
     "relation relation-r1: its tail '#span-p2' is no span annotation of the file"),
    ({**_link("r1", "#span-p", "#span-p"), "body": [{"type": "TextualBody", "purpose": "tagging", "value": "SPEAKER"}]},
     "$.first.items[1].body", "relation relation-r1: a linking annotation needs one tail (a body of purpose linking)"),
])
def test_wadm_a_link_to_no_span_is_refused(tmp_path, link, where, message):
    path = _write(tmp_path, [_span("p", 0, 8, "PERSON"), link])
    with pytest.raises(ExportError) as err:
        list(read_wadm(path))
    assert (err.value.code, err.value.file, err.value.where, err.value.message) == ("dangling-relation", str(path), where, message)
