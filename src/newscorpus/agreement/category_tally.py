"""The running counts of one sentence or article layer's alpha and kappa (``docs/agreement.md``,
Sentence roles and genre; Frames).

A unit is a sentence (sentence layers), an article (single article layers) or an article
and a label (multi-label article layers: "has this label", True or False); each annotator
gives it one value or none. Everything the figures need is kept as counts, never as a list
of units:

- how many units have each :data:`~newscorpus.agreement.coefficients.ValueCounts` (with the
  unit's label for a multi-label layer): Krippendorff's alpha of the layer and every
  one-vs-rest alpha of a label come from these (a few hundred distinct keys whatever the
  size of the corpus);
- per pair of annotators, a contingency table of the values both gave a unit (Cohen's kappa);
- the annotators who coded any unit.

Two tallies of different articles merge (:meth:`CategoryTally.merge`) into the tally of
all of them, in any order, with the same figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from itertools import combinations

import numpy as np

from newscorpus.agreement.coefficients import ValueCounts, alpha_from_value_counts, kappa_from_table, value_counts
from newscorpus.agreement.results import CategoricalAgreement, LabelAlpha, PairKappa
from newscorpus.core.models import Annotation, ArticleRecord
from newscorpus.core.scheme import Layer

__all__ = ["CategoryTally"]


class CategoryTally:
    """Counts of one sentence or article layer (see the module doc)."""

    def __init__(self, layer: Layer) -> None:
        self.layer, self.level, self.cardinality = layer.name, layer.level, layer.cardinality
        self.label_names = list(layer.label_names)
        #: (unit label or None, value counts) -> units; only units with at least one value
        self.units: Counter[tuple[str | None, ValueCounts]] = Counter()
        #: (annotator a, annotator b), a < b -> {(a's value, b's value): units both coded}
        self.pairs: dict[tuple[str, str], Counter[tuple[Hashable, Hashable]]] = {}
        self.coders: set[str] = set()

    def add_unit(self, votes: dict[str, Hashable], label: str | None = None) -> None:
        """Add one unit: ``votes`` maps each annotator who coded it to their value."""
        if not votes:
            return
        self.coders.update(votes)
        self.units[(label, value_counts(list(votes.values())))] += 1
        if len(votes) >= 2:
            for a, b in combinations(sorted(votes), 2):
                self.pairs.setdefault((a, b), Counter())[(votes[a], votes[b])] += 1

    def add(self, record: ArticleRecord, anns: dict[str, Annotation]) -> None:
        """Add the units of one article: ``anns`` maps each annotator (sorted) to the
        annotation that counts. Sentence layers: one unit per sentence of the record (a
        label of a sentence the record does not have is ignored). Single article layers:
        one unit (several labels, should a single layer hold them, are one value joined
        by ``+``). Multi-label layers: one unit per label of the layer; an annotator who
        chose no label of the layer gives no value."""
        if self.level == "sentence":
            index = {s.id: i for i, s in enumerate(record.sentences)}
            votes: list[dict[str, Hashable]] = [{} for _ in record.sentences]
            for name, ann in anns.items():
                for sl in ann.sentence_labels:
                    if sl.layer == self.layer and sl.sentence in index:
                        votes[index[sl.sentence]][name] = sl.label
            for unit in votes:
                self.add_unit(unit)
            return
        coded = {name: a.article_labels[self.layer] for name, a in anns.items() if a.article_labels.get(self.layer)}
        if self.cardinality == "single":
            self.add_unit({name: "+".join(labels) for name, labels in coded.items()})
            return
        for label in self.label_names:
            self.add_unit({name: label in labels for name, labels in coded.items()}, label)

    def merge(self, other: CategoryTally) -> None:
        """Add the counts of ``other`` (the same layer, other articles)."""
        self.units.update(other.units)
        for pair, table in other.pairs.items():
            self.pairs.setdefault(pair, Counter()).update(table)
        self.coders |= other.coders

    def _pair(self, a: str, b: str) -> PairKappa:
        table = self.pairs.get((a, b))
        if not table:
            return PairKappa((a, b), 0, None)
        categories = sorted({v for key in table for v in key}, key=repr)
        index = {c: i for i, c in enumerate(categories)}
        matrix = np.zeros((len(categories), len(categories)))
        for (va, vb), n in table.items():
            matrix[index[va], index[vb]] = n
        return PairKappa((a, b), sum(table.values()), kappa_from_table(matrix))

    def _label(self, label: str) -> LabelAlpha:
        binary: Counter[ValueCounts] = Counter()
        used = 0
        for (unit_label, counts), n in self.units.items():
            if self.cardinality == "single":  # one-vs-rest: did the coder choose this label
                m = sum(c for _, c in counts)
                hits = next((c for v, c in counts if v == label), 0)
                binary[tuple((v, c) for v, c in ((False, m - hits), (True, hits)) if c)] += n
                used += n * hits
            elif unit_label == label:
                binary[counts] += n
                used += n * next((c for v, c in counts if v is True), 0)
        return LabelAlpha(label, alpha_from_value_counts(binary), used)

    def result(self) -> CategoricalAgreement:
        """The layer's figures: alpha, kappa (two annotators only), pairable units and their
        values, per label alpha and use, per pair kappa (pairs of the sorted annotators)."""
        coders = sorted(self.coders)
        pooled: Counter[ValueCounts] = Counter()
        for (_, counts), n in self.units.items():
            pooled[counts] += n
        pairable = [(sum(c for _, c in counts), n) for counts, n in pooled.items()]
        pairs = [self._pair(a, b) for a, b in combinations(coders, 2)]
        return CategoricalAgreement(
            layer=self.layer,
            level=self.level,
            cardinality=self.cardinality,
            alpha=alpha_from_value_counts(pooled),
            kappa=pairs[0].kappa if len(coders) == 2 else None,
            units=sum(n for m, n in pairable if m >= 2),
            values=sum(m * n for m, n in pairable if m >= 2),
            annotators=len(coders),
            labels=[self._label(label) for label in self.label_names],
            pairs=pairs,
        )
