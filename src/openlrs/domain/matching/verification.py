"""Verify Learner Details: do a claimed name, date of birth and gender belong to a ULN's record?

The checks reuse the matching engine's comparison levels, so "similar" here means what it means in
a search: typos, short forms and sound-alikes. Like the LRS, the answer carries a flag for every
cross-check that failed (given vs family and previous family names too), so a caller can see a
swapped name or a married name at a glance.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.learners.demographics import FieldRules, check_field
from openlrs.domain.learners.learner import Gender, LearnerDetails
from openlrs.domain.matching.comparison import compare_family, compare_given
from openlrs.domain.matching.keys import MatchKeys, match_keys
from openlrs.domain.matching.names import SIMILAR, jaro_winkler
from openlrs.domain.prohibited import name_key

_GIVEN_AGREES = frozenset({"exact", "nickname", "similar"})
_FAMILY_AGREES = frozenset({"exact", "previous", "similar"})
_STATED = frozenset({Gender.MALE, Gender.FEMALE})


class VerificationOutcome(enum.StrEnum):
    EXACT = "exact"
    SIMILAR = "similar"
    MISMATCH = "mismatch"


class Check(enum.StrEnum):
    """The cross-checks VLD reports, in the LRS's order."""

    GIVEN_VS_GIVEN = "given_vs_given"
    GIVEN_VS_FAMILY = "given_vs_family"
    GIVEN_VS_PREVIOUS_FAMILY = "given_vs_previous_family"
    FAMILY_VS_GIVEN = "family_vs_given"
    FAMILY_VS_FAMILY = "family_vs_family"
    FAMILY_VS_PREVIOUS_FAMILY = "family_vs_previous_family"
    DATE_OF_BIRTH = "date_of_birth"
    GENDER = "gender"


@dataclass(frozen=True)
class ClaimedDetails:
    """What the caller says about the learner: names always, date of birth and gender optionally."""

    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    gender: int | None = None


@dataclass(frozen=True)
class Verification:
    outcome: VerificationOutcome
    failed: tuple[Check, ...]
    """Every check that did not agree; none for an exact match (its cross-checks are noise)."""


def validated_claim(claimed: ClaimedDetails, *, today: dt.date) -> ClaimedDetails:
    """The claim with each field checked by the register's own field rules and normalised, or
    ValidationFailed. No age bounds: a record may have been registered under other rules."""
    rules = FieldRules(today=today, min_age=0, max_age=200)
    values: dict[str, object] = {}
    errors: list[FieldError] = []
    for name in ("given_name", "family_name", "date_of_birth", "gender"):
        value = getattr(claimed, name)
        if value is None and name in ("date_of_birth", "gender"):
            values[name] = None
            continue
        values[name], found = check_field(name, value, rules)
        errors.extend(found)
    if errors:
        raise ValidationFailed(errors)
    return ClaimedDetails(**values)  # type: ignore[arg-type]


def _agrees(a: str, b: str) -> bool:
    """Two names agree when equal after normalisation or spelt closely alike."""
    a_key, b_key = name_key(a), name_key(b)
    return bool(a_key and b_key) and (a_key == b_key or jaro_winkler(a_key, b_key) >= SIMILAR)


def _previous_families(record: LearnerDetails) -> list[str]:
    return [n for n in (record.previous_family_name, record.family_name_at_16) if n]


def _name_checks(claimed: ClaimedDetails, record: LearnerDetails) -> dict[Check, bool]:
    previous = _previous_families(record)
    return {
        Check.GIVEN_VS_GIVEN: _agrees(claimed.given_name, record.given_name),
        Check.GIVEN_VS_FAMILY: _agrees(claimed.given_name, record.family_name),
        Check.GIVEN_VS_PREVIOUS_FAMILY: any(_agrees(claimed.given_name, p) for p in previous),
        Check.FAMILY_VS_GIVEN: _agrees(claimed.family_name, record.given_name),
        Check.FAMILY_VS_FAMILY: _agrees(claimed.family_name, record.family_name),
        Check.FAMILY_VS_PREVIOUS_FAMILY: any(_agrees(claimed.family_name, p) for p in previous),
    }


def _claimed_keys(claimed: ClaimedDetails, record: LearnerDetails) -> MatchKeys:
    """Match keys of the claim, borrowing what the claim lacks from the record (not compared)."""
    as_details = LearnerDetails(
        given_name=claimed.given_name,
        family_name=claimed.family_name,
        date_of_birth=record.date_of_birth,
        gender=record.gender,
        postcode=record.postcode,
    )
    return match_keys(as_details)


def verify_details(claimed: ClaimedDetails, record: LearnerDetails) -> Verification:
    """Compare a claim with a learner's record: exact, similar (names alike) or a mismatch."""
    checks = _name_checks(claimed, record)
    date_ok = claimed.date_of_birth is None or claimed.date_of_birth == record.date_of_birth
    gender_ok = (
        claimed.gender is None
        or claimed.gender not in _STATED
        or record.gender not in _STATED
        or claimed.gender == record.gender
    )
    checks[Check.DATE_OF_BIRTH] = date_ok
    checks[Check.GENDER] = gender_ok
    failed = tuple(check for check, ok in checks.items() if not ok)
    if not (date_ok and gender_ok):
        return Verification(VerificationOutcome.MISMATCH, failed)
    keys, record_keys = _claimed_keys(claimed, record), match_keys(record)
    given_exact = keys.given_key == record_keys.given_key and bool(keys.given_key)
    family_exact = keys.family_key == record_keys.family_key and bool(keys.family_key)
    if given_exact and family_exact:
        return Verification(VerificationOutcome.EXACT, ())
    given = compare_given(keys, record_keys)
    family = compare_family(keys, record_keys)
    swapped = checks[Check.GIVEN_VS_FAMILY] and checks[Check.FAMILY_VS_GIVEN]
    if swapped or (given in _GIVEN_AGREES and family in _FAMILY_AGREES):
        return Verification(VerificationOutcome.SIMILAR, failed)
    return Verification(VerificationOutcome.MISMATCH, failed)
