"""Write the expected records of the golden import cases (tests/cases/import/<format>/<case>/).

    python scripts/make_import_cases.py            # every case without expected_error.json
    python scripts/make_import_cases.py CASE ...   # only these (folder names)

For each case, imports its input (``export.json``, or ``input``) as tests/acceptance/test_import_cases.py does and
writes what the annotations folder holds afterwards to ``expected/`` (and the warnings'
codes to ``expected/warnings.json``). The exports and the expected errors are written by
hand; review the diff of ``expected/`` before committing it.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.acceptance.test_import_cases import CASE_DIRS, run_case, start  # noqa: E402


def main(names: list[str]) -> int:
    import json

    for case in CASE_DIRS:
        if (names and case.name not in names) or (case / "expected_error.json").exists():
            continue
        with tempfile.TemporaryDirectory() as tmp:
            ann = start(case, Path(tmp))
            report = run_case(case, ann)
            out = case / "expected"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            for path in sorted(ann.glob("*.json")):
                (out / path.name).write_bytes(path.read_bytes())
            (out / "warnings.json").write_text(json.dumps([w.code for w in report.warnings]) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
