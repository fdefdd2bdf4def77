"""Rows of every Hugging Face config from one article record: pure converters, no I/O.

``record_rows(record, scheme=..., with_text=...)`` returns ``{config: [row, ...]}`` with the
columns of :func:`newscorpus.features.config_features`, labels already encoded as
``ClassLabel`` indices (``-1`` for "no label"). Labels come from ``record.gold``; an article
without gold has empty label lists. With ``with_text=False`` every copy of the article's
text is null (article text, sentence text, span text, tokens, quote and speaker text) while
offsets, labels and ``text_sha256`` remain.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from .features import ner_tag_names
from .models import Annotation, ArticleRecord, Relation, SentenceLabel, Span
from .scheme import Scheme
from .tokens import iob2_offsets, token_offsets

__all__ = ["record_rows", "QUOTE_LABEL", "SPEAKER_RELATION"]

#: The span label whose spans make the rows of the ``quotes`` config.
QUOTE_LABEL = "QUOTE"
#: The relation from a quote to its speaker's mention.
SPEAKER_RELATION = "SPEAKER"


class _Index:
    """Label name -> ClassLabel index tables of one scheme."""

    def __init__(self, scheme: Scheme) -> None:
        self.span = {n: i for i, n in enumerate(scheme.span_labels)}
        self.relation = {n: i for i, n in enumerate(scheme.relation_labels)}
        self.layers = {layer.name: {n: i for i, n in enumerate(layer.label_names)} for layer in scheme.layers}
        self.ner = {n: i for i, n in enumerate(ner_tag_names(scheme))}
        self.flat_layers = {layer.name for layer in scheme.span_layers if not layer.overlap}
        self.article_layers = [(layer.name, layer.cardinality) for layer in scheme.article_layers]
        self.sentence_layers = [(layer.name, layer.cardinality) for layer in scheme.sentence_layers]
        self.cardinality = {layer.name: layer.cardinality for layer in scheme.layers}


_INDEXES: dict[int, tuple[Scheme, _Index]] = {}


def _index(scheme: Scheme) -> _Index:
    """The tables of ``scheme``, built once per scheme object (keyed by identity: hashing a
    scheme model cost more than building the rows of an article's sentence)."""
    hit = _INDEXES.get(id(scheme))
    if hit is None or hit[0] is not scheme:
        hit = _INDEXES[id(scheme)] = (scheme, _Index(scheme))
    return hit[1]


def _span_row(span: Span, index: _Index, with_text: bool, shift: int = 0) -> dict:
    return {
        "id": span.id,
        "layer": span.layer,
        "label": index.span[span.label],
        "start": span.start - shift,
        "end": span.end - shift,
        "text": span.text if with_text else None,
    }


def _relation_row(rel: Relation, index: _Index) -> dict:
    return {"id": rel.id, "label": index.relation[rel.label], "head": rel.head, "tail": rel.tail}


def _layer_value(scheme: Scheme, index: _Index, name: str, labels: Sequence[str]):
    codes = [index.layers[name][lab] for lab in labels]
    if index.cardinality[name] == "multi":
        return codes
    return codes[0] if codes else -1


def _article_labels(scheme: Scheme, index: _Index, labels: dict[str, list[str]]) -> dict:
    return {name: _layer_value(scheme, index, name, labels.get(name, [])) for name, _ in index.article_layers}


def _sentence_labels(scheme: Scheme, index: _Index, labels: Iterable[SentenceLabel]) -> dict[str, dict]:
    """sentence id -> {layer: encoded value} for every sentence layer."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for sl in labels:
        grouped.setdefault(sl.sentence, {}).setdefault(sl.layer, []).append(sl.label)
    return {
        sid: {name: _layer_value(scheme, index, name, by_layer.get(name, [])) for name, _ in index.sentence_layers}
        for sid, by_layer in grouped.items()
    }


def _empty_sentence_labels(index: _Index) -> dict:
    return {name: ([] if cardinality == "multi" else -1) for name, cardinality in index.sentence_layers}


def _annotation_row(record: ArticleRecord, ann: Annotation, scheme: Scheme, index: _Index, with_text: bool) -> dict:
    gold_from = set(record.gold.from_annotations) if record.gold else set()
    per_sentence = _sentence_labels(scheme, index, ann.sentence_labels)
    order = {s.id: i for i, s in enumerate(record.sentences)}
    return {
        "id": f"{record.id}/{ann.id}",
        "article_id": record.id,
        "annotation_id": ann.id,
        "annotator": ann.annotator,
        "status": ["submitted", "cancelled", "draft"].index(ann.status),
        "ground_truth": ann.ground_truth,
        "in_gold": ann.id in gold_from,
        "tool": ann.origin.tool,
        "tool_version": ann.origin.version,
        "project": ann.origin.project,
        "task": ann.origin.task,
        "tool_annotation_id": ann.origin.annotation,
        "created_at": ann.created_at,
        "updated_at": ann.updated_at,
        "lead_time": ann.lead_time,
        **_article_labels(scheme, index, ann.article_labels),
        "sentence_labels": [
            {"sentence_id": sid, **values}
            for sid, values in sorted(per_sentence.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
        ],
        "spans": [_span_row(s, index, with_text) for s in ann.spans],
        "relations": [_relation_row(r, index) for r in ann.relations],
    }


def record_rows(record: ArticleRecord, *, scheme: Scheme, with_text: bool) -> dict[str, list[dict]]:
    """The rows of every config for one article (see the module docstring).

    Spans are in the sentences and ner rows of the sentence that contains them whole; a
    span crossing a sentence boundary is only in the ``articles`` config. The record must be
    valid (:func:`newscorpus.validate.validate_record`; the build refuses any other first):
    labels in the scheme, spans equal to their slice, flat entity layer.
    """
    index = _index(scheme)
    gold = record.gold
    spans = list(gold.spans) if gold else []
    relations = list(gold.relations) if gold else []
    text = record.text
    roles = _sentence_labels(scheme, index, gold.sentence_labels if gold else [])
    empty_roles = _empty_sentence_labels(index)
    meta = record.meta
    article = {
        "id": record.id,
        "text": text if with_text else None,
        "text_sha256": record.text_sha256,
        "title": meta.title,
        "publisher": meta.publisher,
        "url": meta.url,
        "published": meta.published,
        "language": meta.language,
        "license": meta.license,
        "redistributable": meta.redistributable,
        "sentences": [{"id": s.id, "start": s.start, "end": s.end, **roles.get(s.id, empty_roles)} for s in record.sentences],
        "spans": [_span_row(s, index, with_text) for s in spans],
        "relations": [_relation_row(r, index) for r in relations],
        **_article_labels(scheme, index, gold.article_labels if gold else {}),
        "gold_method": gold.method if gold else None,
        "num_annotations": len(record.annotations),
    }

    starts = [s.start for s in record.sentences]
    by_sentence: list[list[Span]] = [[] for _ in record.sentences]
    for span in spans:
        i = bisect.bisect_right(starts, span.start) - 1
        if i >= 0 and span.end <= record.sentences[i].end:
            by_sentence[i].append(span)

    sentence_rows, ner_rows = [], []
    for sent, contained in zip(record.sentences, by_sentence):
        row_id = f"{record.id}/{sent.id}"
        sentence_rows.append(
            {
                "id": row_id,
                "article_id": record.id,
                "sentence_id": sent.id,
                "text": text[sent.start : sent.end] if with_text else None,
                "start": sent.start,
                "end": sent.end,
                **roles.get(sent.id, empty_roles),
                "spans": [_span_row(s, index, with_text, shift=sent.start) for s in contained],
            }
        )
        entities = [s for s in contained if s.layer in index.flat_layers]
        cuts = [c for e in entities for c in (e.start, e.end)]
        t_starts, t_ends = token_offsets(text, sent.start, sent.end, cuts=cuts, language=meta.language)
        ner = index.ner
        ner_rows.append(
            {
                "id": row_id,
                "article_id": record.id,
                "sentence_id": sent.id,
                "tokens": [text[a:b] for a, b in zip(t_starts, t_ends)] if with_text else None,
                "ner_tags": [ner[t] for t in iob2_offsets(t_starts, t_ends, entities)],
                "token_starts": t_starts,
                "token_ends": t_ends,
            }
        )

    by_id = {s.id: s for s in spans}
    speakers: dict[str, list[Span]] = {}
    for rel in relations:
        if rel.label == SPEAKER_RELATION and rel.tail in by_id:
            speakers.setdefault(rel.head, []).append(by_id[rel.tail])
    quote_rows = []
    for quote in (s for s in spans if s.label == QUOTE_LABEL):
        i = bisect.bisect_right(starts, quote.start) - 1
        sentence_id = record.sentences[i].id if i >= 0 else None
        for speaker in sorted(speakers.get(quote.id, []), key=lambda s: (s.start, s.end, s.id)) or [None]:
            quote_rows.append(
                {
                    "id": f"{record.id}/{quote.id}" + (f"/{speaker.id}" if speaker else ""),
                    "article_id": record.id,
                    "sentence_id": sentence_id,
                    "quote_id": quote.id,
                    "quote": quote.text if with_text else None,
                    "quote_start": quote.start,
                    "quote_end": quote.end,
                    "speaker_id": speaker.id if speaker else None,
                    "speaker": speaker.text if speaker and with_text else None,
                    "speaker_start": speaker.start if speaker else None,
                    "speaker_end": speaker.end if speaker else None,
                    "speaker_label": index.span[speaker.label] if speaker else -1,
                }
            )

    annotation_rows = [_annotation_row(record, ann, scheme, index, with_text) for ann in record.annotations]
    return {
        "articles": [article],
        "sentences": sentence_rows,
        "ner": ner_rows,
        "quotes": quote_rows,
        "annotations": annotation_rows,
    }
