"""Deterministic synthetic UK learners for tests, the demo and benchmarks.

Common British names are drawn with a Zipf-like skew and Faker's en_GB provider supplies the long
tail; postcodes cluster in real outward codes. Every record passes the CDD field rules. The output
depends only on the seed, `today` and the installed Faker version.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from random import Random

from faker import Faker

from openlrs.domain.identifiers import make_upn
from openlrs.domain.learners.learner import AbilityToShare, Gender, LearnerDetails
from openlrs.domain.postcodes import DUMMY_POSTCODE
from openlrs.domain.prohibited import is_prohibited_name


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_EMAIL_DOMAINS = ("example.org", "example.net", "example.com")
_AGES = tuple(range(14, 26))
_AGE_WEIGHTS = (12, 12, 13, 13, 12, 10, 6, 5, 5, 4, 4, 4)
_GENDERS = (Gender.MALE, Gender.FEMALE, Gender.NOT_KNOWN, Gender.NOT_SPECIFIED)
_GENDER_CUM_WEIGHTS = (485, 970, 985, 1000)
_VERIFICATION_TYPES = (0, 1, 2, 3, 4, 5, 6, 7)
_VERIFICATION_WEIGHTS = (85, 4, 3, 2, 2, 2, 1, 1)
_SHARING = (AbilityToShare.MAY_SHARE, AbilityToShare.NOTICE_NOT_SEEN, AbilityToShare.DECLINED)
_SHARING_WEIGHTS = (85, 12, 3)

_SAINTS = _words(
    "Mary Joseph Peter Paul John Anne Patrick Thomas Michael Bede Augustine Edmund Hilda Margaret "
    "Francis Teresa Aidan Cuthbert Wilfrid Benedict Chad Alban David Andrew Columba Bernadette"
)
_PLACES = _words(
    "Oakwood Hillside Riverside Highfield Westfield Ashfield Fairfield Brookfield Thornhill "
    "Parkview Beechwood Kingsmead Greenfield Lakeside Meadowbank Oldfield Woodside Rosehill "
    "Castleview Priory Moorside Elmwood Northgate Hollybank Springwood Redhill Foxhills"
)
_SCHOOL_PATTERNS = (
    "{town} Academy",
    "{town} Grammar School",
    "{compass} {town} Academy",
    "St {saint}'s Catholic School",
    "St {saint}'s Church of England Academy",
    "{place} High School",
    "{place} Community School",
    "{place} Academy",
    "The {place} School",
    "{family} High School",
)
_COMPASS = ("North", "South", "East", "West")

# Names the LRS field rules accept: letters, with single spaces, hyphens or apostrophes between.
_NAME = re.compile(r"[^\W\d_]+(?:['\- ][^\W\d_]+)*")
_NAME_MAX = 35
_LINE_MAX = 50


@dataclass(frozen=True)
class _District:
    outward: str
    town: str
    weight: int


@dataclass(frozen=True)
class _Reference:
    """The built-in lists, loaded once: names by frequency rank, districts and schools by town."""

    family_names: tuple[str, ...]
    given_names: dict[Gender, tuple[str, ...]]
    short_forms: dict[str, str]
    districts: tuple[_District, ...]
    schools: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class _FakerPools:
    """Values pre-drawn from a seeded Faker, sampled from afterwards because Faker is slow.

    Family names are kept distinct: the tail is flat, as the common names already carry the skew.
    """

    family_names: tuple[str, ...]
    given_names: dict[Gender, tuple[str, ...]]
    street_addresses: tuple[str, ...]


def generate_learners(count: int, *, seed: int, today: dt.date) -> Iterator[LearnerDetails]:
    """Yield `count` synthetic learners aged 14-25 at `today`; the same seed gives the same ones."""
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    return _stream(count, seed, today)


def _stream(count: int, seed: int, today: dt.date) -> Iterator[LearnerDetails]:
    factory = _LearnerFactory(Random(f"openlrs-population:{seed}"), _faker_pools(seed), today)
    extra = Random(f"openlrs-population-school-ids:{seed}")  # its own stream: older fields stay
    for _ in range(count):
        yield with_school_ids(factory.learner(), extra)


def with_school_ids(details: LearnerDetails, rng: Random) -> LearnerDetails:
    """The learner with a UPN (most who were at school in England have one) and sometimes a
    place of birth. The UPN's school part is the school at 16's when there is one."""
    upn = upn_for(details.school_at_16 or details.postcode[:4], details.date_of_birth, rng)
    place = rng.choice(reference_towns()) if rng.random() < 0.3 else None
    return dataclasses.replace(
        details, upn=upn if rng.random() < 0.6 else None, place_of_birth=place
    )


def upn_for(school: str, born: dt.date, rng: Random) -> str:
    """A valid UPN allocated by `school` (its local authority and establishment numbers are
    derived from the name, so one school always allocates the same ones) to a child born then."""
    school_rng = Random(f"openlrs-school-number:{school}")
    la, establishment = school_rng.randrange(201, 940), school_rng.randrange(1000, 7999)
    year = (born.year + 4) % 100
    return make_upn(f"{la:03d}{establishment:04d}{year:02d}{rng.randrange(1000):03d}")


@functools.cache
def reference_towns() -> tuple[str, ...]:
    """Every town the reference districts name, sorted (places of birth are drawn from them)."""
    return tuple(sorted({district.town for district in _reference().districts}))


class _LearnerFactory:
    def __init__(self, rng: Random, pools: _FakerPools, today: dt.date) -> None:
        self._rng = rng
        self._pools = pools
        self._today = today
        self._ref = _reference()
        self._family_weights = _zipf_cum_weights(len(self._ref.family_names), 0.55)
        self._given_weights = {
            gender: _zipf_cum_weights(len(names), 0.6)
            for gender, names in self._ref.given_names.items()
        }
        self._district_weights = list(itertools.accumulate(d.weight for d in self._ref.districts))

    def learner(self) -> LearnerDetails:
        rng = self._rng
        gender = rng.choices(_GENDERS, cum_weights=_GENDER_CUM_WEIGHTS)[0]
        name_gender = gender if gender in (Gender.MALE, Gender.FEMALE) else rng.choice(_GENDERS[:2])
        given = self._given_name(name_gender)
        family = self._family_name()
        age = rng.choices(_AGES, weights=_AGE_WEIGHTS)[0]
        district = rng.choices(self._ref.districts, cum_weights=self._district_weights)[0]
        short_form = self._ref.short_forms.get(given)
        return LearnerDetails(
            given_name=given,
            family_name=family,
            date_of_birth=self._date_of_birth(age),
            gender=gender,
            postcode=self._postcode(district),
            school_at_16=self._school(district) if age >= 16 and rng.random() < 0.7 else None,
            email=self._email(given, family) if rng.random() < 0.5 else None,
            title=self._title(gender) if rng.random() < 0.04 else None,
            middle_names=self._middle_names(name_gender, given),
            preferred_given_name=short_form if short_form and rng.random() < 0.2 else None,
            address_line_1=rng.choice(self._pools.street_addresses) if rng.random() < 0.5 else None,
            town=district.town if rng.random() < 0.6 else None,
            verification_type=rng.choices(_VERIFICATION_TYPES, weights=_VERIFICATION_WEIGHTS)[0],
            ability_to_share=rng.choices(_SHARING, weights=_SHARING_WEIGHTS)[0],
        )

    def _given_name(self, gender: Gender) -> str:
        if self._rng.random() < 0.75:
            names = self._ref.given_names[gender]
            return self._rng.choices(names, cum_weights=self._given_weights[gender])[0]
        return self._rng.choice(self._pools.given_names[gender])

    def _family_name(self) -> str:
        if self._rng.random() < 0.03:
            first, second = self._single_family_name(), self._single_family_name()
            double = f"{first}-{second}"
            if first != second and len(double) <= _NAME_MAX:
                return double
        return self._single_family_name()

    def _single_family_name(self) -> str:
        if self._rng.random() < 0.2:
            names = self._ref.family_names
            return self._rng.choices(names, cum_weights=self._family_weights)[0]
        return self._rng.choice(self._pools.family_names)

    def _middle_names(self, gender: Gender, given: str) -> str | None:
        roll = self._rng.random()
        wanted = 2 if roll < 0.02 else 1 if roll < 0.42 else 0
        names: list[str] = []
        while len(names) < wanted:
            name = self._given_name(gender)
            if name != given and name not in names:
                names.append(name)
        joined = " ".join(names)
        if len(joined) > _NAME_MAX:
            joined = names[0]
        return joined or None

    def _date_of_birth(self, age: int) -> dt.date:
        latest = _years_before(self._today, age)
        earliest = _years_before(self._today, age + 1) + dt.timedelta(days=1)
        return earliest + dt.timedelta(days=self._rng.randrange((latest - earliest).days + 1))

    def _postcode(self, district: _District) -> str:
        if self._rng.random() < 0.005:
            return DUMMY_POSTCODE
        letters = "".join(self._rng.choices(_INWARD_LETTERS, k=2))
        return f"{district.outward} {self._rng.randrange(10)}{letters}"

    def _school(self, district: _District) -> str:
        town = district.town
        if self._rng.random() < 0.15:  # moved since school
            town = self._rng.choice(self._ref.districts).town
        return self._rng.choice(self._ref.schools[town])

    def _email(self, given: str, family: str) -> str:
        first, last = _ascii_word(given), _ascii_word(family)
        number = self._rng.randrange(1, 100)
        local = self._rng.choice(
            (f"{first}.{last}", f"{first}{last}{number}", f"{first[0]}.{last}", f"{last}{number}")
        )
        return f"{local}@{self._rng.choice(_EMAIL_DOMAINS)}"

    def _title(self, gender: Gender) -> str:
        if gender == Gender.MALE:
            return "Mr"
        if gender == Gender.FEMALE:
            return self._rng.choice(("Miss", "Ms"))
        return "Mx"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _ascii_word(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum()).lower() or "learner"


def _zipf_cum_weights(count: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1 / rank**exponent for rank in range(1, count + 1)))


@functools.lru_cache(maxsize=8)
def _faker_pools(seed: int) -> _FakerPools:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    addresses = (fake.street_address().replace("\n", ", ") for _ in range(2000))
    return _FakerPools(
        family_names=tuple(sorted(set(_plausible_names(fake.last_name() for _ in range(3000))))),
        given_names={
            Gender.MALE: _plausible_names(fake.first_name_male() for _ in range(2000)),
            Gender.FEMALE: _plausible_names(fake.first_name_female() for _ in range(2000)),
        },
        street_addresses=tuple(a for a in addresses if len(a) <= _LINE_MAX),
    )


def _plausible_names(names: Iterable[str]) -> tuple[str, ...]:
    """Faker's names that pass the field rules: letters and separators, 1-35, not prohibited."""
    normalised = (unicodedata.normalize("NFC", name) for name in names)
    return tuple(
        name
        for name in normalised
        if len(name) <= _NAME_MAX and _NAME.fullmatch(name) and not is_prohibited_name(name)
    )


@functools.cache
def _reference() -> _Reference:
    family_names = tuple(_data_lines("synth_family_names.txt"))
    given_names: dict[Gender, tuple[str, ...]] = {}
    short_forms: dict[str, str] = {}
    for gender, file_name in (
        (Gender.MALE, "synth_given_names_male.txt"),
        (Gender.FEMALE, "synth_given_names_female.txt"),
    ):
        rows = [line.split() for line in _data_lines(file_name)]
        given_names[gender] = tuple(row[0] for row in rows)
        short_forms.update((row[0], row[1]) for row in rows if len(row) > 1)
    districts = tuple(
        _District(outward, town, int(weight))
        for outward, town, weight in (
            line.split(",") for line in _data_lines("synth_postcode_districts.csv")[1:]
        )
    )
    town_weights: dict[str, int] = {}
    for district in districts:
        town_weights[district.town] = town_weights.get(district.town, 0) + district.weight
    schools = {
        town: _schools_for(town, min(14, 3 + weight // 2), family_names)
        for town, weight in town_weights.items()
    }
    return _Reference(family_names, given_names, short_forms, districts, schools)


def _schools_for(town: str, count: int, family_names: tuple[str, ...]) -> tuple[str, ...]:
    """The same made-up schools for a town whatever the seed, as real schools stay put."""
    rng = Random(f"openlrs-schools:{town}")
    schools: set[str] = set()
    while len(schools) < count:
        name = rng.choice(_SCHOOL_PATTERNS).format(
            town=town,
            compass=rng.choice(_COMPASS),
            saint=rng.choice(_SAINTS),
            place=rng.choice(_PLACES),
            family=rng.choice(family_names[:60]),
        )
        if len(name) <= _LINE_MAX:
            schools.add(name)
    return tuple(sorted(schools))


def _data_lines(file_name: str) -> list[str]:
    text = (files("openlrs") / "data" / file_name).read_text(encoding="utf-8")
    lines = (unicodedata.normalize("NFC", line.strip()) for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]
