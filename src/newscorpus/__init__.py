"""newscorpus: news articles into a validated, labelled corpus and a Hugging Face dataset.

The public surface, one entry point per pipeline stage (DESIGN section 1). Offsets are
Unicode code points, 0-based, end-exclusive, everywhere.

>>> from newscorpus import ingest_all, import_export, validate_paths, build_dataset

Names are imported lazily, so ``import newscorpus`` stays cheap (``datasets`` and
``pyarrow`` load only when the build is used).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    # records and scheme
    "SCHEMA_VERSION",
    "ArticleRecord",
    "Annotation",
    "Gold",
    "Span",
    "Relation",
    "Scheme",
    "default_scheme",
    "read_record",
    "write_record",
    # stages
    "ingest_all",
    "ingest_seed",
    "label_config",
    "record_to_task",
    "write_tasks",
    "import_export",
    "validate_paths",
    "migrate_paths",
    "build_dataset",
    "publish_dataset",
    "corpus_agreement",
    "adjudicate",
    # errors
    "NewscorpusError",
    "ExportError",
    "RecordError",
]

_WHERE = {
    "SCHEMA_VERSION": "models",
    "ArticleRecord": "models",
    "Annotation": "models",
    "Gold": "models",
    "Span": "models",
    "Relation": "models",
    "Scheme": "scheme",
    "default_scheme": "scheme",
    "read_record": "records",
    "write_record": "records",
    "ingest_all": "ingest",
    "ingest_seed": "ingest",
    "label_config": "tasks",
    "record_to_task": "tasks",
    "write_tasks": "tasks",
    "import_export": "importer",
    "validate_paths": "validate",
    "migrate_paths": "migrate",
    "build_dataset": "build",
    "publish_dataset": "publish",
    "corpus_agreement": "agreement",
    "adjudicate": "adjudicate",
    "NewscorpusError": "errors",
    "ExportError": "errors",
    "RecordError": "errors",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'newscorpus' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .adjudicate import adjudicate
    from .agreement import corpus_agreement
    from .build import build_dataset
    from .errors import ExportError, NewscorpusError, RecordError
    from .importer import import_export
    from .ingest import ingest_all, ingest_seed
    from .migrate import migrate_paths
    from .models import SCHEMA_VERSION, Annotation, ArticleRecord, Gold, Relation, Span
    from .publish import publish_dataset
    from .records import read_record, write_record
    from .scheme import Scheme, default_scheme
    from .tasks import label_config, record_to_task, write_tasks
    from .validate import validate_paths
