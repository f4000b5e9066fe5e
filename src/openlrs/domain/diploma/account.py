"""A learner's Diploma account: its lifecycle (open -> claimed -> awarded) and who may act on it.

Roles (decision 0014): a centre is a registration body (lrb, lrb_admin) acting for its own
accounts; component and Diploma awarding bodies are awarding organisations (ao); the Diploma
awarding body is the one named on the account; the service desk (admin) sees everything.

Access is bound to a relationship (issue 21): a centre sees the accounts it opened; an awarding
organisation those that name it (it is their Diploma awarding body, or holds a live result on
them), and it sends results only for qualifications it owns or that are shared (when the register
knows them). Anyone else is told the account does not exist (404), so references cannot be
probed. When the learner has opted out of sharing, an awarding organisation sees only its own
results and a centre is refused (LEARNER_OPTED_OUT); the service desk sees everything.
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
from openlrs.domain.plr.achievements import (
    EventStatus,
    EventType,
    LearningEvent,
    SubjectKind,
    require_awardable,
)
from openlrs.domain.plr.errors import LearnerOptedOut
from openlrs.domain.plr.qualifications import Qualification, Unit

ACCOUNT_REFERENCE = r"^[A-Za-z0-9_-]{1,32}$"
"""What an account's reference looks like (the store makes 22 random URL-safe characters)."""

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
    id: str | None = None
    """The account's reference: random (assigned when stored), so it cannot be counted through."""
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


CENTRE_ONLY = frozenset({Role.LRB, Role.LRB_ADMIN})


def names(account: DiplomaAccount, ukprn: str) -> bool:
    """The account names the organisation: its Diploma awarding body, or the awarding body of
    one of its live results."""
    return account.awarding_body_ukprn == ukprn or any(
        r.awarding_body == ukprn for r in account.results.values()
    )


def may_see(account: DiplomaAccount, principal: Principal) -> bool:
    roles = principal.roles
    return (
        Role.ADMIN in roles
        or bool(roles & CENTRE_ONLY and account.centre_ukprn == principal.ukprn)
        or (Role.AO in roles and names(account, principal.ukprn))
    )


def require_visible(account: DiplomaAccount | None, principal: Principal) -> DiplomaAccount:
    """Centres see the accounts they opened; awarding organisations those that name them; the
    service desk any. Anyone else is told the account does not exist, so it cannot be probed."""
    principal.require(READ_ROLES)
    if account is None or not may_see(account, principal):
        raise DiplomaAccountNotFound()
    return account


def require_may_submit(
    account: DiplomaAccount | None,
    principal: Principal,
    qualification: Qualification | Unit | None,
) -> DiplomaAccount:
    """An awarding organisation sends a result only for a qualification it owns or that is shared
    (checked first, whatever the account: QUALIFICATION_NOT_OWNED says nothing about it), to an
    account that names it or, for a qualification of its own on the register, to an account whose
    reference the centre gave it (the first result of a component awarding body)."""
    principal.require(AWARDING_ROLES)
    if Role.ADMIN in principal.roles:
        return require_visible(account, principal)
    if qualification is not None:
        require_awardable(qualification, principal.ukprn)
        if account is not None:
            return account
    return require_visible(account, principal)


def shown_to(account: DiplomaAccount, principal: Principal, *, shares: bool) -> DiplomaAccount:
    """The account as `principal` may see it once the learner's sharing choice is known: all of
    it while they share (or to the desk); after an opt-out, an awarding organisation's own
    results only, and LEARNER_OPTED_OUT for a centre."""
    if shares or Role.ADMIN in principal.roles:
        return account
    if Role.AO in principal.roles:
        own = {k: r for k, r in account.results.items() if r.awarding_body == principal.ukprn}
        return replace(account, results=own)
    raise LearnerOptedOut()


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
