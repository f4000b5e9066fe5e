"""Small rules behind CTF batches: a school's DfE number, what a batch's rows came to, and which
batches wait for a user's approval."""

from __future__ import annotations

import pytest

from openlrs.domain.batches.job import (
    BatchJob,
    RowOutcome,
    RowStatus,
    StoredRow,
    outcome_summary,
    waits_for_approval,
)
from openlrs.domain.errors import DfeNumberInvalid
from openlrs.domain.identifiers import parse_dfe_number


@pytest.mark.parametrize(("given", "number"), [("3804001", "3804001"), (" 380/4001 ", "3804001")])
def test_a_dfe_number_is_the_lea_then_the_establishment(given: str, number: str) -> None:
    assert parse_dfe_number(given) == number


@pytest.mark.parametrize("given", ["380401", "38040011", "380-4001", "38O4001", "٣٨٠٤٠٠١"])
def test_anything_else_is_not_a_dfe_number(given: str) -> None:
    with pytest.raises(DfeNumberInvalid):
        parse_dfe_number(given)


def _row(number: int, outcome: str | None) -> StoredRow:
    result = RowOutcome(outcome, outcome in ("registered", "exact", "found")) if outcome else None
    status = RowStatus.DONE if outcome else RowStatus.PENDING
    return StoredRow(number, number, None, {}, status, result)


def test_the_summary_counts_new_found_possible_rejected_and_pending() -> None:
    outcomes = ["registered", "exact", "found", "linked", "possible", "too_many"]
    rows = [_row(i, o) for i, o in enumerate([*outcomes, "VALIDATION_FAILED", None])]

    assert outcome_summary(rows) == {
        "new": 1,
        "found": 3,
        "possible": 2,
        "rejected": 1,
        "pending": 1,
    }


def _job(kind: str, by: str) -> BatchJob:
    return BatchJob("id", "10007777", by, kind, "xml", "f.xml", "sum")


def test_every_ctf_waits_for_approval_but_other_batches_only_from_systems() -> None:
    assert waits_for_approval(_job("ctf", "user:office"))
    assert waits_for_approval(_job("registration", "client:mis"))
    assert not waits_for_approval(_job("registration", "user:office"))
