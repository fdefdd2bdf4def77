"""The figures of an agreement run: what :func:`newscorpus.agreement.figures.corpus_agreement`
returns (``docs/agreement.md`` explains how to read them). Plain frozen dataclasses; an
undefined figure is ``None``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["AgreementReport", "SpanLabelF1", "PairF1", "SpanLayerAgreement", "LabelAlpha", "PairKappa", "CategoricalAgreement"]


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
