"""A public provider in words for the portal's pages: labels for its type, legal status and
standing, and the rows of its summary list. Only `PublicProvider` fields ever reach a page."""

from __future__ import annotations

from typing import Any

from openlrs.domain.accounts.organisations import OrgType
from openlrs.domain.providers.provider import LegalStatus, ProviderStatus, PublicProvider

PROVIDER_TYPES = {
    OrgType.SCHOOL: "School",
    OrgType.COLLEGE: "College",
    OrgType.TRAINING_PROVIDER: "Training provider",
    OrgType.LOCAL_AUTHORITY: "Local authority",
    OrgType.PRISON: "Prison",
    OrgType.HIGHER_EDUCATION: "Higher education",
    OrgType.AWARDING_ORGANISATION: "Awarding organisation",
}
LEGAL_STATUSES = {
    LegalStatus.COMPANY: "Company",
    LegalStatus.CHARITABLE_COMPANY: "Charitable company",
    LegalStatus.CHARITY: "Charity",
    LegalStatus.LLP: "Limited liability partnership",
    LegalStatus.PARTNERSHIP: "Partnership",
    LegalStatus.SOLE_TRADER: "Sole trader",
    LegalStatus.PUBLIC_BODY: "Public body",
    LegalStatus.OTHER: "Other",
}
STANDING = {
    ProviderStatus.VERIFIED: ("Verified", "govuk-tag--green"),
    ProviderStatus.ACTIVE: ("Active, new name being verified", "govuk-tag--yellow"),
    ProviderStatus.DEACTIVATED: ("Deactivated", "govuk-tag--grey"),
}


def standing(provider: PublicProvider) -> dict[str, str]:
    """The provider's status as a GOV.UK tag."""
    text, classes = STANDING.get(provider.status, (provider.status.value, "govuk-tag--grey"))
    return {"text": text, "classes": classes}


def address_lines(provider: PublicProvider) -> list[str]:
    a = provider.address
    return [line for line in (a.line_1, a.line_2, a.town, a.postcode) if line]


def _row(key: str, value: str | None) -> dict[str, Any]:
    return {"key": {"text": key}, "value": {"text": value or "Not given"}}


def summary_rows(provider: PublicProvider) -> list[dict[str, Any]]:
    """The public fields, in the order a reader looks for them (as text: the macro escapes it)."""
    return [
        _row("UKPRN", provider.ukprn),
        _row("Legal name", provider.legal_name),
        _row("Trading names", ", ".join(provider.trading_names) or "None"),
        _row("Type", PROVIDER_TYPES.get(provider.provider_type, provider.provider_type.value)),
        _row("Legal status", LEGAL_STATUSES.get(provider.legal_status, "Other")),
        _row("Company number", provider.company_number),
        _row("Charity number", provider.charity_number),
        _row("Address", ", ".join(address_lines(provider))),
        _row("Website", provider.website),
    ]
