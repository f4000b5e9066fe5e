"""A learner's Diploma account: its lifecycle (open -> claimed -> awarded) and who may act on it.

Roles (decision 0014): a centre is a registration body (lrb, lrb_admin) acting for its own
accounts; component and Diploma awarding bodies are awarding organisations (ao); the Diploma
awarding body is the one named on the account; the service desk (admin) sees everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.diploma.diploma_engine import evaluate
from openlrs.domain.diploma.diploma_rules import DiplomaLevel, DiplomaRules
from openlrs.domain.diploma.errors import (
    DiplomaAccountClosed,
    DiplomaAccountNotFound,
    DiplomaClaimState,
    DiplomaGradeInvalid,
    DiplomaNotComplete,
    NotTheDiplomaAwardingBody,
)
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.results import ComponentResult
from openlrs.domain.errors import NotAuthorised
from openlrs.domain.plr.achievements import EventStatus, EventType, LearningEvent, SubjectKind

CENTRE_ROLES = frozenset({Role.LRB, Role.LRB_ADMIN, Role.ADMIN})
AWARDING_ROLES = frozenset({Role.AO, Role.ADMIN})
READ_ROLES = frozenset({Role.LRB, Role.LRB_ADMIN, Role.AO, Role.ADMIN})


class AccountStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    AWARDED = "awarded"


@dataclass(frozen=True)
class DiplomaAccount:
    uln: str
    line: str
    level: DiplomaLevel
    centre_ukprn: str
    awarding_body_ukprn: str
    """The Diploma awarding body: the only organisation that may award it."""
    status: AccountStatus = AccountStatus.OPEN
    work_experience_days: int = 0
    plts: frozenset[str] = frozenset()
    results: Mapping[str, ComponentResult] = field(default_factory=dict)
    """Live results, by reference (withdrawn ones are kept by the store, not here)."""
    final_grade: str | None = None
    claimed_at: dt.datetime | None = None
    awarded_at: dt.datetime | None = None
    awarded_by: str | None = None
    id: int | None = None
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None

    def evaluate(self, rules: DiplomaRules) -> DiplomaEvaluation:
        return evaluate(
            rules,
            self.results.values(),
            work_experience_days=self.work_experience_days,
            plts=self.plts,
        )


DIPLOMA_SOURCE = "diploma"
"""The `source` of a learning event that records an awarded Diploma."""


def award_event(
    account: DiplomaAccount, rules: DiplomaRules, *, event_id: str, uln: str
) -> LearningEvent:
    """The awarded Diploma as an achievement on the learner's PLR, from its awarding body, under
    the Diploma's own qualification number (`uln`: the learner's current ULN, a master if merged).
    Only the final grade goes on the record, never the points."""
    if account.final_grade is None or account.awarded_at is None:
        raise DiplomaClaimState("The account has not been awarded")
    return LearningEvent(
        id=event_id,
        uln=uln,
        event_type=EventType.ACHIEVEMENT,
        ukprn=account.awarding_body_ukprn,
        subject_kind=SubjectKind.QUALIFICATION,
        subject=rules.qualification,
        subject_title=rules.title,
        qualification_type="Diploma",
        level=str(rules.qcf_level),
        status=EventStatus.ACHIEVED,
        grade=account.final_grade,
        award_date=account.awarded_at.date(),
        source=DIPLOMA_SOURCE,
    )


def require_visible(account: DiplomaAccount | None, principal: Principal) -> DiplomaAccount:
    """Centres see their own accounts; awarding bodies and the service desk see any. Anyone else
    is told the account does not exist, so ids cannot be probed."""
    principal.require(READ_ROLES)
    if account is None:
        raise DiplomaAccountNotFound()
    if principal.roles & {Role.AO, Role.ADMIN} or account.centre_ukprn == principal.ukprn:
        return account
    raise DiplomaAccountNotFound()


def require_centre(account: DiplomaAccount | None, principal: Principal) -> DiplomaAccount:
    """The account's own centre (or the service desk) may record evidence and claim."""
    principal.require(CENTRE_ROLES)
    account = require_visible(account, principal)
    if Role.ADMIN not in principal.roles and account.centre_ukprn != principal.ukprn:
        raise NotAuthorised()
    return account


def require_open(account: DiplomaAccount) -> None:
    if account.status is AccountStatus.AWARDED:
        raise DiplomaAccountClosed()


def claim(
    account: DiplomaAccount, evaluation: DiplomaEvaluation, now: dt.datetime
) -> DiplomaAccount:
    if account.status is not AccountStatus.OPEN:
        raise DiplomaClaimState(f"The account is {account.status.value}, not open")
    if not evaluation.complete:
        missing = ", ".join(r.name for r in evaluation.missing)
        raise DiplomaNotComplete(f"Still missing: {missing}")
    return replace(account, status=AccountStatus.CLAIMED, claimed_at=now)


def award(
    account: DiplomaAccount,
    rules: DiplomaRules,
    evaluation: DiplomaEvaluation,
    grade: str | None,
    principal: Principal,
    now: dt.datetime,
) -> DiplomaAccount:
    """The Diploma awarding body awards a claimed, complete account with a final grade (the trial
    grade unless it says otherwise)."""
    principal.require(frozenset({Role.AO}))
    if account.awarding_body_ukprn != principal.ukprn:
        raise NotTheDiplomaAwardingBody()
    if account.status is not AccountStatus.CLAIMED:
        raise DiplomaClaimState(f"The account is {account.status.value}; it must be claimed first")
    if not evaluation.complete:
        raise DiplomaNotComplete("A result has been withdrawn since the claim")
    final = grade or evaluation.trial_grade
    if final is None or final not in rules.grades[:-1]:
        raise DiplomaGradeInvalid(
            f"A {rules.level.value} Diploma is graded {', '.join(rules.grades[:-1])}"
        )
    return replace(
        account,
        status=AccountStatus.AWARDED,
        final_grade=final,
        awarded_at=now,
        awarded_by=principal.actor,
    )
