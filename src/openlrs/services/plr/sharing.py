"""A learner's choice about sharing their learning record, recorded by the service desk.

Opting out hides the learner's events from every organisation but the service desk; awarding
organisations still deposit achievements. The choice is audited and moves the record version on.
"""

from __future__ import annotations

from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import LearnerNotFound
from openlrs.domain.plr.roles import SHARING_ROLES
from openlrs.services.plr.learner import current_learner
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class SharingChoice:
    uln: str
    shares: bool


def set_sharing(choice: SharingChoice, *, principal: Principal, uow: UnitOfWork) -> SharingChoice:
    """Record the choice on the learner's current record (the master's, if merged)."""
    principal.require(SHARING_ROLES)
    with uow:
        learner, _ = current_learner(choice.uln, uow)
        if learner is None:
            raise LearnerNotFound()
        uow.learning_events.set_sharing(learner.uln, choice.shares, recorded_by=principal.actor)
        uow.audit.record(
            AuditEvent(
                principal.actor,
                principal.ukprn,
                AuditAction.LEARNER_SHARING,
                uln=learner.uln,
                outcome="shares" if choice.shares else "opted_out",
            )
        )
        uow.commit()
    return SharingChoice(learner.uln, choice.shares)


def get_sharing(uln: str, *, principal: Principal, uow: UnitOfWork) -> SharingChoice:
    principal.require(SHARING_ROLES)
    with uow:
        learner, _ = current_learner(uln, uow)
        if learner is None:
            raise LearnerNotFound()
        return SharingChoice(learner.uln, uow.learning_events.shares(learner.uln))
