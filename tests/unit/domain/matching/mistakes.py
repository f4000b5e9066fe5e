"""Realistic single mistakes in a learner's details, and a population of learners to make them in.

Each mistake takes the true details and a seeded Random and returns the details as a provider might
supply them later, or None when the mistake cannot apply (a name with no known short form).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import string
from collections.abc import Callable
from random import Random
from typing import Any

from nicknames import NickNamer

from openlrs.domain.learners.learner import Gender, LearnerDetails
from openlrs.domain.postcodes import DUMMY_POSTCODE, postcode_area
from tests.builders import many_learner_details

TODAY = dt.date(2026, 11, 23)
POPULATION: tuple[LearnerDetails, ...] = tuple(many_learner_details(3000, seed=7, today=TODAY))
FAR_POSTCODES = ("IV2 3BW", "TR1 2HE", "NE1 4ST", "CF10 1EP", "BT1 5GS")
_NAMER = NickNamer()
_LOWER = string.ascii_lowercase

Mistake = Callable[[LearnerDetails, Random], LearnerDetails | None]


def _replace(details: LearnerDetails, **changes: Any) -> LearnerDetails:
    return dataclasses.replace(details, **changes)


def _typo(name: str, rng: Random) -> str:
    """One letter changed, dropped, or swapped with its neighbour (never the first letter)."""
    if len(name) < 3:
        return name + rng.choice(_LOWER)
    i = rng.randrange(1, len(name) - 1)
    kind = rng.choice(("change", "drop", "swap"))
    if kind == "change":
        letter = rng.choice([c for c in _LOWER if c != name[i].lower()])
        return name[:i] + letter + name[i + 1 :]
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def given_typo(d: LearnerDetails, rng: Random) -> LearnerDetails:
    return _replace(d, given_name=_typo(d.given_name, rng))


def family_typo(d: LearnerDetails, rng: Random) -> LearnerDetails:
    return _replace(d, family_name=_typo(d.family_name, rng))


def nickname(d: LearnerDetails, rng: Random) -> LearnerDetails | None:
    short = sorted(_NAMER.nicknames_of(d.given_name.lower()))
    return _replace(d, given_name=rng.choice(short).title()) if short else None


def middle_as_given(d: LearnerDetails, rng: Random) -> LearnerDetails | None:
    if not d.middle_names:
        return None
    return _replace(d, given_name=d.middle_names.split()[0], middle_names=None)


def married_with_previous(d: LearnerDetails, rng: Random) -> LearnerDetails:
    new = rng.choice([p.family_name for p in POPULATION[:50] if p.family_name != d.family_name])
    return _replace(d, family_name=new, previous_family_name=d.family_name)


def married_without_previous(d: LearnerDetails, rng: Random) -> LearnerDetails:
    new = rng.choice([p.family_name for p in POPULATION[:50] if p.family_name != d.family_name])
    return _replace(d, family_name=new)


def double_barrelled(d: LearnerDetails, rng: Random) -> LearnerDetails | None:
    other = rng.choice(("Jones", "Okafor", "Nowak", "Ahmed"))
    joined = f"{d.family_name}-{other}"
    return _replace(d, family_name=joined) if len(joined) <= 35 else None


def names_swapped(d: LearnerDetails, rng: Random) -> LearnerDetails:
    return _replace(d, given_name=d.family_name, family_name=d.given_name)


def accents_and_case(d: LearnerDetails, rng: Random) -> LearnerDetails:
    family = d.family_name.lower().replace("e", "\u00e9", 1).replace("o", "o'", 1)
    return _replace(d, given_name=d.given_name.upper(), family_name=family)


def dob_digit(d: LearnerDetails, rng: Random) -> LearnerDetails | None:
    text = d.date_of_birth.strftime("%Y%m%d")
    for _ in range(20):
        i = rng.randrange(2, 8)
        changed = text[:i] + rng.choice(string.digits.replace(text[i], "")) + text[i + 1 :]
        try:
            dob = dt.datetime.strptime(changed, "%Y%m%d").date()
        except ValueError:
            continue
        return _replace(d, date_of_birth=dob)
    return None


def dob_swapped(d: LearnerDetails, rng: Random) -> LearnerDetails | None:
    dob = d.date_of_birth
    if dob.day > 12 or dob.day == dob.month:
        return None
    return _replace(d, date_of_birth=dob.replace(day=dob.month, month=dob.day))


def dob_year(d: LearnerDetails, rng: Random) -> LearnerDetails | None:
    dob = d.date_of_birth
    if (dob.month, dob.day) == (2, 29):
        return None
    return _replace(d, date_of_birth=dob.replace(year=dob.year + rng.choice((-1, 1))))


def moved_far(d: LearnerDetails, rng: Random) -> LearnerDetails:
    choices = [p for p in FAR_POSTCODES if postcode_area(p) != postcode_area(d.postcode)]
    return _replace(d, postcode=rng.choice(choices))


def postcode_withheld(d: LearnerDetails, rng: Random) -> LearnerDetails:
    return _replace(d, postcode=DUMMY_POSTCODE)


def gender_unstated(d: LearnerDetails, rng: Random) -> LearnerDetails:
    return _replace(d, gender=rng.choice((Gender.NOT_KNOWN, Gender.NOT_SPECIFIED)))


def gender_wrong(d: LearnerDetails, rng: Random) -> LearnerDetails:
    flipped = {Gender.MALE: Gender.FEMALE, Gender.FEMALE: Gender.MALE}
    return _replace(d, gender=flipped.get(Gender(d.gender), Gender.MALE))


MISTAKES: dict[str, Mistake] = {
    "given name typo": given_typo,
    "family name typo": family_typo,
    "nickname": nickname,
    "middle name as given": middle_as_given,
    "family name changed, previous given": married_with_previous,
    "family name changed, previous not given": married_without_previous,
    "double-barrelled": double_barrelled,
    "given and family swapped": names_swapped,
    "case and accents": accents_and_case,
    "one digit of the date of birth": dob_digit,
    "day and month swapped": dob_swapped,
    "year out by one": dob_year,
    "moved far away": moved_far,
    "postcode withheld": postcode_withheld,
    "gender not stated": gender_unstated,
    "gender wrong": gender_wrong,
}
