"""Reference forms ("oracles") of the agreement figures, for the tests to hold the shipped
streaming form to.

- :func:`corpus_agreement`: the figures computed the way ``newscorpus agreement`` computed
  them before it streamed: every record in memory, one list of units per layer, the
  coefficients over lists of values (:func:`cohen_kappa` per pair, :func:`nominal_alpha`
  over the coder-by-unit matrix).
- :func:`nominal_alpha`: Krippendorff's alpha by the ``krippendorff`` package itself, from
  the reliability-data matrix.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import krippendorff
import numpy as np

from newscorpus.agreement.coefficients import cohen_kappa, exact_matches, f1, overlap_matches
from newscorpus.agreement.figures import (
    AgreementReport,
    CategoricalAgreement,
    LabelAlpha,
    PairF1,
    PairKappa,
    SpanLabelF1,
    SpanLayerAgreement,
    submitted_by_annotator,
)
from newscorpus.core.models import Annotation, ArticleRecord
from newscorpus.core.scheme import Layer, Scheme


def nominal_alpha(data: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha (nominal) of ``data[c][u]`` (None: missing) by ``krippendorff.alpha``;
    None when no unit is pairable or the pairable values do not vary."""
    if not data or not any(len(row) for row in data):
        return None
    values = sorted({v for row in data for v in row if v is not None}, key=repr)
    code = {v: i for i, v in enumerate(values)}
    matrix = np.array(
        [[np.nan if v is None else float(code[v]) for v in row] for row in data], dtype=float
    ).reshape(len(data), -1)
    pairable = (~np.isnan(matrix)).sum(axis=0) >= 2
    coded = matrix[:, pairable]
    if np.unique(coded[~np.isnan(coded)]).size < 2:
        return None
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


# --------------------------------------------------------------------------- spans


class _Counts:
    __slots__ = ("exact", "overlap", "spans")

    def __init__(self) -> None:
        self.exact = self.overlap = self.spans = 0

    def add(self, exact: int, overlap: int, spans: int) -> None:
        self.exact += exact
        self.overlap += overlap
        self.spans += spans

    def figure(self, label: str) -> SpanLabelF1:
        return SpanLabelF1(label, f1(self.exact, self.spans), f1(self.overlap, self.spans), self.exact, self.overlap, self.spans)


def _layer_spans(ann: Annotation, layer: str) -> dict[str, list[tuple[int, int, str]]]:
    by_label: dict[str, set[tuple[int, int, str]]] = {}
    for s in ann.spans:
        if s.layer == layer:
            by_label.setdefault(s.label, set()).add((s.start, s.end, s.label))
    return {label: sorted(spans) for label, spans in by_label.items()}


def _span_layer(layer: Layer, coded: list[dict[str, Annotation]], overall: _Counts) -> SpanLayerAgreement:
    per_label = {name: _Counts() for name in layer.label_names}
    micro = _Counts()
    pair_counts: dict[tuple[str, str], _Counts] = {}
    pair_articles: dict[tuple[str, str], int] = {}
    for anns in coded:
        spans = {name: _layer_spans(ann, layer.name) for name, ann in anns.items()}
        for pair in combinations(anns, 2):
            a, b = (spans[name] for name in pair)
            pair_articles[pair] = pair_articles.get(pair, 0) + 1
            counts_of_pair = pair_counts.setdefault(pair, _Counts())
            for label in sorted(a.keys() | b.keys()):
                la, lb = a.get(label, []), b.get(label, [])
                counts = (exact_matches(set(la), set(lb)), overlap_matches(la, lb), len(la) + len(lb))
                for c in (per_label.setdefault(label, _Counts()), micro, overall, counts_of_pair):
                    c.add(*counts)
    pairs = []
    for pair in sorted(pair_counts):
        fig = pair_counts[pair].figure("")
        pairs.append(PairF1(pair, pair_articles[pair], fig.exact_f1, fig.overlap_f1))
    return SpanLayerAgreement(
        layer=layer.name,
        micro=micro.figure("micro"),
        labels=[c.figure(name) for name, c in per_label.items()],
        pairs=pairs,
    )


# ------------------------------------------------------------------ categorical layers


@dataclass(frozen=True)
class _Unit:
    """One coded unit: annotator -> value (absent = missing). ``label`` is the label of a
    multi-label layer's binary unit (values are then booleans), else None."""

    votes: dict[str, object]
    label: str | None = None


def _categorical(layer: Layer, units: list[_Unit]) -> CategoricalAgreement:
    coders = sorted({name for u in units for name in u.votes})
    data = [[u.votes.get(c) for u in units] for c in coders]
    pairs = []
    for a, b in combinations(coders, 2):
        both = [u for u in units if a in u.votes and b in u.votes]
        kappa = cohen_kappa([u.votes[a] for u in both], [u.votes[b] for u in both]) if both else None
        pairs.append(PairKappa((a, b), len(both), kappa))
    labels = []
    by_label: dict[str | None, list[_Unit]] = {}
    for u in units:
        by_label.setdefault(u.label, []).append(u)
    for label in layer.label_names:
        if layer.cardinality == "single":
            binary = [[None if v is None else v == label for v in row] for row in data]
            used = sum(v == label for row in data for v in row)
        else:
            binary = [[u.votes.get(c) for u in by_label.get(label, [])] for c in coders]
            used = sum(v is True for row in binary for v in row)
        labels.append(LabelAlpha(label, nominal_alpha(binary), used))
    pairable = [u for u in units if len(u.votes) >= 2]
    return CategoricalAgreement(
        layer=layer.name,
        level=layer.level,
        cardinality=layer.cardinality,
        alpha=nominal_alpha(data),
        kappa=pairs[0].kappa if len(coders) == 2 else None,
        units=len(pairable),
        values=sum(len(u.votes) for u in pairable),
        annotators=len(coders),
        labels=labels,
        pairs=pairs,
    )


def _sentence_units(layer: Layer, record: ArticleRecord, anns: dict[str, Annotation]) -> list[_Unit]:
    units = [_Unit({}) for _ in record.sentences]
    index = {s.id: i for i, s in enumerate(record.sentences)}
    for name, ann in anns.items():
        for sl in ann.sentence_labels:
            if sl.layer == layer.name and sl.sentence in index:
                units[index[sl.sentence]].votes[name] = sl.label
    return units


def _article_units(layer: Layer, anns: dict[str, Annotation]) -> list[_Unit]:
    coded = {name: a.article_labels[layer.name] for name, a in anns.items() if a.article_labels.get(layer.name)}
    if layer.cardinality == "single":
        # A single-label layer holds one label; should it hold several, their join is one value.
        return [_Unit({name: "+".join(labels) for name, labels in coded.items()})]
    return [_Unit({name: label in labels for name, labels in coded.items()}, label) for label in layer.label_names]


def corpus_agreement(
    records: Iterable[ArticleRecord], *, scheme: Scheme, exclude: Iterable[str] = ()
) -> AgreementReport:
    """The agreement figures of ``records`` as they were computed with every record in
    memory (the shipped :func:`newscorpus.agreement.figures.corpus_agreement` streams)."""
    skip = sorted(set(exclude))
    records = list(records)
    coded = [submitted_by_annotator(r, exclude=skip) for r in records]
    overall = _Counts()
    span_layers = [_span_layer(layer, coded, overall) for layer in scheme.span_layers]
    sentence_layers = [
        _categorical(layer, [u for r, anns in zip(records, coded) for u in _sentence_units(layer, r, anns)])
        for layer in scheme.sentence_layers
    ]
    article_layers = [
        _categorical(layer, [u for anns in coded for u in _article_units(layer, anns)]) for layer in scheme.article_layers
    ]
    multi = sum(len(anns) >= 2 for anns in coded)
    notes = []
    if multi == 0:
        notes.append("no article has two or more annotators: there is no agreement to measure")
    return AgreementReport(
        articles=len(records),
        articles_with_multiple_annotators=multi,
        annotators=sorted({name for anns in coded for name in anns}),
        excluded=skip,
        span_overall=overall.figure("micro"),
        span_layers=span_layers,
        sentence_layers=sentence_layers,
        article_layers=article_layers,
        notes=notes,
    )
