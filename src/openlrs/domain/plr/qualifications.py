"""The qualification and unit register: what may be awarded, and which awarding organisations own it.

An awarding organisation (AO) may record achievements only for qualifications it owns or that are
marked shared, and for units it owns, that are shared, or that are restricted to a list it is on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from openlrs.domain.errors import FieldError, UkprnInvalid, ValidationFailed
from openlrs.domain.identifiers import (
    is_valid_qualification_number,
    is_valid_unit_reference,
    parse_qualification_number,
    parse_ukprn,
    parse_unit_reference,
)

TITLE_MAX = 255
LEVELS = frozenset({"E1", "E2", "E3", "1", "2", "3", "4", "5", "6", "7", "8"})
"""Entry levels 1-3 and levels 1-8 of the Regulated Qualifications Framework."""


class Availability(StrEnum):
    PRIVATE = "private"
    """Only the owning AO may award the unit."""
    SHARED = "shared"
    """Any AO may award it."""
    RESTRICTED = "restricted"
    """The owner and the AOs it names."""


@dataclass(frozen=True)
class Qualification:
    number: str
    title: str
    qualification_type: str
    level: str
    owners: frozenset[str]
    shared: bool = False
    credit: int | None = None
    glh: int | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def may_be_awarded_by(self, ukprn: str) -> bool:
        return self.shared or ukprn in self.owners

    def valid_on(self, day: dt.date) -> bool:
        starts_ok = self.valid_from is None or self.valid_from <= day
        return starts_ok and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Unit:
    reference: str
    title: str
    level: str
    credit: int
    owner: str
    availability: Availability = Availability.PRIVATE
    awarders: frozenset[str] = frozenset()
    """For restricted units: the AOs, besides the owner, that may award it."""

    def may_be_awarded_by(self, ukprn: str) -> bool:
        if self.availability is Availability.SHARED or ukprn == self.owner:
            return True
        return self.availability is Availability.RESTRICTED and ukprn in self.awarders


def _ukprns(field: str, values: frozenset[str], errors: list[FieldError]) -> frozenset[str]:
    found = set()
    for value in values:
        try:
            found.add(parse_ukprn(value))
        except UkprnInvalid as exc:
            errors.append(FieldError(field, exc.code, exc.detail))
    return frozenset(found)


def _text(field: str, value: str, errors: list[FieldError]) -> str:
    text = " ".join(value.split())
    if not text or len(text) > TITLE_MAX or not text.isprintable():
        message = f"Enter a {field.replace('_', ' ')} of up to {TITLE_MAX} printable characters"
        errors.append(FieldError(field, "FIELD_INVALID", message))
    return text


def _level(level: str, errors: list[FieldError]) -> str:
    text = level.strip().upper()
    if text not in LEVELS:
        message = "Level must be E1, E2, E3 or 1 to 8"
        errors.append(FieldError("level", "LEVEL_INVALID", message))
    return text


def _count(field: str, value: int | None, errors: list[FieldError]) -> None:
    if value is not None and not 0 <= value <= 10_000:
        errors.append(FieldError(field, "FIELD_INVALID", f"{field} must be from 0 to 10000"))


def validated_qualification(q: Qualification) -> Qualification:
    """The qualification normalised, or ValidationFailed with every problem."""
    errors: list[FieldError] = []
    number = q.number
    if not is_valid_qualification_number(q.number.strip()):
        message = "A qualification number looks like 123/4567/8"
        errors.append(FieldError("number", "QUALIFICATION_NUMBER_INVALID", message))
    else:
        number = parse_qualification_number(q.number)
    title = _text("title", q.title, errors)
    qualification_type = _text("qualification_type", q.qualification_type, errors)
    level = _level(q.level, errors)
    owners = _ukprns("owners", q.owners, errors)
    if not owners:
        errors.append(FieldError("owners", "FIELD_REQUIRED", "Name at least one owning AO UKPRN"))
    _count("credit", q.credit, errors)
    _count("glh", q.glh, errors)
    if q.valid_from and q.valid_to and q.valid_to < q.valid_from:
        message = "The end of validity is before its start"
        errors.append(FieldError("valid_to", "DATE_ORDER_INVALID", message))
    if errors:
        raise ValidationFailed(errors)
    return Qualification(
        number, title, qualification_type, level, owners, q.shared, q.credit, q.glh,
        q.valid_from, q.valid_to,
    )  # fmt: skip


def validated_unit(u: Unit) -> Unit:
    """The unit normalised, or ValidationFailed with every problem."""
    errors: list[FieldError] = []
    reference = u.reference
    if not is_valid_unit_reference(u.reference.strip()):
        message = "A unit reference looks like A/123/4567"
        errors.append(FieldError("reference", "UNIT_REFERENCE_INVALID", message))
    else:
        reference = parse_unit_reference(u.reference)
    title = _text("title", u.title, errors)
    level = _level(u.level, errors)
    _count("credit", u.credit, errors)
    owner = _ukprns("owner", frozenset({u.owner}), errors)
    awarders = _ukprns("awarders", u.awarders, errors)
    if errors:
        raise ValidationFailed(errors)
    return Unit(reference, title, level, u.credit, next(iter(owner)), u.availability, awarders)
