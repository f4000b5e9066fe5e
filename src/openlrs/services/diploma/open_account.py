"""A centre opens a learner's Diploma account for a line of learning and level (verified ULN)."""

from __future__ import annotations

from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.audit import AuditAction
from openlrs.domain.diploma.account import CENTRE_ROLES, DiplomaAccount
from openlrs.domain.diploma.errors import DiplomaAccountExists
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.domain.errors import LearnerNotActive, LearnerNotFound
from openlrs.domain.identifiers import parse_ukprn, parse_uln
from openlrs.domain.learners.learner import LearnerStatus
from openlrs.services.diploma.audit import audit_account
from openlrs.services.diploma.reaggregate import reaggregate
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class OpenDiplomaAccount:
    uln: str
    line: str
    level: str
    awarding_body_ukprn: str
    """The Diploma awarding body that will award it."""
    centre_ukprn: str | None = None
    """Only the service desk opens an account for another centre."""


def open_diploma_account(
    command: OpenDiplomaAccount, *, principal: Principal, uow: UnitOfWork
) -> tuple[DiplomaAccount, DiplomaEvaluation]:
    principal.require(CENTRE_ROLES)
    uln = parse_uln(command.uln)
    rules = diploma_rules(command.line, command.level)
    centre = principal.ukprn
    if command.centre_ukprn is not None and Role.ADMIN in principal.roles:
        centre = parse_ukprn(command.centre_ukprn)
    account = DiplomaAccount(
        uln=uln,
        line=rules.line,
        level=rules.level,
        centre_ukprn=centre,
        awarding_body_ukprn=parse_ukprn(command.awarding_body_ukprn),
    )
    with uow:
        learner = uow.learners.get(uln)
        if learner is None:
            raise LearnerNotFound()
        if learner.status is not LearnerStatus.ACTIVE:
            raise LearnerNotActive("The ULN has been merged; open the account on the master ULN")
        if uow.diploma_accounts.find(uln, rules.line, rules.level.value):
            raise DiplomaAccountExists()
        account = uow.diploma_accounts.add(account)
        evaluation = reaggregate(account, uow=uow)
        action = AuditAction.DIPLOMA_ACCOUNT_OPEN
        audit_account(action, account, principal=principal, uow=uow, outcome="opened")
        uow.commit()
    return account, evaluation
