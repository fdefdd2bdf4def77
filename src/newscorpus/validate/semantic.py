"""Stage 2 of validation: the checks of meaning that no JSON Schema expresses.

:func:`semantic_violations` takes one parsed record that already fits the JSON Schema's
structure (types and required keys; stage 1, :mod:`newscorpus.validate.run`) and returns every
broken rule of :data:`newscorpus.validate.rules.RULES` of stage ``semantic``, plus the label rules
(re-checked here with messages that name the layer). Pure: no I/O. Offsets are code points,
0-based, end-exclusive; ``text[start:end]`` in Python.
"""

from __future__ import annotations

import hashlib
import unicodedata
import operator
import re
from itertools import accumulate, compress
from collections import Counter
from pathlib import PurePath
from typing import Any

from newscorpus.validate.rules import Violation
from newscorpus.core.scheme import Scheme

__all__ = ["semantic_violations", "PSEUDONYM"]

#: A pseudonymous annotator id: a tool prefix and the tool's user id, e.g. ``ls-3``.
PSEUDONYM = re.compile(r"^[a-z][a-z0-9]*-[A-Za-z0-9_\-]+$")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_NON_BLANK = re.compile(r"\S")
_FIRST = operator.itemgetter(0)
_LAST = operator.itemgetter(-1)
_ID, _LABEL = operator.itemgetter("id"), operator.itemgetter("label")
_SPAN_ROW = operator.itemgetter("start", "end", "id", "layer", "label", "text")
_SENTENCE_LABEL_ROW = operator.itemgetter("sentence", "layer", "label")
_RELATION_ROW = operator.itemgetter("id", "label", "head", "tail")


def _short(text: str, width: int = 40) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


class _Index:
    """The label lookups of one scheme, built once: per level, each layer's label set (for
    membership), its label names (for messages), cardinality and overlap; relation labels."""

    def __init__(self, scheme: Scheme) -> None:
        def by_level(level: str) -> dict[str, tuple[frozenset[str], list[str], str, bool]]:
            return {
                layer.name: (frozenset(layer.label_names), layer.label_names, layer.cardinality, layer.overlap)
                for layer in scheme.layers_at(level)  # type: ignore[arg-type]
            }

        self.span = by_level("span")
        self.sentence = by_level("sentence")
        self.article = by_level("article")
        self.relation = {label.name: label for rel in scheme.relations for label in rel.labels}
        self.span_pairs = frozenset((name, label) for name, entry in self.span.items() for label in entry[0])
        self.flat_layers = frozenset(name for name, entry in self.span.items() if not entry[3])
        self.sentence_pairs = frozenset((name, label) for name, entry in self.sentence.items() for label in entry[0])
        self.single_sentence_layers_all = all(entry[2] == "single" for entry in self.sentence.values())
        #: every allowed (relation label, head span label, tail span label)
        self.relation_triples = frozenset(
            (name, head, tail) for name, kind in self.relation.items() for head in kind.head_labels for tail in kind.tail_labels
        )
        self.single_sentence_layers = frozenset(name for name, entry in self.sentence.items() if entry[2] == "single")


_INDEX: dict[int, tuple[Scheme, _Index]] = {}


def _index(scheme: Scheme) -> _Index:
    hit = _INDEX.get(id(scheme))
    if hit is None or hit[0] is not scheme:
        hit = (scheme, _Index(scheme))
        _INDEX[id(scheme)] = hit
    return hit[1]


class _Checker:
    def __init__(self, data: dict[str, Any], file: str, scheme: Scheme) -> None:
        self.data = data
        self.file = file
        self.scheme = scheme
        self.index = _index(scheme)
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
        text = self.text
        if text.startswith("\ufeff") or "\r" in text or not unicodedata.is_normalized("NFC", text):
            what = "a byte-order mark" if text.startswith("\ufeff") else "a carriage return" if "\r" in text else "characters not in NFC"
            self.add(("text",), "text-not-canonical",
                     f"the text holds {what}; canonical text is UTF-8 without BOM, LF line ends, NFC (fixed once at ingest)")
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
        if self.sentences_clean(sentences):
            return {sent["id"] for sent in sentences}
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
        layers = self.index.article
        for name, values in labels.items():
            if name not in layers:
                self.add((*loc, name), "unknown-layer", f"{name!r} is not an article layer (article layers: {', '.join(layers)})")
                continue
            label_set, label_names, cardinality, _ = layers[name]
            for j, value in enumerate(values):
                if value not in label_set:
                    self.add((*loc, name, j), "unknown-label", f"{value!r} is not a label of article layer {name!r} (labels: {', '.join(label_names)})")
                elif value in values[:j]:
                    self.add((*loc, name, j), "duplicate-label", f"{value!r} is listed twice in {name!r}")
            if cardinality == "single" and len(values) > 1:
                self.add((*loc, name), "single-cardinality", f"{name!r} takes one label, found {len(values)}: {values}")

    def sentence_labels(self, items: list[dict[str, Any]], loc: tuple, sentence_ids: set[str]) -> None:
        layers = self.index.sentence
        per_layer: Counter[tuple[str, str]] = Counter()
        seen: set[tuple[str, str, str]] = set()
        for j, item in enumerate(items):
            sent, name, label = item["sentence"], item["layer"], item["label"]
            if sent not in sentence_ids:
                self.add((*loc, j, "sentence"), "dangling-sentence", f"sentence {sent!r} does not exist (sentences: {len(sentence_ids)}, e.g. {sorted(sentence_ids)[:3]})")
            entry = layers.get(name)
            if entry is None:
                self.add((*loc, j, "layer"), "unknown-layer", f"{name!r} is not a sentence layer (sentence layers: {', '.join(layers)})")
                continue
            if label not in entry[0]:
                self.add((*loc, j, "label"), "unknown-label", f"{label!r} is not a label of sentence layer {name!r} (labels: {', '.join(entry[1])})")
            key = (sent, name, label)
            if key in seen:
                self.add((*loc, j), "duplicate-label", f"sentence {sent!r} has {name} {label!r} twice")
                continue
            seen.add(key)
            per_layer[sent, name] += 1
            if entry[2] == "single" and per_layer[sent, name] == 2:
                here = (*loc, j)
                self.add(here, "single-cardinality", f"sentence {sent!r} has a second {name!r} label ({label!r}); the layer takes one per sentence")

    def sentences_clean(self, sentences: list[dict[str, Any]]) -> bool:
        """True only when :meth:`sentences` would find nothing: the same checks as whole-list
        operations; any doubt returns False and the exact loop runs."""
        text = self.text
        starts = [s["start"] for s in sentences]
        ends = [s["end"] for s in sentences]
        ids = [s["id"] for s in sentences]
        if not sentences or len(set(ids)) != len(ids):
            return False
        if set(map(type, starts)) != {int} or set(map(type, ends)) != {int} or max(ends) > len(text) or not all(map(operator.lt, starts, ends)):
            return False
        if any(map(operator.lt, starts[1:], accumulate(ends, max))):
            return False  # out of order or overlapping
        pieces = list(map(text.__getitem__, map(slice, starts, ends)))
        if any(map(str.isspace, map(_FIRST, pieces))) or any(map(str.isspace, map(_LAST, pieces))):
            return False
        gaps = map(text.__getitem__, map(slice, [0, *ends], [*starts, len(text)]))
        return _NON_BLANK.search("".join(gaps)) is None

    def spans(self, spans: list[dict[str, Any]], loc: tuple) -> None:
        layers = self.index.span
        self.unique_ids(spans, loc, "span")
        text, size = self.text, len(self.text)
        flat: dict[str, list[tuple[int, int, int]]] = {}
        for k, span in enumerate(spans):
            name, label = span["layer"], span["label"]
            entry = layers.get(name)
            if entry is None:
                self.add((*loc, k, "layer"), "unknown-layer", f"{name!r} is not a span layer (span layers: {', '.join(layers)})")
            elif label not in entry[0]:
                owner = self.scheme.span_layer_of(label)
                hint = f"; it is a label of layer {owner!r}" if owner else ""
                self.add((*loc, k, "label"), "unknown-label", f"{label!r} is not a label of span layer {name!r}{hint} (labels: {', '.join(entry[1])})")
            start, end = span["start"], span["end"]
            # fast path: exactly the case where offsets() finds both offsets usable
            if start.__class__ is int and end.__class__ is int and start < end <= size:
                piece = text[start:end]
                if piece[0].isspace() or piece[-1].isspace():
                    self.add((*loc, k), "span-untrimmed", f"text[{start}:{end}] = {_short(piece)} starts or ends with whitespace: move the offsets inward")
            else:
                pair = self.offsets(span, (*loc, k), "span")
                if pair is None:
                    continue
                start, end = pair
                piece = text[start:end]
            if span["text"] != piece:
                self.add((*loc, k, "text"), "span-text-mismatch", f"{_short(span['text'])} differs from text[{start}:{end}] = {_short(piece)}")
            if entry is not None and not entry[3]:
                flat.setdefault(name, []).append((start, end, k))
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
        if not relations:
            return
        self.unique_ids(relations, loc, "relation")
        label_of = dict(zip(map(_ID, spans), map(_LABEL, spans)))
        for k, rel in enumerate(relations):
            kind = self.index.relation.get(rel["label"])
            if kind is not None and label_of.get(rel["head"]) in kind.head_labels and label_of.get(rel["tail"]) in kind.tail_labels:
                continue  # the common case: nothing to report
            here = (*loc, k)
            if kind is None:
                self.add((*here, "label"), "unknown-label", f"{rel['label']!r} is not a relation label (labels: {', '.join(self.scheme.relation_labels)})")
            for end, allowed in (("head", kind.head_labels if kind else None), ("tail", kind.tail_labels if kind else None)):
                span_label = label_of.get(rel[end])
                if rel[end] not in label_of:
                    self.add((*here, end), "dangling-relation", f"{end} {rel[end]!r} is not a span of this annotation")
                elif allowed is not None and span_label not in allowed:
                    self.add((*here, end), "relation-endpoint", f"{end} {rel[end]!r} is a {span_label} span; a {rel['label']} {end} is one of {', '.join(allowed)}")

    def part(self, part: dict[str, Any], loc: tuple, sentence_ids: set[str]) -> None:
        if _part_clean(part, self.text, self.index, sentence_ids):
            return
        self.article_labels(part.get("article_labels", {}), (*loc, "article_labels"))
        self.sentence_labels(part.get("sentence_labels", []), (*loc, "sentence_labels"), sentence_ids)
        spans = part.get("spans", [])
        self.spans(spans, (*loc, "spans"))
        self.relations(part.get("relations", []), spans, (*loc, "relations"))


def _part_clean(part: dict[str, Any], text: str, index: _Index, sentence_ids: set[str]) -> bool:
    """True only when :meth:`_Checker.part` would find nothing in this annotation (or gold):
    the same checks as whole-list operations in one function (no per-item Python calls).
    Any doubt returns False, and the exact checks run and say what is wrong."""
    labels = part.get("article_labels", {})
    if labels:
        layers = index.article
        for name, values in labels.items():
            entry = layers.get(name)
            if entry is None or not entry[0].issuperset(values) or len(set(values)) != len(values) or (entry[2] == "single" and len(values) > 1):
                return False
    items = part.get("sentence_labels", [])
    if items:
        rows = list(map(_SENTENCE_LABEL_ROW, items))
        sents, names, values = zip(*rows)
        if not sentence_ids.issuperset(sents) or len(set(rows)) != len(rows) or not index.sentence_pairs.issuperset(zip(names, values)):
            return False
        if index.single_sentence_layers_all:
            if len(set(zip(sents, names))) != len(rows):
                return False
        else:
            single = index.single_sentence_layers
            pairs = [(s, n) for s, n in zip(sents, names) if n in single]
            if len(set(pairs)) != len(pairs):
                return False
    spans = part.get("spans", [])
    if spans:
        starts, ends, ids, names, values, texts = zip(*map(_SPAN_ROW, spans))
        if max(ends) > len(text) or not all(map(operator.lt, starts, ends)):
            return False
        if len(set(ids)) != len(ids) or not index.span_pairs.issuperset(zip(names, values)):
            return False
        try:  # a float offset (3.0 is a JSON Schema integer) cannot slice: the exact loop handles it
            if tuple(map(text.__getitem__, map(slice, starts, ends))) != texts:
                return False
        except TypeError:
            return False
        if tuple(map(str.strip, texts)) != texts:  # str.strip removes exactly the str.isspace characters
            return False
        for layer in index.flat_layers.intersection(names):
            if names.count(layer) == len(names):
                layer_starts, layer_ends = starts, ends
            else:
                keep = list(map(layer.__eq__, names))
                layer_starts, layer_ends = tuple(compress(starts, keep)), tuple(compress(ends, keep))
            if len(layer_starts) > 1:
                if not all(map(operator.le, layer_starts, layer_starts[1:])):
                    layer_starts, layer_ends = zip(*sorted(zip(layer_starts, layer_ends)))
                # sorted by start: an overlap is a start before the furthest end so far (ties included)
                if any(map(operator.lt, layer_starts[1:], accumulate(layer_ends, max))):
                    return False
    relations = part.get("relations", [])
    if relations:
        rel_ids, rel_labels, heads, tails = zip(*map(_RELATION_ROW, relations))
        if len(set(rel_ids)) != len(rel_ids) or not spans:
            return False
        label_of = dict(zip(ids, values))
        if not index.relation_triples.issuperset(zip(rel_labels, map(label_of.get, heads), map(label_of.get, tails))):
            return False
    return True


def semantic_violations(data: dict[str, Any], *, file: str, scheme: Scheme) -> list[Violation]:
    """Every semantic rule ``data`` breaks, in record order.

    ``data`` is one parsed record whose structure fits the JSON Schema (types and required
    keys); ``file`` is its path as given (the file name must be ``<id>.json``). Labels are
    checked against ``scheme``. Returns :class:`~newscorpus.validate.rules.Violation` objects; never
    raises for a record that fits the schema's structure.
    """
    return _Checker(data, file, scheme).run()
