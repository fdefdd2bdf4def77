"""The "Dataset Structure" section of the dataset card: configs, an example row, the
columns of every config with their types and descriptions, split sizes; each config's text
comes from the config itself (:mod:`newscorpus.dataset.configs`)."""

from __future__ import annotations

import json

from newscorpus.dataset.card.stats import CardStats
from newscorpus.core.scheme import Scheme
from newscorpus.dataset.configs import DatasetConfig, configs_for
from newscorpus.dataset.features import ClassLabel, List, Value
from newscorpus.dataset.result import BuildResult
from newscorpus.dataset.splits import SPLITS

__all__ = ["structure", "plural", "share", "code_list"]


def plural(n: int, word: str) -> str:
    """``"1 article"``, ``"2 articles"`` (thousands separated)."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def share(k: int, n: int, word: str) -> str:
    """``k`` of :func:`plural` ``(n, word)`` and a verb agreeing with ``k``: ``"1 of 1 article
    has"``, ``"1 of 2 articles has"``, ``"0 of 1 article have"``, ``"2 of 2 articles have"``."""
    return f"{k:,} of {plural(n, word)} {'has' if k == 1 else 'have'}"


def code_list(names: list[str]) -> str:
    """The names as code, joined: ```a`, `b` and `c```, ```a` and `b```, ```a```."""
    quoted = [f"`{name}`" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


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


def _dump(row: dict) -> str:
    return "{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in row.items()) + "\n}"


def _example(stats: CardStats, configs: dict[str, DatasetConfig]) -> str:
    assert stats.example, "the build sets the example rows"
    return "\n\n".join(
        f"An `{name}` row{configs[name].example_note}:\n\n```json\n{_dump(configs[name].card_example(stats.example[name]))}\n```"
        for name in configs if name in stats.example
    )


def structure(stats: CardStats, *, scheme: Scheme, result: BuildResult) -> str:
    """"Dataset Structure": configs, an example, fields per config, split sizes."""
    configs = configs_for(scheme)
    fields = []
    for name, config in configs.items():
        docs = config.column_docs(scheme)
        lines = [f"#### `{name}`", "", "| column | type | description |", "|---|---|---|"]
        for column, feature in config.features(scheme).items():
            lines.append(f"| `{column}` | {_type(feature)} | {docs[column]} |")
        fields.append("\n".join(lines))
    notes = [note for config in configs.values() if (note := config.card_note(scheme))]
    split_rows = ["| config | " + " | ".join(SPLITS) + " |", "|---|" + "---:|" * len(SPLITS)]
    for name in configs:
        splits = result.configs.get(name, {})
        cells = [str(splits[s].num_examples) if s in splits else "–" for s in SPLITS]
        split_rows.append(f"| `{name}` | " + " | ".join(cells) + " |")
    missing = [c for c in configs if not result.configs.get(c)]
    empty = (
        "; " + code_list(missing)
        + (" has no rows in this release and is not" if len(missing) == 1 else " have no rows in this release and are not")
        + " declared in the YAML header"
        if missing
        else ""
    )
    return f"""## Dataset Structure

Configs (`datasets.load_dataset(DATASET, "<config>")`, where `DATASET` is this repository's
id or the local folder):

{chr(10).join(f"- `{name}`: {config.description}." for name, config in configs.items())}

### Data Instances

{_example(stats, configs)}

### Data Fields

Offsets are `int32` code points into the article text, end-exclusive. Label columns are
`ClassLabel`s whose names are in scheme order (`features[...].names`); `-1` means no label.

{(chr(10) * 2).join([*fields, *notes])}

### Data Splits

Train / validation / test by a stable hash of the article id (`sha256(id)`, first 8 bytes
over 2^64, against cumulative ratios, by default 80/10/10), so adding articles never moves
one; an article's `meta.split` overrides the hash. `datasets` cannot load a split of 0
rows, so a split without rows is left out of its config ("–" below){empty}.
Rows per config and split:

{chr(10).join(split_rows)}"""
