"""Learner demographics: normalise text and names, and check every field of a learner record.

`validate_learner_details` checks all fields at once and either raises `ValidationFailed` listing
every problem, or returns a normalised copy (NFC, trimmed, postcode in standard form). Messages
say what is wrong with a field but never repeat the value, so they are safe to log and display.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any, NamedTuple, cast

from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.identifiers import is_valid_upn
from openlrs.domain.learners.learner import (
    VERIFICATION_OTHER,
    VERIFICATION_TYPES,
    AbilityToShare,
    Gender,
    LearnerDetails,
)
from openlrs.domain.learners.scripts import mixes_scripts
from openlrs.domain.postcodes import (
    DUMMY_POSTCODE,
    is_dummy_postcode,
    normalise_postcode,
    postcode_area,
    postcode_district,
    postcode_sector,
)
from openlrs.domain.prohibited import (
    is_prohibited_name,
    load_prohibited_terms,
    name_key,
    prohibited_terms,
)

__all__ = [
    "DUMMY_POSTCODE",
    "FIELD_RULE_CODES",
    "FieldRules",
    "age_on",
    "check_field",
    "is_dummy_postcode",
    "is_prohibited_name",
    "load_prohibited_terms",
    "name_key",
    "normalise_postcode",
    "normalise_text",
    "postcode_area",
    "postcode_district",
    "postcode_sector",
    "prohibited_terms",
    "validate_field",
    "validate_learner_details",
]

# --- Text and names -------------------------------------------------------------------------------

_NAME_PUNCTUATION = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-"})
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def normalise_text(value: str) -> str:
    """Unicode NFC, trimmed, with each run of internal whitespace collapsed to one space."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def _has_control_characters(value: str) -> bool:
    """True for C0/C1 controls, lone surrogates and bidirectional overrides."""
    return any(unicodedata.category(c) in ("Cc", "Cs") or c in _BIDI_CONTROLS for c in value)


def _is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


def _is_name_shape(text: str) -> bool:
    """Words of letters (with combining marks) joined by single hyphens or apostrophes."""
    for word in text.split(" "):
        for part in re.split(r"['-]", word):
            if not part or not _is_letter(part[0]):
                return False
            if not all(_is_letter(c) or unicodedata.category(c).startswith("M") for c in part):
                return False
    return True


def age_on(date_of_birth: dt.date, today: dt.date) -> int:
    """Age in whole years on `today` (someone born on 29 February ages on 1 March)."""
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - before_birthday


# --- Field rules ----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class FieldRules:
    """What the field rules depend on: today's date, the age bounds and the prohibited list."""

    today: dt.date
    min_age: int = 14
    max_age: int = 100
    prohibited: frozenset[str] | None = None


_Result = tuple[object, list[FieldError]]
_Check = Callable[[str, object, FieldRules], _Result]
_LABEL_OVERRIDES = {"email": "Email address", "upn": "UPN", "county": "County or city"}


def _label(field: str) -> str:
    return _LABEL_OVERRIDES.get(field, field.replace("_", " ").capitalize())


def _error(field: str, code: str, message: str) -> FieldError:
    return FieldError(field=field, code=code, message=message)


def _prepare(field: str, value: object, *, required: bool) -> tuple[str | None, list[FieldError]]:
    """Normalise a text value; None when blank. Errors here stop the field's other checks."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            return None, [_error(field, "FIELD_REQUIRED", f"Enter the {_label(field).lower()}")]
        return None, []
    if not isinstance(value, str):
        return None, [_error(field, "TEXT_INVALID_CHARACTERS", f"{_label(field)} must be text")]
    if _has_control_characters(unicodedata.normalize("NFC", value).strip()):
        message = f"{_label(field)} must not contain control characters such as tabs or newlines"
        return None, [_error(field, "TEXT_INVALID_CHARACTERS", message)]
    return normalise_text(value), []


class _Rule(NamedTuple):
    """How to check one field, and every code that check can yield."""

    check: _Check
    codes: tuple[str, ...]


_REQUIRED = "FIELD_REQUIRED"
_TEXT = "TEXT_INVALID_CHARACTERS"
_MESSAGES = {
    "EMAIL_INVALID": "Enter an email address in the correct format, like name@example.com",
    "TITLE_INVALID": "Title must be 35 characters or fewer: letters, spaces and full stops only",
    "NATIONALITY_INVALID": "Nationality must be a 3-letter country code, like GBR",
    "SCOTTISH_CANDIDATE_NUMBER_INVALID": "Scottish candidate number must be 9 digits",
    "UPN_INVALID": "UPN must be a check letter and 12 more characters, with the right check letter",
    "GENDER_INVALID": "Gender must be 0 (not known), 1 (male), 2 (female) or 9 (not specified)",
    "VERIFICATION_TYPE_INVALID": "Verification type must be from 0 to 7, or 999 for other",
    "ABILITY_TO_SHARE_INVALID": "Ability to share must be 0 (notice not seen), 1 or 2",
}


def _name_rule(*, required: bool) -> _Rule:
    def check(field: str, value: object, rules: FieldRules) -> _Result:
        if isinstance(value, str):
            value = value.translate(_NAME_PUNCTUATION)
        text, errors = _prepare(field, value, required=required)
        if text is None or errors:
            return text, errors
        label = _label(field)
        if len(text) > 35:
            errors.append(_error(field, "NAME_TOO_LONG", f"{label} must be 35 characters or fewer"))
        if not _is_name_shape(text):
            message = (
                f"{label} must contain only letters, spaces, hyphens and apostrophes,"
                " and start and end with a letter"
            )
            errors.append(_error(field, "NAME_INVALID_CHARACTERS", message))
        elif mixes_scripts(text):
            message = (
                f"{label} must be written in one alphabet, not a mix (such as Latin and Cyrillic)"
            )
            errors.append(_error(field, "NAME_MIXED_SCRIPTS", message))
        elif is_prohibited_name(text, rules.prohibited):
            message = f"{label} must be the learner's real name, not a placeholder or banned word"
            errors.append(_error(field, "NAME_PROHIBITED", message))
        return text, errors

    codes = (
        _TEXT,
        "NAME_TOO_LONG",
        "NAME_INVALID_CHARACTERS",
        "NAME_MIXED_SCRIPTS",
        "NAME_PROHIBITED",
    )
    return _Rule(check, (_REQUIRED, *codes) if required else codes)


def _text_rule(limit: int, code: str, what: str = "") -> _Rule:
    """Free text of at most `limit` characters; `what` overrides the label in the message."""

    def check(field: str, value: object, rules: FieldRules) -> _Result:
        text, errors = _prepare(field, value, required=False)
        if text is not None and len(text) > limit:
            message = f"{what or _label(field)} must be {limit} characters or fewer"
            errors.append(_error(field, code, message))
        return text, errors

    return _Rule(check, (_TEXT, code))


def _shape_rule(
    accept: Callable[[str], bool], code: str, form: Callable[[str], str] = str
) -> _Rule:
    """Text that must satisfy `accept`, stored as `form(text)`."""

    def check(field: str, value: object, rules: FieldRules) -> _Result:
        text, errors = _prepare(field, value, required=False)
        if text is None or errors:
            return text, errors
        if not accept(text):
            return text, [_error(field, code, _MESSAGES[code])]
        return form(text), []

    return _Rule(check, (_TEXT, code))


def _code_rule(allowed: frozenset[int], code: str) -> _Rule:
    """A mandatory integer code from a fixed set (bool is refused though it is an int)."""

    def check(field: str, value: object, rules: FieldRules) -> _Result:
        if value is None:
            return value, [_error(field, _REQUIRED, f"Enter the {_label(field).lower()}")]
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            return value, [_error(field, code, _MESSAGES[code])]
        return value, []

    return _Rule(check, (_REQUIRED, code))


def _is_title(text: str) -> bool:
    valid = all(_is_letter(c) or c in " ." for c in text)
    return valid and len(text) <= 35 and any(map(_is_letter, text))


def _is_email(text: str) -> bool:
    local, _, domain = text.rpartition("@")
    labels = domain.split(".")
    plausible_domain = len(labels) >= 2 and all(labels)
    return (
        len(text) <= 254
        and text.count("@") == 1
        and bool(local)
        and " " not in text
        and plausible_domain
    )


def _email_form(text: str) -> str:
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def _is_nationality(text: str) -> bool:
    return len(text) == 3 and text.isascii() and text.isalpha()


def _is_candidate_number(text: str) -> bool:
    return len(text) == 9 and text.isascii() and text.isdigit()


def _check_postcode(field: str, value: object, rules: FieldRules) -> _Result:
    text, errors = _prepare(field, value, required=True)
    if text is None or errors:
        return text, errors
    postcode = normalise_postcode(text) if len(cast(str, value).strip()) <= 9 else None
    if postcode is None:
        message = f"Enter a real UK postcode, like SW1A 1AA, or the dummy {DUMMY_POSTCODE}"
        return text, [_error(field, "POSTCODE_INVALID", message)]
    return postcode, []


def _as_date(
    field: str, value: object, *, required: bool
) -> tuple[dt.date | None, list[FieldError]]:
    if value is None:
        if required:
            return None, [_error(field, _REQUIRED, f"Enter the {_label(field).lower()}")]
        return None, []
    if isinstance(value, dt.datetime):
        return value.date(), []
    if isinstance(value, dt.date):
        return value, []
    return None, [_error(field, "DATE_INVALID", f"{_label(field)} must be a real date")]


def _check_date_of_birth(field: str, value: object, rules: FieldRules) -> _Result:
    dob, errors = _as_date(field, value, required=True)
    if dob is None:
        return value, errors
    if dob > rules.today:
        errors.append(_error(field, "DATE_OF_BIRTH_IN_FUTURE", "Date of birth must be in the past"))
    elif age_on(dob, rules.today) < rules.min_age:
        message = f"The learner must be at least {rules.min_age} years old"
        errors.append(_error(field, "DATE_OF_BIRTH_TOO_YOUNG", message))
    elif age_on(dob, rules.today) >= rules.max_age:
        message = f"The learner must be younger than {rules.max_age}; check the date of birth"
        errors.append(_error(field, "DATE_OF_BIRTH_TOO_OLD", message))
    return dob, errors


def _check_address_date(field: str, value: object, rules: FieldRules) -> _Result:
    captured, errors = _as_date(field, value, required=False)
    if captured is not None and captured > rules.today:
        message = "Date of address capture must be today or in the past"
        errors.append(_error(field, "DATE_OF_ADDRESS_CAPTURE_IN_FUTURE", message))
    return (value if captured is None else captured), errors


_DOB_CODES = ("DATE_OF_BIRTH_IN_FUTURE", "DATE_OF_BIRTH_TOO_YOUNG", "DATE_OF_BIRTH_TOO_OLD")
_OPTIONAL_NAME = _name_rule(required=False)
_ADDRESS = _text_rule(50, "ADDRESS_TOO_LONG")
_DESCRIPTION = _text_rule(100, "VERIFICATION_DESCRIPTION_TOO_LONG", "Verification description")

_RULES: dict[str, _Rule] = {
    "given_name": _name_rule(required=True),
    "family_name": _name_rule(required=True),
    "date_of_birth": _Rule(_check_date_of_birth, (_REQUIRED, "DATE_INVALID", *_DOB_CODES)),
    "gender": _code_rule(frozenset(int(g) for g in Gender), "GENDER_INVALID"),
    "postcode": _Rule(_check_postcode, (_REQUIRED, _TEXT, "POSTCODE_INVALID")),
    "school_at_16": _text_rule(254, "SCHOOL_AT_16_TOO_LONG", "School attended at 16"),
    "email": _shape_rule(_is_email, "EMAIL_INVALID", _email_form),
    "title": _shape_rule(_is_title, "TITLE_INVALID"),
    "middle_names": _OPTIONAL_NAME,
    "preferred_given_name": _OPTIONAL_NAME,
    "previous_family_name": _OPTIONAL_NAME,
    "family_name_at_16": _OPTIONAL_NAME,
    "address_line_1": _ADDRESS,
    "address_line_2": _ADDRESS,
    "town": _ADDRESS,
    "county": _ADDRESS,
    "date_of_address_capture": _Rule(
        _check_address_date, ("DATE_INVALID", "DATE_OF_ADDRESS_CAPTURE_IN_FUTURE")
    ),
    "place_of_birth": _text_rule(35, "PLACE_OF_BIRTH_TOO_LONG"),
    "nationality": _shape_rule(_is_nationality, "NATIONALITY_INVALID", str.upper),
    "scottish_candidate_number": _shape_rule(
        _is_candidate_number, "SCOTTISH_CANDIDATE_NUMBER_INVALID"
    ),
    "upn": _shape_rule(is_valid_upn, "UPN_INVALID", str.upper),
    "verification_type": _code_rule(VERIFICATION_TYPES, "VERIFICATION_TYPE_INVALID"),
    "other_verification_description": _DESCRIPTION._replace(
        codes=(*_DESCRIPTION.codes, "VERIFICATION_DESCRIPTION_REQUIRED")
    ),
    "ability_to_share": _code_rule(
        frozenset(int(a) for a in AbilityToShare), "ABILITY_TO_SHARE_INVALID"
    ),
    "notes": _text_rule(4000, "NOTES_TOO_LONG"),
}

FIELD_RULE_CODES: dict[str, tuple[str, ...]] = {name: rule.codes for name, rule in _RULES.items()}
"""Each LearnerDetails field and the error codes it can yield."""


def check_field(name: str, value: object, rules: FieldRules) -> _Result:
    """Check one field: its normalised value (None when blank) and every problem found.

    Raises ValueError for a name that is not a LearnerDetails field.
    """
    rule = _RULES.get(name)
    if rule is None:
        raise ValueError(f"{name!r} is not a learner details field")
    return rule.check(name, value, rules)


def validate_field(name: str, value: object, rules: FieldRules) -> list[FieldError]:
    """Every problem with one field's value (an empty list when it is acceptable)."""
    return check_field(name, value, rules)[1]


def _cross_field_errors(values: dict[str, object]) -> list[FieldError]:
    """Rules that tie fields together: 'other' verification needs a description."""
    if (
        values["verification_type"] == VERIFICATION_OTHER
        and not values["other_verification_description"]
    ):
        message = "Describe how the learner's identity was verified when the type is other (999)"
        return [
            _error("other_verification_description", "VERIFICATION_DESCRIPTION_REQUIRED", message)
        ]
    return []


def validate_learner_details(
    details: LearnerDetails,
    *,
    today: dt.date,
    min_age: int = 14,
    max_age: int = 100,
    prohibited: frozenset[str] | None = None,
) -> LearnerDetails:
    """Check every field and return a normalised copy, or raise ValidationFailed listing all errors.

    `prohibited` replaces the shipped prohibited-text list (see `load_prohibited_terms`).
    """
    rules = FieldRules(today=today, min_age=min_age, max_age=max_age, prohibited=prohibited)
    values: dict[str, object] = {}
    errors: list[FieldError] = []
    for name in _RULES:
        values[name], field_errors = check_field(name, getattr(details, name), rules)
        errors.extend(field_errors)
    errors.extend(_cross_field_errors(values))
    if errors:
        raise ValidationFailed(errors)
    return dataclasses.replace(details, **cast(dict[str, Any], values))
