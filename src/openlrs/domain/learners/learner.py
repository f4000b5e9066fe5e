"""The learner record: the details a registration body supplies and what the register holds beside them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class Gender(IntEnum):
    """LRS gender codes. NOT_KNOWN and NOT_SPECIFIED neither agree nor disagree when matching."""

    NOT_KNOWN = 0
    MALE = 1
    FEMALE = 2
    NOT_SPECIFIED = 9


class AbilityToShare(IntEnum):
    """Fair-processing notice state: whether the learner's PLR may be shared."""

    NOTICE_NOT_SEEN = 0
    MAY_SHARE = 1
    DECLINED = 2


class LearnerStatus(StrEnum):
    ACTIVE = "active"
    MERGED = "merged"
    CLOSED = "closed"


VERIFICATION_TYPES = frozenset({0, 1, 2, 3, 4, 5, 6, 7, 999})
VERIFICATION_OTHER = 999


@dataclass(frozen=True)
class LearnerDetails:
    """Everything a caller may supply about a learner. The five mandatory fields come first.

    Values are as supplied; `demographics.validate_learner_details` checks them and returns a
    normalised copy (NFC, trimmed, postcode in standard form) or raises `ValidationFailed`.
    """

    given_name: str
    family_name: str
    date_of_birth: dt.date
    gender: int
    postcode: str
    # recommended
    school_at_16: str | None = None
    email: str | None = None
    # optional
    title: str | None = None
    middle_names: str | None = None
    preferred_given_name: str | None = None
    previous_family_name: str | None = None
    family_name_at_16: str | None = None
    address_line_1: str | None = None
    address_line_2: str | None = None
    town: str | None = None
    county: str | None = None
    date_of_address_capture: dt.date | None = None
    place_of_birth: str | None = None
    nationality: str | None = None
    scottish_candidate_number: str | None = None
    upn: str | None = None
    verification_type: int = 0
    other_verification_description: str | None = None
    ability_to_share: int = AbilityToShare.NOTICE_NOT_SEEN
    notes: str | None = None


OPTIONAL_TEXT_FIELDS: tuple[str, ...] = (
    "school_at_16",
    "email",
    "title",
    "middle_names",
    "preferred_given_name",
    "previous_family_name",
    "family_name_at_16",
    "address_line_1",
    "address_line_2",
    "town",
    "county",
    "place_of_birth",
    "nationality",
    "scottish_candidate_number",
    "upn",
    "other_verification_description",
    "notes",
)


@dataclass(frozen=True)
class Learner:
    """A learner as the register holds them: details plus identity, version and status."""

    uln: str
    details: LearnerDetails
    version: int = 1
    status: LearnerStatus = LearnerStatus.ACTIVE
    master_uln: str | None = None
    linked_ulns: tuple[str, ...] = field(default_factory=tuple)
    registered_by_ukprn: str | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
