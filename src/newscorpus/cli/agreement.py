"""Commands for several annotators: agreement, adjudicate."""

from __future__ import annotations

from pathlib import Path

import click

from newscorpus.cli._common import ANNOTATIONS, corpus_scheme, fail, progress
from newscorpus.errors import NewscorpusError


@click.command()
@ANNOTATIONS
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist/agreement"),
    show_default=True,
    help="Build folder for agreement.json and agreement.png.",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="ANNOTATOR",
    help="Leave this annotator out (e.g. the adjudicator, ls-7). Repeatable.",
)
def agreement(annotations_dir: Path, out_dir: Path, exclude: tuple[str, ...]) -> None:
    """Inter-annotator agreement per layer and label, from submitted annotations.

    \b
    Span layers: pairwise F1 between annotators, exact (same start, end, label)
      and overlap (same label, overlapping offsets), per label and micro.
    Sentence roles and genre: Krippendorff's alpha (nominal, missing values
      allowed); Cohen's kappa when there are two annotators (per pair in JSON).
    Frames: alpha per frame (has it or not, per article).
    Prints a table and writes OUT/agreement.json and OUT/agreement.png.
    See docs/agreement.md for how to read the figures.
    """
    from rich.console import Console

    from newscorpus.agreement.report import agreement_dir, agreement_tables

    scheme = corpus_scheme()
    try:
        with progress("reading records") as update:
            run = agreement_dir(annotations_dir, out_dir=out_dir, scheme=scheme, exclude=exclude,
                                on_record=lambda done, total: update(completed=done, total=total))
    except NewscorpusError as exc:
        fail(exc)
    Console().print(agreement_tables(run.report))
    click.echo(f"wrote {run.json_path} and {run.chart_path}")


@click.command()
@ANNOTATIONS
@click.option("--adjudicator", metavar="ANNOTATOR", help="Annotator id whose own annotation becomes gold (e.g. ls-7).")
@click.option("--force", is_flag=True, help="Rebuild gold even where it was adjudicated before.")
@click.option(
    "--tasks",
    "tasks_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("dist/adjudication/tasks.json"),
    show_default=True,
    help="Label Studio tasks of the open disagreements, one prediction per annotator.",
)
def adjudicate(annotations_dir: Path, adjudicator: str | None, force: bool, tasks_path: Path) -> None:
    """Build gold in every record from its submitted annotations.

    \b
    Rules, first that applies (the record keeps the method and the annotation ids):
      an adjudicated gold is kept (unless --force);
      adjudicated   the --adjudicator's own annotation;
      ground_truth  exactly one annotation flagged ground_truth in Label Studio
                    (several flags decide nothing: they are reported);
      single        one annotator only;
      majority      a vote per span, sentence role, article label, relation;
                    ties are left open.
    Cancelled annotations and drafts are never gold. Open units are listed and
    written to --tasks for the adjudicator to import into Label Studio.
    """
    from newscorpus.agreement.adjudication_run import adjudicate_dir

    scheme = corpus_scheme()
    try:
        with progress("adjudicating") as update:
            result = adjudicate_dir(
                annotations_dir, scheme=scheme, adjudicator=adjudicator, force=force, tasks_path=tasks_path,
                on_record=lambda done, total: update(completed=done, total=total),
            )
    except NewscorpusError as exc:
        fail(exc)
    methods: dict[str, int] = {}
    for rep in result.reports:
        key = rep.method if rep.status == "set" else rep.status
        methods[key or "none"] = methods.get(key or "none", 0) + 1
    summary = ", ".join(f"{n} {m}" for m, n in sorted(methods.items()))
    click.echo(f"adjudicated {len(result.reports)} record(s): {summary}; {result.written} file(s) changed")
    for rep in result.reports:
        for note in rep.notes:
            click.echo(f"{rep.article_id}: {note}")
        for unit in rep.open:
            cands = ", ".join(f"{name}={'—' if v is None else v}" for name, v in unit.candidates.items())
            click.echo(f"{rep.article_id}: open {unit.kind} {unit.layer} {unit.unit}: {cands}")
    click.echo(f"wrote {result.tasks} adjudication task(s) to {result.tasks_path}")


COMMANDS = [agreement, adjudicate]
