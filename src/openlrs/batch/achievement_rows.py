"""Rows of an achievement batch: checked with the same rules the API applies, every problem at
once, and turned into the row's action for the worker."""

from __future__ import annotations

from openlrs.batch.learner_claims import checked_row, claimed_details, row_date
from openlrs.batch.records import RawRecord
from openlrs.batch.rows import BatchRow, _uln
from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.batches.job import RowOutcome
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.plr.achievements import AchievementDetails, validated_achievement
from openlrs.services.batches.achievements import ACTIONS, AchievementRow, achievement_action
from openlrs.services.batches.processing import RowAction
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWork


def _int(values: dict[str, str], name: str, problems: list[FieldError]) -> int | None:
    text = values.get(name, "").strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) <= 6:
        return int(text)
    problems.append(FieldError(name, "FIELD_INVALID", f"{name} must be a whole number"))
    return None


def parse_achievement(
    values: dict[str, str], policy: RegisterPolicy, problems: list[FieldError]
) -> AchievementRow | None:
    """The row's request, or None with its problems appended."""
    uln = _uln(values, problems, required=True)
    action = values.get("action", "").strip().lower() or "create"
    if action not in ACTIONS:
        message = "Action must be create, update, withdraw or reinstate"
        problems.append(FieldError("action", "ACTION_INVALID", message))
    event_id = values.get("event_id", "").strip() or None
    if action == "update" and event_id is None:
        message = "Give the event id of the achievement to update"
        problems.append(FieldError("event_id", "FIELD_REQUIRED", message))
    claimed = claimed_details(values, policy, problems)
    award_date = row_date(values, "award_date", problems)
    credits = _int(values, "credits", problems)
    details = None
    if award_date is not None:
        sent = AchievementDetails(
            values.get("subject", ""), award_date, values.get("grade") or None, credits
        )
        try:
            details = validated_achievement(sent, today=policy.today())
        except ValidationFailed as exc:
            problems.extend(exc.errors)
    if problems or uln is None or claimed is None or details is None:
        return None
    return AchievementRow(action, uln, claimed, details, event_id)


def achievement_row(
    record: RawRecord, policy: RegisterPolicy, seen: set[str] | None = None
) -> BatchRow:
    return checked_row(
        record, seen, lambda values, problems: parse_achievement(values, policy, problems)
    )


def achievement_row_action(
    values: dict[str, str], principal: Principal, policy: RegisterPolicy, *, source: str
) -> RowAction:
    """What the worker does with a stored row: checked again (the rules may have changed)."""
    return achievement_row_plan(values, principal, policy, source=source)[1]


def achievement_row_plan(
    values: dict[str, str], principal: Principal, policy: RegisterPolicy, *, source: str
) -> tuple[AchievementRow | None, RowAction]:
    """The row's request (None when it no longer validates) and its action."""
    problems: list[FieldError] = []
    parsed = parse_achievement(values, policy, problems)
    if parsed is None:
        error = ValidationFailed(problems)

        def refuse(uow: UnitOfWork) -> RowOutcome:
            raise error

        return None, refuse
    return parsed, achievement_action(parsed, principal, policy, source=source)
