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

The corpus is read once, one article at a time: :class:`AgreementTally` keeps only counts
(:mod:`~newscorpus.agreement.span_tally`, :mod:`~newscorpus.agreement.category_tally`), so
memory does not grow with the number of articles, and tallies of parts of a corpus merge
into the tally of the whole (:mod:`newscorpus.agreement.corpus` reads a folder with a
process pool that way). The figures are those of the whole corpus at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from newscorpus.agreement.category_tally import CategoryTally
from newscorpus.agreement.results import (
    AgreementReport,
    CategoricalAgreement,
    LabelAlpha,
    PairF1,
    PairKappa,
    SpanLabelF1,
    SpanLayerAgreement,
)
from newscorpus.agreement.span_tally import SpanLayerTally, span_figure
from newscorpus.core.models import Annotation, ArticleRecord
from newscorpus.core.scheme import Scheme

__all__ = [
    "submitted_by_annotator",
    "articles_with_multiple_annotators",
    "corpus_agreement",
    "AgreementTally",
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


class AgreementTally:
    """The running counts of a corpus's agreement under ``scheme``, one article at a time
    (:meth:`add`), and the figures of all articles added (:meth:`report`). Annotators in
    ``exclude`` are left out, and so is, in each article, the adjudicator its adjudicated
    gold names (``gold.decided_by``). Tallies of the same scheme and ``exclude`` over different
    articles merge (:meth:`merge`); the figures do not depend on how the corpus was cut.
    Holds counts only: its size does not grow with the number of articles."""

    def __init__(self, scheme: Scheme, *, exclude: Iterable[str] = ()) -> None:
        self.excluded = sorted(set(exclude))
        self.articles = 0
        self.multiple = 0  # articles with two or more annotators
        self.annotators: set[str] = set()  # who submitted (and is not excluded)
        self.known: set[str] = set()  # who has any annotation, of any status
        self.span_layers = [SpanLayerTally(layer) for layer in scheme.span_layers]
        self.sentence_layers = [CategoryTally(layer) for layer in scheme.sentence_layers]
        self.article_layers = [CategoryTally(layer) for layer in scheme.article_layers]

    def add(self, record: ArticleRecord) -> None:
        """Add one article: its submitted annotations, one per annotator (the latest)."""
        self.known.update(a.annotator for a in record.annotations)
        gold = record.gold
        adjudicator = [gold.decided_by] if gold is not None and gold.method == "adjudicated" and gold.decided_by else []
        anns = submitted_by_annotator(record, exclude=[*self.excluded, *adjudicator])
        self.articles += 1
        self.multiple += len(anns) >= 2
        self.annotators.update(anns)
        for span_layer in self.span_layers:
            span_layer.add(anns)
        for layer in (*self.sentence_layers, *self.article_layers):
            layer.add(record, anns)

    def merge(self, other: AgreementTally) -> None:
        """Add the counts of ``other`` (a tally of other articles, coming after these)."""
        self.articles += other.articles
        self.multiple += other.multiple
        self.annotators |= other.annotators
        self.known |= other.known
        for mine, theirs in zip((*self.span_layers, *self.sentence_layers, *self.article_layers),
                                (*other.span_layers, *other.sentence_layers, *other.article_layers)):
            mine.merge(theirs)  # type: ignore[arg-type]

    def report(self) -> AgreementReport:
        """The figures of every article added (see :func:`corpus_agreement`)."""
        overall = [0, 0, 0]
        for layer in self.span_layers:
            overall = [a + b for a, b in zip(overall, layer.micro)]
        notes = []
        if self.multiple == 0:
            notes.append("no article has two or more annotators: there is no agreement to measure")
        return AgreementReport(
            articles=self.articles,
            articles_with_multiple_annotators=self.multiple,
            annotators=sorted(self.annotators),
            excluded=list(self.excluded),
            span_overall=span_figure("micro", overall),
            span_layers=[layer.result() for layer in self.span_layers],
            sentence_layers=[layer.result() for layer in self.sentence_layers],
            article_layers=[layer.result() for layer in self.article_layers],
            notes=notes,
        )


def corpus_agreement(
    records: Iterable[ArticleRecord], *, scheme: Scheme, exclude: Iterable[str] = ()
) -> AgreementReport:
    """Agreement figures of ``records`` for every layer of ``scheme``.

    Only submitted annotations count, one per annotator and article (the latest);
    annotators in ``exclude`` are left out, and so is, in each record, the adjudicator an
    adjudicated gold names (``gold.decided_by``). Spans are
    compared within each span layer; sentence layers take one unit per sentence of every
    article; single article layers one unit per article; multi-label article layers one
    binary unit per article and label. Figures that cannot be computed (no pairable unit,
    no variation) are ``None``. ``records`` is read once, one at a time (any iterable: a
    generator keeps one record in memory). Raises nothing on valid records.
    """
    tally = AgreementTally(scheme, exclude=exclude)
    for record in records:
        tally.add(record)
    return tally.report()
