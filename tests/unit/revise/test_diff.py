"""The character diff and its offset map, with exact offsets (code points, end-exclusive)."""

from __future__ import annotations

import pytest

from newscorpus.revise.diff import Edit, diff_texts

TEXT = "Alpha met Beta in Gamma.\nDelta left."
ALPHA, BETA, GAMMA, DELTA = (0, 5), (10, 14), (18, 23), (25, 30)


def test_the_spans_of_the_text():
    assert [TEXT[s:e] for s, e in (ALPHA, BETA, GAMMA, DELTA)] == ["Alpha", "Beta", "Gamma", "Delta"]


def test_equal_texts_have_one_equal_edit_and_move_nothing():
    diff = diff_texts(TEXT, TEXT)
    assert diff.edits == [Edit("equal", 0, 36, 0, 36)] and not diff.changed
    assert diff.move(*BETA) == BETA
    assert diff_texts("", "").edits == []


def test_insert_before_a_span_moves_it_silently():
    diff = diff_texts(TEXT, "The " + TEXT)
    assert diff.edits == [Edit("insert", 0, 0, 0, 4), Edit("equal", 0, 36, 4, 40)]
    assert not diff.touched(*ALPHA)  # inserted at its start: outside the span
    assert diff.move(*ALPHA) == (4, 9) and diff.move(*DELTA) == (29, 34)


def test_insert_inside_a_span_touches_it_and_widens_over_the_insert():
    new = TEXT.replace("Beta", "Betta")
    diff = diff_texts(TEXT, new)
    assert diff.edits == [Edit("equal", 0, 13, 0, 13), Edit("insert", 13, 13, 13, 14), Edit("equal", 13, 36, 14, 37)]
    assert diff.touched(*BETA) and not diff.touched(*ALPHA) and not diff.touched(*GAMMA)
    assert diff.widen(*BETA) == (10, 15) and new[10:15] == "Betta"
    assert diff.move(*GAMMA) == (19, 24)
    with pytest.raises(ValueError, match=r"\[10, 14\) was edited"):
        diff.move(*BETA)


def test_insert_at_a_span_end_leaves_it_alone():
    new = TEXT.replace("Beta in", "Beta, in")
    diff = diff_texts(TEXT, new)
    assert not diff.touched(*BETA)
    assert diff.move(*BETA) == (10, 14) and diff.move(*GAMMA) == (19, 24)


def test_delete_before_and_inside():
    diff = diff_texts(TEXT, TEXT.replace("met ", ""))
    assert diff.move(*BETA) == (6, 10) and diff.move(*ALPHA) == (0, 5)
    new = TEXT.replace("Gamma", "Gama")
    diff = diff_texts(TEXT, new)
    assert diff.edits[1] == Edit("delete", 21, 22, 21, 21)
    assert diff.touched(*GAMMA) and diff.widen(*GAMMA) == (18, 22) and new[18:22] == "Gama"
    assert diff.move(*DELTA) == (24, 29)


def test_a_span_deleted_whole_widens_to_nothing():
    new = TEXT.replace("Beta ", "")
    diff = diff_texts(TEXT, new)
    assert diff.touched(*BETA) and diff.widen(*BETA) == (10, 10)
    assert diff.move(*GAMMA) == (13, 18) and new[13:18] == "Gamma"


def test_replace_at_a_boundary():
    # replacing the full stop right after Gamma leaves Gamma alone
    diff = diff_texts(TEXT, TEXT.replace("Gamma.", "Gamma!"))
    assert diff.edits[1] == Edit("replace", 23, 24, 23, 24) and not diff.touched(*GAMMA)
    # replacing the first letters of a span touches it; the replacement is taken whole
    new = TEXT.replace("Gamma", "Sigma")
    diff = diff_texts(TEXT, new)
    assert diff.edits[1] == Edit("replace", 18, 21, 18, 21)
    assert diff.touched(*GAMMA) and diff.widen(*GAMMA) == (18, 23) and new[18:23] == "Sigma"
    # a replacement that straddles the span's start: widened over all of it
    new = TEXT.replace("in Gamma", "inXXamma")
    diff = diff_texts(TEXT, new)
    assert diff.edits[1] == Edit("replace", 17, 19, 17, 19)
    assert diff.widen(*GAMMA) == (17, 23) and new[17:23] == "XXamma"


def test_narrow_keeps_regions_apart():
    # one replacement across the boundary of two regions: neither takes it past the other
    old, new = "Ab. Cd.", "Ab;xcd."
    diff = diff_texts(old, new)
    assert diff.edits == [Edit("equal", 0, 2, 0, 2), Edit("replace", 2, 5, 2, 5), Edit("equal", 5, 7, 5, 7)]
    first, second = diff.narrow(0, 3), diff.narrow(4, 7)
    assert first == (0, 2) and second == (5, 7) and first[1] <= second[0]
    assert diff.widen(0, 3) == (0, 5) and diff.widen(4, 7) == (2, 7)  # widened they would overlap


def test_astral_characters_count_one_code_point():
    old = "Hi 😀 Bob and 😃 Ann."
    new = "Hi 😀😀 Bob and 😄 Ann."
    bob, smile, ann = (5, 8), (13, 14), (15, 18)
    assert old[5:8] == "Bob" and old[13:14] == "😃" and old[15:18] == "Ann"
    diff = diff_texts(old, new)
    assert diff.move(*bob) == (6, 9) and new[6:9] == "Bob"
    assert diff.touched(*smile) and diff.widen(*smile) == (14, 15) and new[14:15] == "😄"
    assert diff.move(*ann) == (16, 19) and new[16:19] == "Ann"


def test_regions_are_checked():
    diff = diff_texts(TEXT, TEXT + "!")
    for start, end in ((5, 5), (-1, 2), (30, 37)):
        with pytest.raises(ValueError, match="is not a region of a text of 36 code points"):
            diff.touched(start, end)


def test_a_long_text_with_one_typo_is_cut_to_the_edit():
    old = "word " * 40_000 + "teh end " + "word " * 40_000
    new = old.replace("teh", "the")
    diff = diff_texts(old, new)
    assert [e.tag for e in diff.edits] == ["equal", "replace", "equal"] or [e.tag for e in diff.edits] == [
        "equal", "insert", "equal", "delete", "equal"]
    assert diff.move(0, 4) == (0, 4) and diff.move(len(old) - 4, len(old)) == (len(new) - 4, len(new))
