"""Agreement coefficients against published worked examples (not against the libraries)."""

from __future__ import annotations

import pytest

from newscorpus.agreement.coefficients import cohen_kappa, exact_matches, f1, kappa_from_table, nominal_alpha, overlap_matches


def test_krippendorff_2011_nominal_example():
    # Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School
    # for Communication, University of Pennsylvania, https://repository.upenn.edu/asc_papers/43
    # Section C, "Nominal data, any number of observers, missing data": 4 observers, 12 units,
    # "." = missing. Published result: alpha_nominal = 0.743.
    _ = None
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],  # observer A
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],  # observer B
        [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],  # observer C
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],  # observer D
    ]
    assert round(nominal_alpha(data), 3) == 0.743
    # By hand (the paper's coincidence matrix): n = 40 pairable values (unit 12 has one value
    # and does not count), n_1..n_5 = 9, 13, 10, 5, 3; off-diagonal coincidences sum to 8
    # (ordered pairs, each unit weighted 1/(m_u - 1)); sum of n_c * n_k over c != k is
    # 40^2 - (81 + 169 + 100 + 25 + 9) = 1216. alpha = 1 - 39 * 8 / 1216 = 113/152 = 0.7434.
    assert nominal_alpha(data) == pytest.approx(113 / 152, abs=1e-12)
    # Labels are compared for equality only: strings give the same figure.
    as_text = [[None if v is None else f"v{v}" for v in row] for row in data]
    assert nominal_alpha(as_text) == nominal_alpha(data)


def test_cohen_1960_published_example():
    # Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and
    # Psychological Measurement 20(1), 37-46. Worked example: two judges, N = 200 items,
    # three categories; proportions
    #                judge B:  1     2     3   | judge A
    #   judge A  1           .44   .07   .09   | .60
    #            2           .05   .20   .05   | .30
    #            3           .01   .03   .06   | .10
    #   judge B              .50   .30   .20
    # p_o = .70, p_c = .60*.50 + .30*.30 + .10*.20 = .41, kappa = (.70 - .41)/(1 - .41) = .49.
    counts = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]
    kappa = kappa_from_table(counts)
    assert round(kappa, 2) == 0.49
    assert kappa == pytest.approx(0.29 / 0.59, abs=1e-12)
    # The same table as 200 paired judgements.
    first, second = [], []
    for i, row in enumerate(counts):
        for j, n in enumerate(row):
            first += [f"c{i + 1}"] * n
            second += [f"c{j + 1}"] * n
    assert cohen_kappa(first, second) == pytest.approx(0.29 / 0.59, abs=1e-12)


def test_kappa_and_alpha_undefined_without_variation():
    assert kappa_from_table([[5, 0], [0, 0]]) is None  # p_e = 1
    assert kappa_from_table([[0, 0], [0, 0]]) is None
    assert nominal_alpha([["A", "A"], ["A", "A"]]) is None  # no variation: 0/0
    assert nominal_alpha([["A", None], [None, "B"]]) is None  # no unit coded twice
    assert nominal_alpha([]) is None


def test_cohen_kappa_rejects_unaligned_ratings():
    with pytest.raises(ValueError, match="different numbers of units"):
        cohen_kappa(["A"], ["A", "B"])


def test_span_matching_exact_and_one_to_one_overlap():
    a = [(0, 7, "GPE"), (10, 20, "ORG"), (30, 40, "ORG")]
    b = [(0, 7, "GPE"), (12, 35, "ORG"), (0, 7, "LOC")]
    assert exact_matches(set(a), set(b)) == 1
    # (12, 35) overlaps both ORG spans of a but can match only one of them.
    assert overlap_matches(a, b) == 2
    # Touching spans share no code point: [0, 5) and [5, 9).
    assert overlap_matches([(0, 5, "X")], [(5, 9, "X")]) == 0
    # A maximum matching, not a greedy one: a0 overlaps b0 and b1, a1 only b0.
    assert overlap_matches([(0, 10, "X"), (0, 3, "X")], [(2, 4, "X"), (8, 12, "X")]) == 2
    assert f1(2, 6) == pytest.approx(2 / 3)
    assert f1(0, 0) is None
