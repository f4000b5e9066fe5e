"""ULN data challenges: a registration body says a ULN was created in error (a duplicate), merged
in error, or is shared by two people; the service desk resolves it by merging, unmerging or
splitting, in the same transaction as its decision, or rejects it. Kept beside the learning-event
challenges (`event_challenges`), listed and read through the same use cases."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import ADMIN_ROLES, Principal, Role
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import FieldError, LearnerNotFound, ValidationFailed
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learners.learner import LearnerDetails, LearnerStatus
from openlrs.domain.notifications.messages import challenge_decided
from openlrs.domain.plr.errors import ChallengeNotFound
from openlrs.domain.plr.event_challenges import (
    ULN_KINDS,
    ULN_RESOLUTIONS,
    Challenge,
    ChallengeKind,
    ChallengeStatus,
    Resolution,
    checked_text,
    decided,
)
from openlrs.domain.plr.roles import PARTICIPATION_ROLES
from openlrs.services.notifications.outbox import notify
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork
from openlrs.services.uln.lifecycle import (
    LifecycleDone,
    MergeUlns,
    SplitUln,
    merge_within,
    split_within,
    unmerge_within,
)

RAISE_ROLES = PARTICIPATION_ROLES | {Role.ADMIN}


@dataclass(frozen=True)
class RaiseUlnChallenge:
    kind: ChallengeKind
    uln: str
    reason: str
    related_uln: str | None = None


@dataclass(frozen=True)
class UlnResolution:
    challenge_id: str
    accept: bool
    response: str
    resolution: Resolution | None = None
    master_uln: str | None = None
    """Merge: which of the two ULNs stays (the other is linked to it); the related one if not said."""
    event_ids: tuple[str, ...] = ()
    """Split: the second person's learning events."""
    details: LearnerDetails | None = None
    """Split: the second person's details."""


@dataclass(frozen=True)
class Resolved:
    challenge: Challenge
    done: LifecycleDone | None = None


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, "FIELD_INVALID", message)])


def _audit(uow: UnitOfWork, principal: Principal, action: AuditAction, c: Challenge) -> None:
    event = AuditEvent(
        principal.actor, principal.ukprn, action, uln=c.uln, outcome=c.status.value, detail=c.id
    )
    uow.audit.record(event)


def raise_uln_challenge(
    command: RaiseUlnChallenge, *, principal: Principal, uow: UnitOfWork
) -> Challenge:
    """Open a ULN challenge for the service desk (a duplicate must name the ULN it duplicates)."""
    principal.require(RAISE_ROLES)
    if command.kind not in ULN_KINDS:
        raise _invalid("kind", "Say what is wrong with the ULN")
    reason = checked_text("reason", command.reason)
    uln = parse_uln(command.uln)
    related = parse_uln(command.related_uln) if command.related_uln else None
    if command.kind is ChallengeKind.ULN_DUPLICATE and related in (None, uln):
        raise _invalid("related_uln", "Give the other ULN the learner already had")
    with uow:
        if any(u is not None and uow.learners.get(u) is None for u in (uln, related)):
            raise LearnerNotFound()
        challenge = uow.challenges.add(
            Challenge(
                id=str(uuid.uuid4()),
                event_id=None,
                uln=uln,
                raised_by=principal.actor,
                raised_by_ukprn=principal.ukprn,
                owner_ukprn=None,
                reason=reason,
                kind=command.kind,
                related_uln=related,
            )
        )
        _audit(uow, principal, AuditAction.CHALLENGE_RAISE, challenge)
        uow.commit()
    return challenge


def resolve_uln_challenge(
    decision: UlnResolution,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> Resolved:
    """The service desk rejects, or accepts and carries out the merge, unmerge or split, all in
    one transaction with the decision."""
    principal.require(ADMIN_ROLES)
    response = checked_text("response", decision.response)
    with uow:
        challenge = uow.challenges.get(decision.challenge_id)
        if challenge is None or challenge.kind not in ULN_KINDS:
            raise ChallengeNotFound()
        status = ChallengeStatus.ACCEPTED if decision.accept else ChallengeStatus.REJECTED
        resolution = decision.resolution if decision.accept else None
        if decision.accept and resolution not in ULN_RESOLUTIONS[challenge.kind]:
            allowed = ", ".join(sorted(ULN_RESOLUTIONS[challenge.kind]))
            raise _invalid("resolution", f"Resolve this challenge with one of: {allowed}")
        now = dt.datetime.now(dt.UTC)
        closed = decided(
            challenge, status, by=principal.actor, at=now, response=response, resolution=resolution
        )
        done = _carry_out(challenge, decision, principal, uow, policy) if resolution else None
        uow.challenges.save(closed)
        _audit(uow, principal, AuditAction.CHALLENGE_DECIDE, closed)
        notify(uow, challenge_decided(closed.id, closed.raised_by_ukprn, accepted=decision.accept))
        uow.commit()
    return Resolved(closed, done)


def _carry_out(
    challenge: Challenge,
    decision: UlnResolution,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy,
) -> LifecycleDone:
    if decision.resolution is Resolution.MERGED:
        pair = (challenge.uln, challenge.related_uln or challenge.uln)
        master = decision.master_uln or pair[1]
        if pair[0] == pair[1] or master not in pair:
            raise _invalid("master_uln", "Choose the master from the challenge's two ULNs")
        retiring = pair[0] if master == pair[1] else pair[1]
        return merge_within(MergeUlns(retiring, master), principal=principal, uow=uow)
    if decision.resolution is Resolution.UNMERGED:
        learner = uow.learners.get(challenge.uln)
        merged_uln = challenge.uln
        if learner is not None and learner.status is not LearnerStatus.MERGED:
            merged_uln = challenge.related_uln or challenge.uln
        return unmerge_within(merged_uln, principal=principal, uow=uow)
    if decision.details is None:
        raise ValidationFailed(
            [FieldError("learner", "FIELD_REQUIRED", "Give the second person's details")]
        )
    command = SplitUln(challenge.uln, decision.event_ids, decision.details)
    return split_within(command, principal=principal, uow=uow, policy=policy)
