"""What a dataset config is: :class:`DatasetConfig`, the base of every config of the registry
(:data:`newscorpus.dataset.configs.CONFIGS`)."""

from __future__ import annotations

from typing import Any, ClassVar

import pyarrow as pa

from newscorpus.core.scheme import Scheme
from newscorpus.dataset.arrow import Columns
from newscorpus.dataset.article import Article
from newscorpus.dataset.columns import SHARED_DOCS, layer_doc
from newscorpus.dataset.features import Feature

__all__ = ["DatasetConfig"]


class DatasetConfig:
    """One config of the Hugging Face dataset: its columns, its rows, what the card says of it.

    A config is one unit: :meth:`features` declares its columns under a scheme,
    :meth:`add_rows` makes its rows of one article, :meth:`column_docs` and the class
    attributes below give the card's text. The build writes its rows to
    ``<name>/<split>-*.parquet``; a config without rows in a build is left out of the card.
    """

    #: the config's name (``datasets.load_dataset(path, name)``) and folder
    name: ClassVar[str]
    #: what a row is, for the card's list of configs (one line, no final period)
    description: ClassVar[str]
    #: how this config's text columns are filled back from the offsets when the text is
    #: withheld (a clause of the card's "Re-attaching withheld text"), or None
    text_hint: ClassVar[str | None] = None
    #: the caption of the card's example row of this config (``""``: none but the name), or
    #: None for no example row; the row is the first article's first row
    example_note: ClassVar[str | None] = None
    #: whether the config has rows only for articles whose gold is decided
    #: (:func:`~newscorpus.dataset.article.gold_status`): a config that teaches a model
    #: labels, where an article without gold would teach it that nothing is labelled
    gold_only: ClassVar[bool] = False
    #: the paths of the columns (``"tokens"``) and struct fields (``"spans.start"``) whose
    #: values :meth:`add_rows` gives as numpy :class:`~newscorpus.dataset.arrow.Pieces`
    pieces: ClassVar[tuple[str, ...]] = ()
    #: the card's one-line description of each column that is not a layer's label column
    #: and means something of its own here (else :data:`~newscorpus.dataset.columns.SHARED_DOCS`)
    docs: ClassVar[dict[str, str]] = {}

    def available(self, scheme: Scheme) -> bool:
        """Whether the config exists under ``scheme`` (every config but those needing a
        scheme role the scheme does not declare)."""
        return True

    def card_task(self, scheme: Scheme) -> str | None:
        """The card's line under "Supported Tasks" for this config under ``scheme``, or None."""
        return None

    def card_note(self, scheme: Scheme) -> str | None:
        """A paragraph the card adds after the columns of every config, or None."""
        return None

    def features(self, scheme: Scheme) -> dict[str, Feature]:
        """The columns under ``scheme``: column name -> feature, in column order."""
        raise NotImplementedError

    def add_rows(self, article: Article, out: Columns) -> None:
        """Add the config's rows of one ``article`` to ``out`` (a batch made by :meth:`batch`)
        and count them in ``out.num_rows``. Not called for an article without gold when
        :attr:`gold_only`."""
        raise NotImplementedError

    def batch(self, schema: pa.Schema) -> Columns:
        """An empty batch of ``schema`` (the Arrow schema of :meth:`features`) that
        :meth:`add_rows` fills."""
        return Columns(schema, self.pieces)

    def column_docs(self, scheme: Scheme) -> dict[str, str]:
        """The card's one-line description of every column of :meth:`features`, in column
        order (a label column: its layer's, see Label definitions)."""
        docs = self.column_texts(scheme)
        return {name: docs.get(name) or SHARED_DOCS.get(name) or layer_doc(name) for name in self.features(scheme)}

    def column_texts(self, scheme: Scheme) -> dict[str, str]:
        """The descriptions of :attr:`docs`, as ``scheme`` words them (a config whose
        descriptions name labels of the scheme makes them here)."""
        return self.docs

    def card_example(self, row: dict[str, Any]) -> dict[str, Any]:
        """``row`` as the card shows it (long values cut); JSON-ready."""
        return row
