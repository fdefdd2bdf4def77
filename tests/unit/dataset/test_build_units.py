"""Units of the build: id-hash splits, tokenisation at entity boundaries, IOB2 both ways."""

from __future__ import annotations

import pytest

from newscorpus.errors import BuildError
from newscorpus.core.models import Span
from newscorpus.dataset.splits import SplitRatios, assign_split, split_position
from newscorpus.dataset.tokens import entities_from_iob2
from tests.unit.dataset.oracles import iob2_tags, tokenize


def test_split_position_is_sha256_prefix():
    # sha256("000_ba712161f3bc6069") begins ded7d963def84eff; 0xded7d963def84eff / 2**64
    assert round(split_position("000_ba712161f3bc6069"), 6) == 0.870481
    assert assign_split("000_ba712161f3bc6069") == "validation"
    assert assign_split("000_ba712161f3bc6069", override="test") == "test"
    assert assign_split("000_ba712161f3bc6069", ratios=SplitRatios(0.9, 0.05, 0.05)) == "train"


def test_splits_stable_when_articles_are_added():
    ids = [f"article-{i:04d}" for i in range(2000)]
    first = {i: assign_split(i) for i in ids[:1000]}
    both = {i: assign_split(i) for i in ids}
    assert all(both[i] == first[i] for i in first)
    counts = {s: sum(1 for v in both.values() if v == s) for s in ("train", "validation", "test")}
    assert counts == {"train": 1596, "validation": 210, "test": 194}


def test_split_ratio_edges():
    assert {assign_split(f"x{i}", ratios=SplitRatios(1, 0, 0)) for i in range(200)} == {"train"}
    assert {assign_split(f"x{i}", ratios=SplitRatios(0.5, 0.5, 0)) for i in range(200)} == {"train", "validation"}
    assert SplitRatios.parse("0.7,0.2,0.1") == SplitRatios(0.7, 0.2, 0.1)
    with pytest.raises(BuildError) as err:
        SplitRatios.parse("0.7,0.2")
    assert err.value.code == "bad-split-ratios"
    with pytest.raises(BuildError):
        SplitRatios(0.9, 0.2, -0.1)


def _span(text: str, needle: str, label: str, sid: str) -> Span:
    start = text.index(needle)
    return Span(id=sid, layer="entity", label=label, start=start, end=start + len(needle), text=needle)


def test_tokenize_cuts_inside_tokens_and_maps_back():
    text = "  He visited 東京都 and the U.S.-led talks.\n"
    ents = [_span(text, "東京", "GPE", "e1"), _span(text, "U.S.", "GPE", "e2")]
    cuts = [c for e in ents for c in (e.start, e.end)]
    tokens = tokenize(text, 2, len(text) - 1, cuts=cuts)
    assert [t.text for t in tokens] == ["He", "visited", "東京", "都", "and", "the", "U.S.", "-led", "talks", "."]  # spaCy keeps "U.S.-led" whole; the entity end cuts it
    assert all(text[t.start : t.end] == t.text for t in tokens)
    tags = iob2_tags(tokens, ents)
    assert tags == ["O", "O", "B-GPE", "O", "O", "O", "B-GPE", "O", "O", "O"]
    decoded = entities_from_iob2(tags, [t.start for t in tokens], [t.end for t in tokens])
    assert decoded == [("GPE", e.start, e.end) for e in ents]


def test_adjacent_entities_of_one_label_stay_apart():
    text = "Paris London"
    ents = [_span(text, "Paris", "GPE", "a"), _span(text, "London", "GPE", "b")]
    tokens = tokenize(text, 0, len(text), cuts=[0, 5, 6, 12])
    assert iob2_tags(tokens, ents) == ["B-GPE", "B-GPE"]
    assert entities_from_iob2(["B-GPE", "B-GPE"], [0, 6], [5, 12]) == [("GPE", 0, 5), ("GPE", 6, 12)]
    assert entities_from_iob2(["O", "I-ORG", "I-ORG", "B-ORG"], [0, 2, 4, 6], [1, 3, 5, 7]) == [("ORG", 2, 5), ("ORG", 6, 7)]


def test_emoji_and_combining_offsets_are_code_points():
    text = "🎉 Zoë 👩‍👩‍👧 Ωmega"
    tokens = tokenize(text, 0, len(text))
    assert [(t.text, t.start, t.end) for t in tokens][:2] == [("🎉", 0, 1), ("Zoë", 2, 5)]
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert "".join(t.text for t in tokens) == text.replace(" ", "")
