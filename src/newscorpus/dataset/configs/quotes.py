"""The ``quotes`` config: one row per direct quotation and speaker.

Which spans are quotations and which relation leads to a quotation's speaker are the
scheme's roles ``quote`` and ``speaker`` (:meth:`newscorpus.core.scheme.Scheme.role`); a
scheme without the ``quote`` role has no ``quotes`` config, one without ``speaker`` gives
quotations without speakers.
"""

from __future__ import annotations

from typing import NamedTuple

from newscorpus.core.scheme import Scheme
from newscorpus.dataset.arrow import Columns
from newscorpus.dataset.article import Article
from newscorpus.dataset.card.markdown import text
from newscorpus.dataset.columns import OFFSET, STRING, per_scheme
from newscorpus.dataset.configs.base import DatasetConfig
from newscorpus.dataset.features import ClassLabel, Feature

__all__ = ["QuotesConfig", "QuoteRoles", "quote_roles"]


class QuoteRoles(NamedTuple):
    """The labels of a scheme's ``quote`` and ``speaker`` roles: the span layer and label of
    a quotation, and the relation label from a quotation to its speaker's mention (None
    when the scheme declares no speaker role)."""

    layer: str
    label: str
    speaker: str | None


def _roles(scheme: Scheme) -> QuoteRoles | None:
    quote, speaker = scheme.role("quote"), scheme.role("speaker")
    if quote is None:
        return None
    return QuoteRoles(quote.layer, quote.label, speaker.relation if speaker else None)


#: The :class:`QuoteRoles` of a scheme, or None when it declares no ``quote`` role.
quote_roles = per_scheme(_roles)


def _speaker_key(span: dict) -> tuple:
    return span["start"], span["end"], span["id"]


class QuotesConfig(DatasetConfig):
    """One row per gold quotation (a span of the ``quote`` role) and speaker (the tail of a
    ``speaker`` relation from it; a quotation with several speakers gives one row each, in
    text order; one without, a row with null speaker columns and ``speaker_label`` -1):
    the quotation's and the speaker mention's text, offsets and label, and the sentence in
    which the quotation starts."""

    name = "quotes"
    description = "one row per direct quotation and speaker: the quote's and the speaker mention's text, offsets and label"
    gold_only = True
    text_hint = "quotes and speakers take `text[quote_start:quote_end]` and `text[speaker_start:speaker_end]`"
    docs = {
        "id": "`<article id>/<quote span id>`, plus `/<speaker span id>` when a speaker is annotated.",
        "sentence_id": "Sentence in which the quote starts.",
        "quote": "The quoted words; null when the text is withheld.",
        "quote_start": "Start offset of the quote in the article.",
        "quote_end": "End offset of the quote in the article (exclusive).",
        "speaker": "The speaker mention's text; null when none or withheld.",
        "speaker_start": "Start offset of the speaker mention in the article.",
        "speaker_end": "End offset of the speaker mention in the article (exclusive).",
        "speaker_label": "Span label of the speaker mention (-1 when none).",
    }

    def available(self, scheme: Scheme) -> bool:
        """Only under a scheme that declares the ``quote`` role."""
        return quote_roles(scheme) is not None

    def card_task(self, scheme: Scheme) -> str | None:
        """Quotation attribution."""
        return "Quotation attribution: the `quotes` config pairs each direct quotation with its speaker's mention."

    def column_texts(self, scheme: Scheme) -> dict[str, str]:
        """:attr:`docs`, and the ids of the quotation and speaker named by the scheme's roles."""
        roles = quote_roles(scheme)
        speaker = f"({text(roles.speaker)} relation tail)" if roles.speaker else "(the scheme has no speaker relation)"
        return {
            **self.docs,
            "quote_id": f"Id of the {text(roles.label)} span.",
            "speaker_id": f"Id of the speaker's mention {speaker}, null when none is annotated.",
        }

    def features(self, scheme: Scheme) -> dict[str, Feature]:
        return {
            "id": STRING,
            "article_id": STRING,
            "sentence_id": STRING,
            "quote_id": STRING,
            "quote": STRING,
            "quote_start": OFFSET,
            "quote_end": OFFSET,
            "speaker_id": STRING,
            "speaker": STRING,
            "speaker_start": OFFSET,
            "speaker_end": OFFSET,
            "speaker_label": ClassLabel(names=scheme.span_labels),
        }

    def add_rows(self, article: Article, out: Columns) -> None:
        roles = quote_roles(article.scheme)
        spans, rid, with_text, span_codes = article.spans, article.id, article.with_text, article.index.span
        by_id = {s["id"]: s for s in spans}
        speakers: dict[str, list[dict]] = {}
        for rel in article.relations:
            if rel["label"] == roles.speaker and rel["tail"] in by_id:
                speakers.setdefault(rel["head"], []).append(by_id[rel["tail"]])
        c = out.columns
        rows = 0
        for quote in spans:
            if quote["label"] != roles.label or quote["layer"] != roles.layer:
                continue
            sentence_id = article.sentence_at(quote["start"])
            for speaker in sorted(speakers.get(quote["id"], []), key=_speaker_key) or [None]:
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
                c["speaker_label"].append(span_codes[speaker["label"]] if speaker else -1)
        out.num_rows += rows
