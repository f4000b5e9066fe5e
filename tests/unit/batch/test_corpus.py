"""The corpus of good and bad files gives exactly the findings recorded in expected_findings.json.

The same data file lets the service's "validate only" submission be checked for identical findings.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from openlrs.batch.reader import guess_format
from openlrs.batch.validation import validate_file
from tests.unit.batch.conftest import CORPUS, EXAMPLES, POLICY, ROOT

EXPECTED: list[dict[str, Any]] = json.loads((CORPUS / "expected_findings.json").read_text())[
    "files"
]


@pytest.mark.parametrize("case", EXPECTED, ids=[c["path"] for c in EXPECTED])
def test_each_corpus_file_gives_its_recorded_findings(case: dict[str, Any]) -> None:
    path = ROOT / case["path"]
    with path.open("rb") as stream:
        fmt = guess_format(path.name, stream.read(512))
        stream.seek(0)
        report = validate_file(stream, kind=None, fmt=fmt, policy=POLICY)
    assert fmt.value == case["format"]
    assert [[f.row, f.column, f.code] for f in report.findings] == case["findings"]
    assert (report.rows, report.valid_rows) == (case["rows"], case["valid_rows"])
    assert (report.kind.value if report.kind else None) == case["kind"]


def test_the_corpus_lists_every_file() -> None:
    listed = {c["path"] for c in EXPECTED}
    on_disk = {
        str(p.relative_to(ROOT))
        for folder in (CORPUS, EXAMPLES)
        for p in folder.iterdir()
        if p.suffix in (".csv", ".xml")
    }
    assert listed == on_disk


def test_every_example_in_the_docs_is_clean_except_the_one_showing_errors() -> None:
    dirty = {c["path"] for c in EXPECTED if c["findings"] and c["path"].startswith("docs/")}
    assert dirty == {"docs/examples/registration-with-errors.csv"}
