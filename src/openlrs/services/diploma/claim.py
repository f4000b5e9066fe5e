"""The centre claims the Diploma for the learner once the rules of combination are satisfied."""

from __future__ import annotations

import datetime as dt

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction
from openlrs.domain.diploma import account as diploma_account
from openlrs.domain.diploma.account import DiplomaAccount, require_centre
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.services.diploma.audit import audit_account
from openlrs.services.diploma.reaggregate import reaggregate
from openlrs.services.ports import UnitOfWork


def claim_diploma(
    account_id: str, *, principal: Principal, uow: UnitOfWork
) -> tuple[DiplomaAccount, DiplomaEvaluation]:
    with uow:
        account = require_centre(uow.diploma_accounts.get(account_id, for_update=True), principal)
        evaluation = account.evaluate(diploma_rules(account.line, account.level.value))
        claimed = diploma_account.claim(account, evaluation, dt.datetime.now(dt.UTC))
        evaluation = reaggregate(claimed, uow=uow)
        action = AuditAction.DIPLOMA_CLAIM
        audit_account(action, claimed, principal=principal, uow=uow, outcome="claimed")
        uow.commit()
    return claimed, evaluation
