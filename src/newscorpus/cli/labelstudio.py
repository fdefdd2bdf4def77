"""Commands for a live Label Studio server: ``ls push``, ``ls pull`` and ``ls status``."""

from __future__ import annotations

from pathlib import Path

import click

from newscorpus.cli._common import ANNOTATIONS, config_default, corpus_config, corpus_scheme, fail, progress
from newscorpus.errors import NewscorpusError


def _url(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """--url, else $LABEL_STUDIO_URL (click reads it), else [labelstudio] url; a usage error without any."""
    value = value or corpus_config().labelstudio.url
    if not value:
        raise click.MissingParameter(ctx=ctx, param=param,
                                     message="give --url, set LABEL_STUDIO_URL, or set [labelstudio] url in newscorpus.toml")
    return value


URL = click.option("--url", default=None, envvar="LABEL_STUDIO_URL", show_envvar=True, callback=_url,
                   help="Label Studio's address, e.g. http://127.0.0.1:8080 [default: [labelstudio] url of newscorpus.toml].")
PROJECT = click.option("--project", default=None, callback=config_default("labelstudio", "project"),
                       show_default="[labelstudio] project of newscorpus.toml, else newscorpus", help="Title of the project.")


def _feed(update):
    """A ``progress(stage, done, total)`` callback for the library over a bar's ``update``."""
    def callback(stage: str, done: int, total: int) -> None:
        update(description=stage, completed=done, total=total or None)
    return callback


@click.group("ls")
def ls_group() -> None:
    """Push tasks to a live Label Studio server, pull the annotations back, see progress.

    \b
    The API key is read from LABEL_STUDIO_API_KEY (never from the command line): a
    personal access token (Account & Settings > Personal Access Token) or a legacy token
    (organisations with legacy tokens enabled). It is never printed or written.
    See docs/label-studio.md.
    """


@ls_group.command("push")
@URL
@PROJECT
@ANNOTATIONS
@click.option("--model-version", default=None,
              help="model_version of the predictions and of the project [default: newscorpus-<schema version>].")
@click.option("--overlap", type=click.IntRange(min=1), default=None, callback=config_default("labelstudio", "overlap"),
              metavar="N", help="Annotators per task (Label Studio's maximum_annotations; tasks that still need "
              "annotators come first) [default: [labelstudio] overlap of newscorpus.toml, else the project's "
              "setting is left alone; a new project gets 1].")
@click.option("--adjudication", is_flag=True,
              help="Push the open units instead (the --tasks file of `newscorpus adjudicate`) to the project "
              "'<project> adjudication', one candidate per annotator, one adjudicator per task.")
@click.option("--tasks", "tasks_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("dist/adjudication/tasks.json"), show_default=True,
              help="With --adjudication: the adjudication tasks file `newscorpus adjudicate --tasks` wrote.")
def ls_push(url: str, project: str, annotations_dir: Path, model_version: str | None, overlap: int | None,
            adjudication: bool, tasks_path: Path) -> None:
    """Create or update the project and import the tasks of articles not yet in it.

    The project gets the label config generated from the scheme and MODEL_VERSION as its
    model version (the labeling view shows only predictions of that version). Tasks are
    matched by data.article_id and data.text_sha256: pushing twice creates no duplicate,
    and an article whose text changed is refused (nothing is pushed), unless the record
    was revised from that text (`newscorpus revise`): then its task is updated in place
    (text, predictions, and every annotation's and draft's offsets), once every
    annotation there has been pulled. With --overlap N every task goes to N annotators
    (set on the project, for the tasks already there too).

    \b
    With --adjudication: run `newscorpus adjudicate` first; its tasks (the articles
    with open units, one prediction per annotator) go to "<project> adjudication",
    every candidate under the model version "candidates", which is also the
    project's (so all show in the labeling view); the first fills the adjudicator's
    annotation, the others are one tab away. Then `ls pull --adjudication` and
    `newscorpus adjudicate --adjudicator ls-<id>`.
    """
    scheme = corpus_scheme()
    try:
        with progress("push") as update:
            if adjudication:
                from newscorpus.labelstudio.adjudication import push_adjudication, read_adjudication_tasks

                report = push_adjudication(url=url, tasks=read_adjudication_tasks(tasks_path), project=project, scheme=scheme,
                                           progress=_feed(update))
            else:
                from newscorpus.labelstudio.server import push

                report = push(url=url, annotations_dir=annotations_dir, project=project, scheme=scheme,
                              model_version=model_version, overlap=overlap, progress=_feed(update),
                              server=corpus_config().labelstudio.server)
    except NewscorpusError as exc:
        fail(exc)
    _echo_push(report)


def _echo_push(report) -> None:
    changes = [name for name, changed in (("label config", report.config_updated), ("overlap", report.settings_updated)) if changed]
    state = "created" if report.project_created else (" and ".join(changes) + " updated" if changes else "up to date")
    people = f"{report.overlap} annotator{'s' if report.overlap != 1 else ''} per task"
    updated = f"; {report.updated} task(s) of revised articles updated in place" if report.updated else ""
    click.echo(f"project {report.project_title!r} (id {report.project_id}, {people}, {state}, model version "
               f"{report.model_version}): {report.imported} task(s) imported, {report.already_present} already there{updated}")


@ls_group.command("pull")
@URL
@PROJECT
@ANNOTATIONS
@click.option("--adjudication", is_flag=True,
              help="Pull the adjudication project ('<project> adjudication') instead: the adjudicator's decisions.")
@click.option("--skip-invalid", is_flag=True,
              help="Import every valid annotation and write the refused ones (each with its task link) to --report, "
                   "instead of refusing the whole pull.")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where --skip-invalid writes the refused annotations (JSON).  [default: dist/labelstudio/refused.json]")
def ls_pull(url: str, project: str, annotations_dir: Path, adjudication: bool, skip_invalid: bool, report_file: Path | None) -> None:
    """Export the project in full and import it into annotations/<article_id>.json.

    The export holds every task, every annotation (submitted, cancelled, ground truth),
    drafts and full predictions; it is streamed to a temporary file, imported as
    `newscorpus import` does (nothing written on any error), then deleted. Every
    annotation records the Label Studio release the server reports (origin.version).
    A draft that breaks a rule is skipped with a warning (article, annotator, task
    link). A submitted annotation that breaks one refuses the pull: every such
    annotation is listed with its task link and nothing is written; with
    --skip-invalid the valid ones are imported and the refused ones listed in --report.
    After --adjudication, `newscorpus adjudicate --adjudicator ls-<id>` makes the
    adjudicator's annotations the gold.
    """
    from newscorpus.labelstudio.adjudication import adjudication_title
    from newscorpus.labelstudio.server import DEFAULT_REPORT, pull

    if report_file is not None and not skip_invalid:
        raise click.UsageError("--report applies only with --skip-invalid")
    if adjudication:
        project = adjudication_title(project)
    scheme = corpus_scheme()
    try:
        with progress("pull") as update:
            report = pull(url=url, annotations_dir=annotations_dir, project=project, scheme=scheme,
                          progress=_feed(update), server=corpus_config().labelstudio.server,
                          skip_invalid=skip_invalid, report_file=report_file or DEFAULT_REPORT)
    except NewscorpusError as exc:
        fail(exc)
    imp = report.imported
    for warning in imp.warnings:
        click.echo(f"warning: {warning}", err=True)
    counts = ", ".join(f"{n} {status}" for status, n in imp.annotations.items())
    version = f"Label Studio {report.tool_version}, " if report.tool_version else ""
    click.echo(f"pulled project {report.project_title!r} (id {report.project_id}, {version}{report.export_bytes} bytes): "
               f"{imp.tasks} task(s) ({counts}); {len(imp.written)} record(s) written, {len(imp.unchanged)} unchanged")
    if imp.refused:
        for r in imp.refused:
            click.echo(f"refused: article {r['article']}, {r['annotation']} ({r['link']}): {r['message']} [{r['code']}]", err=True)
        click.echo(f"refused {len(imp.refused)} invalid annotation(s), listed in {imp.report_file}")


@ls_group.command("status")
@URL
@PROJECT
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="A table for people, or JSON for tools.")
def ls_status(url: str, project: str, fmt: str) -> None:
    """Who did what in the project, and which articles are done or wait for adjudication.

    \b
    Per annotator (ls-<Label Studio user id>, or ls-<server>-<id> with
    [labelstudio] server, as the records name them):
      submitted  tasks with a submitted annotation of theirs
      drafts     tasks holding a draft of theirs (work not submitted)
      skipped    tasks they skipped (a cancelled annotation)
    Articles:
      complete   submitted by at least N annotators (N: the project's overlap)
      open for adjudication
                 submitted by two or more annotators whose labels differ (spans,
                 relations, sentence roles, article choices; notes do not count),
                 and not yet submitted in the adjudication project
                 ("<project> adjudication"); with three or more annotators a
                 majority may still settle some: `newscorpus adjudicate` lists
                 the units that stay open
      adjudicated
                 submitted in the adjudication project
    Reads the full export of both projects (nothing is written).
    """
    import json

    from newscorpus.labelstudio.status import project_status

    try:
        with progress("status") as update:
            status = project_status(url=url, project=project, progress=_feed(update),
                                    server=corpus_config().labelstudio.server)
    except NewscorpusError as exc:
        fail(exc)
    if fmt == "json":
        click.echo(json.dumps(status.to_dict(), indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{status.project_title} (id {status.project_id}): {status.tasks} task(s), overlap {status.overlap}")
    for column in ("annotator", "submitted", "drafts", "skipped"):
        table.add_column(column, justify="left" if column == "annotator" else "right")
    for person in status.annotators:
        table.add_row(person.annotator, str(person.submitted), str(person.drafts), str(person.skipped))
    Console().print(table)
    click.echo(f"articles complete ({status.overlap}+ submitted): {len(status.complete)} of {status.tasks}")
    click.echo(f"open for adjudication: {len(status.open_for_adjudication)}{_ids(status.open_for_adjudication)}")
    where = status.adjudication_project or "no adjudication project yet"
    click.echo(f"adjudicated ({where}): {len(status.adjudicated)}")


def _ids(ids: list[str], most: int = 20) -> str:
    if not ids:
        return ""
    shown = ", ".join(ids[:most])
    return f" ({shown}{', …' if len(ids) > most else ''})"


COMMANDS = [ls_group]
