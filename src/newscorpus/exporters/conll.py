"""CoNLL IOB2: ``<split>.conll`` per dataset split (``train``, ``validation``, ``test``;
a split without articles has no file), exactly the tokens and tags of the dataset's
``ner`` config.

Tokens and tags come from :func:`newscorpus.dataset.configs.ner.ner_tokens`, the function
the ``ner`` config's rows are made with (one implementation): spaCy's tokenizer of the
article's language on each sentence, each token cut at every boundary of an entity of a
non-overlapping span layer, IOB2 tags over those layers' labels. Each article begins with
a ``-DOCSTART-\\tO`` line and a blank line (CoNLL-2003's document marker); each sentence is
one ``<token>\\t<tag>`` line per token, then a blank line. Articles come in file-name
order, as the ``ner`` config's rows; the split of each is the one ``newscorpus build``
gives it. UTF-8, LF line ends.

IOB2 holds one flat layer of whole-token spans inside one sentence: spans of overlapping
layers, relations, notes, sentence and article labels, the exact whitespace and an entity
crossing a sentence boundary are not written (docs/formats.md). A token holding a tab or a
line break (none does: spaCy makes whitespace its own token, and the ``ner`` config drops
those) would be refused with :class:`~newscorpus.errors.ExporterError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from newscorpus.core.scheme import Scheme
from newscorpus.dataset.article import Article
from newscorpus.dataset.configs.ner import ner_tag_names, ner_tokens
from newscorpus.errors import ExporterError
from newscorpus.exporters.items import ExportItem
from newscorpus.util.fileio import sync_files

__all__ = ["DOCSTART", "article_rows", "conll_lines", "write"]

#: The line that opens each article (CoNLL-2003's document marker, tag ``O``).
DOCSTART = "-DOCSTART-\tO"


def article_rows(item: ExportItem, scheme: Scheme) -> list[tuple[list[str], list[str], list[int], list[int]]]:
    """The ``ner`` config's rows of one article, from the item's part: per sentence
    ``(tokens, tags, token_starts, token_ends)`` (tag names of
    :func:`~newscorpus.dataset.configs.ner.ner_tag_names`; offsets in article code points,
    end-exclusive)."""
    rec = item.record.model_dump()
    rec["gold"] = item.part.model_dump()
    article = Article(rec, scheme=scheme, with_text=False)
    starts, ends, lengths, codes = ner_tokens(article)
    names = ner_tag_names(scheme)
    text = article.text
    rows, at = [], 0
    s_list, e_list, c_list = starts.tolist(), ends.tolist(), codes.tolist()
    for k in lengths:
        s, e = s_list[at : at + k], e_list[at : at + k]
        rows.append(([text[a:b] for a, b in zip(s, e)], [names[c] for c in c_list[at : at + k]], s, e))
        at += k
    return rows


def conll_lines(item: ExportItem, scheme: Scheme) -> Iterator[str]:
    """The lines of one article (each ending in LF): ``-DOCSTART-``, a blank line, then each
    sentence's ``<token>\\t<tag>`` lines and a blank line."""
    yield DOCSTART + "\n\n"
    for s, (tokens, tags, _, _) in enumerate(article_rows(item, scheme)):
        for token, tag in zip(tokens, tags):
            if "\t" in token or "\n" in token:
                raise ExporterError(f"sentence {item.record.sentences[s].id}: the token {token!r} holds a tab or a line break",
                                    file=item.file, where=f"$.sentences[{s}]", code="unsupported-token")
            yield f"{token}\t{tag}\n"
        yield "\n"


def write(items: Iterable[ExportItem], *, out: Path, scheme: Scheme) -> list[str]:
    """Write ``<split>.conll`` for every split with articles into ``out``; returns the
    names written, sorted. Each file is appended to as its articles come (one article in
    memory at a time) and made durable at the end."""
    handles: dict[str, object] = {}
    try:
        for item in items:
            fh = handles.get(item.split)
            if fh is None:
                fh = handles[item.split] = open(out / f"{item.split}.conll", "w", encoding="utf-8", newline="\n")
            fh.writelines(conll_lines(item, scheme))
    finally:
        for fh in handles.values():
            fh.close()
    sync_files([out / f"{split}.conll" for split in handles])  # durable before the folder is swapped in
    return sorted(f"{split}.conll" for split in handles)
