"""Read a Diploma account with its evaluation: what is complete, what is missing, the trial grade."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.diploma.account import (
    READ_ROLES,
    DiplomaAccount,
    may_see,
    require_visible,
    shown_to,
)
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.domain.identifiers import parse_uln
from openlrs.services.diploma.audit import audit_account
from openlrs.services.ports import UnitOfWork


def view_diploma_account(
    account_id: str, *, principal: Principal, uow: UnitOfWork
) -> tuple[DiplomaAccount, DiplomaEvaluation]:
    """Every read that discloses an account is audited. After the learner opts out, an awarding
    organisation sees its own results (and their evaluation) only, a centre nothing."""
    with uow:
        account = require_visible(uow.diploma_accounts.get(account_id), principal)
        account = shown_to(account, principal, shares=uow.learning_events.shares(account.uln))
        action = AuditAction.DIPLOMA_ACCOUNT_READ
        audit_account(action, account, principal=principal, uow=uow, outcome="read")
        uow.commit()
    return account, account.evaluate(diploma_rules(account.line, account.level.value))


def find_diploma_accounts(
    uln: str, *, principal: Principal, uow: UnitOfWork
) -> list[DiplomaAccount]:
    """A learner's accounts: every one for the desk, those naming it for an awarding
    organisation, a centre's own for a centre; after an opt-out, as `shown_to` says."""
    principal.require(READ_ROLES)
    uln = parse_uln(uln)
    with uow:
        found = [a for a in uow.diploma_accounts.find(uln) if may_see(a, principal)]
        if found:
            shares = uow.learning_events.shares(found[0].uln)
            found = [shown_to(a, principal, shares=shares) for a in found]
        outcome = f"{len(found)} found"
        action = AuditAction.DIPLOMA_ACCOUNT_SEARCH
        uow.audit.record(AuditEvent(principal.actor, principal.ukprn, action, uln, outcome))
        uow.commit()
    return found
