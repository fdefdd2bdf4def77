"""Agreement coefficients: Cohen's kappa, Krippendorff's alpha (nominal), span matching.

Pure functions over plain Python values; :mod:`newscorpus.agreement.figures` turns article records
into their inputs. Undefined coefficients (no pairable data, or no variation at all, where
the formulas divide 0 by 0) are ``None``, never ``nan``.

- Cohen's kappa (Cohen 1960): ``kappa = (p_o - p_e) / (1 - p_e)`` for two coders who both
  coded every unit, with ``p_e`` from each coder's own marginal distribution.
- Krippendorff's alpha, nominal metric, any number of coders, missing values allowed
  (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"), from the value counts
  of the units (:func:`alpha_from_value_counts`): units with the same counts are counted
  once with their number, so a corpus of any size is a few counts. The coincidence matrix
  is summed exactly (as fractions), then the last steps are those of the
  maintained ``krippendorff`` package; the tests hold both forms to the package: the same
  float, bit for bit, whenever every ``m_u - 1`` is a power of two (two, three, five
  coders of a unit), else within 1e-15 (the package sums rounded quotients in unit
  order; this sums them exactly, then rounds once).
- Span matching: how many spans of two annotators match one-to-one, exactly (same start,
  end and label) or by overlap (same label, overlapping offsets; a maximum bipartite
  matching, so one span never matches twice). Pairwise F1 is ``2 * matched / (|A| + |B|)``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction

import numpy as np

__all__ = ["ValueCounts", "value_counts", "cohen_kappa", "kappa_from_table", "nominal_alpha", "alpha_from_value_counts", "exact_matches",
           "overlap_matches", "f1"]

ValueCounts = tuple[tuple[Hashable, int], ...]
"""The values the coders of one unit gave: ``((value, how many coders gave it), ...)``,
each value once, counts above zero, in any fixed order (``value_counts`` sorts by ``repr``)."""


def kappa_from_table(table: Sequence[Sequence[float]]) -> float | None:
    """Cohen's kappa of a square contingency table ``table[i][j]`` (coder 1 said category
    i, coder 2 said category j; counts or proportions). ``None`` when undefined (an empty
    table, or ``p_e == 1``: both coders used one and the same category throughout).

    Computed here rather than with scikit-learn: the formula is three lines, and
    scikit-learn (with SciPy) would be a large dependency for them. The function is tested
    against Cohen's (1960) published example.
    """
    m = np.asarray(table, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"a contingency table is square, got shape {m.shape}")
    total = m.sum()
    if total == 0:
        return None
    m = m / total
    p_o = float(np.trace(m))
    p_e = float((m.sum(axis=1) * m.sum(axis=0)).sum())
    if p_e >= 1.0:
        return None
    return (p_o - p_e) / (1.0 - p_e)


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two coders' labels for the same units (``first[i]`` and
    ``second[i]`` label unit i). Raises ``ValueError`` when the lengths differ."""
    if len(first) != len(second):
        raise ValueError(f"the two coders label different numbers of units ({len(first)} and {len(second)})")
    categories = sorted({*first, *second}, key=repr)
    index = {c: i for i, c in enumerate(categories)}
    table = np.zeros((len(categories), len(categories)))
    for a, b in zip(first, second):
        table[index[a], index[b]] += 1
    return kappa_from_table(table)


def value_counts(values: Sequence[Hashable | None]) -> ValueCounts:
    """The :data:`ValueCounts` of one unit from the values its coders gave (``None``:
    missing, left out), sorted by ``repr``."""
    counts: dict[Hashable, int] = {}
    for v in values:
        if v is not None:
            counts[v] = counts.get(v, 0) + 1
    if len(counts) < 2:
        return tuple(counts.items())
    return tuple(sorted(counts.items(), key=_repr_of_value))


def _repr_of_value(item: tuple[Hashable, int]) -> str:
    return repr(item[0])


def nominal_alpha(data: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha with the nominal metric.

    ``data[c][u]`` is coder c's value for unit u, or ``None`` when coder c did not code it
    (any hashable values; they are only compared for equality). Units with fewer than two
    values are not pairable and do not count. ``None`` when no unit is pairable or when all
    pairable values are equal (alpha is 0/0 there). Computed by
    :func:`alpha_from_value_counts`.
    """
    units: Counter[ValueCounts] = Counter()
    for column in zip(*data):
        units[value_counts(column)] += 1
    return alpha_from_value_counts(units)


def alpha_from_value_counts(units: Mapping[ValueCounts, int]) -> float | None:
    """Krippendorff's alpha (nominal) of a corpus given as ``{value counts of a unit: how
    many units have them}``. Every value of every unit is in the value domain (as
    ``krippendorff.alpha`` builds it from reliability data), units with one value are not
    pairable. ``None`` when fewer than two distinct values occur in pairable units (no
    pairable unit, or no variation: alpha is 0/0)."""
    domain = sorted({v for counts in units for v, _ in counts}, key=repr)
    index = {v: i for i, v in enumerate(domain)}
    exact: dict[tuple[int, int], Fraction] = {}
    for counts, times in units.items():
        m = sum(n for _, n in counts)
        if m < 2:
            continue
        for i, (a, na) in enumerate(counts):
            for j, (b, nb) in enumerate(counts):
                product = na * (nb - 1) if i == j else na * nb  # ordered pairs of two coders' values
                if product:
                    key = (index[a], index[b])
                    exact[key] = exact.get(key, 0) + Fraction(times * product, m - 1)
    o = np.zeros((len(domain), len(domain)))
    for (i, j), value in exact.items():
        o[i, j] = float(value)
    n_v = o.sum(axis=0)
    if np.count_nonzero(n_v) < 2:
        return None
    # krippendorff.alpha from here on (its _random_coincidences and nominal _distances)
    e = np.divide(np.outer(n_v, n_v) - np.diagflat(n_v), n_v.sum() - 1, dtype=float)
    d = 1.0 - np.eye(len(domain))
    return float(1 - (o * d).sum() / (e * d).sum())


def exact_matches(first: set[tuple[int, int, str]], second: set[tuple[int, int, str]]) -> int:
    """Spans ``(start, end, label)`` present in both sets."""
    return len(first & second)


def overlap_matches(first: Sequence[tuple[int, int, str]], second: Sequence[tuple[int, int, str]]) -> int:
    """Size of a maximum one-to-one matching between two annotators' spans ``(start, end,
    label)`` where two spans match when their labels are equal and their ``[start, end)``
    ranges share at least one code point (Kuhn's augmenting paths)."""
    edges = [
        [j for j, (s2, e2, l2) in enumerate(second) if l1 == l2 and s1 < e2 and s2 < e1]
        for (s1, e1, l1) in first
    ]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(first)))


def f1(matched: int, spans: int) -> float | None:
    """Pairwise F1 from summed counts: ``2 * matched / spans`` where ``spans`` is
    ``|A| + |B|`` summed over the pairs; ``None`` when there are no spans at all."""
    return None if spans == 0 else 2 * matched / spans
