"""Comparison levels: how closely each field of two learner records agrees.

Each field is compared by a small pure function returning a level name, best level first in
`LEVELS`. Names are compared as `name_key` (accents, case and apostrophes ignored). Neutral levels
(missing, unknown) carry no evidence either way.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import NamedTuple

from rapidfuzz.distance import OSA

from openlrs.domain.learners.learner import Gender, LearnerDetails
from openlrs.domain.matching.keys import (
    MatchKeys,
    email_key,
    match_keys,
    school_key,
    swapped_date,
    upn_school,
)
from openlrs.domain.matching.names import (
    SIMILAR,
    SOMEWHAT_SIMILAR,
    are_nicknames,
    are_separate_forms,
    is_one_edit,
    is_short_form_misspelt,
    jaro_winkler,
)

LEVELS: dict[str, tuple[str, ...]] = {
    "given_name": (
        "exact",
        "nickname",
        "middle_name",
        "swapped",
        "similar",
        "somewhat_similar",
        "initial",
        "different",
        "missing",
    ),
    "family_name": (
        "exact",
        "previous",
        "swapped",
        "similar",
        "somewhat_similar",
        "different",
        "missing",
    ),
    "date_of_birth": ("exact", "swapped", "one_digit", "year_off_by_one", "different"),
    "gender": ("agree", "disagree", "unknown"),
    "postcode": ("full", "sector", "district", "area", "different", "missing"),
    "school_at_16": ("same", "different", "missing"),
    "email": ("same", "different", "missing"),
    "middle_names": ("same", "moved", "different", "missing"),
    "upn": ("same", "different_same_school", "different", "missing"),
    "address": ("same_line", "same_town", "different", "missing"),
    "place_of_birth": ("same", "different", "missing"),
}
"""Every field's comparison levels, best first; the model file gives each an m and a u."""

NEUTRAL_LEVELS = frozenset({"missing", "unknown"})
"""Levels that say nothing about a match: a field absent on either side, or gender unstated."""

OPTIONAL_FIELDS = frozenset(
    {"school_at_16", "email", "middle_names", "upn", "address", "place_of_birth"}
)
"""Fields a record often lacks or that change over a life (email, address): their disagreement
counts for less against a candidate whose names and date of birth agree strongly (see
`model.weigh`). A different UPN at the same school is not damped: that is a twin's mark."""

_STATED_GENDERS = frozenset({Gender.MALE, Gender.FEMALE})


class ComparisonVector(NamedTuple):
    """The comparison level of every field for one pair of records (a named tuple: a search
    builds one per candidate and looks each up in a table of weights)."""

    given_name: str
    family_name: str
    date_of_birth: str
    gender: str
    postcode: str
    school_at_16: str
    email: str
    middle_names: str = "missing"
    upn: str = "missing"
    address: str = "missing"
    place_of_birth: str = "missing"

    def items(self) -> tuple[tuple[str, str], ...]:
        """(field, level) pairs in field order."""
        return tuple(zip(VECTOR_FIELDS, self, strict=True))


VECTOR_FIELDS: tuple[str, ...] = tuple(LEVELS)
"""The fields of a `ComparisonVector`, in order (the keys of `LEVELS`)."""


def names_swapped(q: MatchKeys, c: MatchKeys) -> bool:
    """True when the given and family names are exchanged between the two records: both exactly,
    or one exactly and the other as a short form or with one slip (COLEMAN OLLY for Oliver
    Coleman, BOOTH HLOLY for Holly Booth)."""
    if q.given_key == q.family_key or c.given_key == c.family_key or not q.given_key:
        return False
    given_across = q.given_key == c.family_key
    family_across = q.family_key == c.given_key
    if given_across and family_across:
        return True
    if given_across:
        return _alike(q.family_key, c.given_key)
    if family_across:
        return _alike(q.given_key, c.family_key)
    return False


def _alike(a: str, b: str) -> bool:
    """Two names one slip apart, a short form of each other, or spelt alike (the similar band)."""
    if not a or not b:
        return False
    return is_one_edit(a, b) or are_nicknames(a, b) or jaro_winkler(a, b) >= SIMILAR


def _given_names(keys: MatchKeys) -> tuple[str, ...]:
    """The given name and the preferred given name, when there is one (and it is another)."""
    preferred = keys.preferred_key
    if preferred and preferred != keys.given_key:
        return (keys.given_key, preferred)
    return (keys.given_key,)


def _middle_as_given(q: MatchKeys, c: MatchKeys) -> bool:
    """True when a given name of one record is a middle or other given name of the other."""
    single_q, single_c = len(q.given_words) == 1, len(c.given_words) == 1
    return bool(
        q.given_words & c.middle_keys
        or c.given_words & q.middle_keys
        or (single_c and not single_q and c.given_key in q.given_words)
        or (single_q and not single_c and q.given_key in c.given_words)
    )


def _initial_only(a: str, b: str) -> bool:
    """True when one name is a single letter and the other starts with it."""
    return (len(a) == 1 or len(b) == 1) and a[0] == b[0]


def compare_given(q: MatchKeys, c: MatchKeys) -> str:
    """Given names: exact, a nickname or preferred name, a middle name, spelling bands, initial."""
    if not q.given_key or not c.given_key:
        return "missing"
    if q.given_key == c.given_key:
        return "exact"
    q_names, c_names = _given_names(q), _given_names(c)
    pairs = [(a, b) for a in q_names for b in c_names]
    if any(a == b or are_nicknames(a, b) for a, b in pairs):
        return "nickname"
    if _middle_as_given(q, c):
        return "middle_name"
    if _initial_only(q.given_key, c.given_key):
        return "initial"
    similarity = max(jaro_winkler(a, b) for a, b in pairs)
    if similarity >= SIMILAR or any(_misspelt(a, b) for a, b in pairs):
        return "similar"
    if similarity >= SOMEWHAT_SIMILAR or any(are_separate_forms(a, b) for a, b in pairs):
        return "somewhat_similar"
    return "different"


def _misspelt(a: str, b: str) -> bool:
    """One slip apart, or one slip from the other's short form (see `names`)."""
    return is_one_edit(a, b) or is_short_form_misspelt(a, b)


def _shares_family(q: MatchKeys, c: MatchKeys) -> bool:
    """True when a previous family name or a part of a double-barrelled name links the two."""
    q_parts, c_parts = q.family_parts or {q.family_key}, c.family_parts or {c.family_key}
    return bool(
        q.family_key in c.previous_family_keys
        or c.family_key in q.previous_family_keys
        or q.previous_family_keys & c.previous_family_keys
        or ((q.family_parts or c.family_parts) and q_parts & c_parts)
    )


def compare_family(q: MatchKeys, c: MatchKeys) -> str:
    """Family names: exact, previous name or double-barrel part, sound or spelling bands."""
    if not q.family_key or not c.family_key:
        return "missing"
    if q.family_key == c.family_key:
        return "exact"
    if _shares_family(q, c):
        return "previous"
    similarity = jaro_winkler(q.family_key, c.family_key)
    same_sound = (
        min(len(q.family_key), len(c.family_key)) >= 4 and q.family_phonetic == c.family_phonetic
    )
    if similarity >= SIMILAR or same_sound or is_one_edit(q.family_key, c.family_key):
        return "similar"
    if similarity >= SOMEWHAT_SIMILAR:
        return "somewhat_similar"
    return "different"


def _is_digit_typo(a: str, b: str) -> bool:
    """True when two digit strings of one length differ in one place or by two adjacent digits
    transposed: an optimal string alignment distance of exactly 1."""
    return bool(OSA.distance(a, b, score_cutoff=1) == 1)


@functools.lru_cache(maxsize=16384)  # dates of birth repeat: about 40 years of days in all
def _digits(date: dt.date) -> str:
    return f"{date.year:04d}{date.month:02d}{date.day:02d}"


def compare_dob(a: dt.date, b: dt.date, a_swapped: dt.date | None = None) -> str:
    """Dates of birth: exact, day and month swapped, one digit out, a year out, or different.

    `a_swapped` is `a` with day and month exchanged, when the caller has it to hand."""
    if a == b:
        return "exact"
    if (a_swapped or swapped_date(a)) == b:
        return "swapped"
    if _is_digit_typo(_digits(a), _digits(b)):
        return "one_digit"
    if a.month == b.month and a.day == b.day and abs(a.year - b.year) == 1:
        return "year_off_by_one"
    return "different"


def compare_gender(a: int, b: int) -> str:
    """Gender: agree, disagree, or unknown when either is not known (0) or not specified (9)."""
    if a not in _STATED_GENDERS or b not in _STATED_GENDERS:
        return "unknown"
    return "agree" if a == b else "disagree"


def compare_postcode(q: MatchKeys, c: MatchKeys) -> str:
    """Postcodes: the same, same sector, district or area, or different; the dummy is neutral."""
    if q.postcode is None or c.postcode is None:
        return "missing"
    if q.postcode == c.postcode:
        return "full"
    if q.postcode_sector == c.postcode_sector:
        return "sector"
    if q.postcode_district == c.postcode_district:
        return "district"
    if q.postcode_area == c.postcode_area:
        return "area"
    return "different"


def _same_or_different(a_key: str, b_key: str) -> str:
    """The level of two optional values already in comparable form."""
    if not a_key or not b_key:
        return "missing"
    return "same" if a_key == b_key else "different"


def compare_school(a: str | None, b: str | None) -> str:
    """Schools at 16: the same (ignoring case and punctuation), different, or missing."""
    return _same_or_different(school_key(a), school_key(b))


def compare_email(a: str | None, b: str | None) -> str:
    """Email addresses: the same (ignoring case and surrounding space), different, or missing."""
    return _same_or_different(email_key(a), email_key(b))


def compare_middle(q: MatchKeys, c: MatchKeys) -> str:
    """Middle names: one in common (same), one is the other's given name and neither record has a
    middle name the other lacks (moved: a middle name used as the given name, or the two
    exchanged), none in common (different), or missing."""
    if not q.middle_keys or not c.middle_keys:
        return "missing"
    if q.middle_keys & c.middle_keys:
        return "same"
    q_left, c_left = q.middle_keys - c.given_words, c.middle_keys - q.given_words
    if (q_left != q.middle_keys or c_left != c.middle_keys) and not (q_left or c_left):
        return "moved"
    return "different"


def compare_upn(q: MatchKeys, c: MatchKeys) -> str:
    """UPNs: the same, different but allocated by the same school (a sibling's or twin's mark),
    different, or missing."""
    if not q.upn or not c.upn:
        return "missing"
    if q.upn == c.upn:
        return "same"
    school = upn_school(q.upn)
    return "different_same_school" if school and school == upn_school(c.upn) else "different"


def compare_address(q: MatchKeys, c: MatchKeys) -> str:
    """Addresses: the same first line, the same town, different, or missing (nothing to compare)."""
    lines = bool(q.address and c.address)
    if lines and q.address == c.address:
        return "same_line"
    towns = bool(q.town and c.town)
    if towns and q.town == c.town:
        return "same_town"
    return "different" if lines or towns else "missing"


MOVED_POSTCODE = frozenset({"area", "different"})
"""Postcode levels that say the two records live in different districts."""

OTHER_FIELDS = (
    "date_of_birth",
    "gender",
    "postcode",
    "school_at_16",
    "email",
    "middle_names",
    "upn",
    "address",
    "place_of_birth",
)
"""The fields `compare_others` compares, in `ComparisonVector` order."""


def compare_others(
    q: MatchKeys, c: MatchKeys
) -> tuple[str, str, str, str, str, str, str, str, str]:
    """The levels of every field but the names (`OTHER_FIELDS`): the cheap ones to compare.

    A different address where the postcodes already differ beyond the district is no further
    evidence (one move, not two disagreements): it is neutral, like a missing address."""
    postcode = compare_postcode(q, c)
    address = compare_address(q, c)
    if address == "different" and postcode in MOVED_POSTCODE:
        address = "missing"
    return (
        compare_dob(q.dob, c.dob, q.dob_swapped),
        compare_gender(q.gender, c.gender),
        postcode,
        _same_or_different(q.school, c.school),
        _same_or_different(q.email, c.email),
        compare_middle(q, c),
        compare_upn(q, c),
        address,
        _same_or_different(q.place_of_birth, c.place_of_birth),
    )


def compare_keys(q: MatchKeys, c: MatchKeys) -> ComparisonVector:
    """Compare every field of two records, given their match keys."""
    if names_swapped(q, c):
        return ComparisonVector("swapped", "swapped", *compare_others(q, c))
    return ComparisonVector(compare_given(q, c), compare_family(q, c), *compare_others(q, c))


def compare(query: LearnerDetails, candidate: LearnerDetails) -> ComparisonVector:
    """Compare every field of two records."""
    return compare_keys(match_keys(query), match_keys(candidate))
