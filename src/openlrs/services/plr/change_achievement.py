"""An awarding organisation corrects, withdraws or reinstates an achievement it recorded.

Only the AO that recorded the achievement may change it, and only while it may still award the
qualification or unit (it owns it, or it is shared). Each change is kept as a new version of the
event; reinstating restores the event exactly as it was before it was withdrawn.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import LearnerNotFound
from openlrs.domain.learner_changes import ChangeKind
from openlrs.domain.plr.achievements import (
    AchievementDetails,
    EventType,
    LearningEvent,
    corrected,
    reinstated,
    require_awardable,
    validated_achievement,
    withdrawn,
)
from openlrs.domain.plr.errors import (
    LearningEventExists,
    LearningEventNotFound,
    QualificationNotOwned,
)
from openlrs.domain.plr.roles import AWARDING_ROLES
from openlrs.services.change_feed import note_change
from openlrs.services.plr.learner import lock_current
from openlrs.services.plr.qualification_register import register_entry
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class ChangeAchievement:
    uln: str
    event_id: str
    details: AchievementDetails | None = None
    """The corrected grade, award date and credits (for an update only; the subject is kept)."""


_ACTIONS = {
    "update": AuditAction.ACHIEVEMENT_UPDATE,
    "withdraw": AuditAction.ACHIEVEMENT_WITHDRAW,
    "reinstate": AuditAction.ACHIEVEMENT_REINSTATE,
}


def owned_event(uln: str, event_id: str, *, principal: Principal, uow: UnitOfWork) -> LearningEvent:
    """The achievement on the learner's record (their master's, if merged) that the caller's
    organisation recorded and may still maintain."""
    learner = lock_current(uln, uow)
    if learner is None:
        raise LearnerNotFound()
    event = uow.learning_events.get(event_id)
    if event is None or event.uln != learner.uln or event.event_type is not EventType.ACHIEVEMENT:
        raise LearningEventNotFound()
    require_awardable(register_entry(event.subject, uow), principal.ukprn)
    if event.ukprn != principal.ukprn:
        raise QualificationNotOwned("The achievement was recorded by another organisation")
    return event


def store_change(
    event: LearningEvent,
    changed: LearningEvent,
    change: str,
    *,
    principal: Principal,
    uow: UnitOfWork,
) -> LearningEvent:
    """Keep the new version, move the learner's record version on, and audit the change."""
    if changed.natural_key != event.natural_key:
        clash = uow.learning_events.by_natural_key(changed.natural_key)
        if clash is not None and clash.id != event.id:
            raise LearningEventExists(f"Learning event {clash.id} already has these details")
    stored = uow.learning_events.replace(changed, actor=principal.actor, change=change)
    uow.learning_events.bump_record_version(event.uln)
    note_change(uow, principal, ChangeKind.EVENT_CHANGED, event.uln, event_id=event.id)
    uow.audit.record(
        AuditEvent(
            principal.actor,
            principal.ukprn,
            _ACTIONS.get(change, AuditAction.ACHIEVEMENT_UPDATE),
            uln=event.uln,
            outcome=change,
            detail=event.id,
        )
    )
    return stored


def change_within(
    command: ChangeAchievement,
    change: str,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy,
) -> LearningEvent:
    """Apply `change` (update, withdraw or reinstate) inside the caller's unit of work."""
    principal.require(AWARDING_ROLES)
    event = owned_event(command.uln, command.event_id, principal=principal, uow=uow)
    if change == "update":
        if command.details is None:
            raise ValueError("an update needs details")
        same_subject = dataclasses.replace(command.details, subject=event.subject)
        details = validated_achievement(same_subject, today=policy.today())
        changed = corrected(event, details)
    else:
        changed = {"withdraw": withdrawn, "reinstate": reinstated}[change](event)
    return store_change(event, changed, change, principal=principal, uow=uow)


def _change(change: str) -> Callable[..., LearningEvent]:
    def run(
        command: ChangeAchievement,
        *,
        principal: Principal,
        uow: UnitOfWork,
        policy: RegisterPolicy = DEFAULT_POLICY,
    ) -> LearningEvent:
        principal.require(AWARDING_ROLES)
        with uow:
            stored = change_within(command, change, principal=principal, uow=uow, policy=policy)
            uow.commit()
        return stored

    run.__doc__ = f"{change.capitalize()} an achievement the caller's organisation recorded."
    return run


update_achievement = _change("update")
withdraw_achievement = _change("withdraw")
reinstate_achievement = _change("reinstate")
