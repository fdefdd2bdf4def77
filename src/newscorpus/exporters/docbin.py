"""spaCy DocBin: ``<split>.spacy`` per dataset split (``train``, ``validation``, ``test``;
a split without articles has no file), one ``Doc`` per article, ready for ``spacy train``
(``spacy.tokens.DocBin().from_disk(path).get_docs(nlp.vocab)``).

Each ``Doc``:

- ``text`` is the article's canonical text, exactly (``doc.text == record.text``);
- tokens: spaCy's tokenizer of the article's language on each sentence, as the dataset's
  ``ner`` config tokenises (:func:`newscorpus.dataset.tokens.sentence_tokens`), each token
  cut at every boundary of every span of the part (:func:`~newscorpus.dataset.tokens.cut_tokens`),
  so that every span is a whole number of tokens; the whitespace between them is spaCy's
  (one space after a token, any other whitespace a token of its own);
- ``doc.ents``: the spans of the non-overlapping span layers (``entity`` in the default
  scheme), label and ``span.id_`` (the span id) kept; two such spans that overlap (only
  possible across two such layers) are refused;
- ``doc.spans[<layer>]``: a span group per span layer of the scheme (empty when the part
  has no span of it), every span with its label and id;
- sentence starts: the first token of each record sentence starts a sentence, every
  other token does not (whitespace between sentences ends the sentence before it);
- ``doc.cats``: per article layer, 1.0 for each label chosen and 0.0 for the others;
- ``doc.user_data``: ``id`` (the article id), ``layer`` (``gold`` or the annotator),
  ``sentences`` (``[id, start, end]``), ``sentence_labels`` (``[sentence, layer, label]``),
  ``relations`` (``[id, label, head, tail]``), ``notes`` (span id -> note) and ``note``.

Offsets of ``Span.start_char``/``end_char`` are code points, as in records. A span that did
not align to the tokens (none can: the tokens are cut at every span boundary) would be
refused with :class:`~newscorpus.errors.ExporterError`, never expanded.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from newscorpus.core.scheme import Scheme
from newscorpus.dataset.tokens import cut_tokens, sentence_tokens, tokenizer
from newscorpus.errors import ExporterError
from newscorpus.exporters.items import ExportItem
from newscorpus.util.fileio import atomic_write_bytes

__all__ = ["doc_tokens", "words_and_spaces", "make_doc", "write"]


def doc_tokens(item: ExportItem) -> list[tuple[int, int]]:
    """The non-whitespace tokens of the item's article, ``(start, end)`` in code points,
    in text order: each sentence's tokens (:func:`~newscorpus.dataset.tokens.sentence_tokens`)
    cut at every span boundary of the part inside it."""
    record = item.record
    text = record.text
    bounds = [(s.start, s.end) for s in record.sentences]
    starts, ends, counts = sentence_tokens(text, bounds, language=record.meta.language)
    cuts = sorted({x for span in item.part.spans for x in (span.start, span.end)})
    out: list[tuple[int, int]] = []
    at = 0
    for (a, b), k in zip(bounds, counts.tolist()):
        inner = [c for c in cuts if a < c < b]
        s_list, e_list = cut_tokens(text, starts[at : at + k], ends[at : at + k], a, b, inner)
        out += zip(s_list, e_list)
        at += k
    return out


def words_and_spaces(text: str, tokens: list[tuple[int, int]]) -> tuple[list[str], list[bool], list[int]]:
    """The ``words`` and ``spaces`` of a spaCy ``Doc`` whose text is exactly ``text``, from
    its non-whitespace ``tokens`` (``(start, end)`` pairs in text order, not overlapping):
    the whitespace between tokens becomes, as spaCy's tokenizer makes it, one trailing space
    of the token before it (a single ``" "``) and a whitespace token for the rest. Also the
    start offset of every word (code points)."""
    words: list[str] = []
    spaces: list[bool] = []
    offsets: list[int] = []
    pos = 0

    def gap(upto: int) -> None:
        rest_at = pos
        if rest_at < upto and text[rest_at] == " " and words:
            spaces[-1] = True
            rest_at += 1
        if rest_at < upto:
            words.append(text[rest_at:upto])
            spaces.append(False)
            offsets.append(rest_at)

    for a, b in tokens:
        gap(a)
        words.append(text[a:b])
        spaces.append(False)
        offsets.append(a)
        pos = b
    gap(len(text))
    return words, spaces, offsets


def make_doc(item: ExportItem, scheme: Scheme):
    """The spaCy ``Doc`` of one item (see the module doc). Raises
    :class:`~newscorpus.errors.ExporterError` for a span that does not align to the tokens
    or two overlapping spans of the non-overlapping layers."""
    from spacy.tokens import Doc

    record, part = item.record, item.part
    text = record.text
    words, spaces, offsets = words_and_spaces(text, doc_tokens(item))
    doc = Doc(tokenizer(record.meta.language).vocab, words=words, spaces=spaces)
    if doc.text != text:  # a guard: words_and_spaces rebuilds the text by construction
        raise ExporterError("the tokens do not rebuild the text", file=item.file, where="$.text", code="unsupported-text")
    sentence_starts = {s.start for s in record.sentences}
    for token, start in zip(doc, offsets):
        token.is_sent_start = token.i == 0 or start in sentence_starts
    flat = {layer.name for layer in scheme.span_layers if not layer.overlap}
    groups: dict[str, list] = {layer.name: [] for layer in scheme.span_layers}
    ents = []
    for i, span in enumerate(part.spans):
        made = doc.char_span(span.start, span.end, label=span.label, span_id=span.id, alignment_mode="strict")
        if made is None:
            raise ExporterError(f"span {span.id!r} [{span.start}, {span.end}) does not align to spaCy's tokens",
                                file=item.file, where=f"{item.where}.spans[{i}]", code="unaligned-span")
        groups.setdefault(span.layer, []).append(made)
        if span.layer in flat:
            ents.append(made)
    try:
        doc.ents = ents
    except ValueError as exc:
        raise ExporterError(f"two spans of the non-overlapping layers overlap, which doc.ents cannot hold: {exc}",
                            file=item.file, where=f"{item.where}.spans", code="span-overlap") from exc
    for name, spans in groups.items():
        doc.spans[name] = spans
    cats = {}
    for layer in scheme.article_layers:
        chosen = set(part.article_labels.get(layer.name, ()))
        cats.update({label: 1.0 if label in chosen else 0.0 for label in layer.label_names})
    doc.cats = cats
    doc.user_data.update({
        "id": record.id,
        "layer": item.layer,
        "sentences": [[s.id, s.start, s.end] for s in record.sentences],
        "sentence_labels": [[sl.sentence, sl.layer, sl.label] for sl in part.sentence_labels],
        "relations": [[r.id, r.label, r.head, r.tail] for r in part.relations],
        "notes": {span.id: span.note for span in part.spans if span.note is not None},
        "note": item.note,
    })
    return doc


def write(items: Iterable[ExportItem], *, out: Path, scheme: Scheme) -> list[str]:
    """Write ``<split>.spacy`` (a ``DocBin`` with user data) for every split with articles
    into ``out``; returns the names written, sorted. A split's ``DocBin`` holds its docs
    serialised (token attributes as arrays) until it is written at the end."""
    from spacy.tokens import DocBin

    bins: dict[str, DocBin] = {}
    for item in items:
        bins.setdefault(item.split, DocBin(store_user_data=True)).add(make_doc(item, scheme))
    for split, docbin in bins.items():
        atomic_write_bytes(out / f"{split}.spacy", docbin.to_bytes())
    return sorted(f"{split}.spacy" for split in bins)
