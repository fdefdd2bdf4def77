"""``agreement`` over a folder streams it: one record at a time, by a pool of processes or
by one, with the same figures."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from tests.support import REPO
from tests.unit.agreement import oracles

from newscorpus.agreement.corpus import tally_folder
from newscorpus.agreement.report import agreement_dir
from newscorpus.core.scheme import default_scheme
from newscorpus.errors import RecordError
from newscorpus.records.io import iter_record_paths, read_record

sys.path.insert(0, str(REPO / "scripts"))
import synth  # noqa: E402

SCHEME = default_scheme()
N = 40


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """40 synthetic articles imported with three annotators each (some open units)."""
    from newscorpus.importers.run import import_export
    from newscorpus.ingest.run import ingest_all

    root = tmp_path_factory.mktemp("three")
    synth.write_seeds(N, root / "seeds")
    ingest_all(root / "seeds", annotations_dir=root / "annotations", workers=1)
    synth.write_export(N, root / "annotations", root / "export.json", annotators=3)
    import_export(root / "export.json", annotations_dir=root / "annotations", workers=1)
    return root / "annotations"


def test_agreement_by_a_pool_equals_one_process_and_the_in_memory_figures(imported, tmp_path):
    records = [read_record(p) for p in iter_record_paths(imported)]
    expected = oracles.corpus_agreement(records, scheme=SCHEME).to_dict()
    assert expected["articles_with_multiple_annotators"] == N and len(expected["annotators"]) == 3
    seen = []
    pooled = tally_folder(imported, scheme=SCHEME, workers=2, on_record=lambda d, t: seen.append((d, t)))
    assert seen == [(k, N) for k in range(1, N + 1)]
    assert pooled.report().to_dict() == tally_folder(imported, scheme=SCHEME, workers=1).report().to_dict() == expected
    run = agreement_dir(imported, out_dir=tmp_path / "out", scheme=SCHEME)
    assert json.loads(run.json_path.read_text(encoding="utf-8")) == json.loads(json.dumps(expected))


def test_agreement_of_a_pool_reports_the_first_bad_record(imported, tmp_path):
    folder = tmp_path / "annotations"
    shutil.copytree(imported, folder)
    (folder / "bench_0000021.json").write_text("[]", encoding="utf-8")
    (folder / "bench_0000033.json").write_text("{", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        tally_folder(folder, scheme=SCHEME, workers=2)
    assert (err.value.code, err.value.file) == ("not-an-object", str(folder / "bench_0000021.json"))
