"""Form fields to use-case inputs: text, GOV.UK date inputs, and learner details."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.datastructures import FormData

from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.learners.learner import LearnerDetails

MANDATORY = ("given_name", "family_name", "date_of_birth", "gender", "postcode")
OPTIONAL = ("middle_names", "previous_family_name", "school_at_16", "email", "upn")
LABELS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
    "gender": "Gender",
    "postcode": "Postcode",
    "middle_names": "Middle names",
    "previous_family_name": "Previous family name",
    "school_at_16": "School at 16 (URN or name)",
    "email": "Email address",
    "upn": "Unique pupil number (UPN)",
    "award_date": "Award date",
    "ability_to_share": "Sharing their learning record",
}
SHARING = {
    "1": "The learner agrees to share their learning record with organisations",
    "2": "The learner does not want organisations to see their learning record",
    "0": "The learner has not been asked yet",
}
GENDERS = {"1": "Male", "2": "Female", "0": "Not known", "9": "Not specified"}
ANCHORS = {"date_of_birth": "date_of_birth-day", "gender": "gender"}
DATE_PARTS = ("day", "month", "year")


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def date_from(form: FormData, name: str) -> dt.date | None:
    """A GOV.UK date input (`name-day`, `name-month`, `name-year`) as a date, or ValidationFailed."""
    parts = [text(form, f"{name}-{p}") for p in DATE_PARTS]
    if not any(parts):
        return None
    label = LABELS.get(name, name)
    try:
        day, month, year = (int(p) for p in parts)
        if year < 1000:
            raise ValueError
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValidationFailed(
            [FieldError(name, "DATE_INVALID", f"{label} must be a real date, like 27 3 2007")]
        ) from exc


def date_values(form: FormData, name: str) -> dict[str, str]:
    """A GOV.UK date input's three parts as typed (`name-day`, ...), to show back in the form."""
    return {f"{name}-{p}": text(form, f"{name}-{p}") for p in DATE_PARTS}


def form_values(form: FormData) -> dict[str, str]:
    """The learner fields as typed, to show back in the form or carry in hidden fields."""
    names = [n for n in (*MANDATORY, *OPTIONAL, "ability_to_share") if n != "date_of_birth"]
    return {n: text(form, n) for n in names} | date_values(form, "date_of_birth")


def details_from(form: FormData, *, optional: bool = True) -> LearnerDetails:
    """Learner details from a form; missing or malformed basics are all reported at once."""
    errors: list[FieldError] = []
    date_of_birth, date_errors = None, []
    try:
        date_of_birth = date_from(form, "date_of_birth")
    except ValidationFailed as exc:
        date_errors = exc.errors
    for name in MANDATORY:  # in the form's order
        if name == "date_of_birth" and (date_errors or date_of_birth is not None):
            errors.extend(date_errors)
        elif name == "gender" and text(form, name) and text(form, name) not in GENDERS:
            errors.append(FieldError("gender", "GENDER_INVALID", "Select the gender"))
        elif name == "date_of_birth" or not text(form, name):
            verb = "Select" if name == "gender" else "Enter"
            errors.append(FieldError(name, "FIELD_REQUIRED", f"{verb} the {LABELS[name].lower()}"))
    gender = text(form, "gender")
    if errors:
        raise ValidationFailed(errors)
    assert date_of_birth is not None
    extra: dict[str, Any] = {}
    if optional:
        extra = {n: text(form, n) or None for n in OPTIONAL}
        sharing = text(form, "ability_to_share")
        extra["ability_to_share"] = int(sharing) if sharing in SHARING else 0
    return LearnerDetails(
        given_name=text(form, "given_name"),
        family_name=text(form, "family_name"),
        date_of_birth=date_of_birth,
        gender=int(gender),
        postcode=text(form, "postcode"),
        **extra,
    )


def values_of(details: LearnerDetails) -> dict[str, str]:
    """A learner's details as form values (for the edit form)."""
    values = {n: str(getattr(details, n) or "") for n in (*MANDATORY, *OPTIONAL)}
    values.pop("date_of_birth")
    born = details.date_of_birth
    values.update(
        {
            "date_of_birth-day": str(born.day),
            "date_of_birth-month": str(born.month),
            "date_of_birth-year": str(born.year),
        }
    )
    return values
