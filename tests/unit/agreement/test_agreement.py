"""Agreement figures on the small corpus of ``_agree_corpus`` equal hand-computed values.

Only submitted annotations count: ls-4's cancelled annotation and ls-2's draft on a1, and
ls-2's cancelled annotation on a3, would change every figure below if they were counted.
Pairs of annotators per article: a1 (ls-1, ls-2), (ls-1, ls-3), (ls-2, ls-3); a2 (ls-1, ls-2).
"""

from __future__ import annotations

import json

import pytest
from tests.support.agreement import corpus
from click.testing import CliRunner

from newscorpus.agreement.figures import articles_with_multiple_annotators, corpus_agreement
from newscorpus.agreement.report import agreement_dir
from newscorpus.cli import cli
from newscorpus.errors import AgreementError
from newscorpus.records.io import write_record
from newscorpus.core.scheme import default_scheme

SCHEME = default_scheme()


@pytest.fixture(scope="module")
def report():
    return corpus_agreement(corpus(), scheme=SCHEME)


def test_counts(report):
    assert report.articles == 3
    assert report.articles_with_multiple_annotators == 2  # a1 (3 annotators), a2 (2); a3 has one
    assert articles_with_multiple_annotators(corpus()) == 2
    assert report.annotators == ["ls-1", "ls-2", "ls-3"]  # ls-4 only cancelled: not an annotator here


def test_entity_f1_per_label(report):
    # Summed over the annotator pairs: matched pairs (exact, overlap) and |A| + |B|.
    # GPE   a1: ls-1 {Myanmar, Delhi}, ls-2 {Myanmar}, ls-3 {Myanmar, Delhi}
    #       (1,2) 1 of 3, (1,3) 2 of 4, (2,3) 1 of 3 -> F1 = 2*4/10 = 0.8 (exact = overlap)
    # NORP  ls-1, ls-2 "Indian" [19,25), ls-3 "Indian officials" [19,35)
    #       exact: only (1,2) -> 2*1/6 = 1/3; overlap: all 3 pairs -> 2*3/6 = 1.0
    # LOC   ls-2 "Delhi" only: (1,2) and (2,3), 0 of 1 each -> 0.0
    # DATE  ls-1 "Monday" [89,95), ls-2 "on Monday" [86,95): exact 0/4 -> 0.0, overlap 2*1/4 = 0.5
    # PERSON a2: ls-1 only, (1,2) 0 of 1 -> 0.0
    entity = report.span_layers[0]
    assert entity.layer == "entity"
    used = {f.label: (f.exact_f1, f.overlap_f1, f.exact_matched, f.overlap_matched, f.spans) for f in entity.labels if f.spans}
    assert used == {
        "PERSON": (0.0, 0.0, 0, 0, 1),
        "NORP": (pytest.approx(1 / 3), 1.0, 1, 3, 6),
        "GPE": (0.8, 0.8, 4, 4, 10),
        "LOC": (0.0, 0.0, 0, 0, 2),
        "DATE": (0.0, 0.5, 0, 1, 4),
    }
    assert [f.label for f in entity.labels if f.spans] == ["PERSON", "NORP", "GPE", "LOC", "DATE"]  # scheme order
    # micro: exact 2*(4+1)/23 = 10/23, overlap 2*(4+3+1)/23 = 16/23
    assert (entity.micro.exact_matched, entity.micro.overlap_matched, entity.micro.spans) == (5, 8, 23)
    assert entity.micro.exact_f1 == pytest.approx(10 / 23)
    assert entity.micro.overlap_f1 == pytest.approx(16 / 23)


def test_entity_f1_per_pair(report):
    # (ls-1, ls-2) over a1 and a2: GPE 1/3, NORP exact 1 overlap 1 of 2, LOC 0/1, DATE exact 0
    # overlap 1 of 2, PERSON 0/1 -> exact 2*2/9, overlap 2*3/9.
    # (ls-1, ls-3): GPE 2/4, NORP exact 0 overlap 1 of 2, DATE 0/1 -> 4/7, 6/7.
    # (ls-2, ls-3): GPE 1/3, NORP exact 0 overlap 1 of 2, LOC 0/1, DATE 0/1 -> 2/7, 4/7.
    pairs = {p.annotators: (p.articles, p.exact_f1, p.overlap_f1) for p in report.span_layers[0].pairs}
    assert pairs == {
        ("ls-1", "ls-2"): (2, pytest.approx(4 / 9), pytest.approx(6 / 9)),
        ("ls-1", "ls-3"): (1, pytest.approx(4 / 7), pytest.approx(6 / 7)),
        ("ls-2", "ls-3"): (1, pytest.approx(2 / 7), pytest.approx(4 / 7)),
    }


def test_attribution_and_overall_f1(report):
    # QUOTE [47,61) by all three: 3 pairs x 1 of 2 -> 1.0; SOURCE "she" by ls-1, ls-2:
    # (1,2) 1 of 2, (1,3) 0 of 1, (2,3) 0 of 1 -> 2*1/4 = 0.5; micro 2*4/10 = 0.8.
    attribution = report.span_layers[1]
    used = {f.label: (f.exact_f1, f.spans) for f in attribution.labels if f.spans}
    assert used == {"QUOTE": (1.0, 6), "SOURCE": (0.5, 4)}
    assert attribution.micro.exact_f1 == 0.8
    # All span layers: exact 2*(5+4)/33 = 6/11, overlap 2*(8+4)/33 = 8/11.
    assert (report.span_overall.exact_matched, report.span_overall.overlap_matched, report.span_overall.spans) == (9, 12, 33)
    assert report.span_overall.exact_f1 == pytest.approx(6 / 11)
    assert report.span_overall.overlap_f1 == pytest.approx(8 / 11)


def test_discourse_role_alpha_and_kappa(report):
    # Units (a1 sentences; a2 and a3 have no roles):
    #   s0: MAIN, MAIN, MAIN   s1: EVAL, EVAL, CONS   s2: PREV, CONS, (ls-3 missing)
    #   s3: CC, CC, (ls-3 missing)
    # n = 10 pairable values; n_MAIN 3, n_EVAL 2, n_CONS 2, n_PREV 1, n_CC 2.
    # Off-diagonal coincidences: s1 gives EVAL-CONS 2 ordered pairs x 2 / (3-1) = 2;
    # s2 gives PREV-CONS 2 / (2-1) = 2; total 4.  sum n_c n_k (c != k) = 100 - 22 = 78.
    # alpha = 1 - (n-1) * 4 / 78 = 1 - 36/78 = 7/13.
    role = report.sentence_layers[0]
    assert (role.layer, role.units, role.values, role.annotators) == ("discourse_role", 4, 10, 3)
    assert role.alpha == pytest.approx(7 / 13)
    assert role.kappa is None  # three annotators: kappa is per pair
    # Cohen's kappa per pair, on the units both coded:
    #   (ls-1, ls-2): s0..s3, agree on 3 of 4: p_o = .75; p_e = 3 * (.25 * .25) = .1875;
    #   kappa = .5625 / .8125 = 9/13.  (ls-1, ls-3) and (ls-2, ls-3): s0, s1: MAIN/MAIN,
    #   EVAL/CONS: p_o = .5, p_e = .25, kappa = 1/3.
    pairs = {p.annotators: (p.units, p.kappa) for p in role.pairs}
    assert pairs == {
        ("ls-1", "ls-2"): (4, pytest.approx(9 / 13)),
        ("ls-1", "ls-3"): (2, pytest.approx(1 / 3)),
        ("ls-2", "ls-3"): (2, pytest.approx(1 / 3)),
    }
    # Per label, one-vs-rest binary alpha (n = 10):
    #   MAIN_EVENT: no disagreement -> 1.0
    #   EVALUATION: n_T 2, n_F 8; s1 (T,T,F) gives 2 -> 1 - 9*2/(2*2*8) = 14/32 = 0.4375
    #   CONSEQUENCE: n_T 2, n_F 8; s1 gives 2, s2 (F,T) gives 2 -> 1 - 9*4/32 = -0.125
    labels = {f.label: (f.alpha, f.used) for f in role.labels if f.used}
    assert labels == {
        "MAIN_EVENT": (1.0, 3),
        "CONSEQUENCE": (pytest.approx(-0.125), 2),
        "PREVIOUS_EVENT": (0.0, 1),
        "CURRENT_CONTEXT": (1.0, 2),
        "EVALUATION": (pytest.approx(0.4375), 2),
    }


def test_genre_alpha_and_kappa(report):
    # Units: a1 reporting, reporting, opinion; a2 opinion, opinion; a3 reporting (one value:
    # not pairable). n = 5, n_rep 2, n_op 3; a1 gives 2*2 ordered pairs / (3-1) = 2.
    # alpha = 1 - 4 * 2 / (2 * 2 * 3) = 1/3.
    genre = report.article_layers[0]
    assert (genre.layer, genre.units, genre.values, genre.annotators) == ("genre", 2, 5, 3)
    assert genre.alpha == pytest.approx(1 / 3)
    # (ls-1, ls-2) agree on a1 and a2 with p_e = .5 -> 1.0; ls-3 coded a1 only, disagreeing.
    assert {p.annotators: (p.units, p.kappa) for p in genre.pairs} == {
        ("ls-1", "ls-2"): (2, 1.0),
        ("ls-1", "ls-3"): (1, 0.0),
        ("ls-2", "ls-3"): (1, 0.0),
    }
    assert {f.label: f.used for f in genre.labels} == {"reporting": 3, "opinion": 3, "satire": 0}


def test_frames_alpha_per_frame(report):
    # a1: ls-1 {Political, Security}, ls-2 {Political}, ls-3 {Political, Economic};
    # a2: ls-1 {Economic}, ls-2 chose no frame (missing, not "none"); a3: nobody chose frames.
    # Pairable units: a1's 14 (article, frame) units, 3 values each: n = 42, n_T = 5, n_F = 37;
    # Security (T,F,F) and Economic (F,F,T) give 2 each -> alpha = 1 - 41*4/(2*5*37) = 103/185.
    frames = report.article_layers[1]
    assert (frames.units, frames.values) == (14, 42)
    assert frames.alpha == pytest.approx(103 / 185)
    per_frame = {f.label: (f.alpha, f.used) for f in frames.labels if f.used}
    # Political: every value is "yes": no variation, alpha undefined.
    # Security, Economic: n = 3, one "yes": 1 - 2*2/(2*1*2) = 0.
    assert per_frame == {"Economic": (0.0, 2), "Security_and_defense": (0.0, 1), "Political": (None, 3)}
    # (ls-1, ls-2) on a1's 14 units: agree on 13; p_e = (2*1 + 12*13)/196 -> kappa = 12/19.
    assert frames.pairs[0].kappa == pytest.approx(12 / 19)


def test_two_annotators_give_a_headline_kappa():
    records = corpus()[:2]
    report = corpus_agreement(records, scheme=SCHEME, exclude=["ls-3"])
    assert report.excluded == ["ls-3"]
    # genre: a1 and a2, both agree: kappa 1.0 and alpha 1.0
    assert (report.article_layers[0].kappa, report.article_layers[0].alpha) == (1.0, 1.0)
    # roles: ls-1 vs ls-2 on s0..s3 -> 9/13 (as above)
    assert report.sentence_layers[0].kappa == pytest.approx(9 / 13)


def test_no_multiple_annotators_is_said():
    report = corpus_agreement(corpus()[2:], scheme=SCHEME)
    assert report.articles_with_multiple_annotators == 0
    assert report.span_overall.exact_f1 is None
    assert report.article_layers[0].alpha is None
    assert report.notes == ["no article has two or more annotators: there is no agreement to measure"]


def _write_corpus(folder):
    for record in corpus():
        write_record(record, folder, SCHEME)


def test_agreement_dir_writes_json_and_png(tmp_path):
    _write_corpus(tmp_path / "annotations")
    seen = []
    run = agreement_dir(tmp_path / "annotations", out_dir=tmp_path / "out", scheme=SCHEME, on_record=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    data = json.loads(run.json_path.read_text(encoding="utf-8"))
    assert data["articles_with_multiple_annotators"] == 2
    assert data["sentence_layers"][0]["alpha"] == pytest.approx(7 / 13)
    assert data["sentence_layers"][0]["pairs"][0] == {"annotators": ["ls-1", "ls-2"], "units": 4, "kappa": pytest.approx(9 / 13)}
    assert data["article_layers"][1]["labels"][12] == {"label": "Political", "alpha": None, "used": 3}
    png = run.chart_path.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_agreement_dir_refuses_a_missing_folder(tmp_path):
    with pytest.raises(AgreementError) as exc:
        agreement_dir(tmp_path / "nope", out_dir=tmp_path / "out", scheme=SCHEME)
    assert exc.value.code == "no-annotations-dir"
    assert not (tmp_path / "out").exists()


def test_cli_agreement(tmp_path):
    _write_corpus(tmp_path / "annotations")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["agreement", "--annotations", str(tmp_path / "annotations"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 article(s), 2 with two or more annotators; annotators: ls-1, ls-2, ls-3" in result.output
    assert "0.538" in result.output  # discourse_role alpha 7/13
    assert (out / "agreement.json").is_file() and (out / "agreement.png").is_file()


def test_cli_agreement_bad_record_is_one_line_and_exit_1(tmp_path):
    folder = tmp_path / "annotations"
    _write_corpus(folder)
    (folder / "a2.json").write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(cli, ["agreement", "--annotations", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"error: {folder / 'a2.json'}::$: not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"]
    assert not (tmp_path / "out").exists()


def test_cli_agreement_unknown_exclude_is_an_error(tmp_path):
    _write_corpus(tmp_path / "annotations")
    result = CliRunner().invoke(cli, ["agreement", "--annotations", str(tmp_path / "annotations"), "--out",
                                      str(tmp_path / "out"), "--exclude", "ls-99"])
    assert result.exit_code == 1
    assert "--exclude names annotator(s) with no annotation" in result.output and "ls-99" in result.output
    assert not (tmp_path / "out").exists()


def test_dataset_card_quotes_the_agreement_figures(tmp_path):
    from newscorpus.dataset.build import build_dataset
    from newscorpus.errors import BuildError
    from newscorpus.records.io import iter_record_paths, read_record

    folder = tmp_path / "annotations"
    _write_corpus(folder)
    records = [read_record(p) for p in iter_record_paths(folder)]
    figures = corpus_agreement(records, scheme=SCHEME).to_dict()
    build_dataset(annotations_dir=folder, out=tmp_path / "out", agreement=figures)
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "2 of 3 articles have submitted annotations by two or more annotators; 3 have at least one." in card
    assert "| discourse_role | sentence | Krippendorff's alpha (nominal) | 0.538 |" in card  # 7/13, as above
    assert "| entity | span | pairwise F1, exact / overlap |" in card
    stale = dict(figures, articles=2)
    with pytest.raises(BuildError) as err:
        build_dataset(annotations_dir=folder, out=tmp_path / "out2", agreement=stale)
    assert err.value.code == "agreement-stale"
