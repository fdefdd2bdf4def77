"""The gate of the commands that read records to compute from them (``agreement``,
``adjudicate``): a record ``newscorpus validate`` refuses is refused there too, with the
validator's rule code, instead of giving figures or gold tasks from broken data (a span
``[5000, 61)`` written into adjudication tasks).
"""

from __future__ import annotations

from pathlib import Path

from newscorpus.core.models import ArticleRecord
from newscorpus.core.scheme import Scheme
from newscorpus.errors import RecordError
from newscorpus.records.io import load_record_json, read_record
from newscorpus.validate.run import validate_record

__all__ = ["read_valid_record"]

#: What a reader forgives: an older schema version is migrated in memory as it is read.
_FORGIVEN = frozenset({"outdated-schema-version"})


def read_valid_record(path: str | Path, *, scheme: Scheme) -> ArticleRecord:
    """Read the record file ``path`` (migrated in memory when its schema version is older)
    after the checks of ``newscorpus validate`` under ``scheme`` (the annotation scheme in
    use). Raises :class:`~newscorpus.errors.RecordError` naming the file and the JSON path,
    with the first violated rule's code (``span-out-of-bounds``, ``span-overlap``...), when
    validate would refuse it, or when the file cannot be read."""
    path = Path(path)
    data = load_record_json(path)
    violations = [v for v in validate_record(data, file=str(path), scheme=scheme) if v.rule not in _FORGIVEN]
    if violations:
        first = violations[0]
        more = f" (and {len(violations) - 1} more; run `newscorpus validate {path}`)" if len(violations) > 1 else ""
        raise RecordError(first.message + more, file=str(path), where=first.path, code=first.rule)
    return read_record(path)
