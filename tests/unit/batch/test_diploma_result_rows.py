"""Diploma result rows: every problem at once with its column and code; a good row is the command."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from openlrs.batch.columns import BatchFormat, BatchKind
from openlrs.batch.diploma_result_rows import parse_diploma_result
from openlrs.batch.file_errors import BatchFormatNotOffered
from openlrs.batch.reader import open_batch
from openlrs.domain.diploma.diploma_rules import Component
from openlrs.domain.errors import FieldError
from tests.unit.batch.conftest import POLICY, read

HEADER = "account_id,reference,component,qualification,title,level,grade,achieved_on,points,glh\n"


def test_a_good_row_becomes_the_command() -> None:
    problems: list[FieldError] = []
    values = {
        "account_id": "7",
        "reference": "pl",
        "component": "Principal_Learning",
        "qualification": "50039112",
        "title": "Principal learning",
        "level": "2",
        "grade": "a",
        "achieved_on": "2026-06-30",
        "points": "",
    }
    command = parse_diploma_result(values, problems)
    assert problems == []
    assert command is not None
    assert (command.account_id, command.component, command.qualification) == (
        "7",
        Component.PRINCIPAL_LEARNING,
        "500/3911/2",
    )
    assert (command.achieved_on, command.points, command.glh) == (dt.date(2026, 6, 30), None, 0)


def test_every_problem_in_a_row_is_reported_with_its_code() -> None:
    (row,) = read(HEADER + "#0,,poetry,nope,t,9,B,2026-02-30,x,-1\n")
    found = [(p.field, p.code) for p in row.problems]
    assert found == [
        ("account_id", "FIELD_INVALID"),
        ("reference", "FIELD_REQUIRED"),
        ("component", "DIPLOMA_COMPONENT_INVALID"),
        ("qualification", "QUALIFICATION_NUMBER_INVALID"),
        ("level", "FIELD_INVALID"),
        ("achieved_on", "DATE_INVALID"),
        ("points", "FIELD_INVALID"),
        ("glh", "FIELD_INVALID"),
    ]


def test_the_kind_is_told_from_the_account_id_column_and_xml_is_refused() -> None:
    content = (HEADER + "1,a,asl,600/0000/1,Stats,2,B,2026-06-30,,90\n").encode()
    batch = open_batch(io.BytesIO(content), fmt=BatchFormat.CSV, policy=POLICY)
    assert batch.kind is BatchKind.DIPLOMA_RESULT
    assert [row.valid for row in batch] == [True]
    with pytest.raises(BatchFormatNotOffered):
        open_batch(io.BytesIO(b"<x/>"), kind=BatchKind.DIPLOMA_RESULT, fmt=BatchFormat.XML)
