"""The Diploma awarding body awards a claimed Diploma with its final grade; the award goes to the
learner's PLR through the `plr_awards` port (the seam issue 9's learning events take up)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openlrs.domain.accounts import Principal
from openlrs.domain.aggregation import account as diploma_account
from openlrs.domain.aggregation.account import DiplomaAccount, DiplomaAward, require_visible
from openlrs.domain.aggregation.evaluation import DiplomaEvaluation
from openlrs.domain.aggregation.rule_files import diploma_rules
from openlrs.services.diploma_reaggregate import reaggregate
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class AwardDiploma:
    account_id: int
    grade: str | None = None
    """The final grade; the trial grade when not given."""


def award_diploma(
    command: AwardDiploma, *, principal: Principal, uow: UnitOfWork
) -> tuple[DiplomaAccount, DiplomaEvaluation]:
    now = dt.datetime.now(dt.UTC)
    with uow:
        account = require_visible(
            uow.diploma_accounts.get(command.account_id, for_update=True), principal
        )
        rules = diploma_rules(account.line, account.level.value)
        evaluation = account.evaluate(rules)
        grade = command.grade.strip().upper() if command.grade else None
        awarded = diploma_account.award(account, rules, evaluation, grade, principal, now)
        reaggregate(awarded, uow=uow)
        assert awarded.id is not None and awarded.final_grade is not None
        uow.plr_awards.record(
            DiplomaAward(
                account_id=awarded.id,
                uln=awarded.uln,
                title=f"{rules.level.value.capitalize()} Diploma in {rules.line_title}",
                grade=awarded.final_grade,
                awarding_body_ukprn=awarded.awarding_body_ukprn,
                awarded_on=now.date(),
            )
        )
        uow.commit()
    return awarded, evaluation
