"""Agreement coefficients: Cohen's kappa, Krippendorff's alpha (nominal), span matching.

Pure functions over plain Python values; :mod:`newscorpus.agreement.figures` turns article records
into their inputs. Undefined coefficients (no pairable data, or no variation at all, where
the formulas divide 0 by 0) are ``None``, never ``nan``.

- Cohen's kappa (Cohen 1960): ``kappa = (p_o - p_e) / (1 - p_e)`` for two coders who both
  coded every unit, with ``p_e`` from each coder's own marginal distribution.
- Krippendorff's alpha, nominal metric, any number of coders, missing values allowed
  (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"): computed by the
  maintained ``krippendorff`` package.
- Span matching: how many spans of two annotators match one-to-one, exactly (same start,
  end and label) or by overlap (same label, overlapping offsets; a maximum bipartite
  matching, so one span never matches twice). Pairwise F1 is ``2 * matched / (|A| + |B|)``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import krippendorff
import numpy as np

__all__ = ["cohen_kappa", "kappa_from_table", "nominal_alpha", "exact_matches", "overlap_matches", "f1"]


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


def nominal_alpha(data: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha with the nominal metric.

    ``data[c][u]`` is coder c's value for unit u, or ``None`` when coder c did not code it
    (any hashable values; they are only compared for equality). Units with fewer than two
    values are not pairable and do not count. ``None`` when no unit is pairable or when all
    pairable values are equal (alpha is 0/0 there).
    """
    if not data or not any(len(row) for row in data):
        return None
    values = sorted({v for row in data for v in row if v is not None}, key=repr)
    code = {v: i for i, v in enumerate(values)}
    matrix = np.array(
        [[np.nan if v is None else float(code[v]) for v in row] for row in data], dtype=float
    ).reshape(len(data), -1)
    pairable = (~np.isnan(matrix)).sum(axis=0) >= 2
    coded = matrix[:, pairable]
    if np.unique(coded[~np.isnan(coded)]).size < 2:
        return None
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


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
