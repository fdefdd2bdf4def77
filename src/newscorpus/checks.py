"""Stage 2 of validation: the checks of meaning that no JSON Schema expresses.

:func:`semantic_violations` takes one parsed record that already fits the JSON Schema's
structure (types and required keys; stage 1, :mod:`newscorpus.validate`) and returns every
broken rule of :data:`newscorpus.rules.RULES` of stage ``semantic``, plus the label rules
(re-checked here with messages that name the layer). Pure: no I/O. Offsets are code points,
0-based, end-exclusive; ``text[start:end]`` in Python.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import PurePath
from typing import Any

from .rules import Violation
from .scheme import Scheme

__all__ = ["semantic_violations", "PSEUDONYM"]

#: A pseudonymous annotator id: a tool prefix and the tool's user id, e.g. ``ls-3``.
PSEUDONYM = re.compile(r"^[a-z][a-z0-9]*-[A-Za-z0-9_\-]+$")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_NON_BLANK = re.compile(r"\S")


def _short(text: str, width: int = 40) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


class _Checker:
    def __init__(self, data: dict[str, Any], file: str, scheme: Scheme) -> None:
        self.data = data
        self.file = file
        self.scheme = scheme
        self.text: str = data["text"]
        self.out: list[Violation] = []

    def add(self, loc: tuple, rule: str, message: str) -> None:
        self.out.append(Violation(self.file, loc, rule, message))

    def run(self) -> list[Violation]:
        data = self.data
        expected = f"{data['id']}.json"
        if PurePath(self.file).name != expected:
            self.add(("id",), "file-name-mismatch", f"the record of {data['id']!r} must be in a file named {expected!r}, not {PurePath(self.file).name!r}")
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        if data["text_sha256"] != digest:
            self.add(
                ("text_sha256",),
                "text-hash-mismatch",
                f"{data['text_sha256']} is not the SHA-256 of the text ({digest}): the text was "
                "changed after ingest, and offsets made against the old text cannot be trusted",
            )
        sentence_ids = self.sentences(data["sentences"])
        annotations = data.get("annotations", [])
        self.unique_ids(annotations, ("annotations",), "annotation")
        for i, ann in enumerate(annotations):
            loc = ("annotations", i)
            if not PSEUDONYM.fullmatch(ann["annotator"]):
                self.add((*loc, "annotator"), "not-pseudonymous", f"annotator {ann['annotator']!r} is not a pseudonymous id like 'ls-3' (never an e-mail address or a name)")
            self.part(ann, loc, sentence_ids)
        gold = data.get("gold")
        if gold is not None:
            decided_by = gold.get("decided_by")
            if decided_by is not None and _EMAIL.search(decided_by):
                self.add(("gold", "decided_by"), "not-pseudonymous", f"decided_by {decided_by!r} looks like an e-mail address: use a pseudonymous id like 'ls-3'")
            known = {ann["id"] for ann in annotations}
            for j, ann_id in enumerate(gold["from_annotations"]):
                if ann_id not in known:
                    self.add(("gold", "from_annotations", j), "dangling-annotation", f"gold derives from annotation {ann_id!r}, which the record does not have (annotations: {sorted(known)})")
            self.part(gold, ("gold",), sentence_ids)
        return self.out

    def unique_ids(self, items: list[dict[str, Any]], loc: tuple, kind: str) -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item["id"] in seen:
                self.add((*loc, i, "id"), "duplicate-id", f"{kind} id {item['id']!r} is already used at {loc[-1]}[{seen[item['id']]}]")
            else:
                seen[item["id"]] = i

    def offsets(self, item: dict[str, Any], loc: tuple, kind: str) -> tuple[int, int] | None:
        """Check bounds and emptiness; the (start, end) pair when both are usable."""
        start, end, size = int(item["start"]), int(item["end"]), len(self.text)
        ok = True
        for key, value in (("start", start), ("end", end)):
            if value > size:
                self.add((*loc, key), f"{kind}-out-of-bounds", f"{value} is past the end of the text ({size} code points)")
                ok = False
        if ok and end <= start:
            self.add((*loc, "end"), f"{kind}-empty", f"end {end} is not after start {start}: a {kind} covers at least one code point")
            ok = False
        if ok:
            piece = self.text[start:end]
            if piece[0].isspace() or piece[-1].isspace():
                self.add(loc, f"{kind}-untrimmed", f"text[{start}:{end}] = {_short(piece)} starts or ends with whitespace: move the offsets inward")
        return (start, end) if ok else None

    def sentences(self, sentences: list[dict[str, Any]]) -> set[str]:
        self.unique_ids(sentences, ("sentences",), "sentence")
        usable: list[tuple[int, int]] = []
        prev_end = None
        for i, sent in enumerate(sentences):
            pair = self.offsets(sent, ("sentences", i), "sentence")
            if pair is None:
                continue
            if prev_end is not None and pair[0] < prev_end:
                self.add(("sentences", i, "start"), "sentence-order", f"start {pair[0]} is before the end of the previous sentence ({prev_end}): sentences are in text order and do not overlap")
            prev_end = max(pair[1], prev_end or 0)
            usable.append(pair)
        pos = 0
        for start, end in sorted(usable) + [(len(self.text), len(self.text))]:
            gap = _NON_BLANK.search(self.text, pos, max(start, pos))
            if gap:
                stop = max(start, pos)
                self.add(("sentences",), "sentence-coverage", f"text[{gap.start()}:{stop}] = {_short(self.text[gap.start():stop])} lies in no sentence: every non-blank character belongs to one")
            pos = max(pos, end)
        return {sent["id"] for sent in sentences}

    def article_labels(self, labels: dict[str, list[str]], loc: tuple) -> None:
        layers = {layer.name: layer for layer in self.scheme.article_layers}
        for name, values in labels.items():
            if name not in layers:
                self.add((*loc, name), "unknown-layer", f"{name!r} is not an article layer (article layers: {', '.join(layers)})")
                continue
            layer = layers[name]
            for j, value in enumerate(values):
                if value not in layer.label_names:
                    self.add((*loc, name, j), "unknown-label", f"{value!r} is not a label of article layer {name!r} (labels: {', '.join(layer.label_names)})")
                elif value in values[:j]:
                    self.add((*loc, name, j), "duplicate-label", f"{value!r} is listed twice in {name!r}")
            if layer.cardinality == "single" and len(values) > 1:
                self.add((*loc, name), "single-cardinality", f"{name!r} takes one label, found {len(values)}: {values}")

    def sentence_labels(self, items: list[dict[str, Any]], loc: tuple, sentence_ids: set[str]) -> None:
        layers = {layer.name: layer for layer in self.scheme.sentence_layers}
        per_layer: Counter[tuple[str, str]] = Counter()
        seen: set[tuple[str, str, str]] = set()
        for j, item in enumerate(items):
            here = (*loc, j)
            sent, name, label = item["sentence"], item["layer"], item["label"]
            if sent not in sentence_ids:
                self.add((*here, "sentence"), "dangling-sentence", f"sentence {sent!r} does not exist (sentences: {len(sentence_ids)}, e.g. {sorted(sentence_ids)[:3]})")
            if name not in layers:
                self.add((*here, "layer"), "unknown-layer", f"{name!r} is not a sentence layer (sentence layers: {', '.join(layers)})")
                continue
            if label not in layers[name].label_names:
                self.add((*here, "label"), "unknown-label", f"{label!r} is not a label of sentence layer {name!r} (labels: {', '.join(layers[name].label_names)})")
            if (sent, name, label) in seen:
                self.add(here, "duplicate-label", f"sentence {sent!r} has {name} {label!r} twice")
                continue
            seen.add((sent, name, label))
            per_layer[sent, name] += 1
            if layers[name].cardinality == "single" and per_layer[sent, name] == 2:
                self.add(here, "single-cardinality", f"sentence {sent!r} has a second {name!r} label ({label!r}); the layer takes one per sentence")

    def spans(self, spans: list[dict[str, Any]], loc: tuple) -> None:
        layers = {layer.name: layer for layer in self.scheme.span_layers}
        self.unique_ids(spans, loc, "span")
        flat: dict[str, list[tuple[int, int, int]]] = {}
        for k, span in enumerate(spans):
            here = (*loc, k)
            name, label = span["layer"], span["label"]
            if name not in layers:
                self.add((*here, "layer"), "unknown-layer", f"{name!r} is not a span layer (span layers: {', '.join(layers)})")
            elif label not in layers[name].label_names:
                owner = self.scheme.span_layer_of(label)
                hint = f"; it is a label of layer {owner!r}" if owner else ""
                self.add((*here, "label"), "unknown-label", f"{label!r} is not a label of span layer {name!r}{hint} (labels: {', '.join(layers[name].label_names)})")
            pair = self.offsets(span, here, "span")
            if pair is None:
                continue
            piece = self.text[pair[0] : pair[1]]
            if span["text"] != piece:
                self.add((*here, "text"), "span-text-mismatch", f"{_short(span['text'])} differs from text[{pair[0]}:{pair[1]}] = {_short(piece)}")
            if name in layers and not layers[name].overlap:
                flat.setdefault(name, []).append((*pair, k))
        for name, items in flat.items():
            items.sort()
            reach = None
            for start, end, k in items:
                if reach is not None and start < reach[0]:
                    other = spans[reach[1]]
                    self.add(
                        (*loc, k),
                        "span-overlap",
                        f"{name} span {spans[k]['id']!r} [{start}, {end}) overlaps {name} span {other['id']!r} "
                        f"[{other['start']}, {other['end']}): the {name!r} layer is flat (no overlap, no nesting)",
                    )
                if reach is None or end > reach[0]:
                    reach = (end, k)

    def relations(self, relations: list[dict[str, Any]], spans: list[dict[str, Any]], loc: tuple) -> None:
        self.unique_ids(relations, loc, "relation")
        by_id = {span["id"]: span for span in spans}
        for k, rel in enumerate(relations):
            here = (*loc, k)
            kind = self.scheme.relation_label(rel["label"])
            if kind is None:
                self.add((*here, "label"), "unknown-label", f"{rel['label']!r} is not a relation label (labels: {', '.join(self.scheme.relation_labels)})")
            for end, allowed in (("head", kind.head_labels if kind else None), ("tail", kind.tail_labels if kind else None)):
                span = by_id.get(rel[end])
                if span is None:
                    self.add((*here, end), "dangling-relation", f"{end} {rel[end]!r} is not a span of this annotation")
                elif allowed is not None and span["label"] not in allowed:
                    self.add((*here, end), "relation-endpoint", f"{end} {rel[end]!r} is a {span['label']} span; a {rel['label']} {end} is one of {', '.join(allowed)}")

    def part(self, part: dict[str, Any], loc: tuple, sentence_ids: set[str]) -> None:
        self.article_labels(part.get("article_labels", {}), (*loc, "article_labels"))
        self.sentence_labels(part.get("sentence_labels", []), (*loc, "sentence_labels"), sentence_ids)
        spans = part.get("spans", [])
        self.spans(spans, (*loc, "spans"))
        self.relations(part.get("relations", []), spans, (*loc, "relations"))


def semantic_violations(data: dict[str, Any], *, file: str, scheme: Scheme) -> list[Violation]:
    """Every semantic rule ``data`` breaks, in record order.

    ``data`` is one parsed record whose structure fits the JSON Schema (types and required
    keys); ``file`` is its path as given (the file name must be ``<id>.json``). Labels are
    checked against ``scheme``. Returns :class:`~newscorpus.rules.Violation` objects; never
    raises for a record that fits the schema's structure.
    """
    return _Checker(data, file, scheme).run()
