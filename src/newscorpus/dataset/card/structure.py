"""The "Dataset Structure" section of the dataset card: configs, an example row, the
columns of every config with their types and descriptions, split sizes."""

from __future__ import annotations

import json

from newscorpus.dataset.card.stats import CardStats
from newscorpus.dataset.features import CONFIGS, ClassLabel, List, Value, config_spec
from newscorpus.core.scheme import Scheme
from newscorpus.dataset.result import BuildResult
from newscorpus.dataset.splits import SPLITS
from newscorpus.dataset.tokens import tokenizer_info

__all__ = ["structure", "COLUMN_DOCS", "plural"]


def plural(n: int, word: str) -> str:
    """``"1 article"``, ``"2 articles"`` (thousands separated)."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


#: One-line description of every column, by config and column name.
COLUMN_DOCS: dict[str, str] = {
    "id": "Row id.",
    "article_id": "Id of the article (the `id` of the `articles` config).",
    "sentence_id": "Id of the sentence within its article (`s0`, `s1`, ...).",
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
    "gold_method": "How gold was decided: single, majority, adjudicated or ground_truth; null without gold.",
    "num_annotations": "Number of raw annotations of the article (see the `annotations` config).",
    "start": "Start offset in the article (code points, inclusive).",
    "end": "End offset in the article (code points, exclusive).",
    "tokens": "Tokens; null when the text is withheld (`text[token_starts[i]:token_ends[i]]`).",
    "ner_tags": "IOB2 tag per token.",
    "token_starts": "Start offset of each token in the article.",
    "token_ends": "End offset of each token in the article (exclusive).",
    "quote_id": "Id of the QUOTE span.",
    "quote": "The quoted words; null when the text is withheld.",
    "quote_start": "Start offset of the quote in the article.",
    "quote_end": "End offset of the quote in the article (exclusive).",
    "speaker_id": "Id of the speaker's mention (SPEAKER relation tail), null when none is annotated.",
    "speaker": "The speaker mention's text; null when none or withheld.",
    "speaker_start": "Start offset of the speaker mention in the article.",
    "speaker_end": "End offset of the speaker mention in the article (exclusive).",
    "speaker_label": "Span label of the speaker mention (-1 when none).",
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
    "sentence_labels": "The annotator's sentence labels by sentence id.",
}


#: Descriptions that differ by config.
_CONFIG_DOCS: dict[tuple[str, str], str] = {
    ("articles", "id"): "Article id (the seed file's stem).",
    ("sentences", "id"): "`<article id>/<sentence id>`.",
    ("ner", "id"): "`<article id>/<sentence id>` (the same as in `sentences`).",
    ("quotes", "id"): "`<article id>/<quote span id>`, plus `/<speaker span id>` when a speaker is annotated.",
    ("annotations", "id"): "`<article id>/<annotation id>`.",
    ("sentences", "text"): "The sentence, `text[start:end]` of the article; null when withheld for rights reasons.",
    ("sentences", "spans"): "Gold spans inside the sentence, offsets relative to the sentence start.",
    ("quotes", "sentence_id"): "Sentence in which the quote starts.",
    ("annotations", "spans"): "The annotator's spans (same struct as in `articles`; text null when withheld).",
    ("annotations", "relations"): "The annotator's relations between its span ids.",
}


def _type(feature) -> str:
    if isinstance(feature, ClassLabel):
        return f"ClassLabel ({plural(len(feature.names), 'name')})"
    if isinstance(feature, List):
        inner = feature.feature
        if isinstance(inner, dict):
            return "list of {" + ", ".join(f"{k}: {_type(v)}" for k, v in inner.items()) + "}"
        return f"list of {_type(inner)}"
    if isinstance(feature, Value):
        return feature.dtype
    return type(feature).__name__


def _example(stats: CardStats) -> str:
    assert stats.example is not None, "the build sets the example rows of the first article"
    art_row, ner_row = stats.example
    art = dict(art_row)
    if art["text"] is not None and len(art["text"]) > 120:
        art["text"] = art["text"][:120] + "…"
    for key in ("sentences", "spans", "relations"):
        if len(art[key]) > 2:
            art[key] = art[key][:2] + [f"… {len(art[key]) - 2} more"]
    art["published"] = art["published"].isoformat()
    ner = dict(ner_row)
    for key in ("tokens", "ner_tags", "token_starts", "token_ends"):
        if ner[key] is not None and len(ner[key]) > 8:
            ner[key] = ner[key][:8] + ["…"]
    def dump(row: dict) -> str:
        return "{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in row.items()) + "\n}"

    return f"An `articles` row (long values cut, labels as ClassLabel indices):\n\n```json\n{dump(art)}\n```\n\nAn `ner` row:\n\n```json\n{dump(ner)}\n```"


def structure(stats: CardStats, *, scheme: Scheme, result: BuildResult) -> str:
    """"Dataset Structure": configs, an example, fields per config, split sizes."""
    config_text = {
        "articles": "one row per article: text, metadata, sentences, gold spans and relations, article labels (default config)",
        "sentences": "one row per sentence: its text and offsets, its discourse role, the gold spans inside it in sentence-relative offsets",
        "ner": "one row per sentence: tokens, IOB2 `ner_tags` and each token's offsets in the article",
        "quotes": "one row per direct quotation and speaker: the quote's and the speaker mention's text, offsets and label",
        "annotations": "one row per raw annotation: every annotator's work as made, pseudonymous",
    }
    fields = []
    for config in CONFIGS:
        feats = config_spec(config, scheme)
        lines = [f"#### `{config}`", "", "| column | type | description |", "|---|---|---|"]
        for name, feature in feats.items():
            doc = _CONFIG_DOCS.get((config, name)) or COLUMN_DOCS.get(name) or f"Label of the `{name}` layer (see Label definitions)."
            lines.append(f"| `{name}` | {_type(feature)} | {doc} |")
        fields.append("\n".join(lines))
    split_rows = ["| config | " + " | ".join(SPLITS) + " |", "|---|" + "---:|" * len(SPLITS)]
    for config in CONFIGS:
        cells = [str(result.configs[config][s].num_examples) if s in result.configs[config] else "–" for s in SPLITS]
        split_rows.append(f"| `{config}` | " + " | ".join(cells) + " |")
    missing = [c for c in CONFIGS if not result.configs.get(c)]
    empty = (
        "; " + ", ".join(f"`{c}`" for c in missing) + " has no rows in this release and is not declared in the YAML header"
        if missing
        else ""
    )
    return f"""## Dataset Structure

Configs (`datasets.load_dataset(DATASET, "<config>")`, where `DATASET` is this repository's
id or the local folder):

{chr(10).join(f"- `{c}`: {config_text[c]}." for c in CONFIGS)}

### Data Instances

{_example(stats)}

### Data Fields

Offsets are `int32` code points into the article text, end-exclusive. Label columns are
`ClassLabel`s whose names are in scheme order (`features[...].names`); `-1` means no label.

{chr(10).join(f + chr(10) for f in fields)}
Tokenisation of `ner`: {tokenizer_info()} on each sentence; whitespace tokens dropped; a
token is cut wherever an entity starts or ends inside it (`Myanmar’s` -> `Myanmar`, `’s`), so
every entity is a whole number of tokens and `text[token_starts[i]:token_ends[i]] == tokens[i]`.

### Data Splits

Train / validation / test by a stable hash of the article id (`sha256(id)`, first 8 bytes
over 2^64, against cumulative ratios, by default 80/10/10), so adding articles never moves
one; an article's `meta.split` overrides the hash. `datasets` cannot load a split of 0
rows, so a split without rows is left out of its config ("–" below){empty}.
Rows per config and split:

{chr(10).join(split_rows)}"""
