"""Read a Diploma account with its evaluation: what is complete, what is missing, the trial grade."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.diploma.account import READ_ROLES, DiplomaAccount, require_visible
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.domain.identifiers import parse_uln
from openlrs.services.diploma.audit import audit_account
from openlrs.services.ports import UnitOfWork


def view_diploma_account(
    account_id: int, *, principal: Principal, uow: UnitOfWork
) -> tuple[DiplomaAccount, DiplomaEvaluation]:
    """Every read that discloses an account is audited."""
    with uow:
        account = require_visible(uow.diploma_accounts.get(account_id), principal)
        action = AuditAction.DIPLOMA_ACCOUNT_READ
        audit_account(action, account, principal=principal, uow=uow, outcome="read")
        uow.commit()
    return account, account.evaluate(diploma_rules(account.line, account.level.value))


def find_diploma_accounts(
    uln: str, *, principal: Principal, uow: UnitOfWork
) -> list[DiplomaAccount]:
    """A learner's accounts: every one for awarding bodies and the desk, a centre's own for a centre."""
    principal.require(READ_ROLES)
    uln = parse_uln(uln)
    with uow:
        found = uow.diploma_accounts.find(uln)
        if not principal.roles & {Role.AO, Role.ADMIN}:
            found = [a for a in found if a.centre_ukprn == principal.ukprn]
        outcome = f"{len(found)} found"
        action = AuditAction.DIPLOMA_ACCOUNT_SEARCH
        uow.audit.record(AuditEvent(principal.actor, principal.ukprn, action, uln, outcome))
        uow.commit()
    return found
