"""An awarding organisation posts an achievement to a learner's record.

The AO must own the qualification or unit (or it must be shared), the learner details must verify
against the ULN, and a merged ULN's achievement lands on the master. Sending the same achievement
again (same AO, ULN, qualification or unit and award date) answers with the one already stored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learner_changes import ChangeKind
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import (
    AchievementDetails,
    LearningEvent,
    achievement_event,
    require_awardable,
    validated_achievement,
)
from openlrs.domain.plr.errors import LearningEventExists
from openlrs.domain.plr.qualifications import Qualification
from openlrs.domain.plr.roles import AWARDING_ROLES
from openlrs.domain.uln.lifecycle import sent_to
from openlrs.services.change_feed import note_change
from openlrs.services.plr.learner import verified_uln
from openlrs.services.plr.qualification_register import register_entry
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class PostAchievement:
    uln: str
    learner: ClaimedDetails
    details: AchievementDetails
    source: str = "api"


@dataclass(frozen=True)
class Posted:
    event: LearningEvent
    created: bool
    """False when the same achievement had been posted before (nothing changed)."""


def post_achievement(
    command: PostAchievement,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> Posted:
    principal.require(AWARDING_ROLES)
    with uow:
        posted = post_within(command, principal=principal, uow=uow, policy=policy)
        uow.commit()
    return posted


def post_within(
    command: PostAchievement, *, principal: Principal, uow: UnitOfWork, policy: RegisterPolicy
) -> Posted:
    """Post inside the caller's unit of work (not committed): the API and each batch row."""
    principal.require(AWARDING_ROLES)
    details = validated_achievement(command.details, today=policy.today())
    subject = register_entry(details.subject, uow)
    require_awardable(subject, principal.ukprn)
    if isinstance(subject, Qualification) and not subject.valid_on(details.award_date):
        message = "The qualification was not open for awards on this date"
        raise ValidationFailed([FieldError("award_date", "QUALIFICATION_NOT_VALID", message)])
    uln = verified_uln(command.uln, command.learner, principal=principal, uow=uow, policy=policy)
    event = achievement_event(
        str(uuid.uuid4()), uln, principal.ukprn, subject, details, source=command.source
    )
    event = sent_to(event, parse_uln(command.uln))
    existing = uow.learning_events.by_natural_key(event.natural_key)
    if existing is not None:
        if existing.same_content(event):
            return Posted(existing, created=False)
        raise LearningEventExists(f"Recorded as learning event {existing.id}: update that one")
    stored = uow.learning_events.add(event, actor=principal.actor)
    uow.learning_events.bump_record_version(uln)
    note_change(uow, principal, ChangeKind.EVENT_ADDED, uln, event_id=stored.id)
    uow.audit.record(
        AuditEvent(
            principal.actor,
            principal.ukprn,
            AuditAction.ACHIEVEMENT_CREATE,
            uln=uln,
            outcome="created",
            detail=stored.id,
        )
    )
    return Posted(stored, created=True)
