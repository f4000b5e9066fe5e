"""Realistic provider application bodies from the synthetic providers, with deterministic seeds."""

from __future__ import annotations

import dataclasses
from typing import Any

from openlrs.synth.providers import generate_providers

APPLICATIONS = "/api/v1/providers/applications"


def application_body(seed: int = 1, **changes: Any) -> dict[str, Any]:
    details = next(generate_providers(1, seed=seed))
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
