"""The running counts of one span layer's pairwise F1 (``docs/agreement.md``, Span layers).

For every article and every pair of its annotators, the spans of each label are matched
(exactly, and by overlap one-to-one) and three integers are added: matched exactly,
matched by overlap, and ``|A| + |B|``. Sums of integers: a tally takes one article at a
time and two tallies of different articles merge (:meth:`SpanLayerTally.merge`) into the
tally of all of them, in any order.
"""

from __future__ import annotations

from itertools import combinations

from newscorpus.agreement.coefficients import exact_matches, f1, overlap_matches
from newscorpus.agreement.results import PairF1, SpanLabelF1, SpanLayerAgreement
from newscorpus.core.models import Annotation
from newscorpus.core.scheme import Layer

__all__ = ["SpanLayerTally", "span_figure"]


def span_figure(label: str, counts: list[int]) -> SpanLabelF1:
    """The :class:`SpanLabelF1` of ``counts`` = ``[exact matched, overlap matched, spans]``."""
    exact, overlap, spans = counts
    return SpanLabelF1(label, f1(exact, spans), f1(overlap, spans), exact, overlap, spans)


def _add(total: list[int], counts: tuple[int, int, int]) -> None:
    total[0] += counts[0]
    total[1] += counts[1]
    total[2] += counts[2]


def _layer_spans(ann: Annotation, layer: str) -> dict[str, list[tuple[int, int, str]]]:
    by_label: dict[str, set[tuple[int, int, str]]] = {}
    for s in ann.spans:
        if s.layer == layer:
            by_label.setdefault(s.label, set()).add((s.start, s.end, s.label))
    return {label: sorted(spans) for label, spans in by_label.items()}


class SpanLayerTally:
    """Counts of one span layer: per label (the scheme's labels in scheme order, then any
    other label in the order first met), over the layer (``micro``) and per pair of
    annotators (with the number of articles the pair shares). Counts are ``[exact matched,
    overlap matched, spans]``."""

    def __init__(self, layer: Layer) -> None:
        self.layer = layer.name
        self.labels: dict[str, list[int]] = {name: [0, 0, 0] for name in layer.label_names}
        self.micro = [0, 0, 0]
        self.pairs: dict[tuple[str, str], list[int]] = {}  # pair -> [articles, exact, overlap, spans]

    def add(self, anns: dict[str, Annotation]) -> None:
        """Add one article: ``anns`` maps each annotator (sorted) to the annotation that counts."""
        spans = {name: _layer_spans(ann, self.layer) for name, ann in anns.items()}
        for pair in combinations(anns, 2):
            a, b = (spans[name] for name in pair)
            of_pair = self.pairs.setdefault(pair, [0, 0, 0, 0])
            of_pair[0] += 1
            for label in sorted(a.keys() | b.keys()):
                la, lb = a.get(label, []), b.get(label, [])
                if la == lb and all(start < end for start, end, _ in la):
                    # the same spans, distinct and not empty: each matches itself, both ways
                    counts = (len(la), len(la), 2 * len(la))
                else:
                    counts = (exact_matches(set(la), set(lb)), overlap_matches(la, lb), len(la) + len(lb))
                _add(self.labels.setdefault(label, [0, 0, 0]), counts)
                _add(self.micro, counts)
                of_pair[1] += counts[0]
                of_pair[2] += counts[1]
                of_pair[3] += counts[2]

    def merge(self, other: SpanLayerTally) -> None:
        """Add the counts of ``other`` (the same layer, other articles, coming after these)."""
        for label, counts in other.labels.items():
            _add(self.labels.setdefault(label, [0, 0, 0]), counts)
        _add(self.micro, other.micro)
        for pair, counts in other.pairs.items():
            mine = self.pairs.setdefault(pair, [0, 0, 0, 0])
            for i, n in enumerate(counts):
                mine[i] += n

    def result(self) -> SpanLayerAgreement:
        """The layer's figures: micro, per label, per pair (pairs sorted)."""
        pairs = []
        for pair in sorted(self.pairs):
            articles, *counts = self.pairs[pair]
            fig = span_figure("", counts)
            pairs.append(PairF1(pair, articles, fig.exact_f1, fig.overlap_f1))
        return SpanLayerAgreement(
            layer=self.layer,
            micro=span_figure("micro", self.micro),
            labels=[span_figure(name, c) for name, c in self.labels.items()],
            pairs=pairs,
        )
