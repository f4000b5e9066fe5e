"""The columns the duplicate audit compares: each learner's match keys as plain values.

Everything that needs Python (name keys, Metaphone, nicknames, postcode parts, the swapped date) is
computed here, once per learner, so the Splink settings use only SQL that DuckDB and Spark share.
The same function feeds either backend (on Spark, through `mapInPandas`; see docs/matching.md).
"""

from __future__ import annotations

import functools
from typing import Any

from nicknames import NickNamer

from openlrs.domain.learners.learner import Gender, LearnerDetails
from openlrs.domain.matching.keys import match_keys, phonetic, school_key
from openlrs.domain.matching.names import are_nicknames

COLUMNS: tuple[str, ...] = (
    "unique_id",
    "given_key",
    "family_key",
    "given_names",
    "given_and_middle",
    "family_names",
    "given_sound",
    "family_sound",
    "family_sound_long",
    "dob",
    "dob_swapped",
    "dob_digits",
    "dob_month_day",
    "birth_year",
    "gender",
    "postcode",
    "postcode_sector",
    "postcode_district",
    "postcode_area",
    "school_key",
    "email_key",
)
"""The audit table's columns, in order; `unique_id` is the ULN."""

_STATED = frozenset({Gender.MALE, Gender.FEMALE})


@functools.cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@functools.lru_cache(maxsize=65536)
def _full_forms(name: str) -> frozenset[str]:
    """The name and every full form it is a short form of, as the engine's nickname level judges
    it (BOB -> BOB, ROBERT; AMY -> AMY, not AMELIA): two records share one when they are nicknames."""
    forms = {name}
    for canonical in _nicknamer().canonicals_of(name.lower()):
        full = canonical.upper()
        if are_nicknames(name, full):
            forms.add(full)
    return frozenset(forms)


def _sorted(values: set[str] | frozenset[str]) -> list[str]:
    return sorted(v for v in values if v)


def _key(value: str) -> str | None:
    """A comparable school or email key ('' when missing), or None."""
    return value or None


def audit_record(uln: str, details: LearnerDetails) -> dict[str, Any]:
    """One learner's audit columns (see `COLUMNS`); None where a field is missing."""
    keys = match_keys(details)
    givens = {k for k in (keys.given_key, keys.preferred_key) if k}
    family_long = keys.family_key if len(keys.family_key) >= 4 else ""
    dob = keys.dob
    return {
        "unique_id": uln,
        "given_key": keys.given_key or None,
        "family_key": keys.family_key or None,
        "given_names": _sorted(set().union(*(_full_forms(g) for g in givens))),
        "given_and_middle": _sorted(keys.given_words | keys.middle_keys),
        "family_names": _sorted({keys.family_key} | keys.family_parts | keys.previous_family_keys),
        "given_sound": keys.given_phonetic or None,
        "family_sound": phonetic(keys.family_key) if keys.family_key else None,
        "family_sound_long": phonetic(family_long) if family_long else None,
        "dob": dob.isoformat(),
        "dob_swapped": keys.dob_swapped.isoformat() if keys.dob_swapped else None,
        "dob_digits": dob.strftime("%Y%m%d"),
        "dob_month_day": dob.strftime("%m-%d"),
        "birth_year": dob.year,
        "gender": int(details.gender) if details.gender in _STATED else None,
        "postcode": keys.postcode,
        "postcode_sector": keys.postcode_sector,
        "postcode_district": keys.postcode_district,
        "postcode_area": keys.postcode_area,
        "school_key": _key(school_key(details.school_at_16)),
        "email_key": _key((details.email or "").strip().casefold()),
    }
