"""Reference forms ("oracles") of the dataset build's fast paths, for the tests to hold them to.

- :func:`record_rows`: the rows of every config of one article from the pydantic model, a
  dict a row, tokenising each sentence on its own (:func:`token_offsets`); the build makes
  the same rows column by column from plain dicts with one tokenizer call an article
  (:func:`newscorpus.dataset.configs.add_article_rows`).
- :func:`tokenize`, :func:`token_offsets`, :func:`iob2_tags`: tokens and IOB2 tags of one
  sentence at a time (:func:`iob2_triples`: the one-pass tagger, the reference of
  :func:`newscorpus.dataset.tokens.iob2_entity_of`).
- :func:`model_summary` / :func:`card_stats`: the card's summary of an article from the
  pydantic model; the build summarises the plain dicts
  (:func:`newscorpus.dataset.card.stats.article_summary`).
- :func:`columns_from_rows`: rows given as dicts (what ``pa.Table.from_pylist`` takes) as a
  :class:`~newscorpus.dataset.arrow.Columns` batch of plain Python lists (no numpy pieces),
  so that the build's writer can write reference rows.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import pyarrow as pa
from spacy.attrs import IDX, IS_SPACE, LENGTH

from newscorpus.core.models import Annotation, ArticleRecord, Relation, SentenceLabel, Span
from newscorpus.core.scheme import Scheme
from newscorpus.dataset.arrow import Columns
from newscorpus.dataset.card.stats import ArticleSummary, CardStats
from newscorpus.dataset.configs import configs_for
from newscorpus.dataset.configs.annotations import STATUSES
from newscorpus.dataset.configs.ner import ner_tag_names
from newscorpus.dataset import tokens
from newscorpus.dataset.splits import assign_split
from newscorpus.dataset.tokens import cut_tokens

# ---------------------------------------------------------------- tokens, a sentence at a time


class Token(NamedTuple):
    """A token: ``text == article_text[start:end]`` (code points, end-exclusive)."""

    start: int
    end: int
    text: str


def token_offsets(text: str, start: int, end: int, *, cuts: Sequence[int] = (), language: str = "en") -> tuple[list[int], list[int]]:
    """The start and end offsets (article code points, end-exclusive) of the tokens of
    ``text[start:end]`` (one tokenizer call), whitespace tokens dropped, cut at ``cuts``."""
    # tokens.tokenizer is looked up at the call: a test replaces it
    arr = tokens.tokenizer(language)(text[start:end]).to_array([IDX, LENGTH, IS_SPACE])
    if len(arr) == 0:
        return [], []
    keep = arr[:, 2] == 0
    a_arr = arr[keep, 0] + start
    return cut_tokens(text, a_arr, a_arr + arr[keep, 1], start, end, cuts)


def tokenize(text: str, start: int, end: int, *, cuts: Sequence[int] = (), language: str = "en") -> list[Token]:
    """The tokens of :func:`token_offsets` as :class:`Token` objects."""
    starts, ends = token_offsets(text, start, end, cuts=cuts, language=language)
    return [Token(a, b, text[a:b]) for a, b in zip(starts, ends)]


def cut_tokens_loop(text: str, starts: Sequence[int], ends: Sequence[int], cuts: Sequence[int]) -> tuple[list[int], list[int]]:
    """Tokens cut at every offset of ``cuts`` strictly inside them, token by token, the
    pieces of a cut token trimmed of whitespace and dropped when empty (a token without a
    cut stays as it is): the reference form of :func:`newscorpus.dataset.tokens.cut_tokens`."""
    out_s: list[int] = []
    out_e: list[int] = []
    for a, b in zip(starts, ends):
        inside = sorted({c for c in cuts if a < c < b})
        if not inside:
            out_s.append(a)
            out_e.append(b)
            continue
        bounds = [a, *inside, b]
        for p, q in zip(bounds, bounds[1:]):
            piece = text[p:q]
            if piece.strip():  # str.strip removes exactly the str.isspace characters
                out_s.append(p + len(piece) - len(piece.lstrip()))
                out_e.append(q - (len(piece) - len(piece.rstrip())))
    return out_s, out_e


def iob2_triples(starts: Sequence[int], ends: Sequence[int], entities: Sequence[tuple[int, int, str]]) -> list[str]:
    """IOB2 tag names of tokens (offsets, in text order) for entities given as ``(start,
    end, label)``, one pass over tokens and entities together: the reference form of
    :func:`newscorpus.dataset.tokens.iob2_entity_of`."""
    ordered = sorted(entities, key=lambda e: (e[0], e[1]))
    tags: list[str] = []
    i, n = 0, len(ordered)
    for start, end in zip(starts, ends):
        while i < n and ordered[i][1] <= start:
            i += 1
        if i < n and ordered[i][0] <= start and end <= ordered[i][1]:
            tags.append(("B-" if start == ordered[i][0] else "I-") + ordered[i][2])
        else:
            tags.append("O")
    return tags


def iob2_offsets(starts: Sequence[int], ends: Sequence[int], entities: Sequence[Span]) -> list[str]:
    """IOB2 tag names for tokens given as offsets and non-overlapping entity spans."""
    return iob2_triples(starts, ends, [(s.start, s.end, s.label) for s in entities])


def iob2_tags(tokens: Sequence[Token], entities: Sequence[Span]) -> list[str]:
    """:func:`iob2_offsets` for :class:`Token` objects."""
    return iob2_offsets([t.start for t in tokens], [t.end for t in tokens], entities)


# ---------------------------------------------------------------- rows of every config, from the model


class _Index:
    """Label name -> ClassLabel index tables of one scheme."""

    def __init__(self, scheme: Scheme) -> None:
        self.span = {n: i for i, n in enumerate(scheme.span_labels)}
        self.relation = {n: i for i, n in enumerate(scheme.relation_labels)}
        self.layers = {layer.name: {n: i for i, n in enumerate(layer.label_names)} for layer in scheme.layers}
        self.ner = {n: i for i, n in enumerate(ner_tag_names(scheme))}
        self.flat_layers = {layer.name for layer in scheme.span_layers if not layer.overlap}
        self.article_layers = [layer.name for layer in scheme.article_layers]
        self.sentence_layers = [layer.name for layer in scheme.sentence_layers]
        self.cardinality = {layer.name: layer.cardinality for layer in scheme.layers}


def _span_row(span: Span, index: _Index, with_text: bool, shift: int = 0, *, note: bool = False) -> dict:
    row = {
        "id": span.id,
        "layer": span.layer,
        "label": index.span[span.label],
        "start": span.start - shift,
        "end": span.end - shift,
        "text": span.text if with_text else None,
    }
    if note:
        row["note"] = span.note
    return row


def _relation_row(rel: Relation, index: _Index) -> dict:
    return {"id": rel.id, "label": index.relation[rel.label], "head": rel.head, "tail": rel.tail}


def _layer_value(index: _Index, name: str, labels: Sequence[str]):
    codes = [index.layers[name][lab] for lab in labels]
    if index.cardinality[name] == "multi":
        return codes
    return codes[0] if codes else -1


def _article_labels(index: _Index, labels: dict[str, list[str]]) -> dict:
    return {name: _layer_value(index, name, labels.get(name, [])) for name in index.article_layers}


def _sentence_labels(index: _Index, labels: Iterable[SentenceLabel]) -> dict[str, dict]:
    """sentence id -> {layer: encoded value} for every sentence layer."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for sl in labels:
        grouped.setdefault(sl.sentence, {}).setdefault(sl.layer, []).append(sl.label)
    return {sid: {name: _layer_value(index, name, by_layer.get(name, [])) for name in index.sentence_layers}
            for sid, by_layer in grouped.items()}


def _annotation_row(record: ArticleRecord, ann: Annotation, index: _Index, with_text: bool) -> dict:
    gold_from = set(record.gold.from_annotations) if record.gold else set()
    per_sentence = _sentence_labels(index, ann.sentence_labels)
    order = {s.id: i for i, s in enumerate(record.sentences)}
    return {
        "id": f"{record.id}/{ann.id}",
        "article_id": record.id,
        "annotation_id": ann.id,
        "annotator": ann.annotator,
        "status": STATUSES.index(ann.status),
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
        "note": ann.note,
        **_article_labels(index, ann.article_labels),
        "sentence_labels": [
            {"sentence_id": sid, **values}
            for sid, values in sorted(per_sentence.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
        ],
        "spans": [_span_row(s, index, with_text, note=True) for s in ann.spans],
        "relations": [_relation_row(r, index) for r in ann.relations],
    }


def _quote_rows(record: ArticleRecord, scheme: Scheme, index: _Index, spans: list[Span], relations: list[Relation], with_text: bool) -> list[dict]:
    quote, speaker_role = scheme.role("quote"), scheme.role("speaker")
    starts = [s.start for s in record.sentences]
    by_id = {s.id: s for s in spans}
    speakers: dict[str, list[Span]] = {}
    for rel in relations:
        if speaker_role is not None and rel.label == speaker_role.relation and rel.tail in by_id:
            speakers.setdefault(rel.head, []).append(by_id[rel.tail])
    rows = []
    for span in spans:
        if (span.layer, span.label) != (quote.layer, quote.label):
            continue
        i = bisect.bisect_right(starts, span.start) - 1
        sentence_id = record.sentences[i].id if i >= 0 else None
        for speaker in sorted(speakers.get(span.id, []), key=lambda s: (s.start, s.end, s.id)) or [None]:
            rows.append({
                "id": f"{record.id}/{span.id}" + (f"/{speaker.id}" if speaker else ""),
                "article_id": record.id,
                "sentence_id": sentence_id,
                "quote_id": span.id,
                "quote": span.text if with_text else None,
                "quote_start": span.start,
                "quote_end": span.end,
                "speaker_id": speaker.id if speaker else None,
                "speaker": speaker.text if speaker and with_text else None,
                "speaker_start": speaker.start if speaker else None,
                "speaker_end": speaker.end if speaker else None,
                "speaker_label": index.span[speaker.label] if speaker else -1,
            })
    return rows


def record_rows(record: ArticleRecord, *, scheme: Scheme, with_text: bool) -> dict[str, list[dict]]:
    """The rows of every config that exists under ``scheme`` for one valid article record:
    config name -> rows (dicts of the config's columns, labels as ``ClassLabel`` indices,
    ``-1`` for none). Labels come from ``record.gold``; a span is in the ``sentences`` and
    ``ner`` rows of the sentence that holds it whole; ``with_text=False`` makes every copy
    of the text null."""
    index = _Index(scheme)
    gold = record.gold
    spans = list(gold.spans) if gold else []
    relations = list(gold.relations) if gold else []
    text = record.text
    roles = _sentence_labels(index, gold.sentence_labels if gold else [])
    empty_roles = {name: ([] if index.cardinality[name] == "multi" else -1) for name in index.sentence_layers}
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
        **_article_labels(index, gold.article_labels if gold else {}),
        "gold_status": _gold_status(record),
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
    for sent, contained in zip(record.sentences if gold else [], by_sentence):  # only decided gold teaches
        row_id = f"{record.id}/{sent.id}"
        sentence_rows.append({
            "id": row_id,
            "article_id": record.id,
            "sentence_id": sent.id,
            "text": text[sent.start : sent.end] if with_text else None,
            "start": sent.start,
            "end": sent.end,
            **roles.get(sent.id, empty_roles),
            "spans": [_span_row(s, index, with_text, shift=sent.start) for s in contained],
        })
        entities = [s for s in contained if s.layer in index.flat_layers]
        cuts = [c for e in entities for c in (e.start, e.end)]
        t_starts, t_ends = token_offsets(text, sent.start, sent.end, cuts=cuts, language=meta.language)
        ner_rows.append({
            "id": row_id,
            "article_id": record.id,
            "sentence_id": sent.id,
            "tokens": [text[a:b] for a, b in zip(t_starts, t_ends)] if with_text else None,
            "ner_tags": [index.ner[t] for t in iob2_offsets(t_starts, t_ends, entities)],
            "token_starts": t_starts,
            "token_ends": t_ends,
        })

    rows = {
        "articles": [article],
        "sentences": sentence_rows,
        "ner": ner_rows,
        "quotes": _quote_rows(record, scheme, index, spans, relations, with_text) if scheme.role("quote") else [],
        "annotations": [_annotation_row(record, ann, index, with_text) for ann in record.annotations],
    }
    return {name: rows[name] for name in configs_for(scheme)}


# ---------------------------------------------------------------- the card's summary, from the model


def _gold_status(record: ArticleRecord) -> str:
    if record.gold is not None:
        return "decided"
    return "undecided" if any(a.status == "submitted" for a in record.annotations) else "unannotated"


def model_summary(record: ArticleRecord) -> ArticleSummary:
    """The :class:`ArticleSummary` of ``record``."""
    gold = record.gold
    meta = record.meta
    return ArticleSummary(
        id=record.id,
        title=meta.title,
        publisher=meta.publisher,
        license=meta.license,
        redistributable=meta.redistributable,
        language=meta.language,
        published=meta.published,
        segmenter=f"{record.segmenter.name} {record.segmenter.version}",
        n_sentences=len(record.sentences),
        gold_status=_gold_status(record),
        gold_method=gold.method if gold else None,
        span_labels=tuple((s.layer, s.label) for s in gold.spans) if gold else (),
        sentence_labels=tuple((sl.layer, sl.label) for sl in gold.sentence_labels) if gold else (),
        article_labels=tuple((name, lab) for name, labs in gold.article_labels.items() for lab in labs) if gold else (),
        relation_labels=tuple(r.label for r in gold.relations) if gold else (),
        annotations=tuple(
            (a.origin.tool, a.origin.version, a.status, a.annotator, a.lead_time)
            for a in record.annotations
        ),
    )


def card_stats(records: Iterable[ArticleRecord]) -> CardStats:
    """The card's running statistics over ``records``, in order (splits by the default ratios)."""
    stats = CardStats()
    for record in records:
        stats.add(model_summary(record), assign_split(record.id, override=record.meta.split))
    return stats


# ---------------------------------------------------------------- dict rows as a batch


def columns_from_rows(rows: list[dict], schema: pa.Schema) -> Columns:
    """A :class:`Columns` batch of ``schema`` holding ``rows`` (dicts of the schema's
    columns; a missing key is null, as in ``pa.Table.from_pylist``)."""
    batch = Columns(schema)
    for field in schema:
        _fill(batch.columns[field.name], field.type, [row.get(field.name) for row in rows])
    batch.num_rows = len(rows)
    return batch


def _fill(column, arrow_type: pa.DataType, values: list) -> None:
    if pa.types.is_list(arrow_type):
        for value in values:
            if value is None:
                column.null_rows.append(len(column.lengths))
            column.lengths.append(0 if value is None else len(value))
        _fill(column.values, arrow_type.value_type, [item for value in values if value is not None for item in value])
    elif pa.types.is_struct(arrow_type):
        for field in arrow_type:
            _fill(column[field.name], field.type, [value.get(field.name) for value in values])
    else:
        column.extend(values)
