"""Adjudication: gold from the raw annotations of a record, by a rule the record keeps.

Rules, first that applies (``docs/agreement.md``). Only submitted annotations are
candidates, one per annotator (the latest, :func:`newscorpus.agreement.figures.submitted_by_annotator`);
cancelled annotations and drafts never become gold.

1. A gold whose method is ``adjudicated`` is kept unless ``force`` is set.
2. ``adjudicated``: the adjudicator (an annotator id such as ``ls-7``) submitted an
   annotation of the article: it is the gold, whole. ``decided_by`` is the adjudicator.
3. ``ground_truth``: exactly one submitted annotation carries Label Studio's
   ``ground_truth`` flag. Label Studio sets the flag by default on annotations imported
   together with their tasks, so several flagged annotations decide nothing (a note says so).
4. ``single``: exactly one annotator submitted.
5. ``majority``: a vote per unit: a span (layer, label, start, end), a sentence's label per
   sentence layer, an article layer's label (single layers) or each label (multi layers), a
   relation (label, head span, tail span). A span or relation is gold when more than half of
   the annotators made it; a label when it has more than half of the votes cast (an annotator
   who left the unit unlabelled abstains). An even split is left open; a relation also needs
   both its spans in gold. Open units are listed for the adjudicator
   (:mod:`newscorpus.agreement.adjudication_tasks` writes them as Label Studio tasks).

``from_annotations`` lists the annotation ids gold derives from. Pure: no I/O; the folder
run is :func:`newscorpus.agreement.adjudication_run.adjudicate_dir`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from newscorpus.agreement.figures import submitted_by_annotator
from newscorpus.core.models import Annotation, ArticleRecord, Gold, Relation, SentenceLabel, Span
from newscorpus.records.io import canonicalize
from newscorpus.core.scheme import Scheme

__all__ = ["adjudicate", "adjudicate_in_place", "OpenUnit", "AdjudicationReport"]

SpanKey = tuple[str, str, int, int]  # layer, label, start, end
Candidate = str | bool | None


@dataclass(frozen=True)
class OpenUnit:
    """A unit the vote left open. ``kind`` is span, sentence, article or relation; ``unit``
    reads like ``[12, 19) GPE 'Myanmar'`` or ``s3``; ``candidates`` maps every annotator to
    their value: a label (sentence and single article layers), True/False for whether they
    made the span, relation or multi-layer label, None when they left it unlabelled.
    ``ref`` locates the unit for tools: ``{layer, label, start, end}`` for a span (code
    points, end-exclusive), ``{sentence}``, ``{label}`` (null for a single layer), or
    ``{label, head, tail}`` with span refs for a relation."""

    kind: Literal["span", "sentence", "article", "relation"]
    layer: str
    unit: str
    candidates: dict[str, Candidate]
    ref: dict


def _ref(key: SpanKey) -> dict:
    return {"layer": key[0], "label": key[1], "start": key[2], "end": key[3]}


@dataclass(frozen=True)
class AdjudicationReport:
    """What :func:`adjudicate` decided for one article. ``status``: ``set`` (gold built),
    ``kept`` (an adjudicated gold left alone), ``none`` (no submitted annotation: no gold)."""

    article_id: str
    status: Literal["set", "kept", "none"]
    method: str | None
    decided_by: str | None
    from_annotations: list[str]
    open: list[OpenUnit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _copy_gold(ann: Annotation, method: str, decided_by: str | None) -> Gold:
    part = ann.model_copy(deep=True)
    return Gold(
        method=method,
        decided_by=decided_by,
        from_annotations=[ann.id],
        article_labels=part.article_labels,
        sentence_labels=part.sentence_labels,
        spans=part.spans,
        relations=part.relations,
    )


def _span_key(span: Span) -> SpanKey:
    return (span.layer, span.label, span.start, span.end)


def _describe(key: SpanKey, text: str) -> str:
    layer, label, start, end = key
    return f"[{start}, {end}) {label} {text[start:end]!r}"


def _vote(votes: dict[str, object]) -> tuple[object | None, bool]:
    """The value with more than half of the votes cast, and whether the vote is open."""
    counts: dict[object, int] = {}
    for value in votes.values():
        counts[value] = counts.get(value, 0) + 1
    for value, count in counts.items():
        if 2 * count > len(votes):
            return value, False
    return None, bool(votes)


def _majority_spans(record: ArticleRecord, anns: dict[str, Annotation], gold: Gold, open_: list[OpenUnit]) -> dict[SpanKey, str]:
    n = len(anns)
    support: dict[SpanKey, list[Span]] = {}
    keys: dict[str, set[SpanKey]] = {}
    for name, ann in anns.items():
        first = {}
        for span in ann.spans:
            first.setdefault(_span_key(span), span)
        keys[name] = set(first)
        for key, span in first.items():
            support.setdefault(key, []).append(span)
    ids: dict[SpanKey, str] = {}
    for key in sorted(support, key=lambda k: (k[2], k[3], k[0], k[1])):
        spans = support[key]
        if 2 * len(spans) > n:
            sid = spans[0].id if spans[0].id not in ids.values() else f"{key[0]}-{key[2]}-{key[3]}-{key[1]}"
            ids[key] = sid
            gold.spans.append(Span(id=sid, layer=key[0], label=key[1], start=key[2], end=key[3], text=record.text[key[2] : key[3]]))
        elif 2 * len(spans) == n:
            made = {name: key in keys[name] for name in anns}
            open_.append(OpenUnit("span", key[0], _describe(key, record.text), made, _ref(key)))
    return ids


def _majority_relations(record: ArticleRecord, anns: dict[str, Annotation], ids: dict[SpanKey, str], gold: Gold, open_: list[OpenUnit]) -> None:
    n = len(anns)
    support: dict[tuple[str, SpanKey, SpanKey], set[str]] = {}
    for name, ann in anns.items():
        by_id = {s.id: _span_key(s) for s in ann.spans}
        for rel in ann.relations:
            if rel.head in by_id and rel.tail in by_id:
                support.setdefault((rel.label, by_id[rel.head], by_id[rel.tail]), set()).add(name)
    for key in sorted(support, key=lambda k: (k[1][2], k[1][3], k[2][2], k[2][3], k[0])):
        label, head, tail = key
        if 2 * len(support[key]) > n and head in ids and tail in ids:
            gold.relations.append(Relation(id=f"{label}:{ids[head]}>{ids[tail]}", label=label, head=ids[head], tail=ids[tail]))
        elif 2 * len(support[key]) == n:
            unit = f"{label} {_describe(head, record.text)} -> {_describe(tail, record.text)}"
            cands = {name: name in support[key] for name in anns}
            open_.append(OpenUnit("relation", label, unit, cands, {"label": label, "head": _ref(head), "tail": _ref(tail)}))


def _majority(record: ArticleRecord, anns: dict[str, Annotation], scheme: Scheme) -> tuple[Gold, list[OpenUnit]]:
    gold = Gold(method="majority", decided_by=None, from_annotations=[a.id for a in anns.values()])
    open_: list[OpenUnit] = []
    ids = _majority_spans(record, anns, gold, open_)
    _majority_relations(record, anns, ids, gold, open_)
    for layer in scheme.sentence_layers:
        for sentence in record.sentences:
            votes = {
                name: sl.label
                for name, ann in anns.items()
                for sl in ann.sentence_labels
                if sl.layer == layer.name and sl.sentence == sentence.id
            }
            value, is_open = _vote(votes)
            if value is not None:
                gold.sentence_labels.append(SentenceLabel(sentence=sentence.id, layer=layer.name, label=str(value)))
            elif is_open:
                cands = {name: votes.get(name) for name in anns}
                open_.append(OpenUnit("sentence", layer.name, sentence.id, cands, {"sentence": sentence.id}))
    for layer in scheme.article_layers:
        chosen = {name: a.article_labels[layer.name] for name, a in anns.items() if a.article_labels.get(layer.name)}
        if layer.cardinality == "single":
            value, is_open = _vote({name: tuple(labels) for name, labels in chosen.items()})
            if value is not None:
                gold.article_labels[layer.name] = list(value)
            elif is_open:
                cands = {name: "+".join(chosen[name]) if name in chosen else None for name in anns}
                open_.append(OpenUnit("article", layer.name, layer.name, cands, {"label": None}))
            continue
        for label in layer.label_names:
            value, is_open = _vote({name: label in labels for name, labels in chosen.items()})
            if value is True:
                gold.article_labels.setdefault(layer.name, []).append(label)
            elif is_open:
                cands = {name: (label in chosen[name]) if name in chosen else None for name in anns}
                open_.append(OpenUnit("article", layer.name, f"{layer.name}={label}", cands, {"label": label}))
    return gold, open_


def adjudicate(
    record: ArticleRecord, *, scheme: Scheme, adjudicator: str | None = None, force: bool = False
) -> tuple[ArticleRecord, AdjudicationReport]:
    """Decide ``record``'s gold by the rules of this module's docstring.

    Returns a new record (the input is not changed), in canonical order, and a report of
    the method, the annotation ids gold derives from, the units left open and notes (such
    as several ground truths). Never raises on a valid record.
    """
    record = record.model_copy(deep=True)
    return record, adjudicate_in_place(record, scheme=scheme, adjudicator=adjudicator, force=force)


def adjudicate_in_place(
    record: ArticleRecord, *, scheme: Scheme, adjudicator: str | None = None, force: bool = False
) -> AdjudicationReport:
    """:func:`adjudicate` changing ``record`` itself (its gold, and its canonical order when
    gold is set) instead of a copy: for a caller that reads a record to decide it and
    drops it afterwards (a deep copy of a record costs more than deciding it). Returns
    the report."""
    old = record.gold
    if old is not None and old.method == "adjudicated" and not force:
        note = f"kept the gold adjudicated by {old.decided_by}; use --force to rebuild it"
        return AdjudicationReport(record.id, "kept", old.method, old.decided_by, list(old.from_annotations), notes=[note])
    anns = submitted_by_annotator(record)
    notes: list[str] = []
    open_: list[OpenUnit] = []
    flagged = [a for a in anns.values() if a.ground_truth]
    if adjudicator is not None and adjudicator in anns:
        gold = _copy_gold(anns[adjudicator], "adjudicated", adjudicator)
    elif not anns:
        record.gold = None
        return AdjudicationReport(record.id, "none", None, None, [], notes=["no submitted annotation: no gold"])
    elif len(flagged) == 1:
        gold = _copy_gold(flagged[0], "ground_truth", None)
    elif len(anns) == 1:
        gold = _copy_gold(next(iter(anns.values())), "single", None)
    else:
        gold, open_ = _majority(record, anns, scheme)
    if len(flagged) > 1 and gold.method != "adjudicated":
        names = ", ".join(a.id for a in flagged)
        notes.append(f"{len(flagged)} submitted annotations are marked ground_truth ({names}): ground truth decides nothing here")
    record.gold = gold
    canonicalize(record, scheme)
    return AdjudicationReport(record.id, "set", gold.method, gold.decided_by, list(gold.from_annotations), open_, notes)
