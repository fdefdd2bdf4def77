"""newscorpus: news articles into a validated, labelled corpus and a Hugging Face dataset.

The public surface, one entry point per pipeline stage (docs/design.md, The pipeline). Offsets are
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
    "load_scheme",
    "read_config",
    "read_record",
    "write_record",
    # stages
    "ingest_all",
    "ingest_seed",
    "revise_dir",
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
    "export_corpus",
    # errors
    "NewscorpusError",
    "ExportError",
    "RecordError",
]

_WHERE = {
    "SCHEMA_VERSION": "core.models",
    "ArticleRecord": "core.models",
    "Annotation": "core.models",
    "Gold": "core.models",
    "Span": "core.models",
    "Relation": "core.models",
    "Scheme": "core.scheme",
    "default_scheme": "core.scheme",
    "load_scheme": "core.scheme",
    "read_config": "config",
    "read_record": "records.io",
    "write_record": "records.io",
    "ingest_all": "ingest.run",
    "ingest_seed": "ingest.run",
    "revise_dir": "revise.run",
    "label_config": "labelstudio.tasks",
    "record_to_task": "labelstudio.tasks",
    "write_tasks": "labelstudio.tasks",
    "import_export": "importers.run",
    "validate_paths": "validate.run",
    "migrate_paths": "records.migrate",
    "build_dataset": "dataset.build",
    "publish_dataset": "dataset.publish",
    "corpus_agreement": "agreement.figures",
    "adjudicate": "agreement.adjudication",
    "export_corpus": "exporters.run",
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
    from newscorpus.agreement.adjudication import adjudicate
    from newscorpus.agreement.figures import corpus_agreement
    from newscorpus.dataset.build import build_dataset
    from newscorpus.errors import ExportError, NewscorpusError, RecordError
    from newscorpus.exporters.run import export_corpus
    from newscorpus.importers.run import import_export
    from newscorpus.ingest.run import ingest_all, ingest_seed
    from newscorpus.records.migrate import migrate_paths
    from newscorpus.revise.run import revise_dir
    from newscorpus.core.models import SCHEMA_VERSION, Annotation, ArticleRecord, Gold, Relation, Span
    from newscorpus.dataset.publish import publish_dataset
    from newscorpus.records.io import read_record, write_record
    from newscorpus.config import read_config
    from newscorpus.core.scheme import Scheme, default_scheme, load_scheme
    from newscorpus.labelstudio.tasks import label_config, record_to_task, write_tasks
    from newscorpus.validate.run import validate_paths
