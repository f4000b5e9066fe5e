""" "This is the learner": a user picks one of a search's possible matches as the person they
searched for. It takes the registration path's own steps — the registration is held in the
exceptions queue as a possible match, then resolved as the same person — so the organisation's
on-roll relationship is recorded exactly as the queue records it (decision 0018)."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import LEARNER_ROLES, Principal
from openlrs.domain.errors import NotACandidate, RegistrationRefused
from openlrs.domain.learners.held_registration import Decision
from openlrs.domain.learners.learner import Learner, LearnerDetails
from openlrs.services.learners.exceptions_queue import ResolveHeld, resolve_held
from openlrs.services.learners.register import RegisterLearner, register_within
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork


def confirm_this_is_the_learner(
    details: LearnerDetails,
    uln: str,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> Learner:
    """Hold the searched details as a possible match (or find the entry already open), then
    resolve it as the same person as `uln`. Refused with NotACandidate, and nothing written, when
    the register no longer offers `uln` as a possible match for these details."""
    principal.require(LEARNER_ROLES)
    details = policy.validated(details)
    with uow:
        outcome = register_within(
            details, RegisterLearner(details), principal=principal, uow=uow, policy=policy
        )
        if not isinstance(outcome, RegistrationRefused) or outcome.held_id is None:
            raise NotACandidate()  # not committed: a learner registered meanwhile is rolled back
        if uln not in {c.uln for c in outcome.candidates if isinstance(c, Learner)}:
            raise NotACandidate()
        held_id = outcome.held_id
        uow.commit()
    return resolve_held(
        ResolveHeld(held_id, Decision.SAME_PERSON, uln), principal=principal, uow=uow
    )
