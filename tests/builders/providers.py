"""Realistic providers from the synthetic providers, with deterministic seeds: their details
and their applications as request bodies."""

from __future__ import annotations

import dataclasses
from typing import Any

from openlrs.domain.providers.provider import ProviderDetails
from openlrs.synth.providers import generate_providers


def many_provider_details(count: int, *, seed: int = 1) -> list[ProviderDetails]:
    """`count` realistic providers; the same seed gives the same ones."""
    return list(generate_providers(count, seed=seed))


def provider_details(seed: int = 1) -> ProviderDetails:
    return many_provider_details(1, seed=seed)[0]


def provider_application_body(seed: int = 1, **changes: Any) -> dict[str, Any]:
    """An application for a UKPRN as a request body; `changes` replace fields (None drops one)."""
    details = provider_details(seed)
    body: dict[str, Any] = {
        "legal_name": details.legal_name,
        "trading_names": list(details.trading_names),
        "provider_type": details.provider_type.value,
        "legal_status": details.legal_status.value,
        "company_number": details.company_number,
        "charity_number": details.charity_number,
        "contact": {k: v for k, v in dataclasses.asdict(details.contact).items() if v},
        "address": {k: v for k, v in dataclasses.asdict(details.address).items() if v},
        "website": details.website,
    }
    return {k: v for k, v in (body | changes).items() if v is not None}
