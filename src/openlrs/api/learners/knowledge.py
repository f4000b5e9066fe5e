"""The learner's names in request headers: how an organisation shows it knows the learner whose
record (GET .../learning-events, its report, QCF credit) or details (GET /learners/{uln}) it reads.

Names never travel in a URL (they would reach access logs, proxies and browser histories), so a
read carries them in four headers, each percent-encoded UTF-8 (RFC 3986; any name fits, e.g.
`Learner-Family-Name: O%E2%80%99Brien`): `Learner-Given-Name` and `Learner-Family-Name` (required
of every organisation but the service desk), `Learner-Date-Of-Birth` (YYYY-MM-DD) and
`Learner-Gender` (0, 1, 2 or 9), optional. See docs/api.md, "Knowledge of the learner".
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import unquote

from fastapi import Header

from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.matching.knowledge import Knowledge

_MAX = 300
"""The longest name accepted, in characters, before percent-encoding."""

GivenName = Annotated[
    str | None,
    Header(description="The learner's given name, percent-encoded UTF-8 (not in the URL)"),
]
FamilyName = Annotated[
    str | None,
    Header(description="The learner's family name, percent-encoded UTF-8 (not in the URL)"),
]
DateOfBirth = Annotated[
    str | None, Header(description="Optional: the learner's date of birth, YYYY-MM-DD")
]
Gender = Annotated[str | None, Header(description="Optional: the learner's gender, 0, 1, 2 or 9")]

HEADERS = ("learner-given-name", "learner-family-name", "learner-date-of-birth", "learner-gender")


def _decoded(field: str, value: str, errors: list[FieldError]) -> str:
    try:
        text = unquote(value.strip(), encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        text = ""
    if not text or len(value) > _MAX * 3:
        errors.append(FieldError(field, "FIELD_INVALID", "Send the name percent-encoded UTF-8"))
    return text


def knowledge_of(
    given: str | None, family: str | None, date_of_birth: str | None, gender: str | None
) -> Knowledge | None:
    """The knowledge the headers carry; None when neither name is sent; ValidationFailed (422)
    for a value that is not valid (an unreadable encoding, a date that is not a date)."""
    if given is None and family is None and date_of_birth is None and gender is None:
        return None
    errors: list[FieldError] = []
    given_name = _decoded("Learner-Given-Name", given or "", errors) if given is not None else ""
    family_name = (
        _decoded("Learner-Family-Name", family or "", errors) if family is not None else ""
    )
    born: dt.date | None = None
    if date_of_birth is not None:
        try:
            born = dt.date.fromisoformat(date_of_birth.strip())
        except ValueError:
            message = "Send the date of birth as YYYY-MM-DD"
            errors.append(FieldError("Learner-Date-Of-Birth", "FIELD_INVALID", message))
    code: int | None = None
    if gender is not None:
        if gender.strip() in ("0", "1", "2", "9"):
            code = int(gender.strip())
        else:
            errors.append(FieldError("Learner-Gender", "FIELD_INVALID", "Send 0, 1, 2 or 9"))
    if errors:
        raise ValidationFailed(errors)
    return Knowledge(given_name, family_name, born, code)
