"""The relation rules (part scope): unique ids, a relation label of the scheme whose head
and tail are spans of the same part with labels the scheme allows there (docs/design.md,
The annotation scheme).

Per rule, ``<rule>_clean`` and ``<rule>`` take a :class:`~newscorpus.validate.view.PartView`
(the pre-check and the exact loop of a :class:`~newscorpus.validate.semantic.Check`).
"""

from __future__ import annotations

import operator
from collections.abc import Iterator

from newscorpus.validate.items import duplicate_ids
from newscorpus.validate.rules import Violation
from newscorpus.validate.view import PartView

__all__ = ["relation_ids_clean", "relation_ids", "relation_endpoints_clean", "relation_endpoints"]

_ID = operator.itemgetter("id")
_RELATION_ROW = operator.itemgetter("label", "head", "tail")


def relation_ids_clean(view: PartView) -> bool:
    """True when no two relations of the part share an id."""
    ids = list(map(_ID, view.part.get("relations", [])))
    return len(set(ids)) == len(ids)


def relation_ids(view: PartView) -> Iterator[Violation]:
    """``duplicate-id`` at ``relations[k].id`` for each repeated relation id."""
    return duplicate_ids(view.part.get("relations", []), (*view.loc, "relations"), "relation", view.file)


def relation_endpoints_clean(view: PartView) -> bool:
    """True when every relation's (label, head span's label, tail span's label) is allowed
    by the scheme (so its label is known and both ends are spans of the part)."""
    relations = view.part.get("relations", [])
    if not relations:
        return True
    labels, heads, tails = zip(*map(_RELATION_ROW, relations))
    label_of = view.span_label_of
    return view.index.relation_triples.issuperset(zip(labels, map(label_of.get, heads), map(label_of.get, tails)))


def relation_endpoints(view: PartView) -> Iterator[Violation]:
    """``unknown-label`` for a relation label the scheme does not have; per end (head, then
    tail) ``dangling-relation`` when it is not a span of the part, else ``relation-endpoint``
    when the span's label is not allowed there."""
    label_of = view.span_label_of
    loc, file, scheme = (*view.loc, "relations"), view.file, view.record.scheme
    for k, rel in enumerate(view.part.get("relations", [])):
        kind = view.index.relation.get(rel["label"])
        here = (*loc, k)
        if kind is None:
            yield Violation(file, (*here, "label"), "unknown-label", f"{rel['label']!r} is not a relation label (labels: {', '.join(scheme.relation_labels)})")
        for end, allowed in (("head", kind.head_labels if kind else None), ("tail", kind.tail_labels if kind else None)):
            span_label = label_of.get(rel[end])
            if rel[end] not in label_of:
                yield Violation(file, (*here, end), "dangling-relation", f"{end} {rel[end]!r} is not a span of this annotation")
            elif allowed is not None and span_label not in allowed:
                yield Violation(file, (*here, end), "relation-endpoint", f"{end} {rel[end]!r} is a {span_label} span; a {rel['label']} {end} is one of {', '.join(allowed)}")
