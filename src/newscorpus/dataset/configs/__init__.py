"""The dataset configs: :data:`CONFIGS`, the registry the build, the card and the features
iterate, and what they ask of it by name.

Each config is one module here and one unit (a :class:`~newscorpus.dataset.configs.base.DatasetConfig`):
its features (the typed columns, generated from the scheme), its rows of one article
(:meth:`~newscorpus.dataset.configs.base.DatasetConfig.add_rows`) and what the card says of
it (description, column docs, supported task, example row). A config may need the scheme
to declare a role (``quotes`` needs ``quote``): :func:`configs_for` gives those that exist
under a scheme.

To add a config: write ``configs/<name>.py`` with a ``DatasetConfig`` subclass (``name``,
``description``, ``docs``, :meth:`features`, :meth:`add_rows`; ``available`` when it needs a
scheme role; ``gold_only`` when only articles with decided gold may have rows in it;
``pieces`` for the columns it gives as numpy arrays), add an instance to
:data:`CONFIGS` below where it should stand in the card, and give it a row-group size in
:data:`newscorpus.dataset.parquet.ROW_GROUP` if its rows are large. The build writes its
rows to ``<name>/<split>-*.parquet``, the card declares and describes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa

from newscorpus.core.scheme import Scheme
from newscorpus.dataset.arrow import Columns
from newscorpus.dataset.article import Article
from newscorpus.dataset.configs.annotations import AnnotationsConfig
from newscorpus.dataset.configs.articles import ArticlesConfig
from newscorpus.dataset.configs.base import DatasetConfig
from newscorpus.dataset.configs.ner import NerConfig
from newscorpus.dataset.configs.quotes import QuotesConfig
from newscorpus.dataset.configs.sentences import SentencesConfig
from newscorpus.dataset.features import Feature, arrow_schema, datasets_features, yaml_features

if TYPE_CHECKING:
    from datasets import Features

__all__ = [
    "DatasetConfig", "CONFIGS", "DEFAULT_CONFIG", "configs_for", "config_for", "config_spec", "config_schema",
    "config_yaml", "config_features", "config_batches", "add_article_rows",
]

#: Every config, by name, in card order (the order of the card's YAML and sections).
CONFIGS: dict[str, DatasetConfig] = {
    config.name: config
    for config in (ArticlesConfig(), SentencesConfig(), NerConfig(), QuotesConfig(), AnnotationsConfig())
}
#: The config ``datasets.load_dataset(path)`` loads without a name.
DEFAULT_CONFIG = "articles"


def configs_for(scheme: Scheme) -> dict[str, DatasetConfig]:
    """The configs that exist under ``scheme`` (:meth:`DatasetConfig.available`), by name, in
    :data:`CONFIGS` order."""
    return {name: config for name, config in CONFIGS.items() if config.available(scheme)}


def config_for(name: str, scheme: Scheme) -> DatasetConfig:
    """The config ``name`` under ``scheme``. Raises ``KeyError`` for a name that is not in
    :data:`CONFIGS` or a config that does not exist under ``scheme``."""
    config = CONFIGS[name]
    if not config.available(scheme):
        raise KeyError(f"the {name!r} config needs a role that the scheme {scheme.name!r} does not declare")
    return config


def config_spec(name: str, scheme: Scheme) -> dict[str, Feature]:
    """The columns of the config ``name`` under ``scheme``: column name -> feature, in column
    order. Raises ``KeyError`` as :func:`config_for`."""
    return config_for(name, scheme).features(scheme)


def config_schema(name: str, scheme: Scheme) -> pa.Schema:
    """The Arrow schema the Parquet files of the config ``name`` are written with
    (:func:`~newscorpus.dataset.features.arrow_schema`). Raises ``KeyError`` as :func:`config_for`."""
    return arrow_schema(config_spec(name, scheme))


def config_yaml(name: str, scheme: Scheme) -> list[dict]:
    """The ``features`` list of the config ``name`` in the card's ``dataset_info``. Raises
    ``KeyError`` as :func:`config_for`."""
    return yaml_features(config_spec(name, scheme))


def config_features(name: str, scheme: Scheme) -> Features:
    """The :class:`datasets.Features` of the config ``name`` under ``scheme`` (imports
    ``datasets``). Raises ``KeyError`` as :func:`config_for`."""
    return datasets_features(config_spec(name, scheme))


def config_batches(schemas: dict[str, pa.Schema]) -> dict[str, Columns]:
    """An empty batch per config of ``schemas`` (config name -> its Arrow schema,
    :func:`config_schema`), as :func:`add_article_rows` fills them."""
    return {name: CONFIGS[name].batch(schema) for name, schema in schemas.items()}


def add_article_rows(rec: dict[str, Any], *, scheme: Scheme, with_text: bool, out: dict[str, Columns]) -> None:
    """Add the rows of one article to the batch of each config of ``out`` (config name ->
    batch, :func:`config_batches`). ``rec`` is a record that passed
    :func:`newscorpus.validate.run.validate_record`, as :func:`~newscorpus.dataset.article.plain_record`
    gives it; ``with_text=False`` makes every copy of the text null (article, sentence, span
    and quote text, tokens) while offsets, labels and ``text_sha256`` remain. Labels come
    from the record's gold (empty without it); an article without gold has no rows in the
    :attr:`~DatasetConfig.gold_only` configs (``sentences``, ``ner``, ``quotes``); a gold
    span crossing a sentence boundary is only in ``articles``."""
    article = Article(rec, scheme=scheme, with_text=with_text)
    decided = article.gold is not None
    for name, batch in out.items():
        config = CONFIGS[name]
        if decided or not config.gold_only:
            config.add_rows(article, batch)
    article.finish()
