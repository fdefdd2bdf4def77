"""Rows of every Hugging Face config from one article record: pure converters, no I/O.

``record_rows(record, scheme=..., with_text=...)`` returns ``{config: [row, ...]}`` with the
columns of :func:`newscorpus.dataset.features.config_features`, labels already encoded as
``ClassLabel`` indices (``-1`` for "no label"). Labels come from ``record.gold``; an article
without gold has empty label lists. With ``with_text=False`` every copy of the article's
text is null (article text, sentence text, span text, tokens, quote and speaker text) while
offsets, labels and ``text_sha256`` remain.

The build's fast path makes the same rows column by column: :func:`plain_record` gives a
validated record as plain dicts (what ``ArticleRecord.model_validate(data).model_dump()``
gives, without building the models), and :func:`article_columns` puts its rows into one
:class:`~newscorpus.dataset.arrow.Columns` batch per config, tokenising the article in one
tokenizer call (:func:`newscorpus.dataset.tokens.sentence_tokens`). ``tests/test_build_fast.py``
proves both paths give the same tables.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from functools import cache
from operator import itemgetter
from typing import Any

import numpy

from newscorpus.dataset.arrow import Columns, ListColumn
from newscorpus.dataset.features import ner_tag_names
from newscorpus.core.models import Annotation, ArticleRecord, Relation, SentenceLabel, Span
from newscorpus.core.scheme import Scheme
from newscorpus.dataset.tokens import cut_tokens, iob2_offsets, iob2_triples, sentence_tokens, token_offsets, utf8_offsets


__all__ = ["record_rows", "plain_record", "article_columns", "new_columns", "Utf8Text", "PIECES", "QUOTE_LABEL", "SPEAKER_RELATION"]

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
    valid (:func:`newscorpus.validate.run.validate_record`; the build refuses any other first):
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


# ---------------------------------------------------------------- the build's fast path


_ID, _LAYER, _LABEL, _START, _END, _TEXT = (itemgetter(k) for k in ("id", "layer", "label", "start", "end", "text"))


@cache
def _stamps():
    """Validates the date and date-times of a record exactly as the model's fields do."""
    from pydantic import AwareDatetime, TypeAdapter

    return TypeAdapter(tuple[dt.date, list[AwareDatetime | None]])


_INT = {int}


def _int_offsets(items: Sequence[dict]) -> bool:
    return set(map(type, map(_START, items))) <= _INT and set(map(type, map(_END, items))) <= _INT


def _exact_types(data: dict) -> bool:
    """Whether every number of a schema-valid record already has the type the model gives it
    (offsets and ids ``int``, ``lead_time`` ``float`` or null), so that the model would not
    convert any of them."""
    if not _int_offsets(data["sentences"]):
        return False
    parts = [*data.get("annotations", ()), *([data["gold"]] if data.get("gold") is not None else ())]
    for part in parts:
        if not _int_offsets(part.get("spans", ())):
            return False
    for ann in data.get("annotations", ()):
        lead = ann.get("lead_time")
        if not (lead is None or type(lead) is float):
            return False
        origin = ann["origin"]
        if not all(type(origin.get(k)) in (int, type(None)) for k in ("project", "task", "annotation")):
            return False
    return True


def plain_record(data: dict[str, Any]) -> dict[str, Any]:
    """A record that passed :func:`newscorpus.validate.run.validate_record`, as plain dicts and
    lists with the values of ``ArticleRecord.model_validate(data)``: ``meta.published`` a
    ``datetime.date``, ``created_at``/``updated_at`` aware ``datetime`` (or None); missing
    optional keys may stay missing (readers use the model's defaults). The date and
    date-times go through pydantic validators of the model's types; a record with any
    number the model would convert (an offset ``3.0``, an integer ``lead_time``) or a
    date-time the model refuses takes ``ArticleRecord.model_validate(data).model_dump()``,
    which raises the model's ``ValidationError`` as the build always did. ``data`` is not
    changed."""
    from pydantic import ValidationError

    if _exact_types(data):
        annotations = data.get("annotations", [])
        try:
            published, stamps = _stamps().validate_python(
                (data["meta"]["published"], [a.get(k) for a in annotations for k in ("created_at", "updated_at")])
            )
        except ValidationError:
            pass
        else:
            return {
                **data,
                "meta": {**data["meta"], "published": published},
                "annotations": [
                    {**a, "created_at": stamps[2 * i], "updated_at": stamps[2 * i + 1]} for i, a in enumerate(annotations)
                ],
            }
    return ArticleRecord.model_validate(data).model_dump()


def _add_spans(column: ListColumn, rows: list[list[dict]], index: _Index, text: Utf8Text | None, shifts: Sequence[int] | None = None) -> None:
    """Add one row of spans per list of ``rows``: the struct fields as lists (``id``,
    ``layer``) and numpy pieces (``label``, ``start``, ``end`` less the row's shift, ``text``
    sliced from the article: a valid record's span text is its slice, or null without
    ``text``)."""
    lengths = list(map(len, rows))
    column.lengths += lengths
    spans = rows[0] if len(rows) == 1 else [s for row in rows for s in row]
    n = len(spans)
    if not n:
        return
    v = column.values
    v["id"] += map(_ID, spans)
    v["layer"] += map(_LAYER, spans)
    v["label"].pieces.append(numpy.fromiter(map(index.span.__getitem__, map(_LABEL, spans)), dtype=numpy.int64, count=n))
    starts = numpy.fromiter(map(_START, spans), dtype=numpy.int64, count=n)
    ends = numpy.fromiter(map(_END, spans), dtype=numpy.int64, count=n)
    if shifts is None:
        v["start"].pieces.append(starts)
        v["end"].pieces.append(ends)
    else:
        by_span = numpy.repeat(numpy.asarray(shifts, dtype=numpy.int64), lengths)
        v["start"].pieces.append(starts - by_span)
        v["end"].pieces.append(ends - by_span)
    if text is not None:
        text.slice_into(v["text"], starts, ends)
    else:
        v["text"].pieces.append((None, n))


def _add_relations(column: ListColumn, rows: list[list[dict]], index: _Index) -> None:
    """Add one row of relations per list of ``rows``."""
    column.lengths += map(len, rows)
    relations = rows[0] if len(rows) == 1 else [r for row in rows for r in row]
    if not relations:
        return
    v = column.values
    v["id"] += map(_ID, relations)
    v["label"] += map(index.relation.__getitem__, map(_LABEL, relations))
    v["head"] += (r["head"] for r in relations)
    v["tail"] += (r["tail"] for r in relations)


def _add_value(column, codes: list[int], multi: bool) -> None:
    """One value of a layer column: the codes (multi-label) or the first code or -1."""
    if multi:
        column.lengths.append(len(codes))
        column.values += codes
    else:
        column.append(codes[0] if codes else -1)


def _add_article_labels(columns: dict, index: _Index, labels: dict[str, list[str]]) -> None:
    for name, cardinality in index.article_layers:
        table = index.layers[name]
        _add_value(columns[name], [table[lab] for lab in labels.get(name, ())], cardinality == "multi")


def _group(labels: Iterable[dict]) -> dict[str, dict[str, list[str]]]:
    """sentence id -> layer -> label names, in record order."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for sl in labels:
        grouped.setdefault(sl["sentence"], {}).setdefault(sl["layer"], []).append(sl["label"])
    return grouped


def _add_sentence_values(columns: dict, index: _Index, sids: Sequence[str], grouped: dict[str, dict[str, list[str]]]) -> None:
    """The sentence-layer values of the sentences ``sids`` (one a row of ``columns``)."""
    for name, cardinality in index.sentence_layers:
        column, table, multi = columns[name], index.layers[name], cardinality == "multi"
        if not grouped and not multi:
            column += [-1] * len(sids)
            continue
        for sid in sids:
            labels = grouped.get(sid)
            _add_value(column, [table[lab] for lab in labels.get(name, ())] if labels else [], multi)


def article_columns(rec: dict[str, Any], *, scheme: Scheme, with_text: bool, out: dict[str, Columns]) -> None:
    """Add the rows of every config for one article (a :func:`plain_record`) to ``out``
    (config -> :class:`~newscorpus.dataset.arrow.Columns` batch of the config's Arrow
    schema, as :func:`new_columns` makes them): the rows :func:`record_rows` gives for the
    same record, value for value (see there for what goes where)."""
    index = _index(scheme)
    rid = rec["id"]
    text = rec["text"]
    utf8 = Utf8Text(text) if with_text else None
    meta = rec["meta"]
    sentences = rec["sentences"]
    n = len(sentences)
    gold = rec.get("gold")
    spans = gold.get("spans", []) if gold else []
    relations = gold.get("relations", []) if gold else []
    roles = _group(gold.get("sentence_labels", ())) if gold else {}
    sids = [s["id"] for s in sentences]
    starts = [s["start"] for s in sentences]
    ends = [s["end"] for s in sentences]

    c = out["articles"].columns
    c["id"].append(rid)
    c["text"].append(text if with_text else None)
    c["text_sha256"].append(rec["text_sha256"])
    for key in ("title", "publisher", "url", "published", "language", "license", "redistributable"):
        c[key].append(meta[key])
    sc = c["sentences"]
    sc.lengths.append(n)
    sc.values["id"] += sids
    sc.values["start"] += starts
    sc.values["end"] += ends
    _add_sentence_values(sc.values, index, sids, roles)
    _add_spans(c["spans"], [spans], index, utf8)
    _add_relations(c["relations"], [relations], index)
    _add_article_labels(c, index, gold.get("article_labels", {}) if gold else {})
    c["gold_method"].append(gold["method"] if gold else None)
    c["num_annotations"].append(len(rec.get("annotations", ())))
    out["articles"].num_rows += 1

    by_sentence: list[list[dict]] = [[] for _ in sentences]
    for span in spans:
        i = bisect.bisect_right(starts, span["start"]) - 1
        if i >= 0 and span["end"] <= ends[i]:
            by_sentence[i].append(span)

    row_ids = [f"{rid}/{sid}" for sid in sids]
    c = out["sentences"].columns
    c["id"] += row_ids
    c["article_id"] += [rid] * n
    c["sentence_id"] += sids
    c["text"] += [text[a:b] for a, b in zip(starts, ends)] if with_text else [None] * n
    c["start"] += starts
    c["end"] += ends
    _add_sentence_values(c, index, sids, roles)
    _add_spans(c["spans"], by_sentence, index, utf8, shifts=starts)
    out["sentences"].num_rows += n

    t_starts, t_ends, counts = sentence_tokens(text, list(zip(starts, ends)), language=meta["language"])
    flat = index.flat_layers
    if any(s["layer"] in flat for contained in by_sentence for s in contained):
        # cut the tokens of each sentence at its entities' boundaries; tag them IOB2
        ner = index.ner
        cut_s, cut_e, lengths, tag_codes = [], [], [], []
        at = 0
        for a, b, k, contained in zip(starts, ends, counts.tolist(), by_sentence):
            entities = [s for s in contained if s["layer"] in flat]
            if entities:
                cuts = [x for e in entities for x in (e["start"], e["end"])]
                s_list, e_list = cut_tokens(text, t_starts[at : at + k], t_ends[at : at + k], a, b, cuts)
                tag_codes += [ner[t] for t in iob2_triples(s_list, e_list, [(e["start"], e["end"], e["label"]) for e in entities])]
            else:
                s_list, e_list = t_starts[at : at + k].tolist(), t_ends[at : at + k].tolist()
                tag_codes += [ner["O"]] * k
            at += k
            cut_s += s_list
            cut_e += e_list
            lengths.append(len(s_list))
        t_starts = numpy.asarray(cut_s, dtype=numpy.int64)
        t_ends = numpy.asarray(cut_e, dtype=numpy.int64)
        tags = numpy.asarray(tag_codes, dtype=numpy.int64)
    else:  # no entity: the tokens as spaCy gives them, every tag O
        lengths = counts.tolist()
        tags = numpy.full(len(t_starts), index.ner["O"], dtype=numpy.int64)
    c = out["ner"].columns
    c["id"] += row_ids
    c["article_id"] += [rid] * n
    c["sentence_id"] += sids
    for name, values in (("token_starts", t_starts), ("token_ends", t_ends), ("ner_tags", tags)):
        c[name].lengths += lengths
        c[name].values.pieces.append(values)
    tokens = c["tokens"]
    if with_text:
        tokens.lengths += lengths
        utf8.slice_into(tokens.values, t_starts, t_ends)
    else:
        base = len(tokens.lengths)
        tokens.null_rows += range(base, base + n)
        tokens.lengths += [0] * n
    out["ner"].num_rows += n

    by_id = {s["id"]: s for s in spans}
    speakers: dict[str, list[dict]] = {}
    for rel in relations:
        if rel["label"] == SPEAKER_RELATION and rel["tail"] in by_id:
            speakers.setdefault(rel["head"], []).append(by_id[rel["tail"]])
    c = out["quotes"].columns
    rows = 0
    for quote in (s for s in spans if s["label"] == QUOTE_LABEL):
        i = bisect.bisect_right(starts, quote["start"]) - 1
        sentence_id = sids[i] if i >= 0 else None
        for speaker in sorted(speakers.get(quote["id"], []), key=lambda s: (s["start"], s["end"], s["id"])) or [None]:
            rows += 1
            c["id"].append(f"{rid}/{quote['id']}" + (f"/{speaker['id']}" if speaker else ""))
            c["article_id"].append(rid)
            c["sentence_id"].append(sentence_id)
            c["quote_id"].append(quote["id"])
            c["quote"].append(quote["text"] if with_text else None)
            c["quote_start"].append(quote["start"])
            c["quote_end"].append(quote["end"])
            c["speaker_id"].append(speaker["id"] if speaker else None)
            c["speaker"].append(speaker["text"] if speaker and with_text else None)
            c["speaker_start"].append(speaker["start"] if speaker else None)
            c["speaker_end"].append(speaker["end"] if speaker else None)
            c["speaker_label"].append(index.span[speaker["label"]] if speaker else -1)
    out["quotes"].num_rows += rows

    c = out["annotations"].columns
    gold_from = set(gold["from_annotations"]) if gold else set()
    order = {sid: i for i, sid in enumerate(sids)}
    annotations = rec.get("annotations", [])
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
        _add_article_labels(c, index, ann.get("article_labels", {}))
        grouped = _group(ann.get("sentence_labels", ()))
        labelled = sorted(grouped, key=lambda sid: (order.get(sid, n), sid))
        sl = c["sentence_labels"]
        sl.lengths.append(len(labelled))
        sl.values["sentence_id"] += labelled
        _add_sentence_values(sl.values, index, labelled, grouped)
    _add_spans(c["spans"], [ann.get("spans", []) for ann in annotations], index, utf8)
    _add_relations(c["relations"], [ann.get("relations", []) for ann in annotations], index)
    out["annotations"].num_rows += len(annotations)
    if utf8 is not None:
        utf8.resolve()


_STATUS = {"submitted": 0, "cancelled": 1, "draft": 2}

#: The list columns whose items :func:`article_columns` gives as numpy pieces.
_SPAN_PIECES = ("spans.label", "spans.start", "spans.end", "spans.text")
PIECES = {
    "articles": _SPAN_PIECES,
    "sentences": _SPAN_PIECES,
    "ner": ("tokens", "ner_tags", "token_starts", "token_ends"),
    "annotations": _SPAN_PIECES,
}


def new_columns(schemas: dict[str, Any]) -> dict[str, Columns]:
    """An empty :class:`~newscorpus.dataset.arrow.Columns` batch per config (``schemas``:
    config -> Arrow schema), as :func:`article_columns` fills them."""
    return {config: Columns(schema, PIECES.get(config, ())) for config, schema in schemas.items()}


class Utf8Text:
    """The slices of one article text that go into string columns as UTF-8
    :class:`~newscorpus.dataset.arrow.Pieces`: asked for with :meth:`slice_into`, cut all at
    once by :meth:`resolve` (one encoding of the text, one gather)."""

    __slots__ = ("text", "requests")

    def __init__(self, text: str) -> None:
        self.text = text
        self.requests: list = []

    def slice_into(self, pieces, starts, ends) -> None:
        """Ask for the strings ``text[a:b]`` for the offsets of ``starts`` and ``ends`` (numpy
        integer arrays, code points, end-exclusive) to be appended to ``pieces`` (a
        :class:`~newscorpus.dataset.arrow.Pieces` of strings) by :meth:`resolve`."""
        self.requests.append((pieces, starts, ends))

    def resolve(self) -> None:
        """Append every slice asked for, in the order asked: to each ``pieces`` a
        ``(data, lengths)`` piece, the slices' UTF-8 bytes one after the other and the byte
        length of each."""
        requests, self.requests = self.requests, []
        if not requests:
            return
        data = numpy.frombuffer(self.text.encode("utf-8"), dtype=numpy.uint8)
        starts = numpy.concatenate([r[1] for r in requests])
        ends = numpy.concatenate([r[2] for r in requests])
        if len(data) != len(self.text):  # not ASCII: code point offsets -> byte offsets
            at = utf8_offsets(data)
            starts, ends = at[starts], at[ends]
        lengths = ends - starts
        bounds = numpy.zeros(len(lengths) + 1, dtype=numpy.int64)
        numpy.cumsum(lengths, out=bounds[1:])
        # byte i of the output comes from data[starts[k] + i - bounds[k]] for the slice k holding it
        gathered = data[numpy.arange(bounds[-1], dtype=numpy.int64) + numpy.repeat(starts - bounds[:-1], lengths)]
        at_slice = 0
        for pieces, first, _ in requests:
            k = at_slice + len(first)
            pieces.pieces.append((gathered[bounds[at_slice] : bounds[k]], lengths[at_slice:k]))
            at_slice = k
