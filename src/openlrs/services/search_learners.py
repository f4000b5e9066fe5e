"""Find learners by demographics: validate the query, fetch candidates, classify."""

from __future__ import annotations

from openlrs.domain.accounts import LEARNER_ROLES, Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.learner import LearnerDetails
from openlrs.domain.matching.engine import ScoredMatch, classify
from openlrs.domain.matching.keys import blocking_keys
from openlrs.domain.matching.model import NameFrequency
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork


def match_in_register(
    query: LearnerDetails, uow: UnitOfWork, policy: RegisterPolicy = DEFAULT_POLICY
) -> ScoredMatch:
    """Score `query` against the candidates its blocking keys fetch, inside an open unit of work."""
    candidates = uow.learners.by_match_keys(blocking_keys(query), limit=policy.max_candidates)
    master_ulns = {c.master_uln for c in candidates if c.master_uln}
    masters = {uln: m for uln in master_ulns if (m := uow.learners.get(uln)) is not None}
    return classify(query, candidates, masters, policy.model, tf=_memoised(uow))


def _memoised(uow: UnitOfWork) -> NameFrequency:
    """The register's name frequencies, each asked of the store at most once per search."""
    seen: dict[tuple[str, str], float | None] = {}

    def frequency(field: str, key: str) -> float | None:
        if (field, key) not in seen:
            seen[(field, key)] = uow.learners.name_frequency(field, key)
        return seen[(field, key)]

    return frequency


def find_by_demographics(
    query: LearnerDetails,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> ScoredMatch:
    """Search the register; every search is audited with the ULNs it returned."""
    principal.require(LEARNER_ROLES)
    query = policy.validated(query)
    with uow:
        result = match_in_register(query, uow, policy)
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
