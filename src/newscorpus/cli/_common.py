"""What the commands share: the ``newscorpus`` group and its global ``--config`` option, the
corpus configuration and scheme each command reads, options whose defaults come from the
configuration, one-line errors, progress bars.

The group stores where the configuration is (``--config FILE``, else ``newscorpus.toml`` in
the current folder, else the defaults); a command reads it on first use
(:func:`corpus_config`) and loads the scheme it names once (:func:`corpus_scheme`), then
passes that scheme down to the library.
"""

from __future__ import annotations

import errno
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from newscorpus.errors import NewscorpusError

if TYPE_CHECKING:  # pragma: no cover
    from newscorpus.config import Config
    from newscorpus.core.scheme import Scheme

__all__ = ["cli", "Session", "corpus_config", "corpus_scheme", "config_default", "folder_option", "ANNOTATIONS", "fail", "progress"]


def fail(exc: NewscorpusError) -> None:
    """Print ``exc`` as one line on stderr (``error: file::$.path: message``) and exit 1."""
    click.echo(f"error: {exc}", err=True)
    sys.exit(1)


@contextmanager
def progress(label: str) -> Iterator[Callable[..., None]]:
    """A transient rich progress bar on stderr, drawn only when stderr is a terminal.

    Yields ``update(completed=None, total=None, description=None, advance=None)``; library
    functions take it (or a lambda over it) as their progress callback.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=console, transient=True, disable=not console.is_terminal)
    task = bar.add_task(label, total=None)

    def update(completed=None, total=None, description=None, advance=None) -> None:
        fields = {k: v for k, v in (("completed", completed), ("total", total), ("description", description), ("advance", advance)) if v is not None}
        bar.update(task, **fields)

    with bar:
        yield update


@dataclass
class Session:
    """The corpus of one command line: the configuration file given (None: look in the
    current folder), and the configuration and scheme once read."""

    config_file: Path | None = None
    config: Config | None = None
    scheme: Scheme | None = None


def _session() -> Session:
    ctx = click.get_current_context()
    session = ctx.find_object(Session)
    return session if session is not None else ctx.ensure_object(Session)


def corpus_config() -> Config:
    """The corpus configuration (read once per command line); a bad file exits 1 with one line."""
    from newscorpus.config import read_config

    session = _session()
    if session.config is None:
        try:
            session.config = read_config(session.config_file)
        except NewscorpusError as exc:
            fail(exc)
    return session.config


def corpus_scheme() -> Scheme:
    """The annotation scheme of the corpus configuration (loaded once per command line); a
    bad scheme file exits 1 with one line naming it."""
    from newscorpus.config import config_scheme

    session = _session()
    if session.scheme is None:
        config = corpus_config()
        try:
            session.scheme = config_scheme(config)
        except NewscorpusError as exc:
            fail(exc)
    return session.scheme


def config_default(section: str, key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A click callback for an option or argument whose default comes from the corpus
    configuration: the value given, else ``[section] key`` of the configuration."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        return value if value is not None else getattr(getattr(corpus_config(), section), key)

    return callback


def folder_option(flag: str, dest: str, *, key: str, fallback: str, help: str) -> Callable:
    """A folder option whose default is ``[paths] key`` of the corpus configuration
    (``fallback`` when there is no file)."""
    return click.option(flag, dest, type=click.Path(file_okay=False, path_type=Path), default=None,
                        callback=config_default("paths", key), show_default=f"[paths] {key} of newscorpus.toml, else {fallback}",
                        help=help)


ANNOTATIONS = folder_option("--annotations", "annotations_dir", key="annotations", fallback="annotations",
                            help="Folder of article records (annotations/<article_id>.json).")


class _Notices(logging.Handler):
    """The library's notices (a command waiting for a folder's lock) as lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(record.getMessage(), err=True)


class _Group(click.Group):
    """The command group: a library error or an operating-system error (ENOSPC,
    ENAMETOOLONG...) that a command did not catch becomes one line too, and the library's
    lock notices reach stderr."""

    def invoke(self, ctx: click.Context):
        notices = logging.getLogger("newscorpus.lock")
        if not any(isinstance(h, _Notices) for h in notices.handlers):
            notices.addHandler(_Notices())
            notices.setLevel(logging.INFO)
        try:
            return super().invoke(ctx)
        except NewscorpusError as exc:
            fail(exc)
        except OSError as exc:  # a full disk, a name too long, a folder that cannot be written
            fail(NewscorpusError(exc.strerror or str(exc), file=exc.filename and str(exc.filename), code=errno.errorcode.get(exc.errno, "os-error").lower()))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newscorpus")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Corpus configuration file [default: newscorpus.toml in the current folder, if there is one]. "
                   "See docs/configuration.md.")
@click.pass_context
def cli(ctx: click.Context, config_file: Path | None) -> None:
    """newscorpus: news articles into a validated, labelled corpus.

    \b
    The pipeline, in order:
      init        a new corpus repository (newscorpus.toml, scheme, seeds/, CI)
      scheme      a scheme from a Label Studio label config (scheme from-labelstudio)
      ingest      seeds/*.txt + .meta.json -> annotations/<id>.json (text, sentences)
      revise      a corrected seed text: move every annotation onto it
      sentences   correct a sentence boundary (sentences split / merge)
      tasks       records -> Label Studio label config + tasks JSON
      ls push     the same, straight into a live Label Studio project
      import      an export (Label Studio, brat, PTC, W3C, CoNLL, WebAnno) -> annotations/<id>.json
      ls pull     export a live project and import it
      adjudicate  gold from several annotators; agreement: their agreement figures
      validate    JSON Schema + semantic checks (CI runs this); migrate: upgrade records
      recover     finish or remove what a killed command left in annotations/
      build       annotations/ -> Hugging Face dataset folder (Parquet + card)
      summary     load a built folder with datasets and print its counts
      publish     push a built folder to the Hugging Face Hub
      export      records -> brat, CoNLL, W3C Web Annotation, spaCy DocBin, Label Studio tasks

    Offsets everywhere are Unicode code points, 0-based, end-exclusive.
    Every command reads the corpus configuration (newscorpus.toml: scheme, paths, splits).
    Run `newscorpus COMMAND --help` for each command's options.
    """
    ctx.obj = Session(config_file)
