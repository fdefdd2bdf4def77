"""The ``articles`` config (the default): one row per article."""

from __future__ import annotations

from typing import Any

from newscorpus.core.scheme import Scheme
from newscorpus.dataset.arrow import Columns
from newscorpus.dataset.article import Article
from newscorpus.dataset.columns import (
    OFFSET, SPAN_PIECES, STRING, add_article_labels, add_relations, add_sentence_values, add_spans, article_label_features,
    layers_text, relation_feature, sentence_label_features, span_feature,
)
from newscorpus.dataset.configs.base import DatasetConfig
from newscorpus.dataset.features import Feature, List, Value

__all__ = ["ArticlesConfig"]

_META = ("title", "publisher", "url", "published", "language", "license", "redistributable")


class ArticlesConfig(DatasetConfig):
    """One row per article: ``id``, ``text``, metadata, ``sentences`` (with their gold
    sentence labels), gold ``spans`` and ``relations``, gold article labels (one column per
    article layer), ``gold_status``, ``gold_method`` and ``num_annotations``. Every article
    is here, with or without gold, and every gold span, also one crossing a sentence
    boundary (which the per-sentence configs leave out)."""

    name = "articles"
    description = "one row per article: text, metadata, sentences, gold spans and relations, article labels (default config)"
    text_hint = None  # the card's example code fills this config's text
    example_note = " (long values cut, labels as ClassLabel indices)"
    pieces = SPAN_PIECES
    docs = {
        "id": "Article id (the seed file's stem).",
        "text": "Text (canonical: UTF-8, LF, NFC); null when withheld for rights reasons.",
        "text_sha256": "SHA-256 of the UTF-8 bytes of the article's canonical text.",
        "title": "Headline.",
        "publisher": "Publisher of the article.",
        "url": "Canonical address of the article, or null.",
        "published": "Publication date.",
        "language": "BCP-47 language tag of the article.",
        "license": "SPDX id (or LicenseRef) of the article text's licence.",
        "redistributable": "Whether the article text may be redistributed.",
        "sentences": "Sentences: id, offsets in the article, sentence labels.",
        "spans": "Gold spans: id, layer, label, offsets, text (null when the text is withheld).",
        "relations": "Gold relations between span ids (head -> tail).",
        "gold_status": (
            "`decided` (the record has gold: the only articles with rows in the per-sentence and quotation configs), `undecided` "
            "(no gold, at least one submitted annotation) or `unannotated` (no gold, no submitted annotation: none, "
            "or only drafts or cancelled ones)."
        ),
        "gold_method": "How gold was decided: single, majority, adjudicated or ground_truth; null without gold.",
        "num_annotations": "Number of raw annotations of the article (see the `annotations` config).",
    }

    def card_task(self, scheme: Scheme) -> str | None:
        """Article classification by the article layers, when the scheme has any."""
        layers = scheme.article_layers
        return f"Article classification: {layers_text(layers)} in the `articles` config." if layers else None

    def features(self, scheme: Scheme) -> dict[str, Feature]:
        return {
            "id": STRING,
            "text": STRING,
            "text_sha256": STRING,
            "title": STRING,
            "publisher": STRING,
            "url": STRING,
            "published": Value("date32"),
            "language": STRING,
            "license": STRING,
            "redistributable": Value("bool"),
            "sentences": List({"id": STRING, "start": OFFSET, "end": OFFSET, **sentence_label_features(scheme)}),
            "spans": List(span_feature(scheme)),
            "relations": List(relation_feature(scheme)),
            **article_label_features(scheme),
            "gold_status": STRING,
            "gold_method": STRING,
            "num_annotations": Value("int32"),
        }

    def add_rows(self, article: Article, out: Columns) -> None:
        index, gold, meta = article.index, article.gold, article.meta
        c = out.columns
        c["id"].append(article.id)
        c["text"].append(article.text if article.with_text else None)
        c["text_sha256"].append(article.rec["text_sha256"])
        for key in _META:
            c[key].append(meta[key])
        sc = c["sentences"]
        sc.lengths.append(article.n)
        sc.values["id"] += article.sids
        sc.values["start"] += article.starts
        sc.values["end"] += article.ends
        add_sentence_values(sc.values, index, article.sids, article.sentence_labels)
        add_spans(c["spans"], [article.spans], index, article.utf8)
        add_relations(c["relations"], [article.relations], index)
        add_article_labels(c, index, gold.get("article_labels", {}) if gold else {})
        c["gold_status"].append(article.gold_status)
        c["gold_method"].append(gold["method"] if gold else None)
        c["num_annotations"].append(len(article.annotations))
        out.num_rows += 1

    def card_example(self, row: dict[str, Any]) -> dict[str, Any]:
        """The row with the text cut at 120 characters, lists at two items, the date in ISO form."""
        art = dict(row)
        if art["text"] is not None and len(art["text"]) > 120:
            art["text"] = art["text"][:120] + "…"
        for key in ("sentences", "spans", "relations"):
            if len(art[key]) > 2:
                art[key] = art[key][:2] + [f"… {len(art[key]) - 2} more"]
        art["published"] = art["published"].isoformat()
        return art
