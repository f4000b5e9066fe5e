"""Rows of a participation batch (enrolments): checked with the rules `record_participation`
applies, every problem at once, then recorded one row per transaction through it."""

from __future__ import annotations

from openlrs.batch.learner_claims import checked_row, claimed_details, row_date
from openlrs.batch.records import RawRecord
from openlrs.batch.rows import BatchRow, _uln
from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.batches.job import RowOutcome
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.plr.achievements import ParticipationDetails, validated_participation
from openlrs.services.batches.processing import RowAction
from openlrs.services.plr.record_participation import RecordParticipation, record_within
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWork


def parse_participation(
    values: dict[str, str], policy: RegisterPolicy, problems: list[FieldError], *, source: str
) -> RecordParticipation | None:
    """The row's request, or None with its problems appended."""
    uln = _uln(values, problems, required=True)
    claimed = claimed_details(values, policy, problems)
    start = row_date(values, "start_date", problems)
    end = row_date(values, "end_date", problems, required=False)
    details = None
    if start is not None:
        sent = ParticipationDetails(
            values.get("learning_aim", "").strip(), start, end, values.get("title") or None
        )
        try:
            details = validated_participation(sent, today=policy.today())
        except ValidationFailed as exc:
            problems.extend(exc.errors)
    if problems or uln is None or claimed is None or details is None:
        return None
    return RecordParticipation(uln, claimed, details, source=source)


def participation_row(
    record: RawRecord, policy: RegisterPolicy, seen: set[str] | None = None
) -> BatchRow:
    return checked_row(
        record,
        seen,
        lambda values, problems: parse_participation(values, policy, problems, source="batch"),
    )


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
