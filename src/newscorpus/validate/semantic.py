"""Stage 2 of validation: the checks of meaning that no JSON Schema expresses.

:func:`semantic_violations` takes one parsed record that already fits the JSON Schema's
structure (types and required keys; stage 1, :mod:`newscorpus.validate.run`) and returns every
broken rule of :data:`newscorpus.validate.rules.RULES` of stage ``semantic``, plus the label rules
(re-checked here with messages that name the layer). Pure: no I/O. Offsets are code points,
0-based, end-exclusive; ``text[start:end]`` in Python (docs/design.md, Validation).

Every rule has one home: an entry of :data:`CHECKS`, which names the codes it reports, its
exact check and, where the exact check loops over a list, a fast whole-list pre-check that
lets it be skipped when the pre-check finds nothing to report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from newscorpus.core.scheme import Scheme
from newscorpus.validate import labels, record, relations, sentences, spans
from newscorpus.validate.record import PSEUDONYM
from newscorpus.validate.rules import Violation, loc_key
from newscorpus.validate.view import PartView, RecordView

__all__ = ["Check", "CHECKS", "semantic_violations", "PSEUDONYM"]


@dataclass(frozen=True)
class Check:
    """One semantic rule (or a few codes one loop decides together).

    ``codes`` are the rule codes it may report (keys of :data:`~newscorpus.validate.rules.RULES`);
    ``scope`` is ``"record"`` (``exact`` and ``clean`` take a
    :class:`~newscorpus.validate.view.RecordView`, once per record) or ``"part"`` (a
    :class:`~newscorpus.validate.view.PartView`, once per annotation and once for the gold).
    ``exact`` yields the violations, each with its message and location; ``clean``, when
    given, is a fast pre-check that returns True only when ``exact`` would yield nothing
    (``exact`` then does not run). A check without ``clean`` always runs.
    """

    name: str
    codes: tuple[str, ...]
    scope: Literal["record", "part"]
    exact: Callable[[Any], Iterable[Violation]]
    clean: Callable[[Any], bool] | None = None


#: Every semantic check, in the order its violations are reported when two share a location
#: (``span-untrimmed`` before ``span-overlap`` at ``spans[k]``). To add a rule: give its code
#: a row in :data:`newscorpus.validate.rules.RULES` (and docs/schema.md), write its exact
#: check (and, if it loops over a list, a whole-list pre-check) beside the rules of the same
#: items (record.py, sentences.py, labels.py, spans.py, relations.py), and add one entry here.
#: tests/unit/validate/test_semantic_checks.py holds every pre-check to its exact check.
CHECKS: tuple[Check, ...] = (
    Check("file-name", ("file-name-mismatch",), "record", record.file_name, record.file_name_clean),
    Check("text-hash", ("text-hash-mismatch",), "record", record.text_hash),
    Check("text-canonical", ("text-not-canonical",), "record", record.text_canonical),
    Check("sentence-ids", ("duplicate-id",), "record", sentences.sentence_ids, sentences.sentence_ids_clean),
    Check("sentence-offsets", ("sentence-out-of-bounds", "sentence-empty", "sentence-untrimmed"), "record",
          sentences.sentence_offsets, sentences.sentence_offsets_clean),
    Check("sentence-order", ("sentence-order",), "record", sentences.sentence_order, sentences.sentence_order_clean),
    Check("sentence-coverage", ("sentence-coverage",), "record", sentences.sentence_coverage, sentences.sentence_coverage_clean),
    Check("annotation-ids", ("duplicate-id",), "record", record.annotation_ids, record.annotation_ids_clean),
    Check("annotators", ("not-pseudonymous",), "record", record.annotators),
    Check("adjudicator", ("not-pseudonymous",), "record", record.adjudicator),
    Check("gold-sources", ("dangling-annotation",), "record", record.gold_sources, record.gold_sources_clean),
    Check("article-labels", ("unknown-layer", "unknown-label", "duplicate-label", "single-cardinality"), "part",
          labels.article_labels, labels.article_labels_clean),
    Check("sentence-labels", ("dangling-sentence", "unknown-layer", "unknown-label", "duplicate-label", "single-cardinality"), "part",
          labels.sentence_labels, labels.sentence_labels_clean),
    Check("span-ids", ("duplicate-id",), "part", spans.span_ids, spans.span_ids_clean),
    Check("span-labels", ("unknown-layer", "unknown-label"), "part", spans.span_labels, spans.span_labels_clean),
    Check("span-offsets", ("span-out-of-bounds", "span-empty", "span-untrimmed", "span-text-mismatch"), "part",
          spans.span_offsets, spans.span_offsets_clean),
    Check("span-overlap", ("span-overlap",), "part", spans.span_overlap, spans.span_overlap_clean),
    Check("relation-ids", ("duplicate-id",), "part", relations.relation_ids, relations.relation_ids_clean),
    Check("relation-endpoints", ("unknown-label", "dangling-relation", "relation-endpoint"), "part",
          relations.relation_endpoints, relations.relation_endpoints_clean),
)

_RECORD_CHECKS = tuple((c.exact, c.clean) for c in CHECKS if c.scope == "record")
_PART_CHECKS = tuple((c.exact, c.clean) for c in CHECKS if c.scope == "part")


def _sort_key(violation: Violation) -> tuple:
    return loc_key(violation.loc)


def semantic_violations(data: dict[str, Any], *, file: str, scheme: Scheme) -> list[Violation]:
    """Every semantic rule ``data`` breaks, in location order (:func:`~newscorpus.validate.rules.loc_key`;
    violations at one location in :data:`CHECKS` order).

    ``data`` is one parsed record whose structure fits the JSON Schema (types and required
    keys); ``file`` is its path as given (the file name must be ``<id>.json``). Labels are
    checked against ``scheme``. Returns :class:`~newscorpus.validate.rules.Violation` objects
    (``[]`` for a valid record); never raises for a record that fits the schema's structure.
    """
    view = RecordView(data, file=file, scheme=scheme)
    out: list[Violation] = []
    for exact, clean in _RECORD_CHECKS:
        if clean is None or not clean(view):
            out.extend(exact(view))
    for part in view.parts():
        for exact, clean in _PART_CHECKS:
            if clean is None or not clean(part):
                out.extend(exact(part))
    if len(out) > 1:
        out.sort(key=_sort_key)
    return out
