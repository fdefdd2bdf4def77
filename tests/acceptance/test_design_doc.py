"""docs/design.md is the repository's statement of its contracts: every pointer to it from
the code names one of its sections, and nothing cites the design document by number."""

from __future__ import annotations

import re

from tests.support import REPO

DESIGN = REPO / "docs" / "design.md"
SOURCES = [p for folder in ("src", "tests", "scripts") for p in (REPO / folder).rglob("*") if p.suffix in {".py", ".yaml"}]


def _headings() -> list[str]:
    return re.findall(r"^## (.+)$", DESIGN.read_text(encoding="utf-8"), flags=re.M)


def test_the_contracts_have_their_sections():
    assert {"Offsets", "Canonical text", "The annotation scheme", "The record", "Schema and versioning",
            "Validation", "Label Studio", "Dataset", "Layout", "Built since the first statement, and still planned"} <= set(_headings())


def test_every_pointer_names_a_section():
    headings = _headings()
    pointers = 0
    for path in SOURCES:
        text = " ".join(path.read_text(encoding="utf-8").split())  # a pointer may wrap
        for match in re.finditer(r"docs/design\.md, (.{0,40})", text):
            pointers += 1
            assert any(match[1].startswith(h) for h in headings), f"{path.relative_to(REPO)}: {match[0]!r}"
    assert pointers >= 20


def test_no_numbered_design_citations():
    pattern = re.compile(r"DESIGN (section|§)")
    cited = [str(p.relative_to(REPO)) for p in SOURCES if p.name != "test_design_doc.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert cited == []


def test_readme_links_the_design():
    assert "(docs/design.md)" in (REPO / "README.md").read_text(encoding="utf-8")
