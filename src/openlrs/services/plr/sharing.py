"""A learner's choice about sharing their learning record, recorded by the service desk.

The choice is the learner's `ability_to_share` (2: declined), the same setting given at
registration: one source of truth. Recording it here changes that detail as a new version of the
learner (audited, on the change feed), which also moves the record's version on. Opting out hides
the learner's events from every organisation but the service desk and, for its own deposits, the
awarding organisation that deposited them (domain/plr/disclosure.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import LearnerNotFound
from openlrs.domain.learners.learner import AbilityToShare
from openlrs.domain.plr.roles import SHARING_ROLES
from openlrs.services.learners.update import UpdateLearner, update_within
from openlrs.services.plr.learner import current_learner
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class SharingChoice:
    uln: str
    shares: bool


def set_sharing(
    choice: SharingChoice,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> SharingChoice:
    """Record the choice on the learner's current record (the master's, if merged): a new
    version of the learner when it changes their `ability_to_share`."""
    principal.require(SHARING_ROLES)
    with uow:
        learner, _ = current_learner(choice.uln, uow)
        if learner is None:
            raise LearnerNotFound()
        declined = learner.details.ability_to_share == AbilityToShare.DECLINED
        if declined == choice.shares:  # sharing a declined record, or declining a shared one
            wanted = AbilityToShare.MAY_SHARE if choice.shares else AbilityToShare.DECLINED
            change = UpdateLearner(learner.uln, learner.version, {"ability_to_share": int(wanted)})
            update_within(change, principal=principal, uow=uow, policy=policy)
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
