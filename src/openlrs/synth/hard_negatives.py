"""Hard negatives: different people a matcher could easily take for one of the population.

Twins share a family name, date of birth and home; namesakes share a common full name and date of
birth but live elsewhere. Neither may be matched to the original learner as an exact match.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Iterator, Sequence
from random import Random
from typing import Literal

from openlrs.domain.identifiers import make_upn
from openlrs.domain.learners.demographics import age_on
from openlrs.domain.learners.learner import Gender, LearnerDetails
from openlrs.domain.postcodes import postcode_district
from openlrs.synth import reference, spelling
from openlrs.synth.errors import ErrorType, apply

HardNegativeKind = Literal["twin", "namesake"]

_SEXES = (Gender.MALE, Gender.FEMALE)
_COMMON_GIVEN = 40
_COMMON_FAMILY = 30
_SCHOOL_SUFFIXES = ("Academy", "High School", "Community School", "College")


def twins(details: LearnerDetails, rng: Random) -> LearnerDetails:
    """The learner's twin: same family name, date of birth, postcode, address and school; a
    different given name, usually for the same sex and sometimes alike (Amy and Ava)."""
    known_sex = details.gender in _SEXES
    sex = Gender(details.gender) if known_sex else rng.choice(_SEXES)
    if rng.random() < 0.3:  # a boy and a girl
        sex = Gender.FEMALE if sex == Gender.MALE else Gender.MALE
    given = _different_given_name(details.given_name, sex, rng, alike=rng.random() < 0.25)
    return dataclasses.replace(
        details,
        given_name=given,
        gender=sex if known_sex else details.gender,
        middle_names=_middle_name(sex, rng, given) if rng.random() < 0.4 else None,
        preferred_given_name=_preferred(given, rng),
        email=_email(given, details.family_name, rng) if details.email else None,
        title=_title(sex) if details.title and known_sex else details.title,
        upn=_sibling_upn(details.upn, rng),
        scottish_candidate_number=None,
        notes=None,
    )


def namesakes(details: LearnerDetails, rng: Random, today: dt.date | None = None) -> LearnerDetails:
    """Another learner with the same given and family name and date of birth, living elsewhere.

    They went to a different school (when `today` shows them 16 or over, or the learner has one)
    and may have a different middle name.
    """
    moved = apply(details, ErrorType.POSTCODE_ELSEWHERE, rng)
    assert moved is not None  # a move elsewhere always applies
    district = postcode_district(moved.postcode)
    town = next(d.town for d in reference.districts() if d.outward == district)
    over_16 = details.school_at_16 is not None or (
        today is not None and age_on(details.date_of_birth, today) >= 16
    )
    school = f"{town} {rng.choice(_SCHOOL_SUFFIXES)}" if over_16 and rng.random() < 0.8 else None
    sex = Gender(details.gender) if details.gender in _SEXES else rng.choice(_SEXES)
    roll = rng.random()
    middle = (
        details.middle_names
        if roll < 0.15
        else _middle_name(sex, rng, details.given_name)
        if roll < 0.6
        else None
    )
    return dataclasses.replace(
        moved,
        middle_names=middle,
        school_at_16=None if school == details.school_at_16 else school,
        email=_email(details.given_name, details.family_name, rng) if rng.random() < 0.5 else None,
        preferred_given_name=_preferred(details.given_name, rng),
        upn=None,
        scottish_candidate_number=None,
        notes=None,
    )


def _sibling_upn(upn: str | None, rng: Random) -> str | None:
    """Another UPN allocated by the same school in the same year (a twin's), when there is one."""
    if not upn:
        return None
    serial = (int(upn[-3:]) + rng.randrange(1, 999)) % 1000 if upn[-3:].isdigit() else 0
    return make_upn(f"{upn[1:10]}{serial:03d}")


def hard_negatives(
    population: Sequence[LearnerDetails],
    count: int,
    *,
    seed: int,
    today: dt.date | None = None,
) -> Iterator[tuple[int, LearnerDetails, HardNegativeKind]]:
    """Yield `count` (index of the learner they must not be matched to, other person, kind).

    Half are twins of random learners, half namesakes of learners with common names.
    """
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    if count and not population:
        raise ValueError("the population is empty")
    return _hard_negatives(population, count, seed, today)


def _hard_negatives(
    population: Sequence[LearnerDetails], count: int, seed: int, today: dt.date | None
) -> Iterator[tuple[int, LearnerDetails, HardNegativeKind]]:
    rng = Random(f"openlrs-hard-negatives:{seed}")
    for _ in range(count):
        if rng.random() < 0.5:
            index = rng.randrange(len(population))
            yield index, twins(population[index], rng), "twin"
        else:
            index = _commonly_named(population, rng)
            yield index, namesakes(population[index], rng, today), "namesake"


def _commonly_named(population: Sequence[LearnerDetails], rng: Random) -> int:
    """A random learner whose given and family names are both common, if one turns up soon."""
    common_family = set(reference.family_names()[:_COMMON_FAMILY])
    common_given = {n for sex in _SEXES for n in reference.given_names(sex)[:_COMMON_GIVEN]}
    index = rng.randrange(len(population))
    for _ in range(50):
        learner = population[index]
        if learner.family_name in common_family and learner.given_name in common_given:
            break
        index = rng.randrange(len(population))
    return index


def _different_given_name(given: str, sex: Gender, rng: Random, *, alike: bool) -> str:
    names = reference.given_names(sex)
    if alike:
        similar = [
            n
            for n in names
            if n[0] == given[0]
            and abs(len(n) - len(given)) <= 1
            and not spelling.are_variants(given, n)
        ]
        if similar:
            return rng.choice(similar)
    while True:
        name = rng.choices(names, cum_weights=reference.given_name_cum_weights(sex))[0]
        if not spelling.are_variants(given, name):
            return name


def _middle_name(sex: Gender, rng: Random, given: str) -> str:
    return _different_given_name(given, sex, rng, alike=False)


def _preferred(given: str, rng: Random) -> str | None:
    shorts = reference.short_forms().get(given.casefold(), ())
    return shorts[0] if shorts and rng.random() < 0.2 else None


def _email(given: str, family: str, rng: Random) -> str:
    first, last = _ascii_word(given), _ascii_word(family)
    domain = rng.choice(("example.org", "example.net", "example.com"))
    return f"{first}.{last}{rng.randrange(1, 100)}@{domain}"


def _ascii_word(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower() or "learner"


def _title(sex: Gender) -> str:
    return "Mr" if sex == Gender.MALE else "Miss"
