"""Verify Learner Details: check a ULN against the details a caller holds, without disclosing them.

Awarding organisations verify before posting an achievement; providers before their returns. The
answer says only whether the details belong together (and which checks failed), never the record.
"""

from __future__ import annotations

from dataclasses import dataclass

from openlrs.domain.accounts.organisations import VERIFY_ROLES, Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learners.learner import LearnerStatus
from openlrs.domain.matching.verification import (
    Check,
    ClaimedDetails,
    VerificationOutcome,
    validated_claim,
    verify_details,
)
from openlrs.services.policy import DEFAULT_POLICY, RegisterPolicy
from openlrs.services.ports import UnitOfWork

_CODES = {
    (VerificationOutcome.EXACT, False): "WSVRC001",
    (VerificationOutcome.EXACT, True): "WSVRC002",
    (VerificationOutcome.SIMILAR, False): "WSVRC003",
    (VerificationOutcome.SIMILAR, True): "WSVRC004",
    (VerificationOutcome.MISMATCH, False): "WSVRC005",
    (VerificationOutcome.MISMATCH, True): "WSVRC005",
}


@dataclass(frozen=True)
class VerifyLearner:
    uln: str
    claimed: ClaimedDetails


@dataclass(frozen=True)
class VerifyResult:
    """`outcome` is exact, similar, mismatch or not_found; `uln` the ULN the details were checked
    against (the master's when the ULN given was merged: `linked` is then true)."""

    outcome: str
    lrs_code: str
    uln: str
    linked: bool = False
    failed: tuple[Check, ...] = ()


def verify_learner(
    command: VerifyLearner,
    *,
    principal: Principal,
    uow: UnitOfWork,
    policy: RegisterPolicy = DEFAULT_POLICY,
) -> VerifyResult:
    """Check the claim against the record; the check is audited like any read of a learner."""
    principal.require(VERIFY_ROLES)
    parse_uln(command.uln)
    with uow:
        result = verify_within(command, principal=principal, uow=uow, policy=policy)
        uow.commit()
    return result


def verify_within(
    command: VerifyLearner, *, principal: Principal, uow: UnitOfWork, policy: RegisterPolicy
) -> VerifyResult:
    """Check the claim inside the caller's open unit of work, auditing the check (not committed)."""
    uln = parse_uln(command.uln)
    claimed = validated_claim(command.claimed, today=policy.today())
    learner = uow.learners.get(uln)
    linked = False
    if learner is not None and learner.status is LearnerStatus.MERGED and learner.master_uln:
        master = uow.learners.get(learner.master_uln)
        if master is not None:
            learner, linked = master, True
    if learner is None:
        result = VerifyResult("not_found", "WSVRC006", uln)
    else:
        found = verify_details(claimed, learner.details)
        code = _CODES[(found.outcome, linked)]
        result = VerifyResult(found.outcome.value, code, learner.uln, linked, found.failed)
    uow.audit.record(
        AuditEvent(
            actor=principal.actor,
            ukprn=principal.ukprn,
            action=AuditAction.LEARNER_VERIFY,
            uln=uln,
            outcome=result.outcome,
        )
    )
    return result
