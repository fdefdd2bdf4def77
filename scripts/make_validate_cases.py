"""Write the validation fixtures of ``tests/cases/validate/<case>/``.

Each case folder holds one record file and ``expected.json``:
``{"valid": bool, "schema_valid": bool, "errors": [{"path", "rule"}]}`` where ``valid`` is
the verdict of ``newscorpus validate``, ``schema_valid`` the verdict of the published JSON
Schema alone (check-jsonschema, plain jsonschema), and ``errors`` the exact violations.
The expectations are declared here by hand, per mutation, never computed by the validator.

The records are built from the seed article (``ingest_seed``) with an annotation and a
gold whose span offsets are computed from the text. Run from the repository root:

    PYTHONPATH=src python scripts/make_validate_cases.py [--out tests/cases/validate]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newscorpus.ingest.run import ingest_seed, segment, text_sha256
from newscorpus.core.models import Annotation, ArticleRecord, Gold, Origin, Relation, SentenceLabel, Span
from newscorpus.records.io import dump_record
from newscorpus.core.scheme import default_scheme

SEED = Path("seeds/000_ba712161f3bc6069.txt")


def _span(text: str, sid: str, layer: str, label: str, needle: str, after: str = "") -> Span:
    """The span of the first ``needle`` after the first ``after`` (offsets in code points)."""
    start = text.index(needle, text.index(after) + len(after) if after else 0)
    return Span(id=sid, layer=layer, label=label, start=start, end=start + len(needle), text=needle)


def annotated(record: ArticleRecord) -> ArticleRecord:
    """The seed record with one submitted annotation (``ls-7`` by ``ls-3``) and its gold."""
    t = record.text
    spans = [
        _span(t, "e1", "entity", "ORG", "United Nations"),
        _span(t, "e2", "entity", "GPE", "Myanmar"),
        _span(t, "e3", "entity", "DATE", "2021"),
        _span(t, "e4", "entity", "PERSON", "Qin Gang"),
        _span(t, "e5", "entity", "ORG", "Communist Party"),
        _span(t, "e6", "entity", "ORG", "People’s Liberation Army"),
        _span(t, "q1", "attribution", "QUOTE", "strengthening the border defense system.", "join in “"),
        _span(t, "q2", "attribution", "QUOTE", "It is necessary to coordinate border management, border trade development, and bilateral relations,"),
        _span(t, "src1", "attribution", "SOURCE", "he", "bilateral relations,” "),
    ]
    relations = [
        Relation(id="SPEAKER:q1>e4", label="SPEAKER", head="q1", tail="e4"),
        Relation(id="SPEAKER:q2>src1", label="SPEAKER", head="q2", tail="src1"),
    ]
    sentence_labels = [
        SentenceLabel(sentence="s0", layer="discourse_role", label="CURRENT_CONTEXT"),
        SentenceLabel(sentence="s1", layer="discourse_role", label="MAIN_EVENT"),
        SentenceLabel(sentence="s3", layer="discourse_role", label="EVALUATION"),
    ]
    labels = {"genre": ["reporting"], "frames": ["Political", "Security_and_defense"]}
    ann = Annotation(
        id="ls-7",
        annotator="ls-3",
        status="submitted",
        origin=Origin(tool="label-studio", version="1.23.2", project=1, task=1, annotation=7),
        created_at="2024-05-02T10:00:00Z",
        updated_at="2024-05-02T10:12:30Z",
        lead_time=750.5,
        article_labels=labels,
        sentence_labels=sentence_labels,
        spans=spans,
        relations=relations,
    )
    gold = Gold(
        method="single",
        decided_by=None,
        from_annotations=["ls-7"],
        article_labels=copy.deepcopy(labels),
        sentence_labels=copy.deepcopy(sentence_labels),
        spans=copy.deepcopy(spans),
        relations=copy.deepcopy(relations),
    )
    return record.model_copy(update={"annotations": [ann], "gold": gold})


def astral(record: ArticleRecord) -> ArticleRecord:
    """A short article with astral characters (emoji, a flag) before its spans."""
    text = "Protesters 👍 chanted “Free Myanmar 🇲🇲 now.”\n\nQin 😀 said the talks were “useful.”"
    spans = [
        _span(text, "a", "entity", "GPE", "Myanmar"),
        _span(text, "b", "entity", "PERSON", "Qin"),
        _span(text, "c", "attribution", "QUOTE", "useful."),
    ]
    gold = Gold(method="adjudicated", decided_by="ls-1", from_annotations=[], spans=spans,
                relations=[Relation(id="SPEAKER:c>b", label="SPEAKER", head="c", tail="b")])
    meta = record.meta.model_copy(update={"title": "Astral test", "source_file": "seeds/001_astral.txt"})
    return ArticleRecord(schema_version=record.schema_version, id="001_astral", text=text, text_sha256=text_sha256(text),
                         meta=meta, sentences=segment(text), segmenter=record.segmenter, gold=gold)


def _find(items: list[dict], sid: str) -> int:
    return next(i for i, item in enumerate(items) if item["id"] == sid)


Mutation = Callable[[dict[str, Any]], Any]


def cases(base: dict[str, Any]) -> dict[str, tuple[Mutation, bool, bool, list[tuple[str, str]]]]:
    """case name -> (mutation, valid, schema_valid, [(path, rule)]). A mutation edits the
    record dict in place; it may return ``(file_name, bytes)`` to write raw bytes instead."""
    g = base["gold"]["spans"]
    e2, q1, e4 = _find(g, "e2"), _find(g, "q1"), _find(g, "e4")

    def gold_span(sid: str, **change: Any) -> Mutation:
        return lambda d: d["gold"]["spans"][_find(d["gold"]["spans"], sid)].update(change)

    def add_gold_span(span: dict[str, Any]) -> Mutation:
        def mutate(d: dict[str, Any]) -> None:
            d["gold"]["spans"].append(span)
        return mutate

    def notes(d: dict[str, Any]) -> None:
        d["annotations"][0]["note"] = "Is the border 'defense system' a FAC?"
        d["annotations"][0]["spans"][0]["note"] = "UN: ORG, not GPE"

    def outdated(d: dict[str, Any]) -> None:  # a 1.0.0 record has no scheme
        d["schema_version"] = "1.0.0"
        del d["scheme"]

    def removed(d: dict[str, Any]) -> None:  # written under 2.1.0 of the scheme, which had GEO; 2.0.0 has not
        d["scheme"]["version"] = "2.1.0"
        gold_span("e2", label="GEO")(d)

    last = base["sentences"][-1]
    s0 = base["sentences"][0]
    return {
        "not-utf8": (lambda d: ("000_ba712161f3bc6069.json", b'{"id": "caf\xe9"}\n'), False, False, [("$", "not-utf8")]),
        "invalid-json": (lambda d: ("000_ba712161f3bc6069.json", json.dumps(d, ensure_ascii=False).encode()[:300]), False, False, [("$", "invalid-json")]),
        "not-an-object": (lambda d: ("000_ba712161f3bc6069.json", b"[]\n"), False, False, [("$", "not-an-object")]),
        "schema-version-missing": (lambda d: d.pop("schema_version"), False, False, [("$.schema_version", "schema-version")]),
        "outdated-schema-version": (outdated, False, False, [("$.schema_version", "outdated-schema-version")]),
        "scheme-mismatch": (lambda d: d["scheme"].update(name="my-scheme"), False, False, [("$.scheme.name", "scheme-mismatch")]),
        "valid-notes": (notes, True, True, []),
        "schema-note-type": (lambda d: d["annotations"][0].update(note=["a list"]), False, False, [("$.annotations[0].note", "schema")]),
        "unknown-schema-version": (lambda d: d.update(schema_version="9.0.0"), False, False, [("$.schema_version", "unknown-schema-version")]),
        "schema-type": (gold_span("e2", start="12"), False, False, [(f"$.gold.spans[{e2}].start", "schema")]),
        "schema-missing-key": (lambda d: d["sentences"][0].pop("end"), False, False, [("$.sentences[0]", "schema")]),
        "schema-unknown-key": (lambda d: d["meta"].update(author="A. Reporter"), False, False, [("$.meta", "schema")]),
        "schema-format-date": (lambda d: d["meta"].update(published="2023-02-30"), False, False, [("$.meta.published", "schema")]),
        "schema-format-date-time": (lambda d: d["annotations"][0].update(created_at="2024-05-02T10:00:00"), False, False, [("$.annotations[0].created_at", "schema")]),
        "unknown-layer": (gold_span("e2", layer="place"), False, False, [(f"$.gold.spans[{e2}].layer", "unknown-layer")]),
        "unknown-label": (gold_span("e2", label="GEO"), False, False, [(f"$.gold.spans[{e2}].label", "unknown-label")]),
        "unknown-label-other-layer": (gold_span("e4", label="SOURCE"), False, False, [(f"$.gold.spans[{e4}].label", "unknown-label")]),
        "unknown-label-article": (lambda d: d["gold"]["article_labels"].update(genre=["news"]), False, False, [("$.gold.article_labels.genre[0]", "unknown-label")]),
        "unknown-label-relation": (lambda d: d["gold"]["relations"][0].update(label="SAID_BY"), False, False, [("$.gold.relations[0].label", "unknown-label")]),
        "scheme-label-removed": (removed, False, False, [(f"$.gold.spans[{e2}].label", "unknown-label"), (f"$.gold.spans[{e2}].label", "scheme-label-removed")]),
        "single-cardinality": (lambda d: d["gold"]["article_labels"].update(genre=["reporting", "opinion"]), False, False, [("$.gold.article_labels.genre", "single-cardinality")]),
        "single-cardinality-sentence": (
            lambda d: d["gold"]["sentence_labels"].insert(2, {"sentence": "s1", "layer": "discourse_role", "label": "CONSEQUENCE"}),
            False, True, [("$.gold.sentence_labels[2]", "single-cardinality")],
        ),
        "duplicate-label": (lambda d: d["gold"]["article_labels"].update(frames=["Political", "Political"]), False, False, [("$.gold.article_labels.frames[1]", "duplicate-label")]),
        "not-pseudonymous": (lambda d: d["annotations"][0].update(annotator="jane@example.org"), False, False, [("$.annotations[0].annotator", "not-pseudonymous")]),
        "not-pseudonymous-adjudicator": (lambda d: d["gold"].update(decided_by="jane@example.org"), False, True, [("$.gold.decided_by", "not-pseudonymous")]),
        "file-name-mismatch": (lambda d: ("wrong_name.json", None), False, True, [("$.id", "file-name-mismatch")]),
        "text-hash-mismatch": (lambda d: d.update(text_sha256="0" * 64), False, True, [("$.text_sha256", "text-hash-mismatch")]),
        "text-not-canonical": (
            lambda d: d.update(text=d["text"] + "\r", text_sha256=hashlib.sha256((d["text"] + "\r").encode()).hexdigest()),
            False, True, [("$.text", "text-not-canonical")],
        ),
        "span-out-of-bounds": (lambda d: d["gold"]["spans"][2].update(end=2690), False, True, [("$.gold.spans[2].end", "span-out-of-bounds")]),
        "span-empty": (gold_span("e2", end=g[e2]["start"]), False, True, [(f"$.gold.spans[{e2}].end", "span-empty")]),
        "span-text-mismatch": (gold_span("e2", text="Myanmr"), False, True, [(f"$.gold.spans[{e2}].text", "span-text-mismatch")]),
        "span-untrimmed": (gold_span("e2", end=g[e2]["end"] + 1, text=g[e2]["text"] + " "), False, True, [(f"$.gold.spans[{e2}]", "span-untrimmed")]),
        "span-overlap": (
            add_gold_span({"id": "e9", "layer": "entity", "label": "PERSON", "start": g[e4]["start"] - 9, "end": g[e4]["start"] + 3, "text": "Minister Qin"}),
            False, True, [(f"$.gold.spans[{e4}]", "span-overlap")],
        ),
        "span-overlap-other-layer-ok": (
            add_gold_span({"id": "q9", "layer": "attribution", "label": "SOURCE", "start": g[e4]["start"] - 17, "end": g[e4]["end"], "text": "Foreign Minister Qin Gang"}),
            True, True, [],
        ),
        "duplicate-id": (gold_span("e3", id="e2"), False, True, [(f"$.gold.spans[{_find(g, 'e3')}].id", "duplicate-id")]),
        "dangling-relation": (lambda d: d["gold"]["relations"][0].update(tail="e99"), False, True, [("$.gold.relations[0].tail", "dangling-relation")]),
        "relation-endpoint": (lambda d: d["gold"]["relations"][0].update(tail="e3"), False, True, [("$.gold.relations[0].tail", "relation-endpoint")]),
        "sentence-out-of-bounds": (lambda d: d["sentences"].append({"id": "s99", "start": last["end"] - 5, "end": 2690}), False, True, [(f"$.sentences[{len(base['sentences'])}].end", "sentence-out-of-bounds")]),
        "sentence-empty": (lambda d: d["sentences"].append({"id": "s99", "start": 2680, "end": 2680}), False, True, [(f"$.sentences[{len(base['sentences'])}].end", "sentence-empty")]),
        "sentence-order": (lambda d: d["sentences"].insert(6, d["sentences"].pop(5)), False, True, [("$.sentences[6].start", "sentence-order")]),
        "sentence-untrimmed": (lambda d: d["sentences"][0].update(end=s0["end"] + 1), False, True, [("$.sentences[0]", "sentence-untrimmed")]),
        "sentence-coverage": (lambda d: d["sentences"].pop(5), False, True, [("$.sentences", "sentence-coverage")]),
        "dangling-sentence": (lambda d: d["gold"]["sentence_labels"][0].update(sentence="s99"), False, True, [("$.gold.sentence_labels[0].sentence", "dangling-sentence")]),
        "dangling-annotation": (lambda d: d["gold"].update(from_annotations=["ls-8"]), False, True, [("$.gold.from_annotations[0]", "dangling-annotation")]),
    }


def write_cases(out: Path) -> list[str]:
    """(Re)write every case folder under ``out``; returns the case names."""
    record = ingest_seed(SEED)
    full = annotated(record.model_copy(deep=True))
    base = json.loads(dump_record(full, default_scheme()))
    positives = {"valid-ingested": record, "valid-annotated": full, "valid-astral": astral(record)}
    if out.exists():
        shutil.rmtree(out)
    for name, rec in positives.items():
        _write(out / name, f"{rec.id}.json", dump_record(rec, default_scheme()).encode(), True, True, [])
    for name, (mutate, valid, schema_valid, errors) in cases(base).items():
        data = copy.deepcopy(base)
        raw = mutate(data)
        file_name, payload = raw if isinstance(raw, tuple) else (f"{base['id']}.json", None)
        if payload is None:
            payload = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()
        _write(out / name, file_name, payload, valid, schema_valid, errors)
    return [*positives, *cases(base)]


def _write(folder: Path, file_name: str, payload: bytes, valid: bool, schema_valid: bool, errors: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True)
    (folder / file_name).write_bytes(payload)
    expected = {"valid": valid, "schema_valid": schema_valid, "errors": [{"path": p, "rule": r} for p, r in errors]}
    (folder / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("tests/cases/validate"))
    args = parser.parse_args()
    print(f"wrote {len(write_cases(args.out))} cases to {args.out}")
