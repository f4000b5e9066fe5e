"""The learner a learning event is for: the ULN verified against the details sent (VLD), and a
merged ULN followed to its master, so events always land on the learner's current record."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.errors import LearnerNotFound
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learners.learner import Learner, LearnerStatus
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import LearningEvent
from openlrs.domain.plr.errors import LearnerDetailsMismatch
from openlrs.services.learners.verify import VerifyLearner, verify_within
from openlrs.services.policy import RegisterPolicy
from openlrs.services.ports import UnitOfWork


def verified_uln(
    uln: str,
    claimed: ClaimedDetails,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy,
) -> str:
    """The ULN the event lands on (the master's when `uln` was merged), once the details verify
    exactly or as similar; LearnerDetailsMismatch (naming only the failed checks) otherwise."""
    result = verify_within(VerifyLearner(uln, claimed), principal=principal, uow=uow, policy=policy)
    if result.outcome == "not_found":
        raise LearnerNotFound()
    if result.outcome not in ("exact", "similar"):
        failed = ", ".join(check.value for check in result.failed) or "names"
        raise LearnerDetailsMismatch(f"The details did not verify against the ULN: {failed}")
    learner = lock_current(result.uln, uow)
    if learner is None:
        raise LearnerNotFound()
    return learner.uln


def current_learner(uln: str, uow: UnitOfWork) -> tuple[Learner | None, bool]:
    """The learner, or their master when the ULN was merged (and whether it was followed)."""
    learner = uow.learners.get(parse_uln(uln))
    if learner is not None and learner.status is LearnerStatus.MERGED and learner.master_uln:
        master = uow.learners.get(learner.master_uln)
        if master is not None:
            return master, True
    return learner, False


def lock_current(uln: str, uow: UnitOfWork) -> Learner | None:
    """As `current_learner`, but read under a lock held until the unit of work ends, so a merge,
    unmerge or split of this learner waits for the caller's change (or is seen to have happened).

    Locks are taken in one order everywhere: the ULN named, then its master."""
    learner = uow.learners.lock(parse_uln(uln))
    if learner is not None and learner.status is LearnerStatus.MERGED and learner.master_uln:
        return uow.learners.lock(learner.master_uln) or learner  # chains are one link long
    return learner


def locked_event(event_id: str, uow: UnitOfWork) -> LearningEvent | None:
    """A learning event, read again once its learner is locked (a merge may just have moved it)."""
    event = uow.learning_events.get(event_id)
    if event is None:
        return None
    lock_current(event.uln, uow)
    return uow.learning_events.get(event_id)
