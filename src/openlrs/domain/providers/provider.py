"""A learning provider on the UK Register of Learning Providers: its record, field rules and status.

A provider applies without a UKPRN; the service desk verifies it and allocates one. Company and
charity numbers are checked for shape only (Companies House, the Charity Commission, OSCR and the
Charity Commission for Northern Ireland hold the truth). See docs/providers.md.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from openlrs.domain.accounts.organisations import OrgType


class ProviderStatus(StrEnum):
    """applied → verified (UKPRN allocated) or rejected. A verified provider whose legal name
    changes is `active` (trading, UKPRN valid) until the desk re-verifies it; the desk can
    deactivate either, and reactivate."""

    APPLIED = "applied"
    VERIFIED = "verified"
    ACTIVE = "active"
    DEACTIVATED = "deactivated"
    REJECTED = "rejected"


PUBLIC_STATUSES = frozenset(
    {ProviderStatus.VERIFIED, ProviderStatus.ACTIVE, ProviderStatus.DEACTIVATED}
)
"""Statuses the public can see: every provider that holds a UKPRN."""
IN_GOOD_STANDING = frozenset({ProviderStatus.VERIFIED, ProviderStatus.ACTIVE})


class LegalStatus(StrEnum):
    COMPANY = "company"
    CHARITABLE_COMPANY = "charitable_company"
    CHARITY = "charity"
    LLP = "llp"
    PARTNERSHIP = "partnership"
    SOLE_TRADER = "sole_trader"
    PUBLIC_BODY = "public_body"
    OTHER = "other"


NEEDS_COMPANY_NUMBER = frozenset(
    {LegalStatus.COMPANY, LegalStatus.CHARITABLE_COMPANY, LegalStatus.LLP}
)
NEEDS_CHARITY_NUMBER = frozenset({LegalStatus.CHARITY, LegalStatus.CHARITABLE_COMPANY})
PROVIDER_TYPES = frozenset(OrgType) - {OrgType.SERVICE_DESK}

# Companies House prefixes: Scotland, Northern Ireland, LLPs, LPs, overseas, societies, etc.
COMPANY_PREFIXES = frozenset(
    [
        "SC",
        "NI",
        "OC",
        "SO",
        "NC",
        "R0",
        "FC",
        "SF",
        "NF",
        "GE",
        "LP",
        "SL",
        "NL",
        "IP",
        "SP",
        "NP",
        "RC",
        "SR",
        "NR",
        "NO",
        "SE",
        "CE",
        "CS",
        "ZC",
        "SZ",
        "IC",
        "SI",
        "RS",
        "SA",
        "NA",
    ]
)
_COMPANY = re.compile(r"[0-9]{8}|(?P<prefix>[A-Z][A-Z0-9])[0-9]{6}")
_CHARITY = re.compile(r"[0-9]{6,8}|SC[0-9]{6}|NIC[0-9]{6}")


@dataclass(frozen=True)
class Contact:
    """The person the service desk deals with: private, never shown publicly."""

    name: str
    email: str
    phone: str | None = None


@dataclass(frozen=True)
class Address:
    line_1: str
    town: str
    postcode: str
    line_2: str | None = None


@dataclass(frozen=True)
class ProviderDetails:
    """What a provider tells the register about itself."""

    legal_name: str
    provider_type: OrgType
    legal_status: LegalStatus
    contact: Contact
    address: Address
    trading_names: tuple[str, ...] = ()
    company_number: str | None = None
    charity_number: str | None = None
    website: str | None = None


@dataclass(frozen=True)
class Provider:
    reference: str
    details: ProviderDetails
    status: ProviderStatus = ProviderStatus.APPLIED
    ukprn: str | None = None
    version: int = 1
    notes: str | None = None
    """The service desk's private notes (e.g. why it rejected or asked for re-verification)."""
    id: int | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    verified_legal_name: str | None = None
    """The legal name the desk last verified (None until approval)."""


@dataclass(frozen=True)
class ProviderVersion:
    """One entry of a provider's history: the record as it stood after a change, who and when."""

    provider: Provider
    change: int
    changed_by: str
    reason: str | None = None
    changed_at: dt.datetime | None = None


@dataclass(frozen=True)
class ProviderChanges:
    """What a provider's own admin may change; None leaves a field as it is."""

    legal_name: str | None = None
    trading_names: tuple[str, ...] | None = None
    contact: Contact | None = None
    address: Address | None = None
    website: str | None = None
    provider_type: OrgType | None = None


# --- normalisation -------------------------------------------------------------------------------

_LEGAL_SUFFIXES = frozenset({"ltd", "limited", "plc", "llp", "lp", "cic", "cio", "the", "uk"})


def clean_text(value: str) -> str:
    """NFC, no control characters, single spaces, trimmed."""
    value = unicodedata.normalize("NFC", value)
    value = "".join(" " if unicodedata.category(c).startswith("C") else c for c in value)
    return " ".join(value.split())


def provider_name_key(name: str) -> str:
    """The form names are compared in: case-folded, accents and punctuation gone, `&` as `and`,
    legal suffixes (Ltd, Limited, PLC, ...) and "the" dropped. "The Riverside College Ltd." →
    "riverside college"."""
    text = unicodedata.normalize("NFKD", name.casefold().replace("&", " and "))
    text = "".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c))
    words = [w for w in text.split() if w not in _LEGAL_SUFFIXES]
    return " ".join(words) or " ".join(text.split())


def normalise_company_number(value: str) -> str | None:
    """Companies House form (8 characters: 8 digits, or a 2-letter prefix and 6 digits), or None.
    Digits alone may come without leading zeros ("123456" → "00123456")."""
    compact = "".join(value.split()).upper()
    if compact.isascii() and compact.isdigit() and 1 <= len(compact) <= 8:
        compact = compact.zfill(8)
    match = _COMPANY.fullmatch(compact)
    if match is None or (match["prefix"] and match["prefix"] not in COMPANY_PREFIXES):
        return None
    return compact


def normalise_charity_number(value: str) -> str | None:
    """England and Wales: 6-8 digits; Scotland: SC + 6 digits; Northern Ireland: NIC + 6 digits."""
    compact = "".join(value.split()).upper()
    return compact if compact.isascii() and _CHARITY.fullmatch(compact) else None


def normalise_website(value: str) -> str | None:
    """An http(s) address with a dotted host ("https://" added when none is given), or None."""
    text = value.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    host = parts.hostname or ""
    ok = (
        parts.scheme in ("http", "https")
        and "." in host
        and text.isprintable()
        and " " not in text
        and len(text) <= 200
    )
    return text if ok else None


# --- application references ----------------------------------------------------------------------

_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U
_REFERENCE = re.compile(rf"PA[{_REFERENCE_ALPHABET}]{{10}}")


def application_reference(random_bytes: bytes) -> str:
    """ "PA" and 10 base-32 characters from at least 7 random bytes: what an applicant quotes."""
    number = int.from_bytes(random_bytes[:7], "big")
    chars = []
    for _ in range(10):
        number, digit = divmod(number, 32)
        chars.append(_REFERENCE_ALPHABET[digit])
    return "PA" + "".join(chars)


def is_application_reference(value: str) -> bool:
    return bool(_REFERENCE.fullmatch(value))


# --- what the public sees --------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicProvider:
    """The fields anyone may see: never the contact person, the desk's notes or the reference."""

    ukprn: str
    legal_name: str
    trading_names: tuple[str, ...]
    provider_type: OrgType
    legal_status: LegalStatus
    company_number: str | None
    charity_number: str | None
    address: Address
    website: str | None
    status: ProviderStatus
    verified: bool
    updated_at: dt.datetime | None


def public_view(provider: Provider) -> PublicProvider:
    d = provider.details
    assert provider.ukprn is not None, "only providers with a UKPRN are public"
    return PublicProvider(
        ukprn=provider.ukprn,
        legal_name=d.legal_name,
        trading_names=d.trading_names,
        provider_type=d.provider_type,
        legal_status=d.legal_status,
        company_number=d.company_number,
        charity_number=d.charity_number,
        address=d.address,
        website=d.website,
        status=provider.status,
        verified=provider.status is ProviderStatus.VERIFIED,
        updated_at=provider.updated_at,
    )
