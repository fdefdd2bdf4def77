"""Running statistics for the dataset card, filled article by article.

The card (:mod:`newscorpus.dataset.card.render`, :mod:`newscorpus.dataset.card.sections`,
:mod:`newscorpus.dataset.card.structure`) needs counts over the whole release (labels, statuses,
methods, publishers, languages, dates) and one licensing line per article, never the
records themselves. :func:`article_summary` reduces one record (as plain dicts) to a small picklable
:class:`ArticleSummary` (a few hundred bytes plus its label names), and
:meth:`CardStats.add` folds it into running counters, so a build keeps memory bounded
whatever the number of articles (the licensing table, one short tuple per article, is the
only part that grows with it, as the card itself does).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from dataclasses import dataclass, field

from newscorpus.dataset.article import gold_status

__all__ = ["ArticleSummary", "CardStats", "article_summary"]


@dataclass(frozen=True)
class ArticleSummary:
    """What the card needs of one article: metadata, counts, and its gold label names as
    ``(layer, label)`` pairs (span, sentence and article layers) and relation labels."""

    id: str
    title: str | None
    publisher: str
    license: str
    redistributable: bool
    language: str
    published: dt.date
    segmenter: str
    n_sentences: int
    gold_status: str  # newscorpus.dataset.article.gold_status
    gold_method: str | None
    span_labels: tuple[tuple[str, str], ...]
    sentence_labels: tuple[tuple[str, str], ...]
    article_labels: tuple[tuple[str, str], ...]
    relation_labels: tuple[str, ...]
    #: (tool, tool version or None, status, annotator, lead time in seconds or None) per annotation
    annotations: tuple[tuple[str, str | None, str, str, float | None], ...]


def article_summary(rec: dict) -> ArticleSummary:
    """The :class:`ArticleSummary` of a record given as plain dicts
    (:func:`newscorpus.dataset.article.plain_record`)."""
    gold = rec.get("gold")
    meta = rec["meta"]
    segmenter = rec["segmenter"]
    return ArticleSummary(
        id=rec["id"],
        title=meta["title"],
        publisher=sys.intern(meta["publisher"]),  # kept per article (licensing): one copy per publisher
        license=sys.intern(meta["license"]),
        redistributable=meta["redistributable"],
        language=meta["language"],
        published=meta["published"],
        segmenter=f"{segmenter['name']} {segmenter['version']}",
        n_sentences=len(rec["sentences"]),
        gold_status=gold_status(rec),
        gold_method=gold["method"] if gold else None,
        span_labels=tuple((s["layer"], s["label"]) for s in gold.get("spans", ())) if gold else (),
        sentence_labels=tuple((sl["layer"], sl["label"]) for sl in gold.get("sentence_labels", ())) if gold else (),
        article_labels=tuple((name, lab) for name, labs in gold.get("article_labels", {}).items() for lab in labs) if gold else (),
        relation_labels=tuple(r["label"] for r in gold.get("relations", ())) if gold else (),
        annotations=tuple(
            (a["origin"]["tool"], a["origin"].get("version"), a["status"], a["annotator"], a.get("lead_time"))
            for a in rec.get("annotations", ())
        ),
    )


@dataclass
class CardStats:
    """Counters over the articles added so far (in build order); see the module docstring."""

    n: int = 0
    n_sentences: int = 0
    n_spans: int = 0
    gold: int = 0
    single: int = 0
    languages: Counter = field(default_factory=Counter)
    publishers: Counter = field(default_factory=Counter)
    methods: Counter = field(default_factory=Counter)
    status: Counter = field(default_factory=Counter)
    span_labels: Counter = field(default_factory=Counter)  # (layer, label) -> gold spans
    sentence_labels: Counter = field(default_factory=Counter)  # (layer, label) -> gold sentences
    article_labels: Counter = field(default_factory=Counter)  # (layer, label) -> gold articles
    relation_labels: Counter = field(default_factory=Counter)
    gold_statuses: Counter = field(default_factory=Counter)  # (split, gold status) -> articles
    origins: Counter = field(default_factory=Counter)  # (tool, version or None) -> annotations
    licences: Counter = field(default_factory=Counter)  # text licence -> articles
    restricted: Counter = field(default_factory=Counter)  # text licence -> articles not redistributable
    timed: int = 0  # annotations whose lead time was measured (not null)
    lead_time: float = 0.0  # their lead times, summed (seconds)
    segmenters: set = field(default_factory=set)
    annotators: set = field(default_factory=set)
    n_annotations: int = 0
    annotated: int = 0  # articles with a submitted annotation
    multi: int = 0  # articles with submitted annotations by two or more annotators
    first_published: dt.date | None = None
    last_published: dt.date | None = None
    first_id: str | None = None
    #: (id, title, publisher, licence, redistributable) per article, in build order.
    licensing: list[tuple[str, str | None, str, str, bool]] = field(default_factory=list)
    #: The first row of each config the card shows an example of, from the first article
    #: that has rows in it (config name -> row, as ``pa.Table.to_pylist`` gives it).
    example: dict[str, dict] = field(default_factory=dict)

    def add(self, summary: ArticleSummary, split: str) -> None:
        """Fold one article in; ``split`` is the split it is in."""
        s = summary
        if self.first_id is None:
            self.first_id = s.id
        self.n += 1
        self.gold_statuses[split, s.gold_status] += 1
        self.n_sentences += s.n_sentences
        self.languages[s.language] += 1
        self.publishers[s.publisher] += 1
        self.segmenters.add(s.segmenter)
        if s.gold_method is not None:
            self.gold += 1
            self.single += s.gold_method == "single"
            self.methods[s.gold_method] += 1
            self.n_spans += len(s.span_labels)
            self.span_labels.update(s.span_labels)
            self.sentence_labels.update(s.sentence_labels)
            self.article_labels.update(s.article_labels)
            self.relation_labels.update(s.relation_labels)
        self.n_annotations += len(s.annotations)
        submitters = set()
        self.licences[s.license] += 1
        if not s.redistributable:
            self.restricted[s.license] += 1
        for tool, version, status, annotator, lead_time in s.annotations:
            self.origins[tool, version] += 1
            if lead_time is not None:
                self.timed += 1
                self.lead_time += lead_time
            self.status[status] += 1
            self.annotators.add(annotator)
            if status == "submitted":
                submitters.add(annotator)
        self.annotated += bool(submitters)
        self.multi += len(submitters) >= 2
        if self.first_published is None or s.published < self.first_published:
            self.first_published = s.published
        if self.last_published is None or s.published > self.last_published:
            self.last_published = s.published
        self.licensing.append((s.id, s.title, s.publisher, s.license, s.redistributable))
