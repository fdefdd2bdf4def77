"""Commands of the Hugging Face dataset: build, summary, publish."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newscorpus.cli._common import ANNOTATIONS, config_default, corpus_config, corpus_scheme, fail, folder_option, progress
from newscorpus.errors import BuildError, NewscorpusError

OUT_DIR = folder_option("--out", "out", key="dataset", fallback="dist/dataset",
                        help="Dataset folder to write (replaced as a whole when the build succeeds).")


RESTRICTED = click.option(
    "--include-restricted-text",
    is_flag=True,
    help="With --public (build) or publish: keep the text of articles whose metadata says "
    "redistributable: false. Only if you hold the rights; a plain local build keeps every text anyway.",
)



def _agreement_figures(path: Path) -> dict:
    """The figures of ``newscorpus agreement`` (agreement.json). Raises BuildError
    (``bad-agreement-file``) naming the file when it is not UTF-8 JSON holding an object."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BuildError(f"not an agreement.json of `newscorpus agreement`: {str(exc).splitlines()[0][:120]}",
                         file=str(path), code="bad-agreement-file") from exc
    if not isinstance(data, dict):
        raise BuildError(f"not an agreement.json of `newscorpus agreement`: a JSON object is expected, found {type(data).__name__}",
                         file=str(path), code="bad-agreement-file")
    return data


@click.command()
@ANNOTATIONS
@OUT_DIR
@click.option("--public", is_flag=True, help="Withhold the text of non-redistributable articles (what `publish` requires).")
@RESTRICTED
@click.option(
    "--split-ratios",
    default=None,
    show_default="[splits] of newscorpus.toml, else 0.8,0.1,0.1",
    help="Train,validation,test shares for the id-hash split (meta.split overrides it).",
)
@click.option("--agreement", "agreement_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="agreement.json of `newscorpus agreement` over the same annotations; the card quotes its figures.")
def build(annotations_dir: Path, out: Path, public: bool, include_restricted_text: bool, split_ratios: str | None,
          agreement_path: Path | None) -> None:
    """Build the Hugging Face dataset folder (Parquet per config and split + dataset card).

    \b
    Configs: articles (default), sentences, ner, quotes, annotations.
    A local build keeps every text; --public withholds the text of articles whose licence
    forbids redistribution (offsets, labels, hash and URL kept). The card's name, curators,
    links, contact, citation and the guidelines published with it (guidelines.md) come from
    [card] of newscorpus.toml; what it does not state, the card says is not stated. The same
    records give byte-identical files. Load it with datasets.load_dataset(OUT).
    """
    from newscorpus.dataset.build import build_dataset
    from newscorpus.dataset.splits import SplitRatios

    scheme = corpus_scheme()
    try:
        ratios = SplitRatios.parse(split_ratios) if split_ratios is not None else corpus_config().splits.ratios()
        agreement = _agreement_figures(agreement_path) if agreement_path else None
        with progress("reading records") as update:
            result = build_dataset(
                annotations_dir=annotations_dir,
                out=out,
                scheme=scheme,
                ratios=ratios,
                public=public,
                include_restricted_text=include_restricted_text,
                agreement=agreement,
                card=corpus_config().card,
                progress=lambda stage, done, total: update(description=stage, completed=done, total=total),
            )
    except NewscorpusError as exc:
        fail(exc)
    counts = ", ".join(f"{c} {sum(s.num_examples for s in splits.values())}" for c, splits in result.configs.items() if splits)
    click.echo(f"built {result.out}: {counts} rows; {len(result.files)} files")
    if result.withheld:
        click.echo(f"text withheld for {len(result.withheld)} article(s) not redistributable: {', '.join(result.withheld)}")
    if result.crossing:
        click.echo(f"warning: {len(result.crossing)} gold span(s) of overlapping layers (quotations) cross a sentence boundary "
                   "(only in `articles`)", err=True)


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), required=False,
                callback=config_default("paths", "dataset"))
def summary(directory: Path) -> None:
    """Load a built DIRECTORY (default: [paths] dataset of newscorpus.toml, else dist/dataset)
    with datasets.load_dataset and print its counts."""
    from newscorpus.dataset.summary import format_summary, summarize

    corpus_config()  # a bad configuration stops every command, whether or not it needs a value of it
    try:
        result = summarize(directory)
    except NewscorpusError as exc:
        fail(exc)
    click.echo(format_summary(result))


@click.command()
@click.argument("repo_id")
@folder_option("--dir", "directory", key="dataset", fallback="dist/dataset", help="Built dataset folder to push.")
@click.option("--private", is_flag=True, help="Create the repo as private.")
@click.option("--dry-run", is_flag=True, help="List the exact files that would be pushed and, per article, whether its "
              "text is included and why; contact nothing, upload nothing.")
@RESTRICTED
def publish(repo_id: str, directory: Path, private: bool, dry_run: bool, include_restricted_text: bool) -> None:
    """Push a built dataset folder to the Hub dataset repo REPO_ID (owner/name).

    The token is read from HF_TOKEN and never printed. A folder holding text that may not be
    redistributed is refused unless --include-restricted-text: build it with --public.
    """
    from newscorpus.dataset.publish import publish_dataset

    corpus_config()  # a bad configuration stops every command, whether or not it needs a value of it
    try:
        result = publish_dataset(
            repo_id, directory=directory, private=private, dry_run=dry_run, include_restricted_text=include_restricted_text
        )
    except NewscorpusError as exc:
        fail(exc)
    verb = "would push" if result.dry_run else "pushed"
    click.echo(f"{verb} {len(result.plan.files)} file(s) to {'private ' if private else ''}dataset {repo_id}:")
    for rel, size in result.plan.files:
        click.echo(f"  {rel}  {size} bytes")
    if result.dry_run:
        articles = result.plan.articles
        click.echo(f"article texts ({sum(a.included for a in articles)} of {len(articles)} included):")
        for article in articles:
            click.echo(f"  {article.id}  {article.reason}")
    if result.commit_url:
        click.echo(result.commit_url)


COMMANDS = [build, summary, publish]
