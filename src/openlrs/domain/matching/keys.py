"""Match keys: the normalised forms of a learner's details that comparison and blocking work on.

`match_keys` turns LearnerDetails into `MatchKeys` once (names as `name_key`, sound-alike keys,
dates and postcode parts). `blocking_keys` gives the strings a store indexes so that a search
fetches at most a few hundred candidates from a register of a million, yet every realistic single
error in a learner's details still leaves at least one key shared with their true record.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any, NamedTuple

import jellyfish

from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.postcodes import (
    DUMMY_POSTCODE,
    normalise_postcode,
    postcode_area,
    postcode_district,
    postcode_sector,
)
from openlrs.domain.prohibited import name_key

_PART_BREAK = re.compile(r"[\s\-]+")
_NON_WORD = re.compile(r"[\W_]+")
_APOSTROPHES = re.compile("['\u2019]")
_SOUND_MAX = 40  # keeps every blocking key within 60 characters


class MatchKeys(NamedTuple):
    """A learner's details in the forms matching compares; names are `name_key` upper case.

    A named tuple rather than a dataclass: a search builds one per candidate (tens of them), and
    a tuple is several times cheaper to build than a frozen dataclass of 21 fields."""

    given_key: str
    family_key: str
    given_phonetic: str
    family_phonetic: str
    family_phonetics: frozenset[str]
    given_words: frozenset[str]
    middle_keys: frozenset[str]
    preferred_key: str | None
    family_parts: frozenset[str]
    previous_family_keys: frozenset[str]
    previous_family_phonetics: frozenset[str]
    birth_year: int
    dob: dt.date
    dob_swapped: dt.date | None
    postcode: str | None
    postcode_sector: str | None
    postcode_district: str | None
    postcode_area: str | None
    gender: int
    school: str
    email: str
    upn: str = ""
    address: str = ""
    town: str = ""
    place_of_birth: str = ""


def phonetic(key: str) -> str:
    """The sound-alike code of a name key (Metaphone, at most 40 characters), else the key."""
    return (jellyfish.metaphone(key) or key)[:_SOUND_MAX]


def name_parts(value: str | None) -> frozenset[str]:
    """The name keys of each word of a name, split at spaces and hyphens ("Smith-Jones")."""
    if not value:
        return frozenset()
    return frozenset(key for key in map(name_key, _PART_BREAK.split(value)) if key)


def school_key(value: str | None) -> str:
    """A school name in comparable form: case-folded words, apostrophes dropped."""
    if not value:
        return ""
    return " ".join(_NON_WORD.sub(" ", _APOSTROPHES.sub("", value.casefold())).split())


def email_key(value: str | None) -> str:
    """An email address in comparable form: case-folded, surrounding space dropped."""
    return (value or "").strip().casefold()


def upn_key(value: str | None) -> str:
    """A UPN in comparable form: upper case, no spaces."""
    return "".join((value or "").split()).upper()


def upn_school(upn: str) -> str:
    """The part of a UPN naming the school that allocated it (local authority and establishment
    numbers, characters 2 to 8), or "" when the value is not shaped like a UPN."""
    return upn[1:8] if len(upn) == 13 and upn[1:8].isdigit() else ""


def place_key(value: str | None) -> str:
    """An address line, town or place of birth in comparable form (as `school_key`)."""
    return school_key(value)


def swapped_date(date: dt.date) -> dt.date | None:
    """The date with day and month exchanged, when that is a different real date."""
    if date.day > 12 or date.day == date.month:
        return None
    return date.replace(month=date.day, day=date.month)


def _phonetics(whole: str, parts: frozenset[str]) -> frozenset[str]:
    """Sound-alike codes of a whole name and, for double-barrelled names, of each part."""
    keys = {whole} | set(parts) if len(parts) > 1 else {whole}
    return frozenset(phonetic(key) for key in keys if key)


def _postcode(value: str) -> str | None:
    """The postcode in standard form, or None when it is missing, invalid or the dummy."""
    postcode = normalise_postcode(value) if value else None
    return None if postcode == DUMMY_POSTCODE else postcode


@functools.lru_cache(maxsize=8192)
def match_keys(details: LearnerDetails) -> MatchKeys:
    """Compute the match keys of a learner's details (cached: details are immutable). A request
    asks for its query's keys several times; the cache is kept small (a few MB) because server
    processes run for weeks and almost every query is new."""
    given_key = name_key(details.given_name)
    family_key = name_key(details.family_name)
    family_parts = name_parts(details.family_name)
    previous = [n for n in (details.previous_family_name, details.family_name_at_16) if n]
    previous_keys = frozenset(k for k in map(name_key, previous) if k and k != family_key)
    previous_phonetics = frozenset().union(
        *(_phonetics(name_key(n), name_parts(n)) for n in previous)
    )
    preferred = name_key(details.preferred_given_name or "") or None
    postcode = _postcode(details.postcode)
    return MatchKeys(
        given_key=given_key,
        family_key=family_key,
        given_phonetic=phonetic(given_key) if given_key else "",
        family_phonetic=phonetic(family_key) if family_key else "",
        family_phonetics=_phonetics(family_key, family_parts),
        given_words=name_parts(details.given_name),
        middle_keys=name_parts(details.middle_names),
        preferred_key=preferred,
        family_parts=family_parts if len(family_parts) > 1 else frozenset(),
        previous_family_keys=previous_keys,
        previous_family_phonetics=previous_phonetics,
        birth_year=details.date_of_birth.year,
        dob=details.date_of_birth,
        dob_swapped=swapped_date(details.date_of_birth),
        postcode=postcode,
        postcode_sector=postcode_sector(postcode) if postcode else None,
        postcode_district=postcode_district(postcode) if postcode else None,
        postcode_area=postcode_area(postcode) if postcode else None,
        gender=details.gender,
        school=school_key(details.school_at_16),
        email=email_key(details.email),
        upn=upn_key(details.upn),
        address=place_key(details.address_line_1),
        town=place_key(details.town),
        place_of_birth=place_key(details.place_of_birth),
    )


def blocking_keys(details: LearnerDetails) -> frozenset[str]:
    """The keys a store indexes a learner under, and a search looks up; see the module notes.

    - `dn:<dob>:<xx>` date of birth (and its day/month swap) with the first two letters of the
      given, preferred, family or previous family name: survives any one name error, a swap of
      given and family names, a move, a gender error and a day/month swap.
    - `fym:<family sound>:<yyyy-mm>` family name sound, year and month: survives a wrong day.
    - `fmd:<family sound>:<mm-dd>` family name sound, month and day: survives a wrong year.
    - `fyd:<family sound>:<yyyy>:<dd>` family name sound, year and day: survives a wrong month.
    - `fs:<family sound>:<sector>` family name sound and postcode sector: survives any error in the
      date of birth or the given name (no place keys for the dummy postcode).
    - `gs:<given sound>:<sector>` given (or preferred) name sound and postcode sector: survives
      any error in the date of birth or the family name.
    - `upn:<UPN>` the unique pupil number: survives any number of errors elsewhere.
    Family sounds cover each part of a double-barrelled name and any previous family name.
    `second_pass_keys` are looked up only when these find nothing strong.
    """
    keys = match_keys(details)
    names = [keys.given_key, keys.family_key, keys.preferred_key or "", *keys.previous_family_keys]
    prefixes = {name[:2] for name in names if name}
    dates = [d for d in (keys.dob, keys.dob_swapped) if d is not None]
    found = {f"dn:{d.isoformat()}:{p}" for d in dates for p in prefixes}
    dob = keys.dob
    for sound in keys.family_phonetics | keys.previous_family_phonetics:
        found.add(f"fym:{sound}:{dob.year:04d}-{dob.month:02d}")
        found.add(f"fmd:{sound}:{dob.month:02d}-{dob.day:02d}")
        found.add(f"fyd:{sound}:{dob.year:04d}:{dob.day:02d}")
        if keys.postcode_sector:
            found.add(f"fs:{sound}:{keys.postcode_sector}")
    if keys.postcode_sector:
        givens = {keys.given_phonetic, phonetic(keys.preferred_key or "")} - {""}
        found.update(f"gs:{sound}:{keys.postcode_sector}" for sound in givens)
    if keys.upn:
        found.add(f"upn:{keys.upn}")
    return frozenset(found) | second_pass_keys(details)


def second_pass_keys(details: LearnerDetails) -> frozenset[str]:
    """Wider keys for records with two or three errors at once, looked up by a second pass only
    when the first (`blocking_keys` less these) found no strong candidate. Stores index them with
    the others.

    - `gym:<given sound>:<yyyy-mm>`, `gmd:<given sound>:<mm-dd>`, `gyd:<given sound>:<yyyy>:<dd>`
      given (or preferred, or middle) name sound with two of the three parts of the date of birth:
      survive a family name change (or misspelling) together with a move and one date error.
    - `em:<email>` the email address: survives anything else.
    """
    keys = match_keys(details)
    dob = keys.dob
    givens = {keys.given_phonetic, phonetic(keys.preferred_key or "")}
    givens |= {phonetic(name) for name in keys.middle_keys}
    givens.discard("")
    found: set[str] = set()
    for sound in givens:
        found.add(f"gym:{sound}:{dob.year:04d}-{dob.month:02d}")
        found.add(f"gmd:{sound}:{dob.month:02d}-{dob.day:02d}")
        found.add(f"gyd:{sound}:{dob.year:04d}:{dob.day:02d}")
    if keys.email:
        found.add(f"em:{keys.email[:55]}")
    return frozenset(found)


def first_pass_keys(details: LearnerDetails) -> frozenset[str]:
    """The keys a search looks up first: `blocking_keys` without the second pass's."""
    return blocking_keys(details) - second_pass_keys(details)


KEYS_FORMAT = 2
"""The version of `pack`'s layout; stores recompute packed keys when it changes. Format 1 (no UPN,
address, town or place of birth) is still read, those fields as missing."""


def pack(keys: MatchKeys) -> list[object]:
    """The keys as a JSON-ready list, to be kept beside the learner (see `unpack`)."""

    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    return [
        KEYS_FORMAT,
        keys.given_key,
        keys.family_key,
        keys.given_phonetic,
        keys.family_phonetic,
        sorted(keys.family_phonetics),
        sorted(keys.given_words),
        sorted(keys.middle_keys),
        keys.preferred_key,
        sorted(keys.family_parts),
        sorted(keys.previous_family_keys),
        sorted(keys.previous_family_phonetics),
        day(keys.dob),
        day(keys.dob_swapped),
        keys.postcode,
        keys.postcode_sector,
        keys.postcode_district,
        keys.postcode_area,
        keys.gender,
        keys.school,
        keys.email,
        keys.upn,
        keys.address,
        keys.town,
        keys.place_of_birth,
    ]


def unpack(data: list[Any]) -> MatchKeys:
    """Keys from `pack`'s list; ValueError when it was packed in another layout."""
    if not data or data[0] not in (1, KEYS_FORMAT):
        raise ValueError("packed match keys of another format: rebuild them")
    extra = data[21:] if data[0] == KEYS_FORMAT else ["", "", "", ""]
    upn, address, town, place_of_birth = extra
    (
        _,
        given_key,
        family_key,
        given_phonetic,
        family_phonetic,
        family_phonetics,
        given_words,
        middle_keys,
        preferred_key,
        family_parts,
        previous_keys,
        previous_phonetics,
        dob,
        dob_swapped,
        postcode,
        sector,
        district,
        area,
        gender,
        school,
        email,
    ) = data[:21]
    born = _date(dob)
    return MatchKeys(
        given_key,
        family_key,
        given_phonetic,
        family_phonetic,
        frozenset(family_phonetics) if family_phonetics else _NONE,
        frozenset(given_words) if given_words else _NONE,
        frozenset(middle_keys) if middle_keys else _NONE,
        preferred_key,
        frozenset(family_parts) if family_parts else _NONE,
        frozenset(previous_keys) if previous_keys else _NONE,
        frozenset(previous_phonetics) if previous_phonetics else _NONE,
        born.year,
        born,
        _date(dob_swapped) if dob_swapped else None,
        postcode,
        sector,
        district,
        area,
        gender,
        school,
        email,
        upn,
        address,
        town,
        place_of_birth,
    )


_NONE: frozenset[str] = frozenset()
_date = functools.lru_cache(maxsize=16384)(dt.date.fromisoformat)
"""Dates parsed once: a search's candidates share a few dates of birth between them."""
