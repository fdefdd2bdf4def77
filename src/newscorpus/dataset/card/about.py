"""What the corpus says about itself on its card, and what the card links to: the
``[card]`` section of ``newscorpus.toml`` (docs/configuration.md) as the build reads it.

Every field is optional; the card never invents a value that is absent: it leaves the
field out of the YAML header and says "not stated" in the body (docs/dataset.md, The card).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

__all__ = ["CardInfo", "TESTED_DATASETS", "MIN_DATASETS", "LOADS_WITH", "FAILS_WITH", "GUIDELINES_FILE", "URL"]

#: The ``datasets`` release the build's folders are loaded with in newscorpus's test suite
#: (the version pyproject.toml pins; a test holds the two equal).
TESTED_DATASETS = "5.2.0"

#: What ``scripts/min_datasets.py`` measured (docs/dataset.md, "`datasets` version", holds the
#: table, its date and commit; a test holds these three equal to it): the releases that load
#: every config and split of a build with the features and rows TESTED_DATASETS reads
#: (oldest first), the oldest of them, and the newest release below it that was run and
#: failed, with the reason in a few words (None when none was run).
LOADS_WITH: tuple[str, ...] = ("2.14.7", "2.16.1", "2.18.0", "2.19.2", "2.20.0", "2.21.0", "3.0.2", "3.1.0", "3.2.0",
                                "3.3.2", "3.6.0", "4.0.0", "5.2.0")
MIN_DATASETS = "2.14.7"
FAILS_WITH: tuple[str, str] | None = (
    "2.14.6", "its import fails with the pyarrow pip installs today (26.0.1 has no PyExtensionType); "
              "with pyarrow 20.0.0 it loads every config and split")

#: The name the annotation guidelines get in the built folder (copied from ``CardInfo.guidelines``).
GUIDELINES_FILE = "guidelines.md"

#: An http(s) URL the card may show as an autolink ``<URL>``: no whitespace, control
#: character, or character that ends an autolink or starts an escape.
URL = re.compile(r"https?://[^\s<>\"`\\\x00-\x1f\x7f]+")


def _stated(value: str) -> str:
    if not value.strip():
        raise ValueError("empty: remove the key when there is nothing to state")
    return value


def _url(value: str) -> str:
    if not URL.fullmatch(value):
        raise ValueError(f"expected an http(s) URL without spaces, found {value!r}")
    return value


def _bibtex(value: str) -> str:
    if not value.lstrip().startswith("@"):
        raise ValueError("expected BibTeX: one or more entries, the first starting with @ (e.g. @misc{...})")
    return value.strip("\n")


_Text = Annotated[str, AfterValidator(_stated)]
_Url = Annotated[str, AfterValidator(_url)]


class CardInfo(BaseModel):
    """The corpus's own statements for its card (``[card]`` of ``newscorpus.toml``, read by
    :func:`newscorpus.config.read_config`), each None when not stated.

    ``pretty_name`` (the Hub's name and the card's title), ``curators`` and
    ``card_authors`` (names, in order), ``funded_by``, ``homepage`` and ``repository``
    (http(s) URLs), ``paper`` (a URL or any reference), ``contact`` (an address or URL for
    questions about the data), ``license_notes`` (text added to the licence details),
    ``citation`` (BibTeX, as written; it must start with ``@``), ``direct_use`` and
    ``out_of_scope_use`` (text added to the card's computed Uses), and ``guidelines``, the
    annotation guidelines file (Markdown) the build copies into the dataset folder as
    ``guidelines.md``. A text that is blank, an unknown key, a URL that is not http(s) or a
    citation that is not BibTeX raises ``pydantic.ValidationError``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    pretty_name: _Text | None = None
    curators: tuple[_Text, ...] | None = None
    card_authors: tuple[_Text, ...] | None = None
    funded_by: _Text | None = None
    homepage: _Url | None = None
    repository: _Url | None = None
    paper: _Text | None = None
    contact: _Text | None = None
    license_notes: _Text | None = None
    citation: Annotated[str, AfterValidator(_bibtex)] | None = None
    direct_use: _Text | None = None
    out_of_scope_use: _Text | None = None
    guidelines: Path | None = None
