"""One article of a build after its gate: the record's rows, split and card summary.

A build reads each record, passes it through the gate (:mod:`newscorpus.dataset.gate`:
``validate_record``), then makes what :func:`article_rows` makes of it: the crossing check
(an entity across a sentence boundary is refused), its split, whether its text goes in,
its rows of the configs asked for, and what the card counts of it. Nothing here imports
the validator or spaCy (spaCy is imported by the ``ner`` rows' tokenizer on first use): a
build on two cores runs this in its main process for the configs other than those of
:data:`newscorpus.dataset.gate.WORKER_CONFIGS`, without either (docs/design.md, Dataset).
"""

from __future__ import annotations

from typing import NamedTuple

from newscorpus.core.scheme import Scheme
from newscorpus.dataset.arrow import Columns
from newscorpus.dataset.article import plain_record
from newscorpus.dataset.card.stats import ArticleSummary, article_summary
from newscorpus.dataset.configs import add_article_rows
from newscorpus.dataset.crossing import crossing_error, crossing_spans
from newscorpus.dataset.splits import SplitRatios, assign_split

__all__ = ["BuildOptions", "Outcome", "article_rows", "failed_outcome"]


class BuildOptions(NamedTuple):
    """What a build's options change in an article's rows (picklable: a worker gets them)."""

    scheme: Scheme
    ratios: SplitRatios
    public: bool
    include_restricted_text: bool


class Outcome(NamedTuple):
    """What the build keeps of one article: its id; the error that refuses it (message and
    the fields of its :class:`~newscorpus.errors.BuildError`, raised by the build after its
    duplicate-id check) or None; and, when it is not refused, its split, whether its text is
    included, its card summary and its gold spans crossing a sentence boundary
    (``(article id, span id)`` pairs)."""

    article_id: str
    failed: tuple[str, dict] | None
    split: str | None = None
    with_text: bool | None = None
    summary: ArticleSummary | None = None
    crossed: list[tuple[str, str]] | None = None


def failed_outcome(article_id: str, failed: tuple[str, dict]) -> Outcome:
    """The outcome of an article refused with ``failed`` (message, error fields)."""
    return Outcome(article_id, failed)


def article_rows(path: str, data: dict, options: BuildOptions, pending: dict[str, dict[str, Columns]], *,
                 summary: bool = True) -> Outcome:
    """The outcome of the record ``data`` read from ``path``, which passed the gate; its rows
    are added to ``pending[split]`` (config name -> batch: the configs this process makes).
    An entity of a non-overlapping layer that crosses a sentence boundary refuses the
    article (``entity-crosses-sentence``, :func:`newscorpus.dataset.crossing.crossing_error`);
    a span of an overlapping layer that crosses one is counted (``crossed``). Raises what
    :func:`~newscorpus.dataset.article.plain_record` raises for a record it cannot read.
    ``summary=False`` leaves out the card summary (None), for a process that does not
    count the articles."""
    scheme = options.scheme
    rec = plain_record(data)
    crossing = crossing_spans(rec)
    if crossing:
        flat = {layer.name for layer in scheme.span_layers if not layer.overlap}
        entities = [c for c in crossing if c.layer in flat]
        if entities:  # an entity cut by a boundary would be O in `ner`: never published
            return failed_outcome(rec["id"], crossing_error(rec["id"], path, entities))
    meta = rec["meta"]
    split = assign_split(rec["id"], ratios=options.ratios, override=meta.get("split"))
    # the text goes in for a local build; for a public one only if redistributable or asked for
    with_text = not options.public or meta["redistributable"] or options.include_restricted_text
    add_article_rows(rec, scheme=scheme, with_text=with_text, out=pending[split])
    return Outcome(rec["id"], None, split, with_text, article_summary(rec) if summary else None,
                   [(rec["id"], c.span_id) for c in crossing])
