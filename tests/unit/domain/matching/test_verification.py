"""Verify Learner Details: named examples of each outcome and of every cross-check flag."""

from __future__ import annotations

import datetime as dt

import pytest

from openlrs.domain.errors import ValidationFailed
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.verification import (
    Check,
    ClaimedDetails,
    VerificationOutcome,
    validated_claim,
    verify_details,
)

RECORD = LearnerDetails(
    given_name="Elizabeth",
    family_name="O'Neill",
    date_of_birth=dt.date(2008, 3, 12),
    gender=2,
    postcode="LS6 2AB",
    previous_family_name="Hughes",
)
DOB = dt.date(2008, 3, 12)


def check(given: str, family: str, dob: dt.date | None = DOB, gender: int | None = 2) -> object:
    return verify_details(ClaimedDetails(given, family, dob, gender), RECORD)


def test_identical_details_are_exact_whatever_the_case_and_apostrophes() -> None:
    found = verify_details(ClaimedDetails("ELIZABETH", "ONeill", DOB, 2), RECORD)
    assert found.outcome is VerificationOutcome.EXACT


@pytest.mark.parametrize(
    ("given", "family", "why"),
    [
        ("Liz", "O'Neill", "short form of the given name"),
        ("Elizabth", "O'Neill", "typo in the given name"),
        ("Elizabeth", "O'Neil", "typo in the family name"),
        ("Elizabeth", "Hughes", "previous family name"),
        ("O'Neill", "Elizabeth", "given and family names swapped"),
    ],
)
def test_names_alike_but_not_identical_are_similar(given: str, family: str, why: str) -> None:
    found = verify_details(ClaimedDetails(given, family, DOB, 2), RECORD)
    assert found.outcome is VerificationOutcome.SIMILAR, why


def test_swapped_names_flag_the_straight_checks_and_pass_the_cross_checks() -> None:
    found = verify_details(ClaimedDetails("O'Neill", "Elizabeth", DOB, 2), RECORD)
    assert Check.GIVEN_VS_GIVEN in found.failed and Check.FAMILY_VS_FAMILY in found.failed
    assert Check.GIVEN_VS_FAMILY not in found.failed
    assert Check.FAMILY_VS_GIVEN not in found.failed


def test_a_previous_family_name_passes_its_cross_check() -> None:
    found = verify_details(ClaimedDetails("Elizabeth", "Hughes", DOB, 2), RECORD)
    assert Check.FAMILY_VS_PREVIOUS_FAMILY not in found.failed
    assert Check.FAMILY_VS_FAMILY in found.failed


@pytest.mark.parametrize(
    ("claimed", "flag"),
    [
        (ClaimedDetails("Elizabeth", "O'Neill", dt.date(2008, 12, 3), 2), Check.DATE_OF_BIRTH),
        (ClaimedDetails("Elizabeth", "O'Neill", DOB, 1), Check.GENDER),
        (ClaimedDetails("Amy", "O'Neill", DOB, 2), Check.GIVEN_VS_GIVEN),
        (ClaimedDetails("Elizabeth", "Patel", DOB, 2), Check.FAMILY_VS_FAMILY),
    ],
)
def test_a_different_date_gender_or_name_is_a_mismatch_with_its_flag(
    claimed: ClaimedDetails, flag: Check
) -> None:
    found = verify_details(claimed, RECORD)
    assert found.outcome is VerificationOutcome.MISMATCH
    assert flag in found.failed


def test_gender_not_known_or_not_specified_is_not_compared() -> None:
    for gender in (0, 9, None):
        found = verify_details(ClaimedDetails("Elizabeth", "O'Neill", DOB, gender), RECORD)
        assert found.outcome is VerificationOutcome.EXACT


def test_date_of_birth_is_optional() -> None:
    found = verify_details(ClaimedDetails("Elizabeth", "O'Neill", None, None), RECORD)
    assert found.outcome is VerificationOutcome.EXACT
    assert found.failed == ()


def test_a_claim_is_checked_with_the_registers_field_rules() -> None:
    with pytest.raises(ValidationFailed) as raised:
        validated_claim(ClaimedDetails("", "Smi\tth", None, 7), today=dt.date(2026, 1, 1))
    codes = {(e.field, e.code) for e in raised.value.errors}
    assert ("given_name", "FIELD_REQUIRED") in codes
    assert ("family_name", "TEXT_INVALID_CHARACTERS") in codes
    assert ("gender", "GENDER_INVALID") in codes
