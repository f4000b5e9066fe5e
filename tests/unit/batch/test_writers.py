"""Output and error files: every row with its outcome, only the failures, formula-safe CSV."""

from __future__ import annotations

import csv
import io

from lxml import etree

from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.results import OUTPUT_COLUMNS, RowResult
from openlrs.batch.writers import write_errors, write_output
from openlrs.domain.errors import FieldError
from openlrs.reports.spreadsheet import neutralise, safe_row
from tests.unit.batch.conftest import read

REG = BatchKind.REGISTRATION
RESULTS = [
    RowResult(1, "A1", "registered", True, "WSRC0005", "1234567805", (), {"given_name": "Megan"}),
    RowResult(
        2,
        "A2",
        "VALIDATION_FAILED",
        False,
        "WSEC0001",
        None,
        (FieldError("family_name", "FIELD_REQUIRED", "Enter the family name"),),
        {"given_name": '=HYPERLINK("http://x")', "notes": "@SUM(1)"},
    ),
    RowResult(3, None, "REGISTRATION_REFUSED", False, "WSRC0021", None, (), {"given_name": "-1"}),
]


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_neutralise_prefixes_an_apostrophe_to_formula_like_cells() -> None:
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(cell) == "'" + cell
    for cell in ("Megan", "O'Brien", "1234567805", "", " =1"):
        assert neutralise(cell) == cell


def test_the_csv_output_file_echoes_every_row_with_its_outcome() -> None:
    out = io.BytesIO()
    assert write_output(RESULTS, out, kind=REG, fmt=BatchFormat.CSV) == 3
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")  # so spreadsheets open it as UTF-8
    rows = csv_rows(data)
    assert list(rows[0])[: len(OUTPUT_COLUMNS)] == list(OUTPUT_COLUMNS)
    assert [(r["row"], r["outcome"], r["returned_uln"]) for r in rows] == [
        ("1", "registered", "1234567805"),
        ("2", "VALIDATION_FAILED", ""),
        ("3", "REGISTRATION_REFUSED", ""),
    ]
    assert rows[1]["messages"] == "family_name FIELD_REQUIRED: Enter the family name"
    assert rows[1]["given_name"] == '\'=HYPERLINK("http://x")'
    assert rows[1]["notes"] == "'@SUM(1)" and rows[2]["given_name"] == "'-1"


def test_the_error_file_holds_only_the_failed_rows() -> None:
    out = io.BytesIO()
    assert write_errors(RESULTS, out, kind=REG, fmt=BatchFormat.CSV) == 2
    assert [r["row"] for r in csv_rows(out.getvalue())] == ["2", "3"]


def test_the_xml_output_and_error_files() -> None:
    out = io.BytesIO()
    write_output(RESULTS, out, kind=REG, fmt=BatchFormat.XML)
    root = etree.fromstring(out.getvalue())
    assert root.tag == "registration_output"
    results = root.findall("result")
    assert [r.get("row") for r in results] == ["1", "2", "3"]
    assert results[0].findtext("returned_uln") == "1234567805"
    message = results[1].find("messages/message")
    assert message is not None and message.get("code") == "FIELD_REQUIRED"
    assert (
        results[1].findtext("learner/given_name") == '=HYPERLINK("http://x")'
    )  # XML: not a formula
    errors = io.BytesIO()
    write_errors(RESULTS, errors, kind=REG, fmt=BatchFormat.XML)
    assert [r.get("row") for r in etree.fromstring(errors.getvalue()).findall("result")] == [
        "2",
        "3",
    ]


def test_a_row_that_failed_validation_becomes_a_result_with_its_problems() -> None:
    [row] = read(
        "given_name,family_name,date_of_birth,gender,postcode\nMegan,,2007-06-01,2,CF10 1AA\n"
    )
    result = RowResult.from_invalid(row)
    assert (result.row, result.outcome, result.succeeded) == (1, "VALIDATION_FAILED", False)
    assert [m.code for m in result.messages] == ["FIELD_REQUIRED"]
    assert result.values["given_name"] == "Megan"


def test_characters_xml_cannot_hold_are_replaced_not_fatal() -> None:
    bad = RowResult(1, None, "VALIDATION_FAILED", False, values={"notes": "a\x01b"})
    out = io.BytesIO()
    write_output([bad], out, kind=REG, fmt=BatchFormat.XML)
    assert etree.fromstring(out.getvalue()).findtext("result/learner/notes") == "a\ufffdb"


def test_safe_rows_neutralise_text_and_keep_numbers() -> None:
    assert safe_row(["=1+1", -3.25, 7, None, "Pass"]) == ["'=1+1", -3.25, 7, None, "Pass"]
