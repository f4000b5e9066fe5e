"""A component awarding body submits a result to an account; the account is re-aggregated."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction
from openlrs.domain.diploma.account import (
    AWARDING_ROLES,
    DiplomaAccount,
    require_may_submit,
    require_open,
)
from openlrs.domain.diploma.diploma_rules import Component
from openlrs.domain.diploma.errors import DiplomaResultInvalid
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.result_checks import check_result
from openlrs.domain.diploma.results import ComponentResult, normal_grade, with_result
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.domain.identifiers import parse_qualification_number
from openlrs.domain.plr.qualifications import Qualification
from openlrs.services.diploma.audit import audit_account
from openlrs.services.diploma.reaggregate import reaggregate
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class SubmitDiplomaResult:
    account_id: str
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


def to_result(command: SubmitDiplomaResult, awarding_body: str) -> ComponentResult:
    """The result as the account holds it (grade normalised, qualification number checked)."""
    try:
        component = Component(command.component)
    except ValueError:
        raise DiplomaResultInvalid(f"Not a component: {command.component}") from None
    return ComponentResult(
        reference=command.reference,
        awarding_body=awarding_body,
        component=component,
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


def accept_result(
    account: DiplomaAccount | None,
    result: ComponentResult,
    principal: Principal,
    qualification: Qualification | None,
) -> DiplomaAccount:
    """The account with the result on it, once the principal may post it there (its
    `qualification` on the register, if there: `require_may_submit`) and the Diploma can hold it
    (a reference sent again replaces its earlier result, from the same body only)."""
    account = require_may_submit(account, principal, qualification)
    require_open(account)
    earlier = account.results.get(result.reference)
    if earlier is not None and earlier.awarding_body != principal.ukprn:
        raise DiplomaResultInvalid("Another awarding body's result already has that reference")
    check_result(diploma_rules(account.line, account.level.value), result)
    return replace(account, results=with_result(account.results, result))


def submit_diploma_result(
    command: SubmitDiplomaResult, *, principal: Principal, uow: UnitOfWork
) -> DiplomaEvaluation:
    """Add the result (or replace the one with its reference) and re-evaluate the account."""
    with uow:
        evaluation = submit_within(command, principal=principal, uow=uow)
        uow.commit()
    return evaluation


def submit_within(
    command: SubmitDiplomaResult, *, principal: Principal, uow: UnitOfWork
) -> DiplomaEvaluation:
    """Submit the result inside the caller's open unit of work (not committed): a batch row."""
    principal.require(AWARDING_ROLES)
    result = to_result(command, principal.ukprn)
    account = uow.diploma_accounts.get(command.account_id, for_update=True)
    qualification = uow.qualifications.get(result.qualification)
    account = accept_result(account, result, principal, qualification)
    uow.diploma_accounts.put_result(command.account_id, result)
    evaluation = reaggregate(account, uow=uow)
    audit_account(
        AuditAction.DIPLOMA_RESULT_SUBMIT,
        account,
        principal=principal,
        uow=uow,
        outcome="accepted",
        reference=result.reference,
    )
    return evaluation
