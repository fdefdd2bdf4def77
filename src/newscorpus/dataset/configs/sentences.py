"""The ``sentences`` config: one row per sentence."""

from __future__ import annotations

from newscorpus.core.scheme import Scheme
from newscorpus.dataset.arrow import Columns
from newscorpus.dataset.article import Article
from newscorpus.dataset.columns import (
    OFFSET, SPAN_PIECES, STRING, add_sentence_values, add_spans, layers_text, sentence_label_features, span_feature,
)
from newscorpus.dataset.configs.base import DatasetConfig
from newscorpus.dataset.features import Feature, List

__all__ = ["SentencesConfig"]


class SentencesConfig(DatasetConfig):
    """One row per sentence of every article with decided gold: its text and offsets in the
    article, its gold sentence labels (one column per sentence layer), and the gold spans
    inside it whole, in offsets relative to the sentence start."""

    name = "sentences"
    description = "one row per sentence of an article with gold: its text and offsets, its discourse role, the gold spans inside it in sentence-relative offsets"
    gold_only = True
    text_hint = "a sentence's text is `text[start:end]` and its spans are relative to `start`"
    pieces = SPAN_PIECES
    docs = {
        "id": "`<article id>/<sentence id>`.",
        "text": "The sentence, `text[start:end]` of the article; null when withheld for rights reasons.",
        "start": "Start offset in the article (code points, inclusive).",
        "end": "End offset in the article (code points, exclusive).",
        "spans": "Gold spans inside the sentence, offsets relative to the sentence start.",
    }

    def card_task(self, scheme: Scheme) -> str | None:
        """Sentence classification by the sentence layers, when the scheme has any."""
        layers = scheme.sentence_layers
        return f"Sentence classification: {layers_text(layers)} in the `sentences` config." if layers else None

    def features(self, scheme: Scheme) -> dict[str, Feature]:
        return {
            "id": STRING,
            "article_id": STRING,
            "sentence_id": STRING,
            "text": STRING,
            "start": OFFSET,
            "end": OFFSET,
            **sentence_label_features(scheme),
            "spans": List(span_feature(scheme)),
        }

    def add_rows(self, article: Article, out: Columns) -> None:
        n, text, starts = article.n, article.text, article.starts
        c = out.columns
        c["id"] += article.sentence_row_ids
        c["article_id"] += [article.id] * n
        c["sentence_id"] += article.sids
        c["text"] += [text[a:b] for a, b in zip(starts, article.ends)] if article.with_text else [None] * n
        c["start"] += starts
        c["end"] += article.ends
        add_sentence_values(c, article.index, article.sids, article.sentence_labels)
        add_spans(c["spans"], article.by_sentence, article.index, article.utf8, shifts=starts)
        out.num_rows += n
