"""Find learners by demographics: validate the query, fetch candidates, classify."""

from __future__ import annotations

from openlrs.domain.accounts import LEARNER_ROLES, Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.learner import LearnerDetails
from openlrs.domain.matching.outcomes import MatchOutcome, MatchResult
from openlrs.domain.matching.simple import candidate_dates, classify
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork


def match_in_register(query: LearnerDetails, uow: UnitOfWork) -> MatchResult:
    """Classify `query` against the register inside an open unit of work."""
    candidates = uow.learners.by_dates_of_birth(candidate_dates(query))
    master_ulns = {c.master_uln for c in candidates if c.master_uln}
    masters = {uln: m for uln in master_ulns if (m := uow.learners.get(uln)) is not None}
    return classify(query, candidates, masters)


def find_by_demographics(
    query: LearnerDetails,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> MatchResult:
    """Search the register; every search is audited with the ULNs it returned."""
    principal.require(LEARNER_ROLES)
    query = policy.validated(query)
    with uow:
        result = match_in_register(query, uow)
        ulns = [learner.uln for learner in result.learners]
        uow.audit.record(
            AuditEvent(
                actor=principal.actor,
                ukprn=principal.ukprn,
                action=AuditAction.LEARNER_SEARCH,
                uln=ulns[0] if len(ulns) == 1 else None,
                outcome=result.outcome.value,
                detail=" ".join(ulns) if len(ulns) > 1 else None,
            )
        )
        uow.commit()
    return result


__all__ = ["MatchOutcome", "find_by_demographics", "match_in_register"]
