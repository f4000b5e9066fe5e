"""A component awarding body submits a result to an account; the account is re-aggregated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openlrs.domain.accounts import Principal
from openlrs.domain.aggregation.account import AWARDING_ROLES, require_open, require_visible
from openlrs.domain.aggregation.diploma_rules import Component
from openlrs.domain.aggregation.errors import DiplomaResultInvalid
from openlrs.domain.aggregation.evaluation import DiplomaEvaluation
from openlrs.domain.aggregation.result_checks import check_result
from openlrs.domain.aggregation.results import ComponentResult, normal_grade
from openlrs.domain.aggregation.rule_files import diploma_rules
from openlrs.domain.identifiers import parse_qualification_number
from openlrs.services.diploma_reaggregate import reaggregate
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class SubmitDiplomaResult:
    account_id: int
    reference: str
    component: Component
    qualification: str
    title: str
    level: int
    grade: str
    achieved_on: dt.date
    points: int | None = None
    subject: str | None = None
    glh: int = 0
    barring_code: str | None = None


def _result(command: SubmitDiplomaResult, awarding_body: str) -> ComponentResult:
    return ComponentResult(
        reference=command.reference,
        awarding_body=awarding_body,
        component=Component(command.component),
        qualification=parse_qualification_number(command.qualification),
        title=command.title,
        level=command.level,
        grade=normal_grade(command.grade),
        achieved_on=command.achieved_on,
        points=command.points,
        subject=command.subject,
        glh=command.glh,
        barring_code=command.barring_code,
    )


def submit_diploma_result(
    command: SubmitDiplomaResult, *, principal: Principal, uow: UnitOfWork
) -> DiplomaEvaluation:
    """Add the result (or replace the one with its reference) and re-evaluate the account."""
    principal.require(AWARDING_ROLES)
    result = _result(command, principal.ukprn)
    with uow:
        account = require_visible(
            uow.diploma_accounts.get(command.account_id, for_update=True), principal
        )
        require_open(account)
        earlier = account.results.get(result.reference)
        if earlier is not None and earlier.awarding_body != principal.ukprn:
            raise DiplomaResultInvalid("Another awarding body's result already has that reference")
        check_result(diploma_rules(account.line, account.level.value), result)
        uow.diploma_accounts.put_result(command.account_id, result)
        refreshed = uow.diploma_accounts.get(command.account_id)
        assert refreshed is not None
        evaluation = reaggregate(refreshed, uow=uow)
        uow.commit()
    return evaluation
