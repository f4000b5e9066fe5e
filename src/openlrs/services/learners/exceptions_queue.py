"""The exceptions queue: list held registrations and resolve them (same person, or a new ULN)."""

from __future__ import annotations

from dataclasses import dataclass

from openlrs.domain.accounts.organisations import LEARNER_ROLES, Principal, Role
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import (
    HeldRegistrationNotFound,
    HeldRegistrationResolved,
    LearnerNotFound,
    NotACandidate,
    RegistrationRefused,
)
from openlrs.domain.learners.change_request import RelationshipKind
from openlrs.domain.learners.held_registration import Decision, HeldRegistration, HeldStatus
from openlrs.domain.learners.learner import Learner, LearnerStatus
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.services.learners.register import add_new_learner, lock_dates
from openlrs.services.learners.search import match_in_register
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class ResolveHeld:
    held_id: int
    decision: Decision
    uln: str | None = None


def _visible(held: HeldRegistration | None, principal: Principal) -> HeldRegistration:
    """Another organisation's entries are answered as not found, so they reveal nothing."""
    if held is None or (Role.ADMIN not in principal.roles and held.ukprn != principal.ukprn):
        raise HeldRegistrationNotFound()
    return held


def list_held(
    *, status: HeldStatus | None, limit: int, principal: Principal, uow: UnitOfWork
) -> list[HeldRegistration]:
    principal.require(LEARNER_ROLES)
    ukprn = None if Role.ADMIN in principal.roles else principal.ukprn
    with uow:
        return uow.held.list(ukprn=ukprn, status=status, limit=limit)


def get_held(held_id: int, *, principal: Principal, uow: UnitOfWork) -> HeldRegistration:
    principal.require(LEARNER_ROLES)
    with uow:
        return _visible(uow.held.get(held_id), principal)


def resolve_held(
    command: ResolveHeld,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> Learner:
    """Same person: answer with the chosen candidate. Different: register with a new ULN, unless
    the register now holds an exact match (someone registered them meanwhile)."""
    principal.require(LEARNER_ROLES)
    with uow:
        held = _visible(uow.held.get(command.held_id), principal)
        if held.status is not HeldStatus.OPEN:
            raise HeldRegistrationResolved()
        if command.decision is Decision.SAME_PERSON:
            learner, status = _chosen(held, command.uln, uow), HeldStatus.SAME_PERSON
            uow.learners.note_relationship(learner.uln, held.ukprn, RelationshipKind.ON_ROLL)
        else:
            uow.lock_for_registration(f"dob:{d.isoformat()}" for d in lock_dates(held.details))
            result = match_in_register(held.details, uow, policy)
            if result.outcome in (MatchOutcome.EXACT, MatchOutcome.LINKED):
                raise RegistrationRefused(
                    "This learner has been registered since: use the ULN returned.",
                    outcome=result.outcome.value,
                    candidates=result.learners,
                )
            learner = add_new_learner(
                held.details, principal, uow, "WSRC0005 from exceptions queue"
            )
            uow.learners.note_relationship(learner.uln, held.ukprn, RelationshipKind.REGISTERED)
            status = HeldStatus.NEW_LEARNER
        if not uow.held.resolve(command.held_id, status, learner.uln, principal.actor):
            raise HeldRegistrationResolved()
        uow.audit.record(
            AuditEvent(
                actor=principal.actor,
                ukprn=principal.ukprn,
                action=AuditAction.REGISTRATION_RESOLVED,
                uln=learner.uln,
                outcome=status.value,
                detail=f"held {command.held_id}",
            )
        )
        uow.commit()
    return learner


def _chosen(held: HeldRegistration, uln: str | None, uow: UnitOfWork) -> Learner:
    if uln is None or uln not in held.candidate_ulns:
        raise NotACandidate()
    learner = uow.learners.get(uln)
    if learner is None:
        raise LearnerNotFound()
    if learner.status is LearnerStatus.MERGED and learner.master_uln:
        learner = uow.learners.get(learner.master_uln) or learner
    return learner
