"""The ``newscorpus`` command: a thin layer over the library.

Each command parses its options, calls one library function and reports the result;
errors from the library (:mod:`newscorpus.errors`) become one line on stderr and exit 1.
The group and the corpus configuration every command reads are :mod:`._common`; the commands
are grouped by pipeline stage, one module each: :mod:`.pipeline` (ingest, tasks, import),
:mod:`.quality` (schema, validate, migrate), :mod:`.agreement` (agreement, adjudicate),
:mod:`.dataset` (build, summary, publish), :mod:`.labelstudio` (ls push/pull),
:mod:`.corpus` (init, scheme from-labelstudio), :mod:`.export` (export), :mod:`.sentences` (sentences split/merge).
"""

from __future__ import annotations

from newscorpus.cli import agreement, corpus, dataset, export, labelstudio, pipeline, quality, sentences
from newscorpus.cli._common import cli

__all__ = ["cli", "main"]

for _module in (corpus, pipeline, sentences, labelstudio, agreement, quality, dataset, export):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Console entry point (``newscorpus``)."""
    cli()
