"""Providers to and from rows: the current-record columns and the JSON snapshot kept per version."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openlrs.domain.accounts.organisations import OrgType
from openlrs.domain.postcodes import postcode_district
from openlrs.domain.providers.provider import (
    Address,
    Contact,
    LegalStatus,
    Provider,
    ProviderDetails,
    ProviderStatus,
    provider_name_key,
)


def columns(provider: Provider) -> dict[str, Any]:
    """The `providers` columns for a record (timestamps aside)."""
    d = provider.details
    return {
        "reference": provider.reference,
        "ukprn": provider.ukprn,
        "status": provider.status.value,
        "version": provider.version,
        "legal_name": d.legal_name,
        "verified_legal_name": provider.verified_legal_name,
        "provider_type": d.provider_type.value,
        "legal_status": d.legal_status.value,
        "company_number": d.company_number,
        "charity_number": d.charity_number,
        "contact": {"name": d.contact.name, "email": d.contact.email, "phone": d.contact.phone},
        "address_line_1": d.address.line_1,
        "address_line_2": d.address.line_2,
        "town": d.address.town,
        "town_key": provider_name_key(d.address.town)[:60],
        "postcode": d.address.postcode,
        "postcode_district": postcode_district(d.address.postcode) or "",
        "website": d.website,
        "notes": provider.notes,
    }


def name_rows(provider_id: int, details: ProviderDetails) -> list[dict[str, Any]]:
    names = (details.legal_name, *details.trading_names)
    return [
        {"provider_id": provider_id, "position": i, "name": n, "name_key": provider_name_key(n)}
        for i, n in enumerate(names)
    ]


def from_columns(row: Any, trading_names: tuple[str, ...]) -> Provider:
    """A record from a `providers` row (or a version's snapshot, which has the same keys)."""
    m: Mapping[str, Any] = row if isinstance(row, dict) else row._mapping
    get = m.get
    contact = m["contact"] or {}
    details = ProviderDetails(
        legal_name=m["legal_name"],
        provider_type=OrgType(m["provider_type"]),
        legal_status=LegalStatus(m["legal_status"]),
        contact=Contact(contact.get("name", ""), contact.get("email", ""), contact.get("phone")),
        address=Address(m["address_line_1"], m["town"], m["postcode"], get("address_line_2")),
        trading_names=trading_names,
        company_number=get("company_number"),
        charity_number=get("charity_number"),
        website=get("website"),
    )
    return Provider(
        reference=m["reference"],
        details=details,
        status=ProviderStatus(m["status"]),
        ukprn=get("ukprn"),
        version=m["version"],
        notes=get("notes"),
        id=get("id"),
        created_at=get("created_at"),
        updated_at=get("updated_at"),
        verified_legal_name=get("verified_legal_name"),
    )


def snapshot(provider: Provider) -> dict[str, Any]:
    """The whole record as JSON, for `provider_versions.record`."""
    record = columns(provider)
    record["trading_names"] = list(provider.details.trading_names)
    return record


def from_snapshot(record: dict[str, Any]) -> Provider:
    return from_columns(record, tuple(record.get("trading_names", ())))
