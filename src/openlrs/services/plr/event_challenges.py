"""Learning-event data challenges: a provider (or the service desk, for a learner) says an event
is wrong; the challenge goes to the organisation that recorded it, which accepts it (correcting
or withdrawing the event) or rejects it with a reason. Decided challenges are kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import FieldError, LearnerNotFound, ValidationFailed
from openlrs.domain.learner_changes import ChangeKind
from openlrs.domain.notifications.messages import challenge_decided
from openlrs.domain.plr.achievements import (
    AchievementDetails,
    LearningEvent,
    corrected,
    validated_achievement,
    withdrawn,
)
from openlrs.domain.plr.errors import (
    ChallengeNotFound,
    ChallengeOpen,
    LearnerOptedOut,
    LearningEventNotFound,
)
from openlrs.domain.plr.event_challenges import (
    Challenge,
    ChallengeStatus,
    Resolution,
    checked_text,
    decided,
)
from openlrs.domain.plr.roles import CHALLENGE_ROLES, PARTICIPATION_ROLES
from openlrs.services.change_feed import note_change
from openlrs.services.notifications.outbox import notify
from openlrs.services.plr.learner import lock_current, locked_event
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork

RAISE_ROLES = PARTICIPATION_ROLES | {Role.ADMIN}


@dataclass(frozen=True)
class RaiseChallenge:
    uln: str
    event_id: str
    reason: str


@dataclass(frozen=True)
class Decision:
    challenge_id: str
    accept: bool
    response: str
    resolution: Resolution | None = None
    correction: AchievementDetails | None = None


def _audit(uow: UnitOfWork, principal: Principal, action: AuditAction, c: Challenge) -> None:
    uow.audit.record(
        AuditEvent(
            principal.actor,
            principal.ukprn,
            action,
            uln=c.uln,
            outcome=c.status.value,
            detail=c.id,
        )
    )


def _flag(event: LearningEvent, flag: bool, *, principal: Principal, uow: UnitOfWork) -> None:
    changed = dataclasses.replace(event, under_challenge=flag)
    uow.learning_events.replace(changed, actor=principal.actor, change="challenge")
    uow.learning_events.bump_record_version(event.uln)
    note_change(uow, principal, ChangeKind.EVENT_CHANGED, event.uln, event_id=event.id)


def raise_challenge(command: RaiseChallenge, *, principal: Principal, uow: UnitOfWork) -> Challenge:
    principal.require(RAISE_ROLES)
    reason = checked_text("reason", command.reason)
    with uow:
        learner = lock_current(command.uln, uow)
        if learner is None:
            raise LearnerNotFound()
        if not uow.learning_events.shares(learner.uln) and Role.ADMIN not in principal.roles:
            raise LearnerOptedOut()
        event = uow.learning_events.get(command.event_id)
        if event is None or event.uln != learner.uln:
            raise LearningEventNotFound()
        if uow.challenges.open_for_event(event.id) is not None:
            raise ChallengeOpen()
        challenge = uow.challenges.add(
            Challenge(
                id=str(uuid.uuid4()),
                event_id=event.id,
                uln=learner.uln,
                raised_by=principal.actor,
                raised_by_ukprn=principal.ukprn,
                owner_ukprn=event.ukprn,
                reason=reason,
            )
        )
        _flag(event, True, principal=principal, uow=uow)
        _audit(uow, principal, AuditAction.CHALLENGE_RAISE, challenge)
        uow.commit()
    return challenge


def _visible(challenge: Challenge | None, principal: Principal) -> Challenge:
    """The challenge, when the caller owns the event, raised it, or is the service desk."""
    if challenge is None:
        raise ChallengeNotFound()
    mine = principal.ukprn in (challenge.owner_ukprn, challenge.raised_by_ukprn)
    if not (mine or Role.ADMIN in principal.roles):
        raise ChallengeNotFound()
    return challenge


def get_challenge(challenge_id: str, *, principal: Principal, uow: UnitOfWork) -> Challenge:
    principal.require(CHALLENGE_ROLES)
    with uow:
        return _visible(uow.challenges.get(challenge_id), principal)


def list_challenges(
    *,
    principal: Principal,
    uow: UnitOfWork,
    status: ChallengeStatus | None = None,
    limit: int = 100,
) -> list[Challenge]:
    """An AO's inbox (routed to it), a provider's own challenges; the service desk sees all."""
    principal.require(CHALLENGE_ROLES)
    owner = raised = None
    if Role.ADMIN not in principal.roles:
        if Role.AO in principal.roles:
            owner = principal.ukprn
        else:
            raised = principal.ukprn
    with uow:
        return uow.challenges.list(
            owner_ukprn=owner, raised_by_ukprn=raised, status=status, limit=limit
        )


@dataclass(frozen=True)
class ChallengeSummary:
    """A challenge with what it is about, for an inbox row: the event as held now (None for a
    ULN challenge or an event no longer held). The learner is named by ULN only, as on the
    challenge's own page: no other personal data in a list of challenges."""

    challenge: Challenge
    event: LearningEvent | None


def list_challenge_summaries(
    *,
    principal: Principal,
    uow: UnitOfWork,
    status: ChallengeStatus | None = None,
    limit: int = 100,
) -> list[ChallengeSummary]:
    """`list_challenges`, each with its event (the same visibility: an AO's challenges are about
    events it recorded, a provider's about events it challenged)."""
    found = list_challenges(principal=principal, uow=uow, status=status, limit=limit)
    summaries = []
    with uow:
        for challenge in found:
            event = uow.learning_events.get(challenge.event_id) if challenge.event_id else None
            summaries.append(ChallengeSummary(challenge, event))
    return summaries


def decide_challenge(
    decision: Decision,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> Challenge:
    """The owning AO accepts (withdrawing or correcting the event) or rejects, with a response."""
    principal.require(frozenset({Role.AO}))
    response = checked_text("response", decision.response)
    if decision.accept and decision.resolution is None:
        message = "Say whether the event is corrected or withdrawn"
        raise ValidationFailed([FieldError("resolution", "FIELD_REQUIRED", message)])
    correcting = decision.accept and decision.resolution is Resolution.CORRECTED
    if correcting and decision.correction is None:
        message = "Give the corrected grade and award date"
        raise ValidationFailed([FieldError("correction", "FIELD_REQUIRED", message)])
    with uow:
        challenge = uow.challenges.get(decision.challenge_id)
        if challenge is None or challenge.owner_ukprn != principal.ukprn:
            raise ChallengeNotFound()
        if challenge.event_id is None:
            raise ChallengeNotFound()
        status = ChallengeStatus.ACCEPTED if decision.accept else ChallengeStatus.REJECTED
        resolution = decision.resolution if decision.accept else None
        now = dt.datetime.now(dt.UTC)
        done = decided(
            challenge, status, by=principal.actor, at=now, response=response, resolution=resolution
        )
        event = locked_event(challenge.event_id, uow)
        if event is None:
            raise LearningEventNotFound()
        changed = dataclasses.replace(event, under_challenge=False)
        if resolution is Resolution.WITHDRAWN:
            changed = withdrawn(changed)
        elif resolution is Resolution.CORRECTED and decision.correction is not None:
            same_subject = dataclasses.replace(decision.correction, subject=event.subject)
            correction = validated_achievement(same_subject, today=policy.today())
            changed = corrected(changed, correction)
        uow.learning_events.replace(changed, actor=principal.actor, change=f"challenge_{status}")
        uow.learning_events.bump_record_version(event.uln)
        note_change(uow, principal, ChangeKind.EVENT_CHANGED, event.uln, event_id=event.id)
        uow.challenges.save(done)
        _audit(uow, principal, AuditAction.CHALLENGE_DECIDE, done)
        notify(uow, challenge_decided(done.id, done.raised_by_ukprn, accepted=decision.accept))
        uow.commit()
    return done
