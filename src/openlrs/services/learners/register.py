"""Register a learner and issue a ULN, but only when the register holds nobody who could be them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import LEARNER_ROLES, Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import RegistrationRefused
from openlrs.domain.identifiers import UlnPermutation
from openlrs.domain.learner_changes import ChangeKind
from openlrs.domain.learners.change_request import RelationshipKind
from openlrs.domain.learners.held_registration import HeldRegistration, person_fingerprint
from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.domain.matching.engine import ScoredMatch
from openlrs.domain.matching.keys import swapped_date
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.services import telemetry
from openlrs.services.change_feed import note_change
from openlrs.services.learners.search import match_in_register
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork

CONFIRMABLE = frozenset({MatchOutcome.POSSIBLE, MatchOutcome.TOO_MANY})
HANDED_BACK = frozenset({MatchOutcome.EXACT, MatchOutcome.LINKED})


@dataclass(frozen=True)
class RegisterLearner:
    details: LearnerDetails
    confirm_different_person: bool = False


def issue_uln(uow: UnitOfWork) -> str:
    """The next ULN: a keyed permutation of a counter that only ever moves forward."""
    permutation = UlnPermutation(uow.uln_issuer.permutation_key())
    while True:
        counter = uow.uln_issuer.next_counter()
        if permutation.counter_valid(counter):
            return permutation.uln_for(counter)


def lock_dates(details: LearnerDetails) -> tuple[dt.date, ...]:
    """The date of birth and its day/month swap: registrations that could collide share one."""
    swapped = swapped_date(details.date_of_birth)
    return (details.date_of_birth,) if swapped is None else (details.date_of_birth, swapped)


def register_learner(
    command: RegisterLearner,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> Learner:
    """Search under a lock on the date of birth, then register if nobody matched."""
    principal.require(LEARNER_ROLES)
    details = policy.validated(command.details)
    with uow:
        outcome = register_within(details, command, principal=principal, uow=uow, policy=policy)
        uow.commit()
    if isinstance(outcome, RegistrationRefused):
        raise outcome
    return outcome


def register_within(
    details: LearnerDetails,
    command: RegisterLearner,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy,
) -> Learner | RegistrationRefused:
    """Register validated details inside the caller's open unit of work (not committed).

    A refusal is returned, not raised, with its exceptions-queue entry and audit event written:
    the caller commits them (a batch commits its row's result in the same transaction)."""
    uow.lock_for_registration(f"dob:{d.isoformat()}" for d in lock_dates(details))
    result = match_in_register(details, uow, policy)
    telemetry.match_outcome("register", result.outcome.value)
    confirmed = command.confirm_different_person and result.outcome in CONFIRMABLE
    if result.outcome is not MatchOutcome.NO_MATCH and not confirmed:
        if result.outcome in HANDED_BACK:
            for found in result.learners:  # the register hands the caller this ULN: on roll
                uow.learners.note_relationship(found.uln, principal.ukprn, RelationshipKind.ON_ROLL)
        held_id = _hold(details, result, principal, uow)
        return RegistrationRefused(
            _refusal_reason(result.outcome),
            outcome=result.outcome.value,
            candidates=result.learners,
            held_id=held_id,
        )
    note = "WSRC0005" if not confirmed else f"WSRC0005 confirmed {result.outcome}"
    return add_new_learner(details, principal, uow, note)


def add_new_learner(
    details: LearnerDetails, principal: Principal, uow: UnitOfWork, note: str
) -> Learner:
    """Issue a ULN and store version 1, inside the caller's unit of work (not committed)."""
    now = dt.datetime.now(dt.UTC)
    learner = Learner(
        uln=issue_uln(uow),
        details=details,
        registered_by_ukprn=principal.ukprn,
        created_at=now,
        updated_at=now,
    )
    uow.learners.add(learner, actor=principal.actor, ukprn=principal.ukprn)
    note_change(uow, principal, ChangeKind.REGISTERED, learner.uln)
    uow.audit.record(
        AuditEvent(
            actor=principal.actor,
            ukprn=principal.ukprn,
            action=AuditAction.LEARNER_REGISTER,
            uln=learner.uln,
            outcome=note,
        )
    )
    return learner


def _hold(
    details: LearnerDetails, result: ScoredMatch, principal: Principal, uow: UnitOfWork
) -> int | None:
    """Refuse; possible matches also go to the exceptions queue for a person to decide (once
    per organisation and person: a repeat answers the entry already open)."""
    held_id = None
    if result.outcome in CONFIRMABLE:
        held = uow.held.add(
            HeldRegistration(
                ukprn=principal.ukprn,
                submitted_by=principal.actor,
                details=details,
                outcome=result.outcome.value,
                candidate_ulns=tuple(c.uln for c in result.learners),
                fingerprint=person_fingerprint(details),
            )
        )
        held_id = held.id
    uow.audit.record(
        AuditEvent(
            actor=principal.actor,
            ukprn=principal.ukprn,
            action=AuditAction.REGISTRATION_HELD
            if held_id
            else AuditAction.LEARNER_REGISTER_REFUSED,
            outcome=result.outcome.value,
            detail=" ".join(c.uln for c in result.learners) or None,
        )
    )
    return held_id


def _refusal_reason(outcome: MatchOutcome) -> str:
    if outcome in (MatchOutcome.EXACT, MatchOutcome.LINKED):
        return "This learner already has a ULN: use the one returned."
    if outcome is MatchOutcome.TOO_MANY:
        return (
            "Many learners have similar details: add more detail, or confirm that this is "
            "a different person."
        )
    return (
        "Learners with similar details already have ULNs: check them, and confirm that this "
        "is a different person to register anyway."
    )
