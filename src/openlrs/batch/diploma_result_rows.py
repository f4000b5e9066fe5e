"""Rows of a Diploma result batch (CSV): checked field by field with the bounds the API applies,
every problem at once, and turned into one `submit_diploma_result` per row for the worker."""

from __future__ import annotations

import datetime as dt
import re

from openlrs.batch.records import RawRecord
from openlrs.batch.rows import BatchRow, _check_unique, _source_id
from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.batches.job import RowOutcome
from openlrs.domain.diploma.account import ACCOUNT_REFERENCE
from openlrs.domain.diploma.diploma_rules import Component
from openlrs.domain.errors import DomainError, FieldError, ValidationFailed
from openlrs.domain.identifiers import parse_qualification_number
from openlrs.services.batches.processing import RowAction
from openlrs.services.diploma.submit_result import SubmitDiplomaResult, submit_within
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWork

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TEXT_MAX = {"reference": 64, "title": 200, "grade": 20, "subject": 20, "barring_code": 20}
_REQUIRED_TEXT = ("reference", "title", "grade")
_NUMBERS = {"level": (1, 8), "points": (0, 10_000), "glh": (0, 5000)}
_COMPONENTS = ", ".join(c.value for c in Component)


def _text(values: dict[str, str], name: str, problems: list[FieldError]) -> str | None:
    text = values.get(name, "").strip()
    if not text:
        if name in _REQUIRED_TEXT:
            message = f"Enter the {name.replace('_', ' ')}"
            problems.append(FieldError(name, "FIELD_REQUIRED", message))
        return None
    if len(text) > _TEXT_MAX[name] or not text.isprintable():
        message = f"{name} must be up to {_TEXT_MAX[name]} printable characters"
        problems.append(FieldError(name, "FIELD_TOO_LONG", message))
        return None
    return text


def _number(
    values: dict[str, str], name: str, problems: list[FieldError], *, required: bool
) -> int | None:
    text = values.get(name, "").strip()
    low, high = _NUMBERS[name]
    if not text:
        if required:
            problems.append(
                FieldError(name, "FIELD_REQUIRED", f"Enter the {name.replace('_', ' ')}")
            )
        return None
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text)
    message = f"{name} must be a whole number from {low} to {high}"
    problems.append(FieldError(name, "FIELD_INVALID", message))
    return None


def _account(values: dict[str, str], problems: list[FieldError]) -> str | None:
    text = values.get("account_id", "").strip()
    if not text:
        problems.append(FieldError("account_id", "FIELD_REQUIRED", "Enter the account id"))
        return None
    if re.fullmatch(ACCOUNT_REFERENCE, text):
        return text
    message = "account_id must be the account's reference, as the service gave it"
    problems.append(FieldError("account_id", "FIELD_INVALID", message))
    return None


def _component(values: dict[str, str], problems: list[FieldError]) -> Component | None:
    text = values.get("component", "").strip().lower()
    try:
        return Component(text)
    except ValueError:
        message = f"Component must be one of {_COMPONENTS}"
        problems.append(FieldError("component", "DIPLOMA_COMPONENT_INVALID", message))
        return None


def _qualification(values: dict[str, str], problems: list[FieldError]) -> str | None:
    try:
        return parse_qualification_number(values.get("qualification", ""))
    except DomainError as exc:
        problems.append(FieldError("qualification", exc.code, exc.detail))
        return None


def _date(values: dict[str, str], problems: list[FieldError]) -> dt.date | None:
    text = values.get("achieved_on", "").strip()
    if not text:
        problems.append(FieldError("achieved_on", "FIELD_REQUIRED", "Enter the achieved on date"))
        return None
    try:
        if _ISO_DATE.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    problems.append(FieldError("achieved_on", "DATE_INVALID", "Give the date as YYYY-MM-DD"))
    return None


def parse_diploma_result(
    values: dict[str, str], problems: list[FieldError]
) -> SubmitDiplomaResult | None:
    """The row's command, or None with its problems appended."""
    account_id = _account(values, problems)
    reference, title, grade = (_text(values, n, problems) for n in _REQUIRED_TEXT)
    component = _component(values, problems)
    qualification = _qualification(values, problems)
    level = _number(values, "level", problems, required=True)
    achieved_on = _date(values, problems)
    points = _number(values, "points", problems, required=False)
    glh = _number(values, "glh", problems, required=False)
    subject = _text(values, "subject", problems)
    barring_code = _text(values, "barring_code", problems)
    if problems:
        return None
    assert account_id and reference and title and grade and component and qualification
    assert level is not None and achieved_on is not None
    return SubmitDiplomaResult(
        account_id, reference, component, qualification, title, level, grade, achieved_on,
        points=points, subject=subject, glh=glh or 0, barring_code=barring_code,
    )  # fmt: skip


def diploma_result_row(
    record: RawRecord, policy: RegisterPolicy, seen: set[str] | None = None
) -> BatchRow:
    """A result row as read: every problem with its column and code."""
    values = record.values
    problems = list(record.problems)
    source_id = _source_id(values, problems)
    _check_unique(source_id, seen, problems)
    if not record.problems:  # a ragged row's cells may sit under the wrong columns
        parse_diploma_result(values, problems)
    return BatchRow(record.number, source_id, values, tuple(problems))


def diploma_result_row_action(values: dict[str, str], principal: Principal) -> RowAction:
    """What the worker does with a stored row: checked again, then the single-result use case
    inside the row's transaction; `accepted`, or the refusal's code."""
    problems: list[FieldError] = []
    command = parse_diploma_result(values, problems)

    def act(uow: UnitOfWork) -> RowOutcome:
        if command is None:
            raise ValidationFailed(problems)
        submit_within(command, principal=principal, uow=uow)
        return RowOutcome("accepted", True)

    return act
