"""Sentences moved by id onto a corrected text: never overlapping, every non-blank
character in exactly one sentence, new lines cut into new sentences (exact offsets)."""

from __future__ import annotations

from newscorpus.core.models import Sentence
from newscorpus.ingest.run import segment
from newscorpus.revise.diff import diff_texts
from newscorpus.revise.sentences import move_sentences

OLD = "One. Two.\nThree.\n"
SENTENCES = [Sentence(id="s0", start=0, end=4), Sentence(id="s1", start=5, end=9), Sentence(id="s2", start=10, end=16)]


def _move(new: str, sentences=SENTENCES, old: str = OLD):
    moved = move_sentences(sentences, diff_texts(old, new), segment=lambda piece: segment(piece, language="en"))
    return [(s.id, new[s.start : s.end]) for s in moved.sentences], moved


def test_the_sentences_of_the_text():
    assert [OLD[s.start : s.end] for s in SENTENCES] == ["One.", "Two.", "Three."]


def test_text_before_the_first_and_after_the_last_sentence_joins_them():
    shown, moved = _move("Now: One. Two.\nThree. Done.\n")
    assert shown == [("s0", "Now: One."), ("s1", "Two."), ("s2", "Three. Done.")]
    assert (moved.changed, moved.dropped, moved.added) == (["s0", "s2"], [], [])


def test_an_edit_across_a_boundary_goes_to_the_sentence_on_its_line():
    shown, moved = _move("One; two.\nThree.\n")  # two replacements, one each side of the space
    assert shown == [("s0", "One;"), ("s1", "two."), ("s2", "Three.")]
    # one replacement across the boundary: neither sentence overlaps the other; the
    # sentence the line starts with takes what lies between them
    shown, moved = _move("One;xtwo.\nThree.\n")
    assert shown == [("s0", "One;xt"), ("s1", "wo."), ("s2", "Three.")]
    assert [(s.start, s.end) for s in moved.sentences] == [(0, 6), (6, 9), (10, 16)]


def test_lines_of_their_own_become_new_sentences_after_the_highest_number():
    shown, moved = _move("One. Two.\nNew one. New two.\nThree.\nLast line.")
    assert shown == [("s0", "One."), ("s1", "Two."), ("s3", "New one."), ("s4", "New two."), ("s2", "Three."),
                     ("s5", "Last line.")]
    assert moved.added == ["s3", "s4", "s5"]


def test_a_sentence_deleted_whole_is_dropped_and_all_deleted_leaves_only_new_ones():
    shown, moved = _move("One.\nThree.\n")
    assert shown == [("s0", "One."), ("s2", "Three.")] and moved.dropped == ["s1"]
    shown, moved = _move("XYZ!\n")  # no character in common but the line end
    assert shown == [("s3", "XYZ!")] and (moved.dropped, moved.added) == (["s0", "s1", "s2"], ["s3"])
