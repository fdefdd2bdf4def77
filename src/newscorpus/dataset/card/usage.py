"""The card's sections that speak for the corpus and its users: where it comes from and
who curates it (``[card]`` of ``newscorpus.toml``, :class:`~newscorpus.dataset.card.about.CardInfo`),
how it may and may not be used (computed from the build, plus the corpus's own words), its
citation, and who wrote the card. Sections of the Hub's dataset card template
(``huggingface_hub/templates/datasetcard_template.md``): Dataset Sources, Uses (Direct
Use, Out-of-Scope Use), Citation, Dataset Card Authors, Dataset Card Contact.

Nothing absent is invented: a key the configuration does not set is "not stated", naming
the key. Every configured value goes in through :mod:`newscorpus.dataset.card.markdown`
(text, or an autolink for a plain http(s) URL); the BibTeX goes in a fenced code block that
no line of it can close.
"""

from __future__ import annotations

import re

from newscorpus.core.scheme import Scheme
from newscorpus.dataset.card.about import (FAILS_WITH, GUIDELINES_FILE, LOADS_WITH, MIN_DATASETS, TESTED_DATASETS, URL,
                                           CardInfo)
from newscorpus.dataset.card.markdown import code, text
from newscorpus.dataset.card.stats import CardStats
from newscorpus.dataset.card.structure import code_list, plural
from newscorpus.dataset.configs import configs_for

__all__ = ["link", "not_stated", "loading", "sources", "uses", "curators", "citation", "card_people"]



def link(value: str) -> str:
    """``value`` as an autolink ``<URL>`` when it is a plain http(s) URL, else as text."""
    return f"<{value}>" if URL.fullmatch(value) else text(value)


def not_stated(key: str) -> str:
    """The words for a ``[card]`` key the configuration does not set."""
    return f"not stated (`[card] {key}` of `newscorpus.toml`)"


def _names(names: tuple[str, ...] | None, key: str) -> str:
    return ", ".join(map(text, names)) if names else not_stated(key)


def loading() -> str:
    """The card's words on which ``datasets`` releases load the build: the measured minimum,
    the releases measured, the newest that failed and why, and the pinned release."""
    failed = f"; fails with `{FAILS_WITH[0]}`: {text(FAILS_WITH[1])}" if FAILS_WITH else ""
    return (f"loads with `datasets>={MIN_DATASETS}` (measured: every config and split loaded with "
            f"{', '.join(LOADS_WITH)}{failed}); built and tested with `datasets=={TESTED_DATASETS}` "
            "(`datasets.load_dataset`, no loading script)")


def sources(info: CardInfo) -> str:
    """"Dataset Sources": curators, funding, homepage, repository, paper, guidelines, contact."""
    items = [
        ("Curated by", _names(info.curators, "curators")),
        *([("Funded by", text(info.funded_by))] if info.funded_by else []),
        ("Homepage", link(info.homepage) if info.homepage else not_stated("homepage")),
        ("Repository", link(info.repository) if info.repository else not_stated("repository")),
        ("Paper", link(info.paper) if info.paper else not_stated("paper")),
        ("Annotation guidelines", f"[{GUIDELINES_FILE}]({GUIDELINES_FILE}), published with the data"
         if info.guidelines else "none published with this release (`[card] guidelines` of `newscorpus.toml`)"),
        ("Contact", link(info.contact) if info.contact else not_stated("contact")),
        ("Loading", loading()),
    ]
    return "### Dataset Sources\n\n" + "\n".join(f"- {label}: {value}" for label, value in items)


def uses(stats: CardStats, *, scheme: Scheme, info: CardInfo) -> str:
    """"Uses": direct use and out-of-scope use, from the build's counts and the corpus's words."""
    gold_only = code_list([name for name, config in configs_for(scheme).items() if config.gold_only])
    no_gold = stats.n - stats.gold
    size = (", too small to train a model from scratch: suited to evaluation, fine-tuning and analysis"
            if stats.n < 1000 else "")
    direct = [
        f"Training and evaluating models on the decided gold: {plural(stats.gold, 'article')} with "
        f"{plural(stats.n_spans, 'gold span')} ({gold_only} hold their rows); {plural(stats.n, 'article')} in all{size}.",
        "Studying the layers together through their offsets into one exact text (`articles`): who is quoted, "
        "in which role, under which frames.",
    ]
    restricted = sum(stats.restricted.values())
    first, last = stats.first_published.isoformat(), stats.last_published.isoformat()
    period = f"on {first}" if first == last else f"between {first} and {last}"
    out = []
    if no_gold:
        out.append(f"Reading the {plural(no_gold, 'article')} without decided gold as articles without entities or labels: "
                   "their labels in `articles` are empty because nobody decided them, not because there is nothing to label.")
    if restricted:
        licences = ", ".join(code(spdx) for spdx in sorted(stats.restricted))
        out.append(f"Redistributing the text of the {plural(restricted, 'article')} whose licence forbids it ({licences}): "
                   "re-attach it only from a copy you hold the rights to, and do not publish it.")
    out.append(f"Conclusions about news at large: the articles come from {plural(len(stats.publishers), 'publisher')}, "
               f"in {plural(len(stats.languages), 'language')}, published {period}.")
    if stats.annotators:
        out.append("Identifying or ranking annotators: their ids are pseudonymous, and the data is not a measure of their work.")
    parts = ["## Uses", "", "### Direct Use", "", "\n".join(f"- {item}" for item in direct)]
    if info.direct_use:
        parts += ["", f"From the curators: {text(info.direct_use)}"]
    parts += ["", "### Out-of-Scope Use", "", "\n".join(f"- {item}" for item in out)]
    if info.out_of_scope_use:
        parts += ["", f"From the curators: {text(info.out_of_scope_use)}"]
    return "\n".join(parts)


def curators(info: CardInfo) -> str:
    """The body of "Dataset Curators"."""
    who = ", ".join(map(text, info.curators)) if info.curators else "Not" + not_stated("curators")[3:]
    return f"{who}. Built with the `newscorpus` package (`newscorpus build`)."


def _fence(body: str) -> str:
    """A backtick fence longer than any run of backticks in ``body`` (at least three)."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    return "`" * max(3, longest + 1)


def citation(info: CardInfo) -> str:
    """How to cite the dataset: the configured BibTeX in a fenced block, or "not stated"."""
    if not info.citation:
        return f"This dataset's own citation is {not_stated('citation')}."
    body = info.citation.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    fence = _fence(body)
    return f"If you use this dataset, please cite:\n\n{fence}bibtex\n{body}\n{fence}"


def card_people(info: CardInfo) -> str:
    """"Dataset Card Authors" and "Dataset Card Contact"."""
    authors = ", ".join(map(text, info.card_authors)) if info.card_authors else "Not" + not_stated("card_authors")[3:]
    contact = link(info.contact) if info.contact else "Not" + not_stated("contact")[3:]
    return (f"### Dataset Card Authors\n\n{authors}. The card is generated by `newscorpus build` from the article "
            f"records and `newscorpus.toml`.\n\n### Dataset Card Contact\n\n{contact}.")
