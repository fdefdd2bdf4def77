"""scripts/compare_segmenters.py: the gold sets read exactly, and a run on a tiny slice with
the candidates every install has (spaCy's sentencizer alone and with the news rules)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "scripts"))

import compare_segmenters as cs  # noqa: E402


def test_the_gold_sets():
    counts = {}
    for name in cs.DEFAULT_FILES:
        paragraphs = cs.read_gold(cs.DATA / name)
        counts[name] = (len({p.doc for p in paragraphs}), len(paragraphs), sum(len(p.starts) + 1 for p in paragraphs),
                        sum(len(p.starts) for p in paragraphs))
    # documents, paragraphs, sentences, boundaries inside a paragraph
    assert counts == {"gum_news.txt": (24, 345, 765, 420), "hard_cases.txt": (9, 10, 59, 49)}
    first = cs.read_gold(cs.DATA / "hard_cases.txt")[0]
    assert first.doc == "hard-ranks"
    assert [first.text[a:a + 12] for a in first.starts] == [
        "The unit was", "Gen. Omar Ha", "Maj. Gen. Pe", "Supt. Alan G", "Det. Sgt. Ru"]


def test_pieces_are_found_in_order():
    assert cs.starts_of("A b. C d.  E f.", ["A b.", "C  d.", "E f."]) == [5, 11]
    assert cs.starts_of("He said. He left.", ["He said.", "He left."]) == [9]


def test_a_tiny_slice(capsys):
    args = ["--limit", "3", "--seconds", "0", "--format", "json", "--candidates", "spacy.sentencizer,spacy.sentencizer+news"]
    assert cs.main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["sentences"], out["boundaries"], out["bytes"]) == (24, 18, 1693)
    got = {r["name"]: {k: (s["tp"], s["fp"], s["fn"]) for k, s in [("all", r["all"]), *r["sets"].items()]} for r in out["results"]}
    assert got == {
        # after "D.C." (GUM), then "Sgt.", "Lt.", "Col.", "Capt." ... split and the quote of a
        # hard case is left at the end of the sentence before
        "spacy.sentencizer": {"all": (15, 13, 3), "gum_news": (0, 0, 2), "hard_cases": (15, 13, 1)},
        "spacy.sentencizer+news": {"all": (17, 0, 1), "gum_news": (2, 0, 0), "hard_cases": (15, 0, 1)},
    }
    assert [r["version"] for r in out["results"]] == ["3.8.18", "3.8.18+rules.1"]


def test_throughput_and_the_table(capsys):
    assert cs.main(["--limit", "1", "--seconds", "0.3", "--candidates", "spacy.sentencizer+news"]) == 0
    lines = capsys.readouterr().out.splitlines()
    # a headline of GUM (no boundary: its figures are 0) and the six ranks and titles of the hard cases
    assert lines[0].startswith("7 sentences, 5 boundaries inside paragraphs, 470 bytes; ")
    assert lines[2] == ("| candidate | version | F1 gum_news | P | R | F1 hard_cases | P | R | F1 all | P | R "
                        "| right / wrong / missed | MB/s |")
    row = lines[4].split(" | ")
    assert row[:12] == ["| spacy.sentencizer+news", "3.8.18+rules.1", "0.0", "0.0", "0.0", "100.0", "100.0", "100.0",
                        "100.0", "100.0", "100.0", "5 / 0 / 0"]
    assert float(row[12].rstrip(" |")) > 0
