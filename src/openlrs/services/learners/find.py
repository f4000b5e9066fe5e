"""Find a learner by ULN; a merged ULN answers with its master (outcome `linked`)."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import LEARNER_ROLES, Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import LearnerNotFound
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learners.learner import LearnerStatus
from openlrs.domain.matching.outcomes import MatchOutcome, MatchResult
from openlrs.services.ports import UnitOfWork


def find_by_uln(uln: str, *, principal: Principal, uow: UnitOfWork) -> MatchResult:
    """Look up one ULN and record the read in the audit trail before anything is disclosed."""
    principal.require(LEARNER_ROLES)
    uln = parse_uln(uln)
    read = AuditEvent(principal.actor, principal.ukprn, AuditAction.LEARNER_READ, uln=uln)
    with uow.autocommit():
        learner = uow.learners.get_and_record(uln, read)
        outcome = MatchOutcome.EXACT
        if learner is not None and learner.status is LearnerStatus.MERGED and learner.master_uln:
            master = uow.learners.get(learner.master_uln)
            if master is not None:
                learner, outcome = master, MatchOutcome.LINKED
    if learner is None:
        raise LearnerNotFound()
    return MatchResult(outcome, (learner,))
