"""The ``ner`` config: tokens and IOB2 entity tags, one row per sentence."""

from __future__ import annotations

import operator
from typing import Any

import numpy

from newscorpus.core.scheme import Scheme
from newscorpus.dataset.arrow import Columns
from newscorpus.dataset.article import Article
from newscorpus.dataset.columns import OFFSET, STRING, per_scheme
from newscorpus.dataset.configs.base import DatasetConfig
from newscorpus.dataset.features import ClassLabel, Feature, List
from newscorpus.dataset.tokens import cut_tokens, iob2_entity_of, sentence_tokens, tokenizer_info

__all__ = ["NerConfig", "ner_tag_names", "ner_tokens", "ONTONOTES_HUB_TAGS"]


def ner_tag_names(scheme: Scheme) -> list[str]:
    """IOB2 tag names: ``O``, then ``B-X``, ``I-X`` for each label X of the non-overlapping
    span layers (the ``entity`` layer of the default scheme), in scheme order."""
    names = ["O"]
    for layer in scheme.span_layers:
        if not layer.overlap:
            for label in layer.label_names:
                names += [f"B-{label}", f"I-{label}"]
    return names


#: The 37 IOB2 tags of the Hub's ``conll2012_ontonotesv5`` (its ``named_entities``
#: ``ClassLabel``), in id order: the default scheme's entity labels follow this order so that
#: the ``ner`` config's tag ids equal that dataset's (docs/design.md, The annotation scheme).
ONTONOTES_HUB_TAGS = ("O", *(f"{p}-{t}" for t in ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "DATE", "TIME",
                                                  "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "EVENT",
                                                  "WORK_OF_ART", "LAW", "LANGUAGE") for p in ("B", "I")))

_START, _END = operator.itemgetter("start"), operator.itemgetter("end")
#: tag name -> ``ClassLabel`` index of a scheme's IOB2 tags
_tag_codes = per_scheme(lambda scheme: {n: i for i, n in enumerate(ner_tag_names(scheme))})


def ner_tokens(article: Article) -> tuple[numpy.ndarray, numpy.ndarray, list[int], numpy.ndarray]:
    """The tokens and IOB2 tags of every sentence of ``article`` (its gold, or whatever
    part stands in its ``gold``), as the ``ner`` config writes them and ``newscorpus export
    --format conll`` writes them (one implementation): ``(starts, ends, lengths, tags)``,
    the token offsets (numpy int64 arrays, article code points, end-exclusive, sentence
    after sentence), the number of tokens of each sentence (a list, one per sentence) and
    each token's tag as its index in :func:`ner_tag_names` (numpy int64). Tokens are
    :func:`~newscorpus.dataset.tokens.sentence_tokens` cut at every boundary of an entity of
    a non-overlapping span layer inside the sentence (:func:`~newscorpus.dataset.tokens.cut_tokens`);
    an entity crossing a sentence boundary is in no sentence and tags nothing."""
    text, starts, ends = article.text, article.starts, article.ends
    by_sentence = article.by_sentence
    ner = _tag_codes(article.scheme)
    t_starts, t_ends, counts = sentence_tokens(text, list(zip(starts, ends)), language=article.meta["language"])
    flat = article.index.flat_layers
    entities = [s for contained in by_sentence for s in contained if s["layer"] in flat]
    if entities:
        # Cut the tokens at the entities' boundaries, then tag them IOB2, each in one pass
        # over the article: an entity lies inside its sentence, so a boundary strictly inside
        # a token is one of the token's own sentence (as if each sentence were cut and tagged
        # on its own: iob2_entity_of, tests/unit/dataset/oracles.py).
        cuts = [x for e in entities for x in (e["start"], e["end"])]
        s_list, e_list = cut_tokens(text, t_starts, t_ends, 0, len(text), cuts)
        token_starts, token_ends = numpy.asarray(s_list, dtype=numpy.int64), numpy.asarray(e_list, dtype=numpy.int64)
        # the sentences are in order and do not overlap: a token is in the last one starting at or before it
        lengths = numpy.bincount(numpy.searchsorted(starts, token_starts, side="right") - 1, minlength=len(starts)).tolist()
        e_starts = numpy.fromiter(map(_START, entities), dtype=numpy.int64, count=len(entities))
        e_ends = numpy.fromiter(map(_END, entities), dtype=numpy.int64, count=len(entities))
        order = numpy.lexsort((e_ends, e_starts))  # stable: by start, then end, then list order
        entity, begins = iob2_entity_of(token_starts, token_ends, e_starts[order], e_ends[order])
        labels = [entities[i]["label"] for i in order.tolist()]
        b_codes = numpy.asarray([ner["B-" + label] for label in labels] + [ner["O"]], dtype=numpy.int64)
        i_codes = numpy.asarray([ner["I-" + label] for label in labels] + [ner["O"]], dtype=numpy.int64)
        return token_starts, token_ends, lengths, numpy.where(begins, b_codes[entity], i_codes[entity])
    # no entity: the tokens as spaCy gives them, every tag O
    return t_starts, t_ends, counts.tolist(), numpy.full(len(t_starts), ner["O"], dtype=numpy.int64)


class NerConfig(DatasetConfig):
    """One row per sentence of an article with decided gold: its tokens
    (:mod:`newscorpus.dataset.tokens`: spaCy's tokenizer, each token cut wherever a gold
    entity of a non-overlapping span layer starts or ends inside it), each token's IOB2 tag
    (:func:`ner_tag_names`) and offsets in the article."""

    name = "ner"
    description = "one row per sentence of an article with gold: tokens, IOB2 `ner_tags` and each token's offsets in the article"
    gold_only = True
    text_hint = "`ner` tokens are `text[s:e]` for each `token_starts`/`token_ends` pair"
    example_note = ""
    pieces = ("tokens", "ner_tags", "token_starts", "token_ends")
    docs = {
        "id": "`<article id>/<sentence id>` (the same as in `sentences`).",
        "tokens": "Tokens; null when the text is withheld (`text[token_starts[i]:token_ends[i]]`).",
        "ner_tags": "IOB2 tag per token.",
        "token_starts": "Start offset of each token in the article.",
        "token_ends": "End offset of each token in the article (exclusive).",
    }

    def card_task(self, scheme: Scheme) -> str | None:
        """Named-entity recognition over the IOB2 tags."""
        return (f"`named-entity-recognition` (token classification): the `ner` config, IOB2 tags over\n"
                f"  {len(ner_tag_names(scheme)) - 1} B-/I- tags plus `O`.")

    def card_note(self, scheme: Scheme) -> str | None:
        """How the tokens are made, and the id of each tag (a table; it says when the ids are
        those of the Hub's ``conll2012_ontonotesv5``)."""
        names = ner_tag_names(scheme)
        same = tuple(names) == ONTONOTES_HUB_TAGS
        table = "\n".join(f"| {i} | `{name}` |" for i, name in enumerate(names))
        return (f"Tokenisation of `ner`: {tokenizer_info()} on each sentence; whitespace tokens dropped; a\n"
                "token is cut wherever an entity starts or ends inside it (`Myanmar’s` -> `Myanmar`, `’s`), so\n"
                "every entity is a whole number of tokens and `text[token_starts[i]:token_ends[i]] == tokens[i]`.\n\n"
                "Tag ids of `ner_tags`"
                + (" (the same ids as the `named_entities` of the Hub's `conll2012_ontonotesv5`, so its\n"
                   "`id2label` reads these tags):" if same else ":")
                + "\n\n| id | tag |\n|---|---|\n" + table)

    def features(self, scheme: Scheme) -> dict[str, Feature]:
        return {
            "id": STRING,
            "article_id": STRING,
            "sentence_id": STRING,
            "tokens": List(STRING),
            "ner_tags": List(ClassLabel(names=ner_tag_names(scheme))),
            "token_starts": List(OFFSET),
            "token_ends": List(OFFSET),
        }

    def add_rows(self, article: Article, out: Columns) -> None:
        n = article.n
        t_starts, t_ends, lengths, tags = ner_tokens(article)
        c = out.columns
        c["id"] += article.sentence_row_ids
        c["article_id"] += [article.id] * n
        c["sentence_id"] += article.sids
        for name, values in (("token_starts", t_starts), ("token_ends", t_ends), ("ner_tags", tags)):
            c[name].lengths += lengths
            c[name].values.pieces.append(values)
        tokens = c["tokens"]
        if article.utf8 is not None:
            tokens.lengths += lengths
            article.utf8.slice_into(tokens.values, t_starts, t_ends)
        else:
            base = len(tokens.lengths)
            tokens.null_rows += range(base, base + n)
            tokens.lengths += [0] * n
        out.num_rows += n

    def card_example(self, row: dict[str, Any]) -> dict[str, Any]:
        """The row with its lists cut at eight items."""
        ner = dict(row)
        for key in ("tokens", "ner_tags", "token_starts", "token_ends"):
            if ner[key] is not None and len(ner[key]) > 8:
                ner[key] = ner[key][:8] + ["…"]
        return ner
