"""What a public provider search asks for: a UKPRN, a postcode, a postcode district, or words
(a name, legal or trading, matched fuzzily, or a town)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz

from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.identifiers import is_valid_ukprn
from openlrs.domain.postcodes import normalise_postcode
from openlrs.domain.providers.provider import clean_text, provider_name_key

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


# --- the word index -------------------------------------------------------------------------------

MAX_QUERY_WORDS = 8
MAX_WORD = 60
SIMILAR_WORD_RATIO = 80.0


def name_words(name_key: str) -> set[str]:
    """The words a name is found by (its key's words, each cut to the index's width)."""
    return {w[:MAX_WORD] for w in name_key.split()}


def query_words(key: str) -> list[str]:
    """The distinct words of a query's key, in order, at most MAX_QUERY_WORDS."""
    return list(dict.fromkeys(w[:MAX_WORD] for w in key.split()))[:MAX_QUERY_WORDS]


def similar_words(word: str, vocabulary: Iterable[str]) -> list[str]:
    """Words of the register a misspelt or unfinished query word may mean: those it begins (4+
    letters typed) and those within a letter or two of it."""
    found = []
    for known in vocabulary:
        if (len(word) >= 4 and known.startswith(word)) or (
            abs(len(known) - len(word)) <= 2 and fuzz.ratio(word, known) >= SIMILAR_WORD_RATIO
        ):
            found.append(known)
    return found


def rank(key: str, names: Iterable[tuple[int, str]], town_ids: Iterable[int]) -> list[int]:
    """Provider ids best first from (id, name key) rows: the best-scoring name of each (at least
    TEXT_SCORE_FLOOR), a town match counting as TOWN_SCORE; ties in id (application) order."""
    best: dict[int, float] = {}
    for provider_id, name_key in names:
        score = text_score(key, name_key)
        if score >= TEXT_SCORE_FLOOR and score > best.get(provider_id, 0.0):
            best[provider_id] = score
    for provider_id in town_ids:
        best.setdefault(provider_id, TOWN_SCORE)
    return sorted(best, key=lambda i: (-best[i], i))
