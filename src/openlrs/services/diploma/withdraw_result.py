"""A component awarding body withdraws one of its results; the account is re-aggregated."""

from __future__ import annotations

import datetime as dt

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction
from openlrs.domain.diploma.account import AWARDING_ROLES, require_open, require_visible
from openlrs.domain.diploma.errors import DiplomaResultNotFound
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.services.diploma.audit import audit_account
from openlrs.services.diploma.reaggregate import reaggregate
from openlrs.services.ports import UnitOfWork


def withdraw_diploma_result(
    account_id: str, reference: str, *, principal: Principal, uow: UnitOfWork
) -> DiplomaEvaluation:
    principal.require(AWARDING_ROLES)
    with uow:
        account = require_visible(uow.diploma_accounts.get(account_id, for_update=True), principal)
        require_open(account)
        result = account.results.get(reference)
        if result is None or result.awarding_body != principal.ukprn:
            raise DiplomaResultNotFound()
        uow.diploma_accounts.withdraw_result(account_id, reference, dt.datetime.now(dt.UTC))
        refreshed = uow.diploma_accounts.get(account_id)
        assert refreshed is not None
        evaluation = reaggregate(refreshed, uow=uow)
        audit_account(
            AuditAction.DIPLOMA_RESULT_WITHDRAW,
            account,
            principal=principal,
            uow=uow,
            outcome="withdrawn",
            reference=reference,
        )
        uow.commit()
    return evaluation
