"""Sentence segmenters side by side: boundary precision, recall and F1 against gold news
sentences, and throughput in MB/s, all in one run on one machine.

    python scripts/compare_segmenters.py [--data FILE ...] [--limit N] [--candidates a,b]
                                         [--seconds S] [--format markdown|json]

The gold sets (tests/data/segmentation/, README.md there) hold one sentence per line, a
blank line between paragraphs and a ``# doc ID SOURCE`` line before each document. A
paragraph's text is its sentences joined by one space. Every candidate is given one
paragraph at a time, as ingest gives spaCy one line at a time (a line break always ends a
sentence), so the boundaries scored are those inside a paragraph: the offset at which a
sentence other than a paragraph's first starts (its first non-blank character). A
boundary is right when its offset is a gold one: a quotation mark left at the end of the
sentence before counts as one wrong and one missed boundary.

Throughput: the UTF-8 megabytes (10^6 bytes) of all paragraphs over the CPU time of the
process segmenting them all (``time.process_time``: on a machine shared with other work the
wall time measures the others too), repeated until ``--seconds`` / 3 CPU seconds have
passed, the best of three such rounds. Every candidate runs in one process, one thread. Candidates (a missing library is reported and skipped):

- ``spacy.sentencizer``: spaCy's rule-based sentencizer on ``spacy.blank("en")``, as ingest
  had it before the news rules;
- ``spacy.sentencizer+news``: :func:`newscorpus.ingest.sentences.segment`, what ingest ships;
- ``pysbd``: pySBD (Golden Rules segmenter, ``clean=False``);
- ``syntok``: syntok's segmenter;
- ``segtok``: segtok's ``split_single``;
- ``blingfire``: Bling Fire's ``text_to_sentences_and_offsets``;
- ``sentencex``: Wikimedia's sentencex (``segment("en", text)``);
- ``nltk.punkt``: NLTK's Punkt, untrained (no model is downloaded: the parameters are empty).

Comparison-only libraries are not newscorpus dependencies: install them into a separate
environment (docs/performance.md, Sentence segmentation).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "segmentation"
DEFAULT_FILES = ("gum_news.txt", "hard_cases.txt")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a gold set: its text and the offsets at which its sentences after
    the first start (code points)."""

    doc: str
    text: str
    starts: tuple[int, ...]


def read_gold(path: Path) -> list[Paragraph]:
    """The paragraphs of a gold file (format: the module's docstring)."""
    out: list[Paragraph] = []
    doc = ""
    sentences: list[str] = []

    def flush() -> None:
        if sentences:
            starts, at = [], 0
            for s in sentences[:-1]:
                at += len(s) + 1
                starts.append(at)
            out.append(Paragraph(doc, " ".join(sentences), tuple(starts)))
            sentences.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# doc "):
            flush()
            doc = line.split()[2]
        elif not line.strip():
            flush()
        else:
            sentences.append(line.strip())
    flush()
    return out


def starts_of(text: str, pieces: list[str]) -> list[int]:
    """The offsets in ``text`` at which each non-blank piece after the first starts, for a
    candidate that returns strings: each piece is looked for in order, whole (then past
    its end), else by its first word (a candidate that changed whitespace inside it)."""
    out, at = [], 0
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        found = text.find(piece, at)
        step = len(piece)
        if found < 0:
            head = piece.split()[0]
            found, step = text.find(head, at), len(head)
            if found < 0:
                continue
        out.append(found)
        at = found + step
    return [s for s in out if s > 0]


def _spacy_plain() -> Callable[[str], list[int]]:
    from newscorpus.ingest.sentences import sentencizer_starts

    return lambda text: sentencizer_starts([text])[0]


def _shipped() -> Callable[[str], list[int]]:
    from newscorpus.ingest.sentences import segment

    return lambda text: [s.start for s in segment(text)[1:]]


def _pysbd() -> Callable[[str], list[int]]:
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    return lambda text: starts_of(text, seg.segment(text))


def _syntok() -> Callable[[str], list[int]]:
    from syntok import segmenter

    def run(text: str) -> list[int]:
        return [sentence[0].offset for paragraph in segmenter.analyze(text) for sentence in paragraph][1:]

    return run


def _segtok() -> Callable[[str], list[int]]:
    from segtok.segmenter import split_single

    return lambda text: starts_of(text, list(split_single(text)))


def _blingfire() -> Callable[[str], list[int]]:
    import blingfire

    def run(text: str) -> list[int]:
        # offsets are of the UTF-8 bytes
        _, offsets = blingfire.text_to_sentences_and_offsets(text)
        data = text.encode("utf-8")
        return [len(data[:a].decode("utf-8", errors="ignore")) for a, _ in offsets[1:]]

    return run


def _sentencex() -> Callable[[str], list[int]]:
    from sentencex import segment

    return lambda text: starts_of(text, list(segment("en", text)))


def _punkt() -> Callable[[str], list[int]]:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    tok = PunktSentenceTokenizer()
    return lambda text: [a for a, _ in tok.span_tokenize(text)][1:]


#: name -> factory of a function from a paragraph to its sentence starts after the first.
CANDIDATES: dict[str, Callable[[], Callable[[str], list[int]]]] = {
    "spacy.sentencizer": _spacy_plain,
    "spacy.sentencizer+news": _shipped,
    "pysbd": _pysbd,
    "syntok": _syntok,
    "segtok": _segtok,
    "blingfire": _blingfire,
    "sentencex": _sentencex,
    "nltk.punkt": _punkt,
}


@dataclass
class Score:
    """One candidate's figures: boundaries right (``tp``), wrong (``fp``) and missed (``fn``),
    precision, recall, F1, and MB/s (None when not measured)."""

    name: str
    tp: int
    fp: int
    fn: int
    mb_per_s: float | None

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _first_word_start(text: str, at: int) -> int:
    """``at`` moved past whitespace: where the sentence a candidate starts at ``at`` begins."""
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def score(name: str, run: Callable[[str], list[int]], paragraphs: list[Paragraph], *, seconds: float,
          errors: list | None = None) -> Score:
    """Score ``run`` on ``paragraphs``; time it when ``seconds`` > 0. ``errors`` (if given)
    collects ``(doc, paragraph text, wrong starts, missed starts)`` per paragraph with any."""
    tp = fp = fn = 0
    for para in paragraphs:
        got = {_first_word_start(para.text, s) for s in run(para.text)} - {0, len(para.text)}
        gold = set(para.starts)
        tp += len(got & gold)
        fp += len(got - gold)
        fn += len(gold - got)
        if errors is not None and got != gold:
            errors.append((para.doc, para.text, sorted(got - gold), sorted(gold - got)))
    rate = None
    if seconds > 0:
        size = sum(len(p.text.encode("utf-8")) for p in paragraphs)
        texts = [p.text for p in paragraphs]
        best = None
        for _ in range(3):
            rounds, t0 = 0, time.process_time()
            while True:
                for text in texts:
                    run(text)
                rounds += 1
                elapsed = time.process_time() - t0
                if elapsed >= seconds / 3:
                    break
            speed = size * rounds / elapsed / 1e6
            best = speed if best is None else max(best, speed)
        rate = best
    return Score(name, tp, fp, fn, rate)


def _version(name: str) -> str:
    """The candidate's version: its distribution's (spaCy's for the sentencizer), the
    record's for the shipped segmenter."""
    from importlib.metadata import PackageNotFoundError, version

    if name == "spacy.sentencizer+news":
        from newscorpus.ingest.sentences import segmenter_info

        return segmenter_info().version
    try:
        return version({"spacy.sentencizer": "spacy", "nltk.punkt": "nltk"}.get(name, name))
    except PackageNotFoundError:
        return ""


def compare(sets: dict[str, list[Paragraph]], names: list[str], *, seconds: float) -> tuple[list[dict], dict[str, str]]:
    """Every candidate of ``names`` scored on each gold set of ``sets`` (name -> paragraphs)
    and on all of them, timed on all of them; and the candidates skipped, with why. Each
    result: ``{"name", "version", "sets": {set name: Score}, "all": Score}`` (MB/s on ``all``)."""
    every = [p for paragraphs in sets.values() for p in paragraphs]
    results, skipped = [], {}
    for name in names:
        try:
            run = CANDIDATES[name]()
        except ImportError as exc:
            skipped[name] = f"not installed ({exc.name or exc})"
            continue
        run(every[0].text)  # warm up: models, caches
        per_set = {set_name: score(name, run, paragraphs, seconds=0) for set_name, paragraphs in sets.items()}
        results.append({"name": name, "version": _version(name), "sets": per_set, "all": score(name, run, every, seconds=seconds)})
    return results, skipped


def _json(s: Score) -> dict:
    out = asdict(s)
    del out["name"]
    return {**out, "precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4)}


def _figures(s: Score) -> str:
    return f"{100 * s.f1:.1f} | {100 * s.precision:.1f} | {100 * s.recall:.1f}"


def markdown(results: list[dict], skipped: dict[str, str]) -> str:
    """The results as a Markdown table: F1, P, R (percent) per gold set and on all, the
    boundaries right / wrong / missed on all, and MB/s; best F1 on all first."""
    set_names = list(results[0]["sets"]) if results else []
    head = "| candidate | version | " + " | ".join(f"F1 {n} | P | R" for n in set_names) + " | F1 all | P | R | right / wrong / missed | MB/s |"
    lines = [head, "|---|---|" + "---:|" * (3 * len(set_names) + 5)]
    for r in sorted(results, key=lambda r: -r["all"].f1):
        a = r["all"]
        rate = "–" if a.mb_per_s is None else f"{a.mb_per_s:.2f}"
        cells = " | ".join(_figures(r["sets"][n]) for n in set_names)
        lines.append(f"| {r['name']} | {r['version']} | {cells} | {_figures(a)} | {a.tp} / {a.fp} / {a.fn} | {rate} |")
    lines += [f"| {name} | {why} |" + " |" * (3 * len(set_names) + 5) for name, why in skipped.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", nargs="+", type=Path, default=[DATA / f for f in DEFAULT_FILES], help="gold files")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N paragraphs of each file")
    parser.add_argument("--candidates", default=",".join(CANDIDATES), help="comma-separated names (default: all)")
    parser.add_argument("--seconds", type=float, default=3.0, help="CPU seconds of timing per candidate (0: no timing)")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown")
    parser.add_argument("--errors", metavar="NAME", help="print the paragraphs a candidate gets wrong, and stop")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.candidates.split(",") if n.strip()]
    unknown = [n for n in names if n not in CANDIDATES]
    if unknown:
        parser.error(f"unknown candidate(s) {', '.join(unknown)} (known: {', '.join(CANDIDATES)})")
    sets = {path.stem: read_gold(path)[: args.limit] for path in args.data}
    paragraphs = [p for ps in sets.values() for p in ps]
    if args.errors:
        errors: list = []
        result = score(args.errors, CANDIDATES[args.errors](), paragraphs, seconds=0, errors=errors)
        for doc, text, wrong, missed in errors:
            print(f"{doc}: wrong {[text[max(0, w - 15):w + 10] for w in wrong]} missed {[text[max(0, m - 15):m + 10] for m in missed]}")
        print(f"F1 {100 * result.f1:.1f}")
        return 0
    results, skipped = compare(sets, names, seconds=args.seconds)
    gold = sum(len(p.starts) for p in paragraphs)
    sentences = sum(len(p.starts) + 1 for p in paragraphs)
    size = sum(len(p.text.encode("utf-8")) for p in paragraphs)
    if args.format == "json":
        print(json.dumps({
            "sentences": sentences, "boundaries": gold, "bytes": size,
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
            "results": [{"name": r["name"], "version": r["version"], "all": _json(r["all"]),
                         "sets": {n: _json(s) for n, s in r["sets"].items()}} for r in results],
            "skipped": skipped,
        }, indent=2))
    else:
        print(f"{sentences} sentences, {gold} boundaries inside paragraphs, {size:,} bytes; "
              f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}\n")
        print(markdown(results, skipped))
    return 0


if __name__ == "__main__":
    sys.exit(main())
