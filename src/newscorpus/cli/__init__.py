"""The ``newscorpus`` command: a thin layer over the library.

Each command parses its options, calls one library function and reports the result;
errors from the library (:mod:`newscorpus.errors`) become one line on stderr and exit 1.
Commands are grouped by pipeline stage, one module each: :mod:`.pipeline` (ingest, tasks,
import), :mod:`.quality` (schema, validate, migrate), :mod:`.agreement` (agreement,
adjudicate), :mod:`.dataset` (build, summary, publish), :mod:`.labelstudio` (ls push/pull).
"""

from __future__ import annotations

import logging

import click


class _Notices(logging.Handler):
    """The library's notices (a command waiting for a folder's lock) as lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(record.getMessage(), err=True)


class _Group(click.Group):
    """The command group: a library error that a command did not catch becomes one line too."""

    def invoke(self, ctx: click.Context):
        from newscorpus.cli._common import fail
        from newscorpus.errors import NewscorpusError

        notices = logging.getLogger("newscorpus.lock")
        if not any(isinstance(h, _Notices) for h in notices.handlers):
            notices.addHandler(_Notices())
            notices.setLevel(logging.INFO)
        try:
            return super().invoke(ctx)
        except NewscorpusError as exc:
            fail(exc)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newscorpus")
def cli() -> None:
    """newscorpus: news articles into a validated, labelled corpus.

    \b
    The pipeline, in order:
      ingest      seeds/*.txt + .meta.json -> annotations/<id>.json (text, sentences)
      tasks       records -> Label Studio label config + tasks JSON
      ls push     the same, straight into a live Label Studio project
      import      a Label Studio JSON export -> annotations/<id>.json
      ls pull     export a live project and import it
      adjudicate  gold from several annotators; agreement: their agreement figures
      validate    JSON Schema + semantic checks (CI runs this); migrate: upgrade records
      recover     finish or remove what a killed command left in annotations/
      build       annotations/ -> Hugging Face dataset folder (Parquet + card)
      summary     load a built folder with datasets and print its counts
      publish     push a built folder to the Hugging Face Hub

    Offsets everywhere are Unicode code points, 0-based, end-exclusive.
    Run `newscorpus COMMAND --help` for each command's options.
    """


def main() -> None:
    """Console entry point (``newscorpus``)."""
    cli()


from . import agreement, dataset, labelstudio, pipeline, quality  # noqa: E402,F401  (registers the commands)
