"""Field rules for a provider's details: every problem reported at once, values put in standard form."""

from __future__ import annotations

import dataclasses
import re

from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.postcodes import DUMMY_POSTCODE, normalise_postcode
from openlrs.domain.providers.provider import (
    NEEDS_CHARITY_NUMBER,
    NEEDS_COMPANY_NUMBER,
    PROVIDER_TYPES,
    Address,
    Contact,
    ProviderDetails,
    clean_text,
    normalise_charity_number,
    normalise_company_number,
    normalise_website,
    provider_name_key,
)

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_PHONE = re.compile(r"\+?[0-9 ()-]{7,20}")
MAX_NAME = 200
MAX_TRADING_NAMES = 10


def _text(
    errors: list[FieldError], name: str, value: str | None, *, required: bool, max_len: int
) -> str | None:
    cleaned = clean_text(value or "")
    if not cleaned:
        if required:
            errors.append(FieldError(name, "FIELD_REQUIRED", "This field is required"))
        return None
    if len(cleaned) > max_len:
        errors.append(FieldError(name, "FIELD_TOO_LONG", f"Use no more than {max_len} characters"))
    return cleaned


def _organisation_name(errors: list[FieldError], name: str, value: str | None) -> str | None:
    cleaned = _text(errors, name, value, required=True, max_len=MAX_NAME)
    if cleaned and not provider_name_key(cleaned).strip():
        errors.append(FieldError(name, "NAME_INVALID", "Enter a name with letters or digits"))
    return cleaned


def _trading_names(errors: list[FieldError], names: tuple[str, ...], legal: str) -> tuple[str, ...]:
    if len(names) > MAX_TRADING_NAMES:
        errors.append(
            FieldError(
                "trading_names", "TOO_MANY", f"Give no more than {MAX_TRADING_NAMES} trading names"
            )
        )
    kept: list[str] = []
    seen = {provider_name_key(legal)} if legal else set()
    for i, raw in enumerate(names[:MAX_TRADING_NAMES]):
        cleaned = _organisation_name(errors, f"trading_names.{i}", raw)
        if cleaned and provider_name_key(cleaned) not in seen:
            seen.add(provider_name_key(cleaned))
            kept.append(cleaned)
    return tuple(kept)


def _contact(errors: list[FieldError], contact: Contact) -> Contact:
    name = _text(errors, "contact.name", contact.name, required=True, max_len=100)
    email = _text(errors, "contact.email", contact.email, required=True, max_len=254)
    if email and not _EMAIL.fullmatch(email):
        errors.append(FieldError("contact.email", "EMAIL_INVALID", "Enter an email address"))
    phone = _text(errors, "contact.phone", contact.phone, required=False, max_len=20)
    if phone and not _PHONE.fullmatch(phone):
        errors.append(FieldError("contact.phone", "PHONE_INVALID", "Enter a telephone number"))
    return Contact(name or "", email or "", phone)


def _address(errors: list[FieldError], address: Address) -> Address:
    line_1 = _text(errors, "address.line_1", address.line_1, required=True, max_len=100)
    line_2 = _text(errors, "address.line_2", address.line_2, required=False, max_len=100)
    town = _text(errors, "address.town", address.town, required=True, max_len=60)
    postcode = normalise_postcode(address.postcode or "")
    if postcode is None or postcode == DUMMY_POSTCODE:
        errors.append(
            FieldError("address.postcode", "POSTCODE_INVALID", "Enter a real UK postcode")
        )
    return Address(line_1 or "", town or "", postcode or "", line_2)


def _numbers(errors: list[FieldError], details: ProviderDetails) -> tuple[str | None, str | None]:
    company = charity = None
    if details.company_number and details.company_number.strip():
        company = normalise_company_number(details.company_number)
        if company is None:
            errors.append(
                FieldError(
                    "company_number",
                    "COMPANY_NUMBER_INVALID",
                    "A company number is 8 digits, or 2 letters (such as SC, NI or OC) and 6 digits",
                )
            )
    elif details.legal_status in NEEDS_COMPANY_NUMBER:
        errors.append(FieldError("company_number", "FIELD_REQUIRED", "Enter the company number"))
    if details.charity_number and details.charity_number.strip():
        charity = normalise_charity_number(details.charity_number)
        if charity is None:
            errors.append(
                FieldError(
                    "charity_number",
                    "CHARITY_NUMBER_INVALID",
                    "A charity number is 6-8 digits, SC and 6 digits, or NIC and 6 digits",
                )
            )
    elif details.legal_status in NEEDS_CHARITY_NUMBER:
        errors.append(FieldError("charity_number", "FIELD_REQUIRED", "Enter the charity number"))
    return company, charity


def validated_details(details: ProviderDetails) -> ProviderDetails:
    """The details in standard form, or ValidationFailed listing every problem."""
    errors: list[FieldError] = []
    legal_name = _organisation_name(errors, "legal_name", details.legal_name)
    trading = _trading_names(errors, tuple(details.trading_names), legal_name or "")
    if details.provider_type not in PROVIDER_TYPES:
        errors.append(
            FieldError("provider_type", "PROVIDER_TYPE_INVALID", "Choose a kind of provider")
        )
    company, charity = _numbers(errors, details)
    contact = _contact(errors, details.contact)
    address = _address(errors, details.address)
    website = None
    if details.website and details.website.strip():
        website = normalise_website(details.website)
        if website is None:
            errors.append(
                FieldError(
                    "website", "WEBSITE_INVALID", "Enter a web address such as www.example.ac.uk"
                )
            )
    if errors:
        raise ValidationFailed(errors)
    return dataclasses.replace(
        details,
        legal_name=legal_name or "",
        trading_names=trading,
        company_number=company,
        charity_number=charity,
        contact=contact,
        address=address,
        website=website,
    )
