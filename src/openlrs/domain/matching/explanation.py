"""Sentences a person can read about why two records scored as they did.

Sentences name the field, the level and its weight; they never repeat a date of birth, postcode,
school or email address, only (for an exact name agreement) the name itself.
"""

from __future__ import annotations

LABELS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
    "gender": "Gender",
    "postcode": "Postcode",
    "school_at_16": "School at 16",
    "email": "Email address",
}

_SAME = "the same"
_PHRASES: dict[str, dict[str, str]] = {
    "given_name": {
        "exact": _SAME,
        "nickname": "a short form or preferred name of the other",
        "middle_name": "matches a middle name or another given name",
        "swapped": "matches the other's family name (names swapped)",
        "similar": "spelt closely alike",
        "somewhat_similar": "spelt somewhat alike",
        "initial": "an initial only",
        "different": "different",
        "missing": "not given on both records, not counted",
    },
    "family_name": {
        "exact": _SAME,
        "previous": "matches a previous family name or part of a double-barrelled name",
        "swapped": "matches the other's given name (names swapped)",
        "similar": "spelt or sounding closely alike",
        "somewhat_similar": "spelt somewhat alike",
        "different": "different",
        "missing": "not given on both records, not counted",
    },
    "date_of_birth": {
        "exact": _SAME,
        "swapped": "day and month swapped",
        "one_digit": "one digit different",
        "year_off_by_one": "same day and month, a year apart",
        "different": "different",
    },
    "gender": {
        "agree": _SAME,
        "disagree": "different",
        "unknown": "not known or not specified on a record, not counted",
    },
    "postcode": {
        "full": _SAME,
        "sector": "same sector",
        "district": "same district",
        "area": "same area",
        "different": "a different area",
        "missing": "dummy or missing on a record, not counted",
    },
    "school_at_16": {
        "same": _SAME,
        "different": "different",
        "missing": "not given on both records, not counted",
    },
    "email": {
        "same": _SAME,
        "different": "different",
        "missing": "not given on both records, not counted",
    },
}


def sentence(field: str, level: str, weight: float, detail: str | None = None) -> str:
    """One line such as "Family name: the same (Smith, a common name) +8.1"."""
    phrase = _PHRASES.get(field, {}).get(level, level.replace("_", " "))
    label = LABELS.get(field, field.replace("_", " ").capitalize())
    extra = f" ({detail})" if detail else ""
    return f"{label}: {phrase}{extra} {weight:+.1f}"


def frequency_note(name: str, adjustment: float, *, common: float, rare: float) -> str:
    """The detail for an exact name agreement: the name, and whether it is common or uncommon."""
    if adjustment <= common:
        return f"{name}, a common name"
    if adjustment >= rare:
        return f"{name}, an uncommon name"
    return name


def combination_sentence(name: str, weight: float, *, common: float) -> str:
    """The line for how often a given and family name go together in the register."""
    if weight <= common:
        phrase = "given and family names often found together"
    elif weight >= -common:
        phrase = "an unusual combination of given and family names"
    else:
        phrase = "a usual combination of given and family names"
    return f"Full name: {phrase} ({name}) {weight:+.1f}"
