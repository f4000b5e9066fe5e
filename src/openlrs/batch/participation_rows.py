"""Rows of a participation batch (enrolments): checked with the rules `record_participation`
applies, every problem at once, then recorded one row per transaction through it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openlrs.batch.achievement_rows import ISO_DATE_PATTERN
from openlrs.batch.records import RawRecord
from openlrs.batch.rows import BatchRow, _blank, _check_unique, _source_id, _uln
from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.batches.job import RowOutcome
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.learners.demographics import FieldRules, check_field
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import ParticipationDetails, validated_participation
from openlrs.services.batches.processing import RowAction
from openlrs.services.plr.record_participation import RecordParticipation, record_within
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWork


def _date(
    values: dict[str, str], name: str, problems: list[FieldError], *, required: bool
) -> dt.date | None:
    text = values.get(name, "").strip()
    if not text:
        if required:
            label = name.replace("_", " ")
            problems.append(FieldError(name, "FIELD_REQUIRED", f"Enter the {label}"))
        return None
    try:
        if ISO_DATE_PATTERN.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    problems.append(FieldError(name, "DATE_INVALID", "Give the date as YYYY-MM-DD"))
    return None


def parse_participation(
    values: dict[str, str], policy: RegisterPolicy, problems: list[FieldError], *, source: str
) -> RecordParticipation | None:
    """The row's request, or None with its problems appended."""
    uln = _uln(values, problems, required=True)
    rules = FieldRules(today=policy.today(), min_age=0, max_age=200)
    claimed: dict[str, Any] = {}
    for name in ("given_name", "family_name", "date_of_birth", "gender"):
        raw = values.get(name, "")
        if name in ("date_of_birth", "gender") and _blank(raw):
            claimed[name] = None
            continue
        typed: object = None if _blank(raw) else raw
        if name == "gender" and raw.strip().isascii() and raw.strip().isdigit():
            typed = int(raw.strip())
        if name == "date_of_birth":
            typed = _date(values, name, problems, required=True)
            if typed is None:
                continue
        claimed[name], errors = check_field(name, typed, rules)
        problems.extend(errors)
    start = _date(values, "start_date", problems, required=True)
    end = _date(values, "end_date", problems, required=False)
    details = None
    if start is not None:
        sent = ParticipationDetails(
            values.get("learning_aim", "").strip(), start, end, values.get("title") or None
        )
        try:
            details = validated_participation(sent, today=policy.today())
        except ValidationFailed as exc:
            problems.extend(exc.errors)
    if problems or uln is None or details is None:
        return None
    return RecordParticipation(uln, ClaimedDetails(**claimed), details, source=source)


def participation_row(
    record: RawRecord, policy: RegisterPolicy, seen: set[str] | None = None
) -> BatchRow:
    values = record.values
    problems = list(record.problems)
    source_id = _source_id(values, problems)
    _check_unique(source_id, seen, problems)
    if record.problems:
        return BatchRow(record.number, source_id, values, tuple(problems))
    parse_participation(values, policy, problems, source="batch")
    return BatchRow(record.number, source_id, values, tuple(problems))


def participation_row_action(
    values: dict[str, str], principal: Principal, policy: RegisterPolicy, *, source: str
) -> RowAction:
    """What the worker does with a stored row: checked again, then `record_within` in the
    row's own transaction (a re-sent row answers `unchanged`)."""
    problems: list[FieldError] = []
    command = parse_participation(values, policy, problems, source=source)

    def act(uow: UnitOfWork) -> RowOutcome:
        if command is None:
            raise ValidationFailed(problems)
        posted = record_within(command, principal=principal, uow=uow, policy=policy)
        outcome = "created" if posted.created else "unchanged"
        note = (FieldError("", "NOTE", f"event_id {posted.event.id}"),)
        return RowOutcome(outcome, True, None, posted.event.uln, note)

    return act
