"""Is an application the same organisation as a provider already on the register? Rules with reasons.

Each rule names what matched so the service desk can judge: the same company number, the same
charity number, or a near-identical name (legal or trading, compared as `provider_name_key`) at the
same postcode, or a still closer name in the same postcode district.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz

from openlrs.domain.postcodes import postcode_district
from openlrs.domain.providers.provider import (
    Provider,
    ProviderDetails,
    ProviderStatus,
    provider_name_key,
)

SAME_POSTCODE_SIMILARITY = 90.0
SAME_DISTRICT_SIMILARITY = 95.0


class DuplicateRule(StrEnum):
    SAME_COMPANY_NUMBER = "same_company_number"
    SAME_CHARITY_NUMBER = "same_charity_number"
    SIMILAR_NAME_SAME_POSTCODE = "similar_name_same_postcode"
    SIMILAR_NAME_SAME_DISTRICT = "similar_name_same_district"


@dataclass(frozen=True)
class DuplicateReason:
    rule: DuplicateRule
    detail: str


@dataclass(frozen=True)
class PossibleDuplicate:
    provider: Provider
    reasons: tuple[DuplicateReason, ...]


def all_names(details: ProviderDetails) -> tuple[str, ...]:
    return (details.legal_name, *details.trading_names)


def name_similarity(a: ProviderDetails, b: ProviderDetails) -> tuple[float, str, str]:
    """The closest pair of names (legal or trading) of two providers: score 0-100 and the names."""
    best = (0.0, "", "")
    for name_a in all_names(a):
        key_a = provider_name_key(name_a)
        for name_b in all_names(b):
            score = fuzz.token_sort_ratio(key_a, provider_name_key(name_b))
            if score > best[0]:
                best = (score, name_a, name_b)
    return best


def duplicate_reasons(
    details: ProviderDetails, other: ProviderDetails
) -> tuple[DuplicateReason, ...]:
    reasons = []
    if details.company_number and details.company_number == other.company_number:
        reasons.append(
            DuplicateReason(
                DuplicateRule.SAME_COMPANY_NUMBER, f"company number {details.company_number}"
            )
        )
    if details.charity_number and details.charity_number == other.charity_number:
        reasons.append(
            DuplicateReason(
                DuplicateRule.SAME_CHARITY_NUMBER, f"charity number {details.charity_number}"
            )
        )
    score, ours, theirs = name_similarity(details, other)
    said = f"'{ours}' is {score:.0f}% like '{theirs}'"
    if details.address.postcode == other.address.postcode and score >= SAME_POSTCODE_SIMILARITY:
        reasons.append(
            DuplicateReason(
                DuplicateRule.SIMILAR_NAME_SAME_POSTCODE,
                f"{said}, both at {details.address.postcode}",
            )
        )
    elif score >= SAME_DISTRICT_SIMILARITY:
        district = postcode_district(details.address.postcode)
        if district is not None and district == postcode_district(other.address.postcode):
            reasons.append(
                DuplicateReason(
                    DuplicateRule.SIMILAR_NAME_SAME_DISTRICT, f"{said}, both in {district}"
                )
            )
    return tuple(reasons)


def find_duplicates(provider: Provider, candidates: Iterable[Provider]) -> list[PossibleDuplicate]:
    """Providers (other than itself and rejected applications) that may be the same organisation."""
    found = []
    for other in candidates:
        if other.reference == provider.reference or other.status is ProviderStatus.REJECTED:
            continue
        reasons = duplicate_reasons(provider.details, other.details)
        if reasons:
            found.append(PossibleDuplicate(other, reasons))
    return found
