"""Seeded property test of the token formats: random tokens (combining marks, astral and
right-to-left characters) with random IOB2 tags, written by this test as a CoNLL file and
as a WebAnno TSV 3.3 file (UTF-16 offsets, multi-token spans with disambiguation ids),
read back by read_conll and read_webanno: every span is exactly its tokens."""

from __future__ import annotations

import random

import pytest

from newscorpus.importers.conll import read_conll
from newscorpus.importers.webanno import read_webanno

ALPHABET = ["a", "Z", "é", "e\u0301", "\u0301", "ß", "\u05e9\u05dc\u05d5\u05dd", "\u0627\u0644", "😊", "𝔘", "\U0001F1EB\U0001F1EE",
            "\u200f", "\\", "|", "_", "*", "[1]", "->", "-", "9", "\u4e2d"]
LABELS = ["PER", "LOC", "ORG", "MISC"]


def random_document(rng: random.Random) -> list[list[tuple[str, str]]]:
    """Sentences of (token, IOB2 tag)."""
    sentences = []
    for _ in range(rng.randint(1, 5)):
        sentence, inside = [], None
        for _ in range(rng.randint(1, 12)):
            token = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 4)))
            roll = rng.random()
            if inside and roll < 0.35:
                tag = f"I-{inside}"
            elif roll < 0.7:
                tag, inside = "O", None
            else:
                inside = rng.choice(LABELS)
                tag = f"B-{inside}"
            sentence.append((token, tag))
        sentences.append(sentence)
    return sentences


def expected_entities(sentences) -> list[tuple[str, str]]:
    """(label, text) of each entity: its tokens joined by one space."""
    entities = []
    for sentence in sentences:
        current: list[str] | None = None
        for token, tag in sentence + [("", "O")]:
            if tag.startswith("I-"):
                current.append(token)
                continue
            if current is not None:
                entities.append((label, " ".join(current)))
                current = None
            if tag.startswith("B-"):
                label, current = tag[2:], [token]
    return entities


def as_iob1(sentence):
    """The same entities in IOB1: I- everywhere but B- right after an entity of its type."""
    out, previous = [], "O"
    for token, tag in sentence:
        if tag.startswith("B-") and previous[2:] != tag[2:]:
            tag = "I-" + tag[2:]
        out.append((token, tag))
        previous = tag
    return out


def u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def write_tsv(sentences) -> str:
    """A WebAnno TSV 3.3 file of the sentences: one NamedEntity layer, as INCEpTION writes it."""
    out = ["#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value\n\n"]
    position, next_id = 0, 1
    for s, sentence in enumerate(sentences, 1):
        text = " ".join(token for token, _ in sentence)
        out.append("\n#Text=" + text.replace("\\", "\\\\") + "\n")
        values: list[str] = []
        for t, (_, tag) in enumerate(sentence):
            if tag == "O":
                values.append("_")
                continue
            multi = (t + 1 < len(sentence) and sentence[t + 1][1].startswith("I-")) or tag.startswith("I-")
            if tag.startswith("B-") and multi:
                entity_id, next_id = next_id, next_id + 1
            values.append(tag[2:] + (f"[{entity_id}]" if multi else ""))
        for t, ((token, _), value) in enumerate(zip(sentence, values), 1):
            end = position + u16(token)
            out.append(f"{s}-{t}\t{position}-{end}\t{token}\t{value}\t\n")
            position = end + 1  # the space, or the line break after the sentence
    return "".join(out)


@pytest.mark.parametrize("seed", range(40))
def test_random_tokens_round_trip_through_conll_and_webanno(tmp_path, seed):
    rng = random.Random(seed)
    sentences = random_document(rng)
    expected = expected_entities(sentences)
    conll = tmp_path / "doc.conll"
    conll.write_text("".join("".join(f"{token} {tag}\n" for token, tag in sentence) + "\n" for sentence in sentences),
                     encoding="utf-8")
    tsv = tmp_path / "doc.tsv"
    tsv.write_text(write_tsv(sentences), encoding="utf-8")

    [from_conll] = read_conll(conll, tagging="iob2")
    [from_tsv] = read_webanno(tsv)
    text = "\n".join(" ".join(token for token, _ in sentence) for sentence in sentences)
    assert (from_conll.text, from_tsv.text) == (text, text + "\n")
    for document in (from_conll, from_tsv):
        assert [(span.label, document.text[span.start:span.end]) for span in document.spans] == expected
    assert [(s.start, s.end, s.label) for s in from_conll.spans] == [(s.start, s.end, s.label) for s in from_tsv.spans]

    iob1 = tmp_path / "iob1.conll"
    iob1.write_text("".join("".join(f"{token}\tPOS\t{tag}\n" for token, tag in as_iob1(sentence)) + "\n"
                            for sentence in sentences), encoding="utf-8")
    [from_iob1] = read_conll(iob1, tagging="iob1")
    assert [(s.start, s.end, s.label) for s in from_iob1.spans] == [(s.start, s.end, s.label) for s in from_conll.spans]
    if any(tag.startswith("I-") for sentence in sentences for _, tag in as_iob1(sentence)):
        assert read_conll(iob1)[0].spans == from_iob1.spans  # detected

    located = tmp_path / "texts"
    located.mkdir()
    (located / "doc.txt").write_text(text.replace(" ", "  \t").replace("\n", "\r\n\n"), encoding="utf-8")
    [from_text] = read_conll(conll, text=located, tagging="iob2")
    assert [(span.label, from_text.text[span.start:span.end].replace("  \t", " ").replace("\r\n\n", " "))
            for span in from_text.spans] == expected
