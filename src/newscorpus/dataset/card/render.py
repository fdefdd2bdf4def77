"""The dataset card (``README.md``): Hub metadata YAML + a body generated from the data.

The YAML declares the Hub metadata (licence, languages, task categories and ids, size
category, pretty name, annotation creators), ``configs`` (data files per split) and
``dataset_info`` (typed features per config, split sizes), so ``datasets.load_dataset``
reads every config with the declared types. The body follows the Hub's dataset card
template, every section filled from the records (:mod:`newscorpus.dataset.card.sections`).
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from newscorpus.dataset.card import sections
from newscorpus.dataset.card import markdown
from newscorpus.dataset.card.about import CardInfo
from newscorpus.dataset.card.licences import ANNOTATIONS_LICENSE, license_metadata
from newscorpus.dataset.card.usage import uses
from newscorpus.dataset.card.stats import CardStats
from newscorpus.dataset.card.structure import share
from newscorpus.core.scheme import Scheme
from newscorpus.dataset.configs import DEFAULT_CONFIG, config_yaml, configs_for
from newscorpus.dataset.result import BuildResult

__all__ = ["ANNOTATIONS_LICENSE", "card_metadata", "render_card", "card_parts", "agreement_section", "size_category", "title"]

_SIZE_BOUNDS = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")]


def size_category(n: int) -> str:
    """The Hub's ``size_categories`` value for ``n`` examples (``n<1K``, ``1K<n<10K``, ...)."""
    for bound, name in _SIZE_BOUNDS:
        if n < bound:
            return name
    return "10M<n<100M"


def title(info: CardInfo) -> str:
    """The card's first line: ``# Dataset Card for <pretty name>``, or ``# Dataset Card``
    when the corpus states no name (never one made up)."""
    return f"# Dataset Card for {markdown.text(info.pretty_name)}" if info.pretty_name else "# Dataset Card"


def card_metadata(stats: CardStats, *, scheme: Scheme, result: BuildResult, info: CardInfo = CardInfo()) -> dict:
    """The card's YAML metadata as a dict (key order is the written order): ``pretty_name``
    only when ``info`` states one; the licence fields of
    :func:`~newscorpus.dataset.card.licences.license_metadata` (``license`` first, the
    details after ``tags``)."""
    languages = sorted({lang.split("-")[0].lower() for lang in stats.languages})
    configs = []
    infos = []
    for config in configs_for(scheme):
        splits = result.configs.get(config)
        if not splits:
            continue
        entry = {"config_name": config}
        if config == DEFAULT_CONFIG:
            entry["default"] = True
        entry["data_files"] = [{"split": split, "path": stats.path if len(stats.files) == 1 else list(stats.files)} for split, stats in splits.items()]
        configs.append(entry)
        infos.append(
            {
                "config_name": config,
                "features": config_yaml(config, scheme),
                "splits": [{"name": s, "num_bytes": st.num_bytes, "num_examples": st.num_examples} for s, st in splits.items()],
                "download_size": sum(st.file_size for st in splits.values()),
                "dataset_size": sum(st.num_bytes for st in splits.values()),
            }
        )
    licence = license_metadata(stats.licences, stats.restricted, notes=info.license_notes)
    head = {"pretty_name": info.pretty_name} if info.pretty_name else {}
    return {
        **head,
        "license": licence.pop("license"),
        "language": languages,
        "multilinguality": ["monolingual" if len(languages) == 1 else "multilingual"],
        "size_categories": [size_category(stats.n)],
        "source_datasets": ["original"],
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition", "multi-class-classification", "multi-label-classification"],
        "annotations_creators": ["expert-generated"],
        "language_creators": ["found"],
        "tags": ["news", "named-entity-recognition", "quotation-attribution", "discourse", "framing", "standoff"],
        **licence,
        "configs": configs,
        "dataset_info": infos,
    }


def _fig(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def agreement_section(stats: CardStats, agreement: dict | None = None) -> str:
    """The "Agreement" paragraph: how many articles have two or more annotators (distinct
    pseudonymous ids among submitted annotations), and, when ``agreement`` (the JSON of
    ``newscorpus agreement``, :meth:`~newscorpus.agreement.figures.AgreementReport.to_dict`) is
    given, its figures: span F1 (exact and overlap) per span layer, Krippendorff's alpha and
    Cohen's kappa per sentence and article layer, from the build's running statistics."""
    multi, annotated, n = stats.multi, stats.annotated, stats.n
    text = (
        f"{share(multi, n, 'article')} submitted annotations by two or more annotators; "
        f"{annotated} {'has' if annotated == 1 else 'have'} at least one."
    )
    if not multi:
        return text + (
            " Inter-annotator agreement needs at least two annotators on the same article, so no"
            " agreement figure can be computed for this release; every label here is a single"
            " annotator's decision (see the `gold_method` column) and should be read as such."
        )
    if agreement is None:
        return text + " Agreement figures were not computed for this build (`newscorpus agreement`)."
    rows = ["", "", "| layer | level | figure | value | units |", "|---|---|---|---|---|"]
    for layer in agreement["span_layers"]:
        micro = layer["micro"]
        rows.append(f"| {markdown.text(layer['layer'])} | span | pairwise F1, exact / overlap | {_fig(micro['exact_f1'])} / {_fig(micro['overlap_f1'])} | {micro['spans']} spans |")
    for layer in agreement["sentence_layers"] + agreement["article_layers"]:
        kappa = f"; Cohen's kappa {_fig(layer['kappa'])}" if layer["kappa"] is not None else ""
        rows.append(f"| {markdown.text(layer['layer'])} | {markdown.text(layer['level'])} | Krippendorff's alpha (nominal){kappa} | {_fig(layer['alpha'])} | {layer['units']} |")
    annotators = ", ".join(map(markdown.text, agreement["annotators"]))
    return text + f" Figures over the annotators {annotators} (computed by `newscorpus agreement`; docs/agreement.md):" + "\n".join(rows)


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)


def render_card(stats: CardStats, *, scheme: Scheme, result: BuildResult, public: bool, agreement: dict | None = None,
                info: CardInfo = CardInfo()) -> str:
    """The whole ``README.md``: ``---`` YAML ``---`` then the Markdown body, from the
    running statistics of the build (``stats.example`` set from the first rows of each config)
    and what the corpus says about itself (``info``, ``[card]`` of ``newscorpus.toml``).
    Deterministic: the same records, build and ``info`` give the same text."""
    return "".join(card_parts(stats, scheme=scheme, result=result, public=public, agreement=agreement, info=info))


def card_parts(stats: CardStats, *, scheme: Scheme, result: BuildResult, public: bool, agreement: dict | None = None,
               info: CardInfo = CardInfo()) -> Iterator[str]:
    """:func:`render_card` in pieces whose concatenation is the card: the build writes them
    one after the other, so the licensing table (a line per article) is never one string."""
    meta = card_metadata(stats, scheme=scheme, result=result, info=info)
    parts = [
        title(info),
        sections.summary(stats, scheme=scheme, result=result, info=info),
        uses(stats, scheme=scheme, info=info),
        sections.structure(stats, scheme=scheme, result=result),
        sections.labels(stats, scheme=scheme),
        sections.creation(stats, scheme=scheme, agreement=agreement_section(stats, agreement), info=info),
        sections.considerations(stats, scheme=scheme, result=result),
    ]
    yield "---\n" + _yaml(meta) + "---\n\n" + "\n\n".join(p.strip("\n") for p in parts) + "\n\n"
    yield from _stripped(sections.licensing_parts(stats, scheme=scheme, result=result, public=public, info=info))
    yield "\n"


def _stripped(pieces: Iterator[str]) -> Iterator[str]:
    """``pieces`` with the newlines at the start of the first and the end of the last removed
    (``"".join(pieces).strip("\\n")`` for pieces that are not all newlines)."""
    previous = None
    first = True
    for piece in pieces:
        if previous is not None:
            yield previous.lstrip("\n") if first else previous
            first = False
        previous = piece
    if previous is not None:
        yield (previous.lstrip("\n") if first else previous).rstrip("\n")
