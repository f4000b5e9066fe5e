"""A provider reports a learner's participation: an enrolment on a learning aim, then its end.

The learner details must verify against the ULN, and a merged ULN's event lands on the master.
Participation is keyed by (provider, ULN, learning aim, start date): sending it again with an end
date completes the same event; sending it again unchanged changes nothing.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learner_changes import ChangeKind
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import (
    EventStatus,
    ParticipationDetails,
    participation_event,
    validated_participation,
)
from openlrs.domain.plr.errors import LearningEventStateConflict
from openlrs.domain.plr.roles import PARTICIPATION_ROLES
from openlrs.domain.uln.lifecycle import sent_to
from openlrs.services.change_feed import note_change
from openlrs.services.plr.learner import verified_uln
from openlrs.services.plr.post_achievement import Posted
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class RecordParticipation:
    uln: str
    learner: ClaimedDetails
    details: ParticipationDetails
    source: str = "api"


def record_participation(
    command: RecordParticipation,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> Posted:
    principal.require(PARTICIPATION_ROLES)
    with uow:
        posted = record_within(command, principal=principal, uow=uow, policy=policy)
        uow.commit()
    return posted


def record_within(
    command: RecordParticipation, *, principal: Principal, uow: UnitOfWork, policy: RegisterPolicy
) -> Posted:
    """Record inside the caller's unit of work (not committed): the API and each batch row."""
    principal.require(PARTICIPATION_ROLES)
    details = validated_participation(command.details, today=policy.today())
    uln = verified_uln(command.uln, command.learner, principal=principal, uow=uow, policy=policy)
    event = participation_event(
        str(uuid.uuid4()), uln, principal.ukprn, details, source=command.source
    )
    event = sent_to(event, parse_uln(command.uln))
    existing = uow.learning_events.by_natural_key(event.natural_key)
    if existing is not None and existing.same_content(event):
        return Posted(existing, created=False)
    if existing is not None:
        if existing.status is EventStatus.WITHDRAWN:
            raise LearningEventStateConflict("The participation was withdrawn")
        changed = dataclasses.replace(
            existing,
            end_date=event.end_date,
            status=event.status,
            subject_title=event.subject_title,
        )
        stored = uow.learning_events.replace(changed, actor=principal.actor, change="update")
    else:
        stored = uow.learning_events.add(event, actor=principal.actor)
    uow.learning_events.bump_record_version(uln)
    kind = ChangeKind.EVENT_CHANGED if existing else ChangeKind.EVENT_ADDED
    note_change(uow, principal, kind, uln, event_id=stored.id)
    uow.audit.record(
        AuditEvent(
            principal.actor,
            principal.ukprn,
            AuditAction.PARTICIPATION_RECORD,
            uln=uln,
            outcome="updated" if existing else "created",
            detail=stored.id,
        )
    )
    return Posted(stored, created=existing is None)
