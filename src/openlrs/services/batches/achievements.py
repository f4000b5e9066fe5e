"""What one row of an achievement batch does, in the row's own transaction.

`create` posts the achievement (a re-sent row answers `unchanged`); `update`, `withdraw` and
`reinstate` find the event by `event_id`, or else by the natural key (the AO, ULN, qualification
or unit and award date). Every row's learner details must verify against its ULN first.
"""

from __future__ import annotations

from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.batches.job import RowOutcome
from openlrs.domain.errors import FieldError
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails, EventStatus, EventType
from openlrs.domain.plr.errors import LearningEventNotFound
from openlrs.domain.plr.qualifications import Unit
from openlrs.services.batches.processing import RowAction
from openlrs.services.plr.change_achievement import ChangeAchievement, change_within, owned_event
from openlrs.services.plr.learner import verified_uln
from openlrs.services.plr.post_achievement import PostAchievement, post_within
from openlrs.services.plr.qualification_register import register_entry
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWork

ACTIONS = ("create", "update", "withdraw", "reinstate")


@dataclass(frozen=True)
class AchievementRow:
    action: str
    uln: str
    claimed: ClaimedDetails
    details: AchievementDetails
    event_id: str | None = None


def _note(message: str) -> tuple[FieldError, ...]:
    return (FieldError("", "NOTE", message),)


def _event_id(row: AchievementRow, uln: str, principal: Principal, uow: UnitOfWork) -> str:
    if row.event_id:
        return row.event_id
    entry = register_entry(row.details.subject, uow)
    code = entry.reference if isinstance(entry, Unit) else entry.number
    key = f"{EventType.ACHIEVEMENT}|{principal.ukprn}|{uln}|{code}|{row.details.award_date}"
    found = uow.learning_events.by_natural_key(key)
    if found is None:
        raise LearningEventNotFound()
    return found.id


def achievement_action(
    row: AchievementRow, principal: Principal, policy: RegisterPolicy, *, source: str
) -> RowAction:
    def act(uow: UnitOfWork) -> RowOutcome:
        if row.action == "create":
            command = PostAchievement(row.uln, row.claimed, row.details, source=source)
            posted = post_within(command, principal=principal, uow=uow, policy=policy)
            outcome = "created" if posted.created else "unchanged"
            return RowOutcome(outcome, True, None, posted.event.uln, _note(posted.event.id))
        uln = verified_uln(row.uln, row.claimed, principal=principal, uow=uow, policy=policy)
        event_id = _event_id(row, uln, principal, uow)
        event = owned_event(uln, event_id, principal=principal, uow=uow)
        already = (row.action == "withdraw" and event.status is EventStatus.WITHDRAWN) or (
            row.action == "reinstate" and event.status is not EventStatus.WITHDRAWN
        )
        if already:  # a re-sent row: nothing to do
            return RowOutcome("unchanged", True, None, uln, _note(event.id))
        change = ChangeAchievement(uln, event_id, row.details)
        changed = change_within(change, row.action, principal=principal, uow=uow, policy=policy)
        done = {"update": "updated", "withdraw": "withdrawn", "reinstate": "reinstated"}
        return RowOutcome(done[row.action], True, None, uln, _note(changed.id))

    return act
