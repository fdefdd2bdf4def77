"""The ``annotations`` config: one row per raw annotation, every annotator's work as made."""

from __future__ import annotations

from newscorpus.core.scheme import Scheme
from newscorpus.dataset.arrow import Columns
from newscorpus.dataset.article import Article
from newscorpus.dataset.columns import (
    SPAN_PIECES, STRING, add_article_labels, add_relations, add_sentence_values, add_spans, article_label_features,
    group_sentence_labels, relation_feature, sentence_label_features, span_feature,
)
from newscorpus.dataset.configs.base import DatasetConfig
from newscorpus.dataset.features import ClassLabel, Feature, List, Value

__all__ = ["AnnotationsConfig", "STATUSES"]

#: The annotation statuses, in ``ClassLabel`` order.
STATUSES = ("submitted", "cancelled", "draft")
_STATUS = {name: i for i, name in enumerate(STATUSES)}


class AnnotationsConfig(DatasetConfig):
    """One row per annotation of every article, gold or not: who made it (a pseudonymous
    id), with which tool, when, its status, whether gold was derived from it, its note, and
    its labels, spans (each with its note) and relations as the annotator left them (span
    text null when the text is withheld; notes are the annotator's own words and stay)."""

    name = "annotations"
    description = "one row per raw annotation: every annotator's work as made, pseudonymous"
    pieces = SPAN_PIECES
    docs = {
        "id": "`<article id>/<annotation id>`.",
        "annotation_id": "Id of the annotation within the article record.",
        "annotator": "Pseudonymous annotator id (e.g. `ls-3` for Label Studio user 3).",
        "status": "submitted, cancelled or draft.",
        "ground_truth": "Whether the annotation tool marked it as ground truth.",
        "in_gold": "Whether gold was derived from this annotation.",
        "tool": "Annotation tool.",
        "tool_version": "Version of the annotation tool, when known.",
        "project": "Project id in the tool.",
        "task": "Task id in the tool.",
        "tool_annotation_id": "Annotation id in the tool.",
        "created_at": "When the annotation was created (UTC).",
        "updated_at": "When the annotation was last updated (UTC).",
        "lead_time": "Seconds the annotator spent, when known.",
        "note": "The annotator's free-text remark on the annotation (a doubt, a question for the adjudicator), or null.",
        "sentence_labels": "The annotator's sentence labels by sentence id.",
        "spans": "The annotator's spans (the struct of `articles` and `note`, the annotator's remark on the span or null; text null when withheld).",
        "relations": "The annotator's relations between its span ids.",
    }

    def features(self, scheme: Scheme) -> dict[str, Feature]:
        return {
            "id": STRING,
            "article_id": STRING,
            "annotation_id": STRING,
            "annotator": STRING,
            "status": ClassLabel(names=STATUSES),
            "ground_truth": Value("bool"),
            "in_gold": Value("bool"),
            "tool": STRING,
            "tool_version": STRING,
            "project": Value("int64"),
            "task": Value("int64"),
            "tool_annotation_id": Value("int64"),
            "created_at": Value("timestamp[us, tz=UTC]"),
            "updated_at": Value("timestamp[us, tz=UTC]"),
            "lead_time": Value("float64"),
            "note": STRING,
            **article_label_features(scheme),
            "sentence_labels": List({"sentence_id": STRING, **sentence_label_features(scheme)}),
            "spans": List(span_feature(scheme, note=True)),
            "relations": List(relation_feature(scheme)),
        }

    def add_rows(self, article: Article, out: Columns) -> None:
        index, gold, rid, n = article.index, article.gold, article.id, article.n
        c = out.columns
        gold_from = set(gold["from_annotations"]) if gold else set()
        order = {sid: i for i, sid in enumerate(article.sids)}
        annotations = article.annotations
        for ann in annotations:
            origin = ann["origin"]
            c["id"].append(f"{rid}/{ann['id']}")
            c["article_id"].append(rid)
            c["annotation_id"].append(ann["id"])
            c["annotator"].append(ann["annotator"])
            c["status"].append(_STATUS[ann["status"]])
            c["ground_truth"].append(ann.get("ground_truth", False))
            c["in_gold"].append(ann["id"] in gold_from)
            c["tool"].append(origin["tool"])
            c["tool_version"].append(origin.get("version"))
            c["project"].append(origin.get("project"))
            c["task"].append(origin.get("task"))
            c["tool_annotation_id"].append(origin.get("annotation"))
            c["created_at"].append(ann.get("created_at"))
            c["updated_at"].append(ann.get("updated_at"))
            c["lead_time"].append(ann.get("lead_time"))
            c["note"].append(ann.get("note"))
            add_article_labels(c, index, ann.get("article_labels", {}))
            grouped = group_sentence_labels(ann.get("sentence_labels", ()))
            labelled = sorted(grouped, key=lambda sid: (order.get(sid, n), sid))
            sl = c["sentence_labels"]
            sl.lengths.append(len(labelled))
            sl.values["sentence_id"] += labelled
            add_sentence_values(sl.values, index, labelled, grouped)
        add_spans(c["spans"], [ann.get("spans", []) for ann in annotations], index, article.utf8)
        add_relations(c["relations"], [ann.get("relations", []) for ann in annotations], index)
        out.num_rows += len(annotations)
