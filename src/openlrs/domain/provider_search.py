"""What a public provider search asks for: a UKPRN, a postcode, a postcode district, or words
(a name, legal or trading, matched fuzzily, or a town)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz

from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.identifiers import is_valid_ukprn
from openlrs.domain.postcodes import normalise_postcode
from openlrs.domain.providers import clean_text, provider_name_key

MAX_QUERY = 100
_DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]?")


class QueryKind(StrEnum):
    UKPRN = "ukprn"
    POSTCODE = "postcode"
    DISTRICT = "district"
    TEXT = "text"


@dataclass(frozen=True)
class ProviderQuery:
    kind: QueryKind
    value: str
    """The UKPRN, postcode ("SW1A 1AA"), district ("SW1A"), or the name key of the words."""


def parse_query(text: str) -> ProviderQuery:
    cleaned = clean_text(text)
    if not cleaned or len(cleaned) > MAX_QUERY:
        raise ValidationFailed(
            [FieldError("query", "QUERY_INVALID", f"Enter 1 to {MAX_QUERY} characters")]
        )
    if is_valid_ukprn(cleaned):
        return ProviderQuery(QueryKind.UKPRN, cleaned)
    postcode = normalise_postcode(cleaned)
    if postcode is not None:
        return ProviderQuery(QueryKind.POSTCODE, postcode)
    if _DISTRICT.fullmatch(cleaned.upper()) and any(c.isdigit() for c in cleaned):
        return ProviderQuery(QueryKind.DISTRICT, cleaned.upper())
    key = provider_name_key(cleaned)
    if not key:
        raise ValidationFailed(
            [FieldError("query", "QUERY_INVALID", "Enter a name, UKPRN, postcode or town")]
        )
    return ProviderQuery(QueryKind.TEXT, key)


def text_score(query_key: str, name_key: str) -> float:
    """How well a name key answers the words of a search, 0-1 (rapidfuzz's weighted ratio): used
    where the database cannot rank (SQLite, the in-memory fake)."""
    return float(fuzz.WRatio(query_key, name_key)) / 100.0


TEXT_SCORE_FLOOR = 0.6
TOWN_SCORE = 0.5
"""A provider found by its town ranks as a fair, not a close, name match."""
