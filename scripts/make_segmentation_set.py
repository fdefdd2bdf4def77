"""Write tests/data/segmentation/gum_news.txt from the news documents of UD English GUM.

The news documents of GUM (the Georgetown University Multilayer corpus) are Wikinews
articles (CC BY 2.5); their sentence boundaries were drawn by hand by GUM's annotators.
Each ``# text =`` line of a document's CoNLL-U file is one gold sentence; ``# newpar``
starts a paragraph. The output has one sentence per line, a blank line between
paragraphs, and a ``# doc ID URL`` line before each document (the format
``scripts/compare_segmenters.py`` reads; tests/data/segmentation/README.md).

Usage: python scripts/make_segmentation_set.py GUM_CHECKOUT [OUT]
(GUM_CHECKOUT: a checkout of UniversalDependencies/UD_English-GUM; the documents are read
from not-to-release/sources/GUM_news_*.conllu).
"""

from __future__ import annotations

import sys
from pathlib import Path


def convert(conllu: str) -> tuple[str, str, list[list[str]]]:
    """(document id, source URL, paragraphs of sentences) of one GUM CoNLL-U document."""
    doc_id = url = ""
    paragraphs: list[list[str]] = []
    for line in conllu.splitlines():
        if line.startswith("# newdoc id = "):
            doc_id = line.split("= ", 1)[1].strip()
        elif line.startswith("# meta::sourceURL = "):
            url = line.split("= ", 1)[1].strip()
        elif line.strip() == "# newpar" or line.startswith("# newpar "):
            paragraphs.append([])
        elif line.startswith("# text = "):
            if not paragraphs:
                paragraphs.append([])
            paragraphs[-1].append(line.split("= ", 1)[1].strip())
    return doc_id, url, [p for p in paragraphs if p]


def main(argv: list[str]) -> None:
    checkout = Path(argv[1])
    out = Path(argv[2]) if len(argv) > 2 else Path(__file__).resolve().parent.parent / "tests/data/segmentation/gum_news.txt"
    parts = []
    for path in sorted((checkout / "not-to-release/sources").glob("GUM_news_*.conllu")):
        doc_id, url, paragraphs = convert(path.read_text(encoding="utf-8"))
        parts.append(f"# doc {doc_id} {url}\n" + "\n\n".join("\n".join(p) for p in paragraphs) + "\n")
    out.write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv)
