"""Bodies of the provider register API. The public shapes carry public fields only."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from openlrs.domain.accounts.organisations import OrgType
from openlrs.domain.providers.provider import LegalStatus, ProviderStatus

# Generous caps: the domain's rules give the precise messages; these only stop absurd bodies.
Text = Annotated[str, Field(max_length=500)]
Name = Annotated[str, Field(max_length=500)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContactIn(Strict):
    name: Text
    email: Text
    phone: Text | None = None


class AddressIn(Strict):
    line_1: Text
    line_2: Text | None = None
    town: Text
    postcode: Annotated[str, Field(max_length=20)]


class ApplicationIn(Strict):
    legal_name: Name
    trading_names: Annotated[list[Name], Field(max_length=20)] = []
    provider_type: OrgType = Field(description="Any organisation type but service_desk")
    legal_status: LegalStatus
    company_number: Annotated[str, Field(max_length=20)] | None = None
    charity_number: Annotated[str, Field(max_length=20)] | None = None
    contact: ContactIn
    address: AddressIn
    website: Text | None = None


class ApplicationCreated(BaseModel):
    reference: str = Field(description="Quote it to the service desk")
    status: ProviderStatus


class ProviderPatch(Strict):
    """Only what is sent changes. A new legal name needs the service desk to verify it again."""

    legal_name: Name | None = None
    trading_names: Annotated[list[Name], Field(max_length=20)] | None = None
    provider_type: OrgType | None = None
    contact: ContactIn | None = None
    address: AddressIn | None = None
    website: Text | None = None


class ApplicationDecisionIn(Strict):
    decision: Literal["approve", "reject"]
    reason: Text | None = Field(default=None, description="Required to reject")
    confirm_not_duplicate: bool = Field(
        default=False, description="Approve although the duplicate rules found possible matches"
    )


class StandingIn(Strict):
    reason: Text | None = None


class PublicAddressOut(BaseModel):
    line_1: str
    line_2: str | None
    town: str
    postcode: str


class PublicProviderOut(BaseModel):
    ukprn: str
    legal_name: str
    trading_names: list[str]
    provider_type: OrgType
    legal_status: LegalStatus
    company_number: str | None
    charity_number: str | None
    address: PublicAddressOut
    website: str | None
    status: ProviderStatus
    verified: bool
    updated_at: dt.datetime | None


class ProviderSearchOut(BaseModel):
    items: list[PublicProviderOut]
    page: int
    page_size: int
    next_page: int | None


class ChangeOut(BaseModel):
    change: int
    version: int
    provider: PublicProviderOut


class ChangesOut(BaseModel):
    items: list[ChangeOut]
    next_since: int


class ContactOut(BaseModel):
    name: str
    email: str
    phone: str | None


class ProviderRecordOut(PublicProviderOut):
    """The whole record, for the provider's own admin and the service desk."""

    ukprn: str | None  # type: ignore[assignment]
    reference: str
    version: int
    contact: ContactOut


class ReasonOut(BaseModel):
    rule: str
    detail: str


class DuplicateOut(BaseModel):
    reference: str
    ukprn: str | None
    legal_name: str
    status: ProviderStatus
    reasons: list[ReasonOut]


class HistoryOut(BaseModel):
    version: int
    change: int
    status: ProviderStatus
    legal_name: str
    changed_by: str
    reason: str | None
    changed_at: dt.datetime | None


class ApplicationOut(ProviderRecordOut):
    """What the service desk sees: the record, its notes, possible duplicates and its history."""

    id: int = Field(description="Page the queue with after_id=<the last id seen>")
    notes: str | None
    created_at: dt.datetime | None
    possible_duplicates: list[DuplicateOut]
    history: list[HistoryOut]
