"""The re-registration error model: the same learner registered again, with realistic noise.

Each error kind has a probability of striking when it can (a middle-name swap needs a middle
name); `corrupt` draws a handful of them, `apply` forces one. Every result still passes the CDD
field rules. Each date-of-birth error moves the year by at most one, so learners aged 14 or
more stay at least 12 (validate noisy records with `min_age=12`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from random import Random
from typing import Any

from openlrs.domain.learners.learner import (
    OPTIONAL_TEXT_FIELDS,
    VERIFICATION_OTHER,
    Gender,
    LearnerDetails,
)
from openlrs.synth import moves, reference, spelling


class ErrorType(StrEnum):
    """Kinds of error in a re-registration, in the order `corrupt` applies them."""

    FAMILY_NAME_CHANGE = "family_name_change"
    HYPHENATION = "hyphenation"
    PARTIAL_FAMILY_NAME = "partial_family_name"
    MIDDLE_AS_GIVEN = "middle_as_given"
    GIVEN_MIDDLE_SWAP = "given_middle_swap"
    NICKNAME = "nickname"
    PHONETIC_SPELLING = "phonetic_spelling"
    PUNCTUATION_ACCENT = "punctuation_accent"
    TYPO = "typo"
    OCR_CONFUSION = "ocr_confusion"
    GIVEN_FAMILY_SWAP = "given_family_swap"
    DAY_MONTH_SWAP = "day_month_swap"
    DOB_DIGIT = "dob_digit"
    POSTCODE_SAME_DISTRICT = "postcode_same_district"
    POSTCODE_ELSEWHERE = "postcode_elsewhere"
    POSTCODE_TYPO = "postcode_typo"
    POSTCODE_DUMMY = "postcode_dummy"
    GENDER_MISRECORDED = "gender_misrecorded"
    MISSING_OPTIONAL = "missing_optional"


@dataclass(frozen=True)
class ErrorModel:
    """The chance of each error when it applies to the record, and the most errors in one record.

    Field names are the `ErrorType` values. With the defaults about half of re-registrations carry
    no error and nearly all carry at most two; postcode moves and dropped fields are the commonest.
    """

    family_name_change: float = 0.03
    hyphenation: float = 0.02
    partial_family_name: float = 0.25  # of double-barrelled family names
    middle_as_given: float = 0.04  # of learners with a middle name
    given_middle_swap: float = 0.03
    nickname: float = 0.08  # of given names that have a nickname
    phonetic_spelling: float = 0.04
    punctuation_accent: float = 0.25  # of names with accents, apostrophes, hyphens or spaces
    typo: float = 0.10
    ocr_confusion: float = 0.01
    given_family_swap: float = 0.01
    day_month_swap: float = 0.02  # of dates whose day is 12 or less
    dob_digit: float = 0.02
    postcode_same_district: float = 0.08
    postcode_elsewhere: float = 0.12
    postcode_typo: float = 0.02
    postcode_dummy: float = 0.01
    gender_misrecorded: float = 0.01
    missing_optional: float = 0.15  # of records with an optional field
    max_errors: int = 3

    def __post_init__(self) -> None:
        for error in ErrorType:
            if not 0.0 <= self.rate(error) <= 1.0:
                raise ValueError(f"the rate of {error} must be between 0 and 1")
        if self.max_errors < 0:
            raise ValueError("max_errors must not be negative")

    def rate(self, error: ErrorType) -> float:
        return float(getattr(self, error.value))

    @classmethod
    def only(cls, *errors: ErrorType, rate: float = 1.0) -> ErrorModel:
        """A model that makes only the given errors, each with the same rate."""
        rates = {error.value: (rate if error in errors else 0.0) for error in ErrorType}
        return cls(**rates, max_errors=len(ErrorType))


DEFAULT_ERROR_MODEL = ErrorModel()

_EXCLUSIVE = (
    frozenset({ErrorType.FAMILY_NAME_CHANGE, ErrorType.HYPHENATION, ErrorType.PARTIAL_FAMILY_NAME}),
    frozenset({ErrorType.MIDDLE_AS_GIVEN, ErrorType.GIVEN_MIDDLE_SWAP}),
    frozenset(error for error in ErrorType if error.value.startswith("postcode_")),
)


def corrupt(
    details: LearnerDetails, rng: Random, model: ErrorModel = DEFAULT_ERROR_MODEL
) -> tuple[LearnerDetails, tuple[ErrorType, ...]]:
    """A noisy re-registration of the same person, and the errors it carries (in applied order).

    Errors that do not apply to the record are skipped; conflicting ones (two postcode errors)
    and any beyond `model.max_errors` are dropped at random.
    """
    drawn = [error for error in ErrorType if rng.random() < model.rate(error)]
    rng.shuffle(drawn)
    kept: list[ErrorType] = []
    for error in drawn:
        clashes = any(error in group and not group.isdisjoint(kept) for group in _EXCLUSIVE)
        if not clashes and len(kept) < model.max_errors:
            kept.append(error)
    applied: list[ErrorType] = []
    for error in sorted(kept, key=list(ErrorType).index):
        noisy = apply(details, error, rng)
        if noisy is not None:
            details = noisy
            applied.append(error)
    return details, tuple(applied)


def apply(details: LearnerDetails, error: ErrorType, rng: Random) -> LearnerDetails | None:
    """The record with one error of the given kind, or None when it cannot apply to this record."""
    noisy = _APPLY[error](details, rng)
    return None if noisy is None or noisy == details else noisy


def reregistrations(
    population: Sequence[LearnerDetails],
    count: int,
    *,
    seed: int,
    model: ErrorModel = DEFAULT_ERROR_MODEL,
    min_errors: int = 0,
) -> Iterator[tuple[int, LearnerDetails, tuple[ErrorType, ...]]]:
    """Yield `count` (index of the true person, noisy details, errors); people may recur.

    With `min_errors`, records with fewer errors are drawn again (the person too), so every one
    carries at least that many (at most `model.max_errors`)."""
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    if count and not population:
        raise ValueError("the population is empty")
    if not 0 <= min_errors <= model.max_errors:
        raise ValueError("min_errors must be between 0 and the model's max_errors")
    return _reregistrations(population, count, seed, model, min_errors)


def _reregistrations(
    population: Sequence[LearnerDetails],
    count: int,
    seed: int,
    model: ErrorModel,
    min_errors: int,
) -> Iterator[tuple[int, LearnerDetails, tuple[ErrorType, ...]]]:
    rng = Random(f"openlrs-reregistrations:{seed}")
    for _ in range(count):
        while True:
            index = rng.randrange(len(population))
            noisy, errors = corrupt(population[index], rng, model)
            if len(errors) >= min_errors:
                break
        yield index, noisy, errors


# --- Names ----------------------------------------------------------------------------------------

_NameFields = tuple[tuple[str, float], ...]
_GIVEN_AND_FAMILY: _NameFields = (("given_name", 1.0), ("family_name", 1.0), ("middle_names", 0.2))
_ALL_NAMES: _NameFields = (*_GIVEN_AND_FAMILY, ("previous_family_name", 0.2))


def _respell(
    transform: Callable[[str, Random], str | None], fields: _NameFields
) -> Callable[[LearnerDetails, Random], LearnerDetails | None]:
    """Apply a spelling change to one name field, chosen by weight among those it changes."""

    def respell(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
        present = [(name, weight) for name, weight in fields if getattr(details, name)]
        while present:
            pick = rng.choices(present, weights=[weight for _, weight in present])[0]
            present.remove(pick)
            changed = transform(getattr(details, pick[0]), rng)
            if changed is not None:
                changes: dict[str, Any] = {pick[0]: changed}
                return dataclasses.replace(details, **changes)
        return None

    return respell


def _nickname(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    preferred = details.preferred_given_name
    if preferred and preferred != details.given_name and rng.random() < 0.6:
        return dataclasses.replace(details, given_name=preferred)
    short = spelling.nickname(details.given_name, rng)
    return None if short is None else dataclasses.replace(details, given_name=short)


def _middle_as_given(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    if not details.middle_names:
        return None
    first, *rest = details.middle_names.split(" ")
    middle = " ".join(rest) if rest and rng.random() < 0.5 else None
    return dataclasses.replace(details, given_name=first, middle_names=middle)


def _given_middle_swap(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    if not details.middle_names:
        return None
    first, *rest = details.middle_names.split(" ")
    middle = " ".join([details.given_name, *rest])
    if not spelling.is_valid_name(middle):
        return None
    return dataclasses.replace(details, given_name=first, middle_names=middle)


def _given_family_swap(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    return dataclasses.replace(
        details, given_name=details.family_name, family_name=details.given_name
    )


def _other_family_name(rng: Random, *avoid: str) -> str:
    """A common family name, drawn with the same skew as the population's."""
    names, cum_weights = reference.family_names(), reference.family_name_cum_weights()
    while True:
        name = rng.choices(names, cum_weights=cum_weights)[0]
        if name not in avoid and "'" not in name:
            return name


def _family_name_change(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    old = details.family_name
    if details.previous_family_name and rng.random() < 0.5:  # registered under the old name
        return dataclasses.replace(
            details, family_name=details.previous_family_name, previous_family_name=None
        )
    new = _other_family_name(rng, old)
    return dataclasses.replace(
        details, family_name=new, previous_family_name=old if rng.random() < 0.5 else None
    )


def _hyphenation(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    old = details.family_name
    if "-" in old:
        return None
    for _ in range(5):
        other = _other_family_name(rng, old)
        joined = f"{old}-{other}" if rng.random() < 0.5 else f"{other}-{old}"
        if spelling.is_valid_name(joined):
            keep = rng.random() < 0.3
            return dataclasses.replace(
                details, family_name=joined, previous_family_name=old if keep else None
            )
    return None


def _partial_family_name(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    parts = details.family_name.replace("-", " ").split(" ")
    if len(parts) < 2:
        return None
    return dataclasses.replace(details, family_name=parts[0] if rng.random() < 0.6 else parts[-1])


# --- Dates of birth -------------------------------------------------------------------------------

# A digit may be mistyped as a neighbouring key or misread as a similar shape.
_DIGIT_SLIPS = {
    "0": "986", "1": "27", "2": "13", "3": "248", "4": "359", "5": "46",
    "6": "5780", "7": "681", "8": "7930", "9": "80",
}  # fmt: skip


def _day_month_swap(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    dob = details.date_of_birth
    if dob.day > 12 or dob.day == dob.month:
        return None
    return dataclasses.replace(details, date_of_birth=dob.replace(month=dob.day, day=dob.month))


def _dob_digit(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    """One digit of DDMMYYYY changed (or the day's or month's two digits swapped); the year
    moves by at most one."""
    dob = details.date_of_birth
    text = f"{dob.day:02d}{dob.month:02d}{dob.year:04d}"
    variants = [
        text[:i] + d + text[i + 1 :] for i in (0, 1, 2, 3, 7) for d in _DIGIT_SLIPS[text[i]]
    ]
    variants += [text[1] + text[0] + text[2:], text[:2] + text[3] + text[2] + text[4:]]
    candidates: list[dt.date] = []
    for variant in variants:
        try:
            date = dt.date(int(variant[4:]), int(variant[2:4]), int(variant[:2]))
        except ValueError:
            continue
        if date != dob and abs(date.year - dob.year) <= 1 and date not in candidates:
            candidates.append(date)
    return (
        dataclasses.replace(details, date_of_birth=rng.choice(candidates)) if candidates else None
    )


# --- Postcodes and addresses ----------------------------------------------------------------------

_UNKNOWN_GENDERS = (Gender.NOT_KNOWN, Gender.NOT_SPECIFIED)
_DROP_WEIGHTS = {
    "middle_names": 4.0,
    "school_at_16": 2.0,
    "email": 2.0,
    "address_line_1": 2.0,
    "town": 2.0,
}


def _gender_misrecorded(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    if details.gender in _UNKNOWN_GENDERS:
        gender = rng.choice((Gender.MALE, Gender.FEMALE))
    elif rng.random() < 0.7:
        gender = rng.choice(_UNKNOWN_GENDERS)
    else:
        gender = Gender.FEMALE if details.gender == Gender.MALE else Gender.MALE
    return dataclasses.replace(details, gender=gender)


def _missing_optional(details: LearnerDetails, rng: Random) -> LearnerDetails | None:
    present = [f for f in OPTIONAL_TEXT_FIELDS if getattr(details, f)]
    if details.verification_type == VERIFICATION_OTHER:
        present = [f for f in present if f != "other_verification_description"]
    dropped: dict[str, Any] = {}
    for _ in range(1 if rng.random() < 0.7 else 2):
        if present:
            field = rng.choices(present, weights=[_DROP_WEIGHTS.get(f, 1.0) for f in present])[0]
            present.remove(field)
            dropped[field] = None
    return dataclasses.replace(details, **dropped) if dropped else None


_APPLY: dict[ErrorType, Callable[[LearnerDetails, Random], LearnerDetails | None]] = {
    ErrorType.FAMILY_NAME_CHANGE: _family_name_change,
    ErrorType.HYPHENATION: _hyphenation,
    ErrorType.PARTIAL_FAMILY_NAME: _partial_family_name,
    ErrorType.MIDDLE_AS_GIVEN: _middle_as_given,
    ErrorType.GIVEN_MIDDLE_SWAP: _given_middle_swap,
    ErrorType.NICKNAME: _nickname,
    ErrorType.PHONETIC_SPELLING: _respell(spelling.phonetic_variant, _GIVEN_AND_FAMILY),
    ErrorType.PUNCTUATION_ACCENT: _respell(spelling.punctuation_variant, _ALL_NAMES),
    ErrorType.TYPO: _respell(spelling.keyboard_typo, _GIVEN_AND_FAMILY),
    ErrorType.OCR_CONFUSION: _respell(spelling.ocr_confusion, _GIVEN_AND_FAMILY),
    ErrorType.GIVEN_FAMILY_SWAP: _given_family_swap,
    ErrorType.DAY_MONTH_SWAP: _day_month_swap,
    ErrorType.DOB_DIGIT: _dob_digit,
    ErrorType.POSTCODE_SAME_DISTRICT: moves.postcode_same_district,
    ErrorType.POSTCODE_ELSEWHERE: moves.postcode_elsewhere,
    ErrorType.POSTCODE_TYPO: moves.postcode_typo,
    ErrorType.POSTCODE_DUMMY: moves.postcode_dummy,
    ErrorType.GENDER_MISRECORDED: _gender_misrecorded,
    ErrorType.MISSING_OPTIONAL: _missing_optional,
}
