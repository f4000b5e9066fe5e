"""Find a learner by ULN; a merged ULN answers with its master (outcome `linked`).

The learner's details are disclosed to the service desk, to an organisation the register records
as having a relationship with the learner (it registered them or has them on roll), and to any
other organisation only when it shows it knows the learner (`knowledge`: their given and family
name, verified against the ULN as Verify Learner Details compares them). Otherwise
LEARNER_NOT_VERIFIED (WSEC0208), audited as `not_verified`."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import LEARNER_ROLES, Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import LearnerNotFound, LearnerNotVerified
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learners.learner import Learner, LearnerStatus
from openlrs.domain.matching.knowledge import Knowledge, knowledge_verifies, needs_knowledge
from openlrs.domain.matching.outcomes import MatchOutcome, MatchResult
from openlrs.services.ports import UnitOfWork


def _known(
    learner: Learner, asked: str, knowledge: Knowledge | None, principal: Principal, uow: UnitOfWork
) -> bool:
    if not needs_knowledge(principal) or knowledge_verifies(knowledge, learner.details):
        return True
    ulns = {asked, learner.uln, *learner.linked_ulns}
    return bool(uow.learners.relationships(ulns, principal.ukprn))


def find_by_uln(
    uln: str, *, principal: Principal, uow: UnitOfWork, knowledge: Knowledge | None = None
) -> MatchResult:
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
        if learner is not None and not _known(learner, uln, knowledge, principal, uow):
            uow.audit.record(
                AuditEvent(
                    principal.actor,
                    principal.ukprn,
                    AuditAction.LEARNER_READ,
                    uln=uln,
                    outcome="not_verified",
                )
            )
            raise LearnerNotVerified()
    if learner is None:
        raise LearnerNotFound()
    return MatchResult(outcome, (learner,))
