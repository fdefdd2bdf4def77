"""The passes of the ``ner`` config over an article's tokens against their reference forms
(tests/unit/dataset/oracles.py) on seeded random cases: the IOB2 tagger (iob2_entity_of
against the one-pass iob2_triples: nested, overlapping, repeated and crossing entities
included) and the cut at entity boundaries (cut_tokens against cut_tokens_loop)."""

from __future__ import annotations

import random

import numpy

from newscorpus.dataset.tokens import cut_tokens, iob2_entity_of
from tests.unit.dataset.oracles import cut_tokens_loop, iob2_triples


def _tags(starts, ends, entities) -> list[str]:
    """iob2_entity_of's answer as tag names (entities sorted as the ner config sorts them)."""
    e_starts = numpy.asarray([e[0] for e in entities], dtype=numpy.int64)
    e_ends = numpy.asarray([e[1] for e in entities], dtype=numpy.int64)
    order = numpy.lexsort((e_ends, e_starts))
    entity, begins = iob2_entity_of(numpy.asarray(starts, dtype=numpy.int64), numpy.asarray(ends, dtype=numpy.int64),
                                    e_starts[order], e_ends[order])
    labels = [entities[i][2] for i in order.tolist()]
    return ["O" if j < 0 else ("B-" if b else "I-") + labels[j] for j, b in zip(entity.tolist(), begins.tolist())]


def _tokens(rng: random.Random, size: int) -> tuple[list[int], list[int]]:
    starts, ends, at = [], [], 0
    while True:
        at += rng.randint(0, 2)
        length = rng.randint(1, 5)
        if at + length > size:
            return starts, ends
        starts.append(at)
        ends.append(at + length)
        at += length


def test_iob2_entity_of_matches_the_one_pass_tagger_on_random_cases():
    rng = random.Random(18)
    for _ in range(3000):
        size = rng.randint(0, 60)
        starts, ends = _tokens(rng, size)
        entities = []
        for _ in range(rng.randint(0, 8)):
            if starts and rng.random() < 0.7:  # on token boundaries, as the ner config cuts them
                i = rng.randrange(len(starts))
                j = rng.randrange(i, min(len(starts), i + 4))
                a, b = starts[i], ends[j]
            else:
                a = rng.randint(0, max(size - 1, 0))
                b = rng.randint(a + 1, size + 1)
            entities.append((a, b, rng.choice(["PERSON", "ORG", "GPE"])))
        if entities and rng.random() < 0.2:
            entities.append(entities[0][:2] + ("LOC",))  # the same offsets twice: list order decides
        assert _tags(starts, ends, entities) == iob2_triples(starts, ends, entities), (starts, ends, entities)


def test_iob2_entity_of_without_tokens_or_entities():
    none = numpy.zeros(0, dtype=numpy.int64)
    entity, begins = iob2_entity_of(numpy.asarray([0, 4]), numpy.asarray([3, 6]), none, none)
    assert entity.tolist() == [-1, -1] and begins.tolist() == [False, False]
    entity, begins = iob2_entity_of(none, none, numpy.asarray([0]), numpy.asarray([3]))
    assert entity.tolist() == [] and begins.tolist() == []
    # "New York" and "York": the first entity ending after a token's start decides
    assert _tags([0, 4], [3, 8], [(0, 8, "GPE"), (4, 8, "LOC")]) == ["B-GPE", "I-GPE"]


def test_cut_tokens_matches_the_token_by_token_cut_on_random_cases():
    rng = random.Random(1818)
    for _ in range(3000):
        text = "".join(rng.choice("ab \n") for _ in range(rng.randint(0, 40)))
        starts, ends = _tokens(rng, len(text))
        cuts = [rng.randint(-2, len(text) + 2) for _ in range(rng.randint(0, 6))]
        got = cut_tokens(text, numpy.asarray(starts, dtype=numpy.int64), numpy.asarray(ends, dtype=numpy.int64), 0, len(text), cuts)
        assert got == cut_tokens_loop(text, starts, ends, [c for c in cuts if 0 < c < len(text)]), (text, starts, ends, cuts)
