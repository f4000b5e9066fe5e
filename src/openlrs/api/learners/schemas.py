"""Request and response bodies. JSON names are snake_case forms of the reference's fields."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic import Strict as PydanticStrict

from openlrs.domain.accounts.organisations import OrgStatus, OrgType, Role


# JSON clients send codes as numbers and dates as "YYYY-MM-DD": `true`, "2" or a Unix timestamp
# are refused rather than quietly converted (a boolean must never become gender 1).
def _date_text_only(value: object) -> object:
    if isinstance(value, dt.date) or (isinstance(value, str) and len(value) == 10):
        return value
    raise ValueError("Input should be a date in the form YYYY-MM-DD")


Code = Annotated[int, PydanticStrict()]
Day = Annotated[dt.date, BeforeValidator(_date_text_only)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "given_name": "Amelia",
                    "family_name": "Patel",
                    "date_of_birth": "2009-05-17",
                    "gender": 2,
                    "postcode": "LS6 2AB",
                }
            ]
        }
    )

    given_name: str
    family_name: str
    date_of_birth: Day
    gender: Code = Field(description="0 not known, 1 male, 2 female, 9 not specified")
    postcode: str = Field(description="UK postcode, or ZZ99 9ZZ when the learner gave none")
    previous_family_name: str | None = None
    school_at_16: str | None = None
    place_of_birth: str | None = None
    email: str | None = None


class OptionalDetails(Strict):
    school_at_16: str | None = None
    email: str | None = None
    title: str | None = None
    middle_names: str | None = None
    preferred_given_name: str | None = None
    previous_family_name: str | None = None
    family_name_at_16: str | None = None
    address_line_1: str | None = None
    address_line_2: str | None = None
    town: str | None = None
    county: str | None = None
    date_of_address_capture: Day | None = None
    place_of_birth: str | None = None
    nationality: str | None = Field(default=None, description="3-letter code")
    scottish_candidate_number: str | None = None
    upn: str | None = None
    verification_type: Code = Field(default=0, description="0-7, or 999 other (then describe it)")
    other_verification_description: str | None = None
    ability_to_share: Code = Field(
        default=0, description="0 notice not seen, 1 may share, 2 learner declined sharing"
    )
    notes: str | None = None


class LearnerIn(OptionalDetails):
    given_name: str
    family_name: str
    date_of_birth: Day
    gender: Code = Field(description="0 not known, 1 male, 2 female, 9 not specified")
    postcode: str


class RegisterIn(LearnerIn):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "given_name": "Amelia",
                    "family_name": "Patel",
                    "date_of_birth": "2009-05-17",
                    "gender": 2,
                    "postcode": "LS6 2AB",
                    "ability_to_share": 1,
                    "verification_type": 1,
                }
            ]
        }
    )

    confirm_different_person: bool = Field(
        default=False,
        description="Set after checking the possible matches a refused registration returned.",
    )


class LearnerPatch(OptionalDetails):
    """Only the fields sent change; send null to clear an optional field."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"postcode": "LS2 9JT", "town": "Leeds"}]}
    )

    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: Day | None = None
    gender: Code | None = None
    postcode: str | None = None
    verification_type: Code | None = None  # type: ignore[assignment]
    ability_to_share: Code | None = None  # type: ignore[assignment]


class LearnerOut(LearnerIn):
    model_config = ConfigDict(extra="ignore")

    uln: str
    version: int
    status: str
    master_uln: str | None = None
    linked_ulns: list[str] = []
    registered_by_ukprn: str | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


class LearnerResult(LearnerOut):
    outcome: str
    lrs_code: str
    requested_uln: str | None = None


class CandidateOut(LearnerOut):
    match_weight: float | None = Field(
        default=None, description="Fellegi-Sunter weight (log2 odds) that this is the learner"
    )
    match_probability: float | None = None
    explanation: list[str] = Field(
        default=[], description="One sentence per field: how it compared and what it added"
    )


class LearnerSearchOut(BaseModel):
    outcome: Literal["no_match", "too_many", "possible", "exact", "linked"]
    lrs_code: str
    learners: list[CandidateOut]


# Something visible, and no control characters (PostgreSQL text cannot even hold a NUL).
_DISPLAY_NAME = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"


class OrganisationIn(Strict):
    ukprn: str
    name: str = Field(min_length=1, max_length=200, pattern=_DISPLAY_NAME)
    org_type: OrgType


class OrganisationPatch(Strict):
    status: OrgStatus


class OrganisationOut(BaseModel):
    ukprn: str
    name: str
    org_type: OrgType
    status: OrgStatus


class ClientIn(Strict):
    roles: list[Role] = Field(min_length=1)


class ClientCreated(BaseModel):
    client_id: str
    client_secret: str = Field(description="Shown once; only its hash is kept.")
    ukprn: str
    roles: list[Role]


class UserIn(Strict):
    username: str = Field(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9._@+-]+$")
    password: str = Field(min_length=12, max_length=200)
    roles: list[Role] = Field(min_length=1)


class AccountOut(BaseModel):
    kind: str
    login: str
    ukprn: str
    roles: list[Role]
    revoked_at: dt.datetime | None = None


class AuditOut(BaseModel):
    id: int | None
    occurred_at: dt.datetime | None
    actor: str
    ukprn: str | None
    action: str
    uln: str | None
    outcome: str | None
    detail: str | None


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class VerifyIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "uln": "1234567890",
                    "given_name": "Amelia",
                    "family_name": "Patel",
                    "date_of_birth": "2009-05-17",
                }
            ]
        }
    )

    uln: str = Field(description="The 10-digit ULN to check")
    given_name: str
    family_name: str
    date_of_birth: Day | None = None
    gender: Code | None = Field(default=None, description="0, 1, 2 or 9; 0 and 9 are not compared")


class VerifyOut(BaseModel):
    outcome: Literal["exact", "similar", "mismatch", "not_found"]
    lrs_code: str = Field(description="WSVRC001-006 as the LRS answered")
    uln: str = Field(description="The ULN checked: the master's when the ULN given was merged")
    linked: bool
    failed_checks: list[str] = Field(
        description="given_vs_given, given_vs_family, given_vs_previous_family, family_vs_given, "
        "family_vs_family, family_vs_previous_family, date_of_birth, gender: each that disagreed"
    )
