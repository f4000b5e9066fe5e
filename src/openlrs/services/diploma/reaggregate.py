"""Shared by the Diploma use cases: re-aggregate an account after any change."""

from __future__ import annotations

from openlrs.domain.diploma.account import DiplomaAccount
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.services.ports import UnitOfWork


def reaggregate(account: DiplomaAccount, *, uow: UnitOfWork) -> DiplomaEvaluation:
    """Evaluate the account against its rules of combination and store the summary with it."""
    evaluation = account.evaluate(diploma_rules(account.line, account.level.value))
    uow.diploma_accounts.save(account, evaluation)
    return evaluation
