"""CSV batch files: encodings, line ends, quoting, headers by name, ragged rows, limits."""

from __future__ import annotations

import datetime as dt

import pytest

from openlrs.batch.columns import BatchKind
from openlrs.batch.file_errors import (
    BatchColumnDuplicated,
    BatchColumnMissing,
    BatchColumnUnknown,
    BatchEmpty,
    BatchEncodingError,
    BatchFileTooLarge,
    BatchHeaderMissing,
    BatchMalformed,
    BatchTooManyRows,
)
from tests.unit.batch.conftest import read

HEADER = "source_learner_id,given_name,family_name,date_of_birth,gender,postcode"
ROW = "A1,Megan,Hughes,2007-06-01,2,cf10 1aa"


def test_a_valid_row_becomes_the_details_the_service_takes() -> None:
    [row] = read(f"{HEADER}\n{ROW}\n")
    assert row.valid and row.number == 1 and row.source_learner_id == "A1"
    assert row.details is not None
    assert row.details.postcode == "CF10 1AA"  # normalised exactly as the service would
    assert row.details.date_of_birth == dt.date(2007, 6, 1)
    assert row.details.gender == 2 and row.details.verification_type == 0
    assert not row.is_update and row.values["postcode"] == "cf10 1aa"  # raw cells kept


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_bom_and_line_ends_make_no_difference(newline: str, bom: bytes) -> None:
    rows = read(bom + f"{HEADER}{newline}{ROW}{newline}".encode())
    assert [r.details for r in rows] == [r.details for r in read(f"{HEADER}\n{ROW}\n")]


def test_quoted_fields_may_hold_commas_quotes_and_newlines() -> None:
    data = f'{HEADER},address_line_1,notes\n{ROW},"1, High St","He said ""hi""\nthen left"\n'
    [row] = read(data)
    assert row.values["address_line_1"] == "1, High St"
    assert row.values["notes"] == 'He said "hi"\nthen left'
    # read intact, then refused by the same rule the API applies to a newline in notes
    assert [(p.field, p.code) for p in row.problems] == [("notes", "TEXT_INVALID_CHARACTERS")]


def test_reordered_and_differently_written_headers_are_matched_by_name() -> None:
    [row] = read(
        "Postcode,Family Name,GIVEN-NAME,date of birth,Gender\nCF10 1AA,Hughes,Megan,2007-06-01,2\n"
    )
    assert row.valid and row.details is not None and row.details.given_name == "Megan"


def test_blank_lines_and_trailing_empty_cells_are_ignored() -> None:
    [row] = read(f"{HEADER},,\n\n{ROW},,\n,,,,,,\n")
    assert row.valid and row.number == 1


def test_ragged_rows_are_refused_row_by_row_without_field_checks() -> None:
    rows = read(
        f"{HEADER}\nA1,Megan,Hughes\n{ROW.replace('A1', 'A2')},extra\n{ROW.replace('A1', 'A3')}\n"
    )
    assert [[p.code for p in r.problems] for r in rows] == [
        ["ROW_WRONG_LENGTH"],
        ["ROW_WRONG_LENGTH"],
        [],
    ]


def test_every_problem_in_a_row_is_reported_with_the_domain_codes() -> None:
    [row] = read(f"{HEADER}\nA1,Unknown,,2006-02-30,M,nowhere\n")
    assert [(p.field, p.code) for p in row.problems] == [
        ("given_name", "NAME_PROHIBITED"),
        ("family_name", "FIELD_REQUIRED"),
        ("date_of_birth", "DATE_INVALID"),
        ("gender", "GENDER_INVALID"),
        ("postcode", "POSTCODE_INVALID"),
    ]
    assert row.details is None


@pytest.mark.parametrize("date", ["20070601", "2007-6-1", "01/06/2007", "2007-W22-5"])
def test_dates_must_be_written_yyyy_mm_dd(date: str) -> None:
    [row] = read(f"{HEADER}\nA1,Megan,Hughes,{date},2,CF10 1AA\n")
    assert [p.code for p in row.problems] == ["DATE_INVALID"]


def test_an_update_row_carries_uln_version_and_only_the_fields_given() -> None:
    data = "uln,version,given_name,family_name,date_of_birth,gender,postcode,email,town\n"
    data += "1234567805,3,Harry,Patel,2005-01-20,1,m1 1ae,harry@EXAMPLE.com,\n"
    [row] = read(data)
    assert row.is_update and row.uln == "1234567805" and row.expected_version == 3
    assert set(row.changes) == {
        "given_name",
        "family_name",
        "date_of_birth",
        "gender",
        "postcode",
        "email",
    }
    assert row.changes["postcode"] == "M1 1AE" and row.changes["email"] == "harry@example.com"


@pytest.mark.parametrize(("version", "code"), [("", "VERSION_REQUIRED"), ("x", "VERSION_REQUIRED")])
def test_an_update_needs_the_version_last_read(version: str, code: str) -> None:
    [row] = read(f"uln,version,{HEADER}\n1234567805,{version},{ROW}\n")
    assert [p.code for p in row.problems] == [code]


def test_the_temporary_uln_means_register() -> None:
    [row] = read(f"uln,{HEADER}\n9999999999,{ROW}\n")
    assert row.valid and not row.is_update and row.uln is None


def test_a_repeated_source_learner_id_is_flagged() -> None:
    rows = read(f"{HEADER}\n{ROW}\n{ROW}\n")
    assert [p.code for p in rows[1].problems] == ["SOURCE_LEARNER_ID_DUPLICATE"]


def test_kind_is_told_from_the_header() -> None:
    [row] = read("uln,given_name,family_name\n1234567805,Harry,Patel\n")
    assert row.verify is not None and row.verify.uln == "1234567805"
    with pytest.raises(BatchColumnUnknown):
        read(f"{HEADER}\n{ROW}\n", kind=BatchKind.VLD)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", BatchEmpty),
        (f"{HEADER}\n".encode(), BatchEmpty),
        (b"Hughes,Megan,2,2007-06-01\n", BatchHeaderMissing),
        (f"{HEADER},shoe_size\n{ROW},5\n".encode(), BatchColumnUnknown),
        (f"{HEADER},gender\n{ROW},2\n".encode(), BatchColumnDuplicated),
        (
            b"given_name,family_name,date_of_birth,gender\nMegan,Hughes,2007-06-01,2\n",
            BatchColumnMissing,
        ),
        (f'{HEADER}\n{ROW},"unclosed\n'.encode(), BatchMalformed),
        (
            f"{HEADER}\nA1,Ren\xe9e,Hughes,2007-06-01,2,CF10 1AA\n".encode("latin-1"),
            BatchEncodingError,
        ),
        (f"{HEADER}\n{ROW}\n".encode("utf-16"), BatchEncodingError),
        (f"{HEADER}\n{ROW}\n".encode("utf-16-le"), BatchEncodingError),
    ],
)
def test_file_level_failures_refuse_the_whole_file(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        read(data)
    assert "Ren" not in str(caught.value)  # no cell value in the message


def test_an_encoding_error_names_the_line() -> None:
    data = f"{HEADER}\n{ROW}\n{ROW}\nA3,Ren\xe9e,Hughes,2007-06-01,2,CF10 1AA\n".encode("latin-1")
    with pytest.raises(BatchEncodingError, match="Line 4"):
        read(data)


def test_limits_on_rows_and_bytes() -> None:
    data = f"{HEADER}\n" + "".join(f"{ROW.replace('A1', f'A{i}')}\n" for i in range(5))
    assert len(read(data, max_rows=5)) == 5
    with pytest.raises(BatchTooManyRows):
        read(data, max_rows=4)
    with pytest.raises(BatchFileTooLarge):
        read(data, max_bytes=len(data.encode()) - 1)
    assert len(read(data, max_bytes=len(data.encode()))) == 5
