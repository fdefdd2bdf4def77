"""The sections of the dataset card body, each a pure function of the build's running
statistics (:class:`~newscorpus.dataset.card.stats.CardStats`) and the build.

Section names follow the Hugging Face dataset card template; every sentence is computed
from the data or states a fixed property of the pipeline (no placeholder text). Every value
from a record, a sidecar or the scheme goes in through :mod:`newscorpus.dataset.card.markdown`
(text or code, never Markdown or HTML). The "Dataset Structure" section lives in
:mod:`newscorpus.dataset.card.structure`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from newscorpus.dataset.card.about import CardInfo
from newscorpus.dataset.card.provenance import annotation_process
from newscorpus.dataset.card.stats import CardStats
from newscorpus.dataset.card.usage import card_people, citation, curators, link, sources
from newscorpus.dataset.article import GOLD_STATUSES
from newscorpus.dataset.card.markdown import code, text
from newscorpus.dataset.card.structure import plural as _plural
from newscorpus.dataset.card.structure import code_list, share, structure
from newscorpus.core.scheme import Scheme
from newscorpus.dataset.configs import configs_for
from newscorpus.dataset.result import BuildResult
from newscorpus.dataset.splits import SPLITS

__all__ = ["summary", "gold_status", "structure", "labels", "creation", "considerations", "licensing"]


def summary(stats: CardStats, *, scheme: Scheme, result: BuildResult, info: CardInfo = CardInfo()) -> str:
    """"Dataset Description": summary, sources (:func:`~newscorpus.dataset.card.usage.sources`),
    supported tasks, languages."""
    n_sent, n_spans, gold = stats.n_sentences, stats.n_spans, stats.gold
    layers = ", ".join(f"{code(layer.name)} ({layer.level})" for layer in scheme.layers)
    langs = stats.languages
    tasks = [task for config in configs_for(scheme).values() if (task := config.card_task(scheme))]
    return f"""## Dataset Description

### Dataset Summary

News articles annotated by hand, as standoff layers over the exact article text: named
entities (OntoNotes 5.0 types), direct quotations linked to their speakers, the discourse
role of every sentence, and the article's genre and frames. This release holds
{_plural(stats.n, "article")}, {_plural(n_sent, "sentence")} and {_plural(n_spans, "gold span")};
{share(gold, stats.n, "article")} decided gold. Layers (scheme {code(scheme.name)} {text(scheme.version)}): {layers}.
All offsets are Unicode code points, 0-based, end-exclusive: `text[start:end]` in Python.

{gold_status(stats, scheme=scheme)}

{sources(info)}

### Supported Tasks and Leaderboards

{chr(10).join(f"- {task}" for task in tasks)}

No leaderboard is attached to this dataset.

### Languages

{", ".join(f"{code(lang)} ({_plural(n, 'article')})" for lang, n in sorted(langs.items()))}, as BCP-47 tags in the `language` column."""


def _gold_only(scheme: Scheme) -> str:
    """The configs that hold rows only for articles with decided gold, as the card names them."""
    return code_list([name for name, config in configs_for(scheme).items() if config.gold_only])


def gold_status(stats: CardStats, *, scheme: Scheme) -> str:
    """What decided gold means for the configs, and the articles of each gold status
    (:func:`newscorpus.dataset.article.gold_status`) per split."""
    splits = [split for split in SPLITS if any(stats.gold_statuses[split, status] for status in GOLD_STATUSES)]
    rows = ["| split | " + " | ".join(GOLD_STATUSES) + " |", "|---|" + "---:|" * len(GOLD_STATUSES)]
    for split in splits:
        rows.append(f"| {split} | " + " | ".join(str(stats.gold_statuses[split, status]) for status in GOLD_STATUSES) + " |")
    if len(splits) > 1:
        totals = [sum(stats.gold_statuses[split, status] for split in splits) for status in GOLD_STATUSES]
        rows.append("| all | " + " | ".join(map(str, totals)) + " |")
    return f"""Only decided gold teaches a model: {_gold_only(scheme)} hold rows only for the articles
whose gold is decided, so an article that nobody has labelled, or whose annotators have not
been reconciled, is never read as one without entities. `articles` holds every article
(and `annotations` every annotation); its `gold_status` column says which is which: `decided` (the
record has gold), `undecided` (no gold, at least one submitted annotation), `unannotated`
(no gold, no submitted annotation). Articles per split:

{chr(10).join(rows)}"""


def _count_table(names: Sequence[tuple[str, str]], counts: Counter, unit: str) -> str:
    lines = [f"| label | definition | {unit} |", "|---|---|---:|"]
    lines += [f"| {code(name, in_table=True)} | {text(definition)} | {counts.get(name, 0)} |" for name, definition in names]
    return "\n".join(lines)


def labels(stats: CardStats, *, scheme: Scheme) -> str:
    """"Label definitions and counts": one table per layer, gold counts."""
    out = ["### Label definitions and counts", "", "Definitions from the scheme; counts of gold labels in this release."]
    for layer in scheme.layers:
        if layer.level == "span":
            counts = Counter({lab: n for (name, lab), n in stats.span_labels.items() if name == layer.name})
            unit = "spans"
        elif layer.level == "sentence":
            counts = Counter({lab: n for (name, lab), n in stats.sentence_labels.items() if name == layer.name})
            unit = "sentences"
        else:
            counts = Counter({lab: n for (name, lab), n in stats.article_labels.items() if name == layer.name})
            unit = "articles"
        out += ["", f"#### {code(layer.name)} ({layer.level}, {layer.cardinality if layer.level != 'span' else 'spans'})", "",
                f"Source: {text(layer.source)}.", "", _count_table([(lab.name, lab.definition) for lab in layer.labels], counts, unit)]
    for rel in scheme.relations:
        counts = stats.relation_labels
        out += ["", f"#### relation {code(rel.name)}", "", f"Source: {text(rel.source)}.", "",
                _count_table([(lab.name, lab.definition) for lab in rel.labels], counts, "relations")]
    return "\n".join(out)


def creation(stats: CardStats, *, scheme: Scheme, agreement: str, info: CardInfo = CardInfo()) -> str:
    """"Dataset Creation": rationale, source data, annotation process (:mod:`~newscorpus.dataset.card.provenance`),
    annotators, agreement."""
    segmenters = sorted(stats.segmenters)
    annotators = stats.annotators
    publishers = stats.publishers
    return f"""## Dataset Creation

### Curation Rationale

One corpus, one exact text per article, several annotation layers that refer to it by
offset: entities, quotations and their speakers, sentence discourse roles, genre and frames
can be studied together, and every label can be traced to the annotator who made it.

### Source Data

Articles from {", ".join(f"{text(p)} ({n})" for p, n in sorted(publishers.items()))}. Each text was fixed
once at ingest, before annotation: UTF-8, byte-order mark removed, CRLF and CR turned into
LF, Unicode NFC; nothing rewrites it afterwards, and `text_sha256` identifies it.
Sentences: {", ".join(map(text, segmenters))} (rule-based, run paragraph by paragraph, trimmed).

### Annotations

#### Annotation process

{annotation_process(stats, guidelines=info.guidelines is not None)}

#### Who are the annotators?

{_plural(len(annotators), "annotator")}, identified only by pseudonymous ids (`ls-<Label Studio user id>`).

#### Agreement

{agreement}

### Personal and Sensitive Information

The texts are published news and name public figures as news does. Annotator identities
are replaced by pseudonymous ids; no e-mail address or name of an annotator is published."""


def considerations(stats: CardStats, *, scheme: Scheme, result: BuildResult) -> str:
    """"Considerations for Using the Data": impact, biases, limitations, from the data."""
    first, last = stats.first_published.isoformat(), stats.last_published.isoformat()
    publishers = sorted(stats.publishers)
    single = stats.single
    no_gold = stats.n - stats.gold
    limits = [
        f"The corpus is small ({_plural(stats.n, 'article')}) and covers {_plural(len(publishers), 'publisher')}, "
        f"published {f'on {first}' if first == last else f'between {first} and {last}'}: too little to train a model on "
        "alone, suited to evaluation and to studying the layers together.",
        f"{share(single, stats.n, 'article')} gold decided by a single annotator (`gold_method` = `single`); "
        f"{no_gold} {'has' if no_gold == 1 else 'have'} no gold (empty labels in `articles`, no rows in {_gold_only(scheme)}).",
        "Entity spans never overlap or nest (flat OntoNotes-style), so nested names are annotated at the outer level only.",
        *(["Only direct quotations are annotated; indirect speech is not."] if scheme.role("quote") else []),
        f"Text withheld for rights reasons: {_plural(len(result.withheld), 'article')}"
        + (f" ({', '.join(map(code, result.withheld))})" if result.withheld else "")
        + "; their offsets and labels are present but the text must be re-attached (see Licensing).",
    ]
    if result.crossing:
        crossing = len(result.crossing)
        limits.append(f"{_plural(crossing, 'gold span')} {'crosses' if crossing == 1 else 'cross'} a sentence boundary and "
                      f"{'appears' if crossing == 1 else 'appear'} only in the `articles` config.")
    return f"""## Considerations for Using the Data

### Social Impact of Dataset

The annotations make the sourcing and framing of news measurable: who is quoted, how often,
and in which role. Conclusions drawn from {_plural(stats.n, 'article')} do not generalise to news at large.

### Discussion of Biases

Every article comes from {", ".join(map(text, publishers))}; the topics, sources and framings are those
of these publishers in the period covered. The label sets are English-news conventions
(OntoNotes, Media Frames Corpus, news discourse profiling).

### Other Known Limitations

{chr(10).join(f"- {item}" for item in limits)}"""


#: Where the licensing table goes in the section's text (split out by :func:`licensing_parts`).
_TABLE = "\x00licensing table\x00"


def licensing(stats: CardStats, *, scheme: Scheme, result: BuildResult, public: bool, info: CardInfo = CardInfo()) -> str:
    """"Additional Information": curators, licensing per article, re-attaching text, citation,
    contributions, the card's authors and contact."""
    return "".join(licensing_parts(stats, scheme=scheme, result=result, public=public, info=info))


def licensing_parts(stats: CardStats, *, scheme: Scheme, result: BuildResult, public: bool,
                    info: CardInfo = CardInfo()) -> Iterator[str]:
    """:func:`licensing` in pieces, the table one line at a time (one line per article:
    a large release's card is written without holding its table in memory)."""
    head, tail = _licensing_text(stats, scheme=scheme, result=result, public=public, info=info).split(_TABLE)
    yield head
    yield "| article | title | publisher | text licence | redistributable | text in this release |\n|---|---|---|---|---|---|"
    withheld = set(result.withheld)
    for article_id, title, publisher, license_, redistributable in stats.licensing:
        yield (
            f"\n| {code(article_id, in_table=True)} | {text(title or '')} | {text(publisher)} | {code(license_, in_table=True)} | "
            f"{'yes' if redistributable else 'no'} | {'no (withheld)' if article_id in withheld else 'yes'} |"
        )
    yield tail


def _licensing_text(stats: CardStats, *, scheme: Scheme, result: BuildResult, public: bool, info: CardInfo) -> str:
    example = result.withheld[0] if result.withheld else stats.first_id
    hints = [hint for config in configs_for(scheme).values() if (hint := config.text_hint)]
    others = f"The same applies to the other configs: {'; '.join(hints)}. " if hints else ""
    build_kind = "a public build: text that may not be redistributed is withheld" if public else "a local build: every text is included"
    return f"""## Additional Information

### Dataset Curators

{curators(info)}

### Licensing Information

Our annotations (offsets, labels, relations, sentence boundaries, metadata) are released
under CC BY 4.0 (`cc-by-4.0`). Each article's text keeps its own licence, below; this is
{build_kind}. The YAML header's `license` lists the annotations' licence and every text
licence below (`other` for a licence the Hub does not list), and `license_details` says
which covers what.{f"{chr(10)}{chr(10)}From the curators: {text(info.license_notes)}" if info.license_notes else ""}

{_TABLE}

### Re-attaching withheld text

Where `text` is null, obtain the article from its publisher (`title`, `publisher`,
`published`, `url`), bring it to canonical form, check its SHA-256 against `text_sha256`,
and fill every text column from the offsets:

```python
import hashlib, unicodedata
from datasets import load_dataset

def canonical(raw: bytes) -> str:  # UTF-8, no BOM, LF line ends, NFC (as at ingest)
    text = raw.decode("utf-8").removeprefix("\\ufeff").replace("\\r\\n", "\\n").replace("\\r", "\\n")
    return unicodedata.normalize("NFC", text)

texts = {{"{example}": canonical(open("{example}.txt", "rb").read())}}  # your own copies

def attach(row):
    text = texts.get(row["id"])
    if row["text"] is None and text is not None:
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != row["text_sha256"]:
            raise ValueError(f"{{row['id']}}: this copy differs from the annotated text")
        row["text"] = text
        row["spans"] = [{{**s, "text": text[s["start"]:s["end"]]}} for s in row["spans"]]
    return row

articles = load_dataset(DATASET, "articles", split="{result.article_splits[example]}").map(attach)
```

{others}A copy whose hash differs has been edited: the offsets do not apply to it.

### Citation Information

{citation(info)}

Please also cite the label sets' sources: OntoNotes 5.0 (Weischedel et al., 2013); SemEval-2023
Task 3 (Piskorski et al., 2023) and the Media Frames Corpus (Card et al., 2015); news
discourse profiling (Choubey et al., ACL 2020); PARC 3.0 (Pareti, 2016).

### Contributions

Annotations by {_plural(len(stats.annotators), "pseudonymous annotator")}; corrections are
welcome as changes to the article records (`annotations/<article id>.json`){f" of {link(info.repository)}" if info.repository else ""}.

{card_people(info)}"""
