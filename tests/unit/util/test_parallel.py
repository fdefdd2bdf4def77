"""``parallel.ordered_map``: input order, keys, errors, with and without batches."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newscorpus.errors import ExportError
from newscorpus.util.parallel import ordered_map


def _square(item: tuple[int, str, str]) -> tuple[int, int]:
    """(index, the number of earlier items of its key seen in its key's file)."""
    index, key, folder = item
    path = Path(folder) / f"{key}.log"
    seen = path.read_text().count("\n") if path.exists() else 0
    with open(path, "a") as fh:
        fh.write(f"{index}\n")
    if index == 37:
        raise ExportError("item 37 is bad", file="x.json", where="$[37]", code="bad", hint="fix it")
    if index == 41:
        raise ValueError("item 41 is worse")
    return index * index, seen


def _items(n: int, folder: Path):
    return [(i, f"k{i % 5 if i % 3 else 0}", str(folder)) for i in range(n)]


@pytest.mark.parametrize("batch", [1, 3, 4])
def test_results_come_in_input_order_and_a_key_sees_its_earlier_items(tmp_path, batch):
    items = _items(30, tmp_path)
    got = list(ordered_map(_square, items, workers=2, key=lambda it: it[1], batch=batch))
    expected_seen = [sum(1 for j in range(i) if items[j][1] == items[i][1]) for i in range(30)]
    assert got == [(i * i, expected_seen[i]) for i in range(30)]
    assert sorted(os.listdir(tmp_path)) == sorted({f"{it[1]}.log" for it in items})


@pytest.mark.parametrize("batch", [1, 4, 7])
def test_the_first_error_in_input_order_is_raised_after_the_results_before_it(tmp_path, batch):
    got = []
    with pytest.raises(ExportError) as err:
        for value in ordered_map(_square, _items(60, tmp_path), workers=2, key=lambda it: it[1], batch=batch):
            got.append(value[0])
    assert got == [i * i for i in range(37)]
    assert (str(err.value), err.value.code, err.value.where, err.value.hint) == ("x.json::$[37]: item 37 is bad (hint: fix it)", "bad", "$[37]", "fix it")


def _failing_at(n: int, folder: Path):
    yield from _items(n, folder)
    raise ExportError("the input ends here", file="x.json", where=f"$[{n}]", code="invalid-json")


@pytest.mark.parametrize("batch", [1, 4, 7])
@pytest.mark.parametrize(("n", "first"), [(40, "item 37 is bad"), (30, "the input ends here")])
def test_an_error_of_the_items_themselves_comes_after_the_items_before_it(tmp_path, batch, n, first):
    got = []
    with pytest.raises(ExportError) as err:
        for value in ordered_map(_square, _failing_at(n, tmp_path), workers=2, key=lambda it: it[1], batch=batch):
            got.append(value[0])
    assert err.value.message == first
    assert got == [i * i for i in range(min(n, 37))]


@pytest.mark.parametrize("batch", [1, 4])
def test_other_exceptions_come_back_as_raised(tmp_path, batch):
    items = [it for it in _items(60, tmp_path) if it[0] != 37]
    got = []
    with pytest.raises(ValueError, match="item 41 is worse"):
        for value in ordered_map(_square, items, workers=2, batch=batch):
            got.append(value[0])
    assert got == [i * i for i in range(41) if i != 37]


def test_in_process_when_one_worker(tmp_path):
    assert list(ordered_map(_square, _items(5, tmp_path), workers=1, batch=4)) == [(0, 0), (1, 0), (4, 0), (9, 1), (16, 0)]
