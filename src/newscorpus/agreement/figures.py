"""Inter-annotator agreement over article records, per level, layer and label.

Only ``submitted`` annotations count (cancelled ones and drafts never do); when one
annotator submitted several annotations of the same article, the latest one counts
(:func:`submitted_by_annotator`). Figures (``docs/agreement.md`` explains how to read them):

- span layers: pairwise F1 between every two annotators of an article, exact match (same
  start, end, label) and overlap match (same label, overlapping offsets, one-to-one), per
  label and micro-averaged per layer and over all span layers;
- single-label sentence and article layers (``discourse_role``, ``genre``): Krippendorff's
  alpha (nominal) over all annotators with missing values, Cohen's kappa per pair of
  annotators (the headline ``kappa`` when there are exactly two), and per label a one-vs-rest
  binary alpha;
- multi-label layers (``frames``): per label, alpha over the binary decision "has this
  label" per article; the layer figure pools every (article, label) unit. An annotator who
  chose no label of the layer at all counts as missing for it, not as "none apply".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import combinations

from newscorpus.agreement.coefficients import cohen_kappa, exact_matches, f1, nominal_alpha, overlap_matches
from newscorpus.core.models import Annotation, ArticleRecord
from newscorpus.core.scheme import Layer, Scheme

__all__ = [
    "submitted_by_annotator",
    "articles_with_multiple_annotators",
    "corpus_agreement",
    "AgreementReport",
    "SpanLabelF1",
    "PairF1",
    "SpanLayerAgreement",
    "LabelAlpha",
    "PairKappa",
    "CategoricalAgreement",
]


def submitted_by_annotator(record: ArticleRecord, *, exclude: Iterable[str] = ()) -> dict[str, Annotation]:
    """The submitted annotations of ``record``, one per annotator (the latest by
    ``updated_at``, then ``created_at``, then tool annotation id), keyed by annotator id in
    sorted order. Annotators in ``exclude`` are left out."""
    skip = set(exclude)
    best: dict[str, Annotation] = {}

    def rank(ann: Annotation) -> tuple:
        stamp = ann.updated_at or ann.created_at
        return (stamp is not None, stamp.isoformat() if stamp else "", ann.origin.annotation or -1, ann.id)

    for ann in record.annotations:
        if ann.status != "submitted" or ann.annotator in skip:
            continue
        if ann.annotator not in best or rank(ann) > rank(best[ann.annotator]):
            best[ann.annotator] = ann
    return {name: best[name] for name in sorted(best)}


def articles_with_multiple_annotators(records: Iterable[ArticleRecord]) -> int:
    """How many articles have submitted annotations by two or more distinct annotators."""
    return sum(len(submitted_by_annotator(r)) >= 2 for r in records)


@dataclass(frozen=True)
class SpanLabelF1:
    """Pairwise F1 of one span label (or ``label="micro"`` for a whole layer): matched span
    pairs (exact, overlap) and ``spans`` = the sum of both annotators' span counts over all
    annotator pairs of all articles."""

    label: str
    exact_f1: float | None
    overlap_f1: float | None
    exact_matched: int
    overlap_matched: int
    spans: int


@dataclass(frozen=True)
class PairF1:
    """Micro F1 of one pair of annotators over the articles both submitted."""

    annotators: tuple[str, str]
    articles: int
    exact_f1: float | None
    overlap_f1: float | None


@dataclass(frozen=True)
class SpanLayerAgreement:
    """F1 figures of one span layer: micro over its labels, per label (scheme order), per pair."""

    layer: str
    micro: SpanLabelF1
    labels: list[SpanLabelF1]
    pairs: list[PairF1]


@dataclass(frozen=True)
class LabelAlpha:
    """Binary alpha of one label ("has this label" vs not) and how often coders used it."""

    label: str
    alpha: float | None
    used: int


@dataclass(frozen=True)
class PairKappa:
    """Cohen's kappa of one pair of annotators over the units both coded."""

    annotators: tuple[str, str]
    units: int
    kappa: float | None


@dataclass(frozen=True)
class CategoricalAgreement:
    """Agreement of a sentence or article layer. ``units`` counts pairable units (coded by
    two or more annotators), ``values`` the values in them; ``kappa`` is set only when the
    layer has exactly two annotators (otherwise see ``pairs``)."""

    layer: str
    level: str
    cardinality: str
    alpha: float | None
    kappa: float | None
    units: int
    values: int
    annotators: int
    labels: list[LabelAlpha]
    pairs: list[PairKappa]


@dataclass(frozen=True)
class AgreementReport:
    """Agreement of a corpus: counts, then one entry per layer in scheme order."""

    articles: int
    articles_with_multiple_annotators: int
    annotators: list[str]
    excluded: list[str]
    span_overall: SpanLabelF1
    span_layers: list[SpanLayerAgreement]
    sentence_layers: list[CategoricalAgreement]
    article_layers: list[CategoricalAgreement]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """A JSON-ready dict (tuples become lists; undefined figures are ``null``)."""
        return asdict(self)


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
    """Agreement figures of ``records`` for every layer of ``scheme``.

    Only submitted annotations count, one per annotator and article (the latest);
    annotators in ``exclude`` (for example the adjudicator) are left out. Spans are
    compared within each span layer; sentence layers take one unit per sentence of every
    article; single article layers one unit per article; multi-label article layers one
    binary unit per article and label. Figures that cannot be computed (no pairable unit,
    no variation) are ``None``. Raises nothing on valid records.
    """
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
