"""Options and helpers shared by the commands: one-line errors, progress bars."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from newscorpus.errors import NewscorpusError

__all__ = ["ANNOTATIONS", "fail", "progress"]

ANNOTATIONS = click.option(
    "--annotations",
    "annotations_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("annotations"),
    show_default=True,
    help="Folder of article records (annotations/<article_id>.json).",
)


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
