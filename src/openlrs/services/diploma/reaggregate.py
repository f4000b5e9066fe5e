"""Shared by the Diploma use cases: re-aggregate an account after any change."""

from __future__ import annotations

from openlrs.domain.diploma.account import AccountStatus, DiplomaAccount
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.domain.notifications.messages import diploma_complete
from openlrs.services.notifications.outbox import notify
from openlrs.services.ports import UnitOfWork


def reaggregate(account: DiplomaAccount, *, uow: UnitOfWork) -> DiplomaEvaluation:
    """Evaluate the account against its rules of combination and store the summary with it."""
    evaluation = account.evaluate(diploma_rules(account.line, account.level.value))
    uow.diploma_accounts.save(account, evaluation)
    if evaluation.complete and account.status is AccountStatus.OPEN and account.id is not None:
        # Once per account and organisation (the key): not again if it falls short and recovers.
        for ukprn in {account.centre_ukprn, account.awarding_body_ukprn}:
            notify(uow, diploma_complete(account.id, ukprn))
    return evaluation
