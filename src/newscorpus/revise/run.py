"""``newscorpus revise``: the records whose seed text was corrected, moved onto the new text.

For each record of the annotations folder (or each article asked for), the seed
``<seeds>/<id>.txt`` is read and made canonical exactly as ingest does
(:func:`newscorpus.ingest.run.canonical_text`); a record whose text differs is revised
(:func:`newscorpus.revise.record.revise_record`) and checked with the validator's semantic
rules. Then, all or nothing: when any record is refused (a changed span not accepted, a
deleted span or labelled sentence without ``drop_deleted``, a rule the result breaks),
nothing is written; else every revised record is moved in through the journal
(:func:`newscorpus.records.journal.commit_files`), holding the folder's lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from newscorpus.core.scheme import Scheme
from newscorpus.errors import IngestError, ReviseError
from newscorpus.ingest.run import canonical_text, segment
from newscorpus.records.access import locked_folders
from newscorpus.records.io import dump_record_bytes, iter_record_paths, load_record_json, record_path
from newscorpus.records.journal import commit_files
from newscorpus.revise.record import RecordRevision, revise_record
from newscorpus.util.filekind import require_regular_file
from newscorpus.validate.gate import read_valid_record
from newscorpus.validate.semantic import semantic_violations

__all__ = ["ReviseReport", "revise_dir"]


@dataclass(frozen=True)
class ReviseReport:
    """What :func:`revise_dir` found and did: the records ``checked``, one
    :class:`~newscorpus.revise.record.RecordRevision` per record whose text changed (file
    name order), the articles asked for whose text is ``unchanged``, and whether the
    revised records were ``written`` (False on a dry run or when any was refused)."""

    checked: int
    revisions: list[RecordRevision]
    unchanged: list[str]
    written: bool

    @property
    def refused(self) -> list[RecordRevision]:
        """The revisions that stop the write."""
        return [r for r in self.revisions if r.refusals]


def _seed_text(seeds: Path, article_id: str) -> str | None:
    """The canonical text of ``<seeds>/<id>.txt``, or None when there is no such seed."""
    path = seeds / f"{article_id}.txt"
    if not path.exists() and not path.is_symlink():
        return None
    require_regular_file(path, what="a seed file", error=IngestError, prefix="seed")
    return canonical_text(path.read_bytes(), file=str(path))


@locked_folders("annotations_dir", lambda args: "read" if args["dry_run"] else "write")
def revise_dir(
    seeds: str | Path,
    *,
    annotations_dir: str | Path,
    scheme: Scheme,
    ids: Sequence[str] = (),
    accept_changed: bool = False,
    drop_deleted: bool = False,
    dry_run: bool = False,
    revised_at: dt.datetime | None = None,
) -> ReviseReport:
    """Revise the records of ``annotations_dir`` whose seed in ``seeds`` (a folder of
    ``<id>.txt``) has another canonical text; ``ids`` limits it to those articles.

    A record whose text differs from its seed's is read through the validator's gate (a
    record ``validate`` refuses is refused, :class:`~newscorpus.errors.RecordError` with
    its rule code); the others are only parsed. A record with no
    seed is left alone unless asked for. Each revision is :func:`revise_record`'s
    (``accept_changed``, ``drop_deleted``, ``revised_at``: now by default) and its result
    is checked with the validator's semantic rules under ``scheme``; a broken rule is a
    refusal (``<path>: <message> [<rule>]``). Writes only when no revision is refused and
    not ``dry_run``. Raises :class:`~newscorpus.errors.ReviseError` (``no-record``,
    ``no-seed``) for an article asked for that has no record or no seed, and
    :class:`~newscorpus.errors.IngestError` for a seed that cannot be read (nothing is
    written then).
    """
    seeds, folder = Path(seeds), Path(annotations_dir)
    if not seeds.is_dir():
        raise ReviseError("no such folder of seeds", file=str(seeds), code="no-seeds", hint="give the seeds folder ([paths] seeds)")
    if ids:
        paths = []
        for article_id in dict.fromkeys(ids):
            path = record_path(folder, article_id)
            if not path.is_file():
                raise ReviseError(f"no record of article {article_id!r}", file=str(path), code="no-record",
                                  hint="ingest its seed first (`newscorpus ingest`)")
            paths.append(path)
    else:
        paths = list(iter_record_paths(folder)) if folder.is_dir() else []
    when = revised_at or dt.datetime.now(dt.timezone.utc)
    revisions: list[RecordRevision] = []
    unchanged: list[str] = []
    staged: list[tuple[Path, bytes]] = []
    for path in paths:
        article_id = path.stem
        text = _seed_text(seeds, article_id)
        if text is None:
            if ids:
                raise ReviseError(f"no seed of article {article_id!r}", file=str(seeds / f"{article_id}.txt"), code="no-seed")
            continue
        if load_record_json(path).get("text") == text:  # the common case, without the validator's cost
            unchanged.append(article_id)
            continue
        record = read_valid_record(path, scheme=scheme)
        language = record.meta.language
        revision = revise_record(record, text, segment=lambda piece: segment(piece, language=language),
                                 accept_changed=accept_changed, drop_deleted=drop_deleted, revised_at=when)
        data = dump_record_bytes(revision.record, scheme, file=str(path))
        for v in semantic_violations(orjson.loads(data), file=str(path), scheme=scheme):
            revision.refusals.append(f"{v.path}: {v.message} [{v.rule}]")
        revisions.append(revision)
        staged.append((path, data))
    written = not dry_run and bool(staged) and not any(r.refusals for r in revisions)
    if written:
        commit_files(staged, kind="revise")
    return ReviseReport(checked=len(paths), revisions=revisions, unchanged=unchanged if ids else [], written=written)
