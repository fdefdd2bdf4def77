"""The export driver: records of an annotations folder through a writer into a folder
(``newscorpus export``; the writers: :data:`newscorpus.exporters.EXPORTERS`).

Records are read one at a time, in file-name order, each checked as ``newscorpus validate``
checks it (:func:`newscorpus.validate.gate.read_valid_record`: a record validate refuses
is refused here, with its rule code). The writer writes into a temporary sibling of the
output folder (``.<name>.tmp-<random>``), which is swapped in whole when the writer returns
(:mod:`newscorpus.util.swap`): a failed export leaves the output folder as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newscorpus.core.scheme import Scheme, default_scheme
from newscorpus.dataset.splits import SplitRatios, assign_split
from newscorpus.errors import ExporterError
from newscorpus.exporters import EXPORTERS, Exporter
from newscorpus.exporters.items import GOLD, ExportItem, pick_part
from newscorpus.records.access import locked_folders
from newscorpus.records.io import iter_record_paths
from newscorpus.util.fileio import current_umask
from newscorpus.util.swap import recover_swap, swap_in
from newscorpus.validate.gate import read_valid_record

__all__ = ["ExportReport", "export_corpus"]


@dataclass
class ExportReport:
    """What :func:`export_corpus` did: the ``out`` folder, the ``format`` and ``layer``,
    the number of records ``read``, of articles ``exported``, the ids of the articles
    ``skipped`` (no gold decided, or no submitted annotation of the annotator) and the
    ``files`` written (relative to ``out``, sorted)."""

    out: Path
    format: str
    layer: str
    read: int = 0
    exported: int = 0
    skipped: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _check_out(out: Path, force: bool) -> None:
    if not out.exists() and not out.is_symlink():
        return
    if not out.is_dir() or out.is_symlink():
        raise ExporterError("the output path exists and is not a folder", file=str(out), code="bad-output")
    if not force and any(out.iterdir()):
        raise ExporterError("the output folder is not empty; refusing to replace it", file=str(out), code="bad-output",
                            hint="choose another --out, or give --force to replace the folder whole")


@locked_folders("annotations_dir", "read")
def export_corpus(
    format_name: str | Exporter,
    *,
    annotations_dir: str | Path = "annotations",
    out: str | Path,
    scheme: Scheme | None = None,
    layer: str = GOLD,
    ratios: SplitRatios = SplitRatios(),
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ExportReport:
    """Export the records of ``annotations_dir`` in the format ``format_name`` (a name of
    :data:`~newscorpus.exporters.EXPORTERS`, or an :class:`Exporter`) into the folder ``out``.

    ``layer`` is ``"gold"`` (each record's gold; a record without decided gold is skipped)
    or an annotator id (that annotator's submitted annotation, :func:`pick_part`; a record
    without one is skipped); the skipped ids are in the report. ``ratios`` assign each
    article its split as ``newscorpus build`` does (``meta.split`` overrides), for the
    formats that write a file per split. ``out`` must be missing or empty unless ``force``,
    which replaces it whole. ``progress(done, total)`` is called once per record read.

    Raises :class:`~newscorpus.errors.ExporterError` (``bad-output``, ``no-annotations``,
    ``no-records``, or the writer's refusal), :class:`~newscorpus.errors.RecordError` for a
    record validate refuses, ``KeyError`` for an unknown format name, or ``OSError``; in
    every case ``out`` is left as it was.
    """
    exporter = EXPORTERS[format_name] if isinstance(format_name, str) else format_name
    scheme = scheme or default_scheme()
    out = Path(out)
    directory = Path(annotations_dir)
    if not directory.is_dir():
        raise ExporterError("no such folder of article records", file=str(directory), code="no-annotations")
    recover_swap(out)
    _check_out(out, force)
    paths = [str(p) for p in iter_record_paths(directory)]
    if not paths:
        raise ExporterError("no article records (*.json) found", file=str(directory), code="no-records")
    report = ExportReport(out=out, format=exporter.name, layer=layer)

    def items() -> Iterator[ExportItem]:
        for done, path in enumerate(paths, 1):
            record = read_valid_record(path, scheme=scheme)
            report.read += 1
            part = pick_part(record, layer)
            if part is None:
                report.skipped.append(record.id)
            else:
                report.exported += 1
                yield ExportItem(record, part, layer, assign_split(record.id, ratios=ratios, override=record.meta.split), path)
            if progress is not None:
                progress(done, len(paths))

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        report.files = exporter.run(items(), out=tmp, scheme=scheme)
        mask = current_umask()  # mkdtemp made the folder 0700: what the umask allows, as the build
        for path in tmp.rglob("*"):
            path.chmod((0o666 if path.is_file() else 0o777) & ~mask)
        tmp.chmod(0o777 & ~mask)
        swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report
