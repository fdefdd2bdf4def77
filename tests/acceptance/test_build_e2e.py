"""End to end on the project's own data: seeds/ (and annotations/ once it holds records)
-> build -> load_dataset, checked by :func:`hf_fixtures.check_built_dataset`."""

from __future__ import annotations

import shutil

from tests.support import REPO
from tests.support.dataset import REPO, SEED_ID, check_built_dataset
from newscorpus.dataset.build import build_dataset
from newscorpus.ingest.run import ingest_all
from newscorpus.records.io import iter_record_paths, read_record


def test_project_records_build_and_load(tmp_path):
    ann = tmp_path / "annotations"
    ann.mkdir()
    if (REPO / "annotations").is_dir():
        for path in iter_record_paths(REPO / "annotations"):
            shutil.copy(path, ann / path.name)
    ingest_all(REPO / "seeds", annotations_dir=ann)  # keeps the annotations of existing records
    records = [read_record(p) for p in iter_record_paths(ann)]
    assert SEED_ID in {r.id for r in records}
    seed = next(r for r in records if r.id == SEED_ID)
    assert (len(seed.text), len(seed.sentences)) == (2680, 14)

    result = build_dataset(annotations_dir=ann, out=tmp_path / "local")
    got = check_built_dataset(tmp_path / "local", records, cache=tmp_path / "cache")
    assert len(got["articles"]) == len(records)
    assert sum(len(r.sentences) for r in records) == len(got["sentences"])

    public = build_dataset(annotations_dir=ann, out=tmp_path / "public", public=True)
    withheld = {r.id for r in records if not r.meta.redistributable}
    assert set(public.withheld) == withheld and SEED_ID in withheld
    check_built_dataset(tmp_path / "public", records, cache=tmp_path / "cache2", withheld=withheld)
    assert result.files == public.files
