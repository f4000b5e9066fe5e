"""Domain provider records to the API's shapes: the public view, the record, the desk's view."""

from __future__ import annotations

import dataclasses
from typing import Any

from openlrs.api.providers.schemas import ContactIn
from openlrs.domain.providers.duplicates import PossibleDuplicate
from openlrs.domain.providers.provider import (
    Address,
    Contact,
    Provider,
    ProviderStatus,
    ProviderVersion,
    PublicProvider,
)
from openlrs.services.providers.verify import ApplicationView


def public_json(provider: PublicProvider) -> dict[str, Any]:
    return {
        **{f.name: getattr(provider, f.name) for f in dataclasses.fields(provider)},
        "address": dataclasses.asdict(provider.address),
        "trading_names": list(provider.trading_names),
    }


def record_json(provider: Provider) -> dict[str, Any]:
    d = provider.details
    return {
        "ukprn": provider.ukprn,
        "reference": provider.reference,
        "version": provider.version,
        "legal_name": d.legal_name,
        "trading_names": list(d.trading_names),
        "provider_type": d.provider_type,
        "legal_status": d.legal_status,
        "company_number": d.company_number,
        "charity_number": d.charity_number,
        "address": dataclasses.asdict(d.address),
        "website": d.website,
        "status": provider.status,
        "verified": provider.status is ProviderStatus.VERIFIED,
        "updated_at": provider.updated_at,
        "contact": dataclasses.asdict(d.contact),
    }


def _duplicate_json(found: PossibleDuplicate) -> dict[str, Any]:
    return {
        "reference": found.provider.reference,
        "ukprn": found.provider.ukprn,
        "legal_name": found.provider.details.legal_name,
        "status": found.provider.status,
        "reasons": [{"rule": r.rule.value, "detail": r.detail} for r in found.reasons],
    }


def _history_json(version: ProviderVersion) -> dict[str, Any]:
    return {
        "version": version.provider.version,
        "change": version.change,
        "status": version.provider.status,
        "legal_name": version.provider.details.legal_name,
        "changed_by": version.changed_by,
        "reason": version.reason,
        "changed_at": version.changed_at,
    }


def application_json(view: ApplicationView) -> dict[str, Any]:
    return {
        **record_json(view.provider),
        "id": view.provider.id,
        "notes": view.provider.notes,
        "created_at": view.provider.created_at,
        "possible_duplicates": [_duplicate_json(d) for d in view.duplicates],
        "history": [_history_json(v) for v in view.history],
    }


def contact_from(body: ContactIn) -> Contact:
    return Contact(body.name, body.email, body.phone)


def address_from(body: Any) -> Address:
    return Address(body.line_1, body.town, body.postcode, body.line_2)
