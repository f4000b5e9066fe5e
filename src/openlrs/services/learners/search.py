"""Find learners by demographics: validate the query, fetch candidates, classify."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import LEARNER_ROLES, Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.learners.learner import LearnerDetails
from openlrs.domain.matching.engine import (
    Ranked,
    ScoredMatch,
    decide,
    decision_floor,
    needs_second_pass,
    rank,
    result_of,
)
from openlrs.domain.matching.keys import (
    MatchKeys,
    first_pass_keys,
    match_keys,
    second_pass_keys,
)
from openlrs.domain.matching.model import NameFrequency
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.services import telemetry
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork


def match_in_register(
    query: LearnerDetails, uow: UnitOfWork, policy: RegisterPolicy = DEFAULT_POLICY
) -> ScoredMatch:
    """Rank the candidates the query's blocking keys fetch, inside an open unit of work; only the
    learners returned (at most ten, and a merged record's master) are read in full."""
    keys = match_keys(query)
    tf = _frequencies(keys, uow)
    ranked, _ = ranked_candidates(query, keys, uow, policy, tf)
    decision = decide(ranked, policy.model, query=keys, tf=tf)
    wanted = {r.candidate.uln for r in decision.chosen}
    if decision.outcome is MatchOutcome.LINKED:
        wanted |= {r.candidate.master_uln for r in decision.chosen if r.candidate.master_uln}
    learners = uow.learners.get_many(wanted)
    return result_of(query, decision, learners, policy.model, tf)


def ranked_candidates(
    query: LearnerDetails,
    keys: MatchKeys,
    uow: UnitOfWork,
    policy: RegisterPolicy,
    tf: NameFrequency | None,
) -> tuple[list[Ranked], int]:
    """The candidates worth deciding on, best first, and how many rows the search fetched: the
    first pass's keys, then the second pass's when the first found nothing strong."""
    floor = decision_floor(policy.model)
    found = uow.learners.candidates(first_pass_keys(query), limit=policy.max_candidates)
    ranked = rank(keys, found, policy.model, tf, floor=floor)
    examined = len(found)
    if needs_second_pass(ranked, policy.model):
        more = uow.learners.candidates(second_pass_keys(query), limit=policy.max_candidates)
        examined += len(more)
        ranked = rank(keys, [*found, *more], policy.model, tf, floor=floor)
    return ranked, examined


def frequencies_for(keys: MatchKeys, uow: UnitOfWork) -> NameFrequency:
    """The name-frequency function a search of these keys uses (see `_frequencies`)."""
    return _frequencies(keys, uow)


def _frequencies(keys: MatchKeys, uow: UnitOfWork) -> NameFrequency:
    """The register's frequencies of the query's names (the only names scoring asks about),
    read in one go."""
    names = {
        ("given_name", keys.given_key),
        ("family_name", keys.family_key),
        ("full_name", f"{keys.given_key} {keys.family_key}"),
    }
    shares = uow.learners.name_frequencies(names)
    return lambda field, key: shares.get((field, key))


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
    with uow.autocommit():  # reads, then one append to the audit trail
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
    telemetry.match_outcome("search", result.outcome.value)
    return result


__all__ = [
    "MatchOutcome",
    "find_by_demographics",
    "frequencies_for",
    "match_in_register",
    "ranked_candidates",
]
