"""Commands that correct a record's sentence boundaries: ``sentences split`` and ``sentences merge``."""

from __future__ import annotations

from pathlib import Path

import click

from newscorpus.cli._common import ANNOTATIONS, corpus_scheme, fail
from newscorpus.errors import NewscorpusError


@click.group("sentences")
def sentences_group() -> None:
    """Correct a wrong sentence boundary of a record (Label Studio shows sentences read-only).

    \b
    split ARTICLE_ID --at OFFSET        one sentence into two at a code point offset
    merge ARTICLE_ID SENTENCE SENTENCE  two adjacent sentences into one
    Every annotation and the gold keep their labels; the record is written only when
    `newscorpus validate` would accept it, under the folder's lock. The next
    `newscorpus tasks` carries the new sentence regions, and so does `ls push`
    for an article not yet in the project (a task already there is kept).
    See docs/label-studio.md, "Correcting a sentence boundary".
    """


def _span(triple: tuple[str, int, int]) -> str:
    return f"{triple[0]} [{triple[1]}, {triple[2]})"


@sentences_group.command("split")
@click.argument("article_id")
@click.option("--at", "at", type=click.IntRange(min=0), required=True, metavar="OFFSET",
              help="Code point offset (0-based) strictly inside the sentence to split: the second sentence starts "
                   "there (whitespace at the cut is left between the two, as the segmenter leaves it).")
@ANNOTATIONS
def split(article_id: str, at: int, annotations_dir: Path) -> None:
    """Split the sentence of ARTICLE_ID that OFFSET falls inside into two.

    The first part keeps the sentence's id; the second gets the id c<its start offset>
    (c<start>-2, -3, … if that is taken). Every sentence label of the sentence, in every
    annotation and in the gold, is copied to both parts. A split that would cut a gold
    entity (a span of a layer without overlap) in two is refused, naming the span.
    """
    from newscorpus.boundaries.run import split_record_sentence

    try:
        change = split_record_sentence(article_id, at=at, annotations_dir=annotations_dir, scheme=corpus_scheme())
    except NewscorpusError as exc:
        fail(exc)
    click.echo(f"{article_id}: split {_span(change.before[0])} into {' and '.join(map(_span, change.after))}; "
               f"{change.labels} sentence label(s) copied")


@sentences_group.command("merge")
@click.argument("article_id")
@click.argument("first")
@click.argument("second")
@ANNOTATIONS
def merge(article_id: str, first: str, second: str, annotations_dir: Path) -> None:
    """Merge the adjacent sentences FIRST and SECOND (ids, either order) of ARTICLE_ID.

    The merged sentence keeps the id of the one that comes first in the text. In each
    annotation and in the gold, a label both sentences carry is kept; two different
    labels of a single-label layer (or a label on one only) cannot both stay: the merged
    sentence is left unlabelled there, the conflict is listed, and in the gold it is
    undecided as a tied vote is, for `newscorpus adjudicate` and the adjudicator.
    """
    from newscorpus.boundaries.run import merge_record_sentences

    try:
        change = merge_record_sentences(article_id, first, second, annotations_dir=annotations_dir, scheme=corpus_scheme())
    except NewscorpusError as exc:
        fail(exc)
    click.echo(f"{article_id}: merged {' and '.join(map(_span, change.before))} into {_span(change.after[0])}; "
               f"{change.labels} sentence label(s) kept, {len(change.conflicts)} conflict(s)")
    for c in change.conflicts:
        click.echo(f"conflict: {c.part} {c.layer}: {change.before[0][0]} {c.first or '(none)'}, "
                   f"{change.before[1][0]} {c.second or '(none)'}: {change.after[0][0]} left unlabelled there", err=True)


COMMANDS = [sentences_group]
