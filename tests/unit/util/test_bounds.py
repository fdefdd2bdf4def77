"""The nesting bound: JSON deeper than MAX_DEPTH is refused before anything parses it, and
brackets inside strings (escaped quotes included, across read blocks) do not count."""

from __future__ import annotations

import json

import pytest

from newscorpus.errors import ExportError
from newscorpus.util.bounds import MAX_DEPTH, check_file_depth


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("pad", [0, 1 << 20, (1 << 20) - 1, (1 << 20) + 7])
def test_depth_is_counted_outside_strings_across_blocks(tmp_path, pad):
    tricky = 'x"\\"[[[[{{{{\\\\' + "[" * 3000  # an escaped quote, an escaped backslash, then brackets, all in a string
    head = json.dumps([{"pad": "a" * pad, "s": tricky}])[:-2]
    path = tmp_path / "ok.json"
    path.write_text(head + ', "n": ' + _nested(MAX_DEPTH - 1) + "}]")
    check_file_depth(path)
    deep = json.dumps([{"pad": "a" * pad, "s": tricky}])[:-1] + ',{"n": ' + _nested(MAX_DEPTH) + "}]"
    path.write_text(deep)
    with pytest.raises(ExportError) as err:
        check_file_depth(path)
    assert err.value.code == "too-deep"
    at = deep.rindex('{"n": ') + 6 + MAX_DEPTH - 1  # the bracket that opens level MAX_DEPTH + 1
    assert err.value.message == f"nested more than {MAX_DEPTH} levels deep (at byte {at}): refused before reading it"


def test_a_string_ending_a_block_with_backslashes(tmp_path):
    text = json.dumps(["a" * ((1 << 20) - 4) + "\\\\\\", _nested(5000)])[:-1] + ", " + _nested(10) + "]"
    path = tmp_path / "x.json"
    path.write_text(text)
    check_file_depth(path)
