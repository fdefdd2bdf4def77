"""Export formats: the corpus's records in another tool's format (``newscorpus export``).

:data:`EXPORTERS` maps a format name (``newscorpus export --format NAME``) to an
:class:`Exporter`. The driver, :func:`newscorpus.exporters.run.export_corpus`, reads the
records of an annotations folder one at a time (each checked as ``newscorpus validate``
checks it), picks the part to export from each (its gold, or one annotator's submitted
annotation: :func:`newscorpus.exporters.items.pick_part`), and hands the writer an
iterator of :class:`~newscorpus.exporters.items.ExportItem` and an empty folder; the
folder is swapped in at the output path only when the writer returns, so a failed export
leaves nothing behind. Offsets in records are code points (docs/design.md, Offsets); a
writer converts them into the format's unit exactly, and refuses
(:class:`~newscorpus.errors.ExporterError`, naming the record file and the JSON path) what
the format cannot hold exactly rather than change it. What each format keeps:
docs/formats.md.

To add a format:

1. write its writer as one module ``newscorpus/exporters/<name>.py`` with
   ``write(items, *, out, scheme) -> list[str]``: ``items`` an iterator of
   :class:`~newscorpus.exporters.items.ExportItem` (hold one at a time: the corpus may
   not fit in memory), ``out`` the empty folder to write into, ``scheme`` the annotation
   scheme; it returns the paths it wrote, relative to ``out``, sorted;
2. add one :class:`Exporter` line to :data:`EXPORTERS` (import the writer inside a small
   function, so that ``newscorpus --help`` loads no writer and no spaCy);
3. add golden cases: ``tests/cases/export/<name>/<case>/`` holds every file the export
   writes from the records of ``tests/cases/export/records/<case>/``
   (tests/cases/export/README.md; tests/unit/exporters/test_export_cases.py picks them
   up); and a row and a section in docs/formats.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from newscorpus.core.scheme import Scheme
from newscorpus.exporters.items import ExportItem

__all__ = ["Exporter", "EXPORTERS", "ExportItem"]


@dataclass(frozen=True)
class Exporter:
    """One export format: its ``name`` (the ``--format`` value), a one-line
    ``description`` and ``run``, the writer: ``run(items, *, out, scheme)`` writes the
    :class:`ExportItem` of ``items`` into the empty folder ``out`` and returns the paths it
    wrote, relative to ``out``, sorted; it raises :class:`~newscorpus.errors.ExporterError`
    for what the format cannot hold (the driver then writes nothing)."""

    name: str
    description: str
    run: Callable[..., list[str]]


def _brat(items: Iterable[ExportItem], *, out: Path, scheme: Scheme) -> list[str]:
    from newscorpus.exporters.brat import write

    return write(items, out=out, scheme=scheme)


def _conll(items: Iterable[ExportItem], *, out: Path, scheme: Scheme) -> list[str]:
    from newscorpus.exporters.conll import write

    return write(items, out=out, scheme=scheme)


def _wadm(items: Iterable[ExportItem], *, out: Path, scheme: Scheme) -> list[str]:
    from newscorpus.exporters.wadm import write

    return write(items, out=out, scheme=scheme)


def _spacy(items: Iterable[ExportItem], *, out: Path, scheme: Scheme) -> list[str]:
    from newscorpus.exporters.docbin import write

    return write(items, out=out, scheme=scheme)


def _labelstudio(items: Iterable[ExportItem], *, out: Path, scheme: Scheme) -> list[str]:
    from newscorpus.exporters.labelstudio import write

    return write(items, out=out, scheme=scheme)


#: Export formats by name. Add one as the module docstring says.
EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        Exporter("brat", "brat standoff: <id>.txt + <id>.ann per article (T spans, R relations, A attributes, # notes) and annotation.conf", _brat),
        Exporter("conll", "CoNLL IOB2: <split>.conll, the tokens and tags of the dataset's ner config, -DOCSTART- per article", _conll),
        Exporter("wadm", "W3C Web Annotation JSON-LD: <id>.jsonld (an AnnotationCollection) + <id>.txt per article", _wadm),
        Exporter("spacy", "spaCy DocBin: <split>.spacy, doc.ents, a span group per span layer, sentence starts", _spacy),
        Exporter("labelstudio", "Label Studio tasks.json (the part as annotations, not predictions) + label_config.xml", _labelstudio),
    )
}
