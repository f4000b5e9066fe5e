"""The centre records what only it can vouch for: work experience days and the six PLTS."""

from __future__ import annotations

import dataclasses

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction
from openlrs.domain.diploma.account import require_centre, require_open
from openlrs.domain.diploma.diploma_rules import PLTS
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.services.diploma.audit import audit_account
from openlrs.services.diploma.reaggregate import reaggregate
from openlrs.services.ports import UnitOfWork

MAX_DAYS = 365


def record_work_experience(
    account_id: str, days: int, *, principal: Principal, uow: UnitOfWork
) -> DiplomaEvaluation:
    """Set the days of work experience completed (a correction may lower them)."""
    if not 0 <= days <= MAX_DAYS:
        raise ValidationFailed([FieldError("days", "DAYS_OUT_OF_RANGE", f"0 to {MAX_DAYS} days")])
    with uow:
        account = require_centre(uow.diploma_accounts.get(account_id, for_update=True), principal)
        require_open(account)
        evaluation = reaggregate(dataclasses.replace(account, work_experience_days=days), uow=uow)
        action = AuditAction.DIPLOMA_WORK_EXPERIENCE
        audit_account(action, account, principal=principal, uow=uow, outcome="recorded")
        uow.commit()
    return evaluation


def record_plts(
    account_id: str, skills: frozenset[str], *, principal: Principal, uow: UnitOfWork
) -> DiplomaEvaluation:
    """Set which of the six personal, learning and thinking skills the learner has completed."""
    unknown = sorted(skills - set(PLTS))
    if unknown:
        message = f"Not a PLTS: {', '.join(unknown)}; expected some of {', '.join(PLTS)}"
        raise ValidationFailed([FieldError("skills", "PLTS_UNKNOWN", message)])
    with uow:
        account = require_centre(uow.diploma_accounts.get(account_id, for_update=True), principal)
        require_open(account)
        evaluation = reaggregate(dataclasses.replace(account, plts=skills), uow=uow)
        action = AuditAction.DIPLOMA_PLTS
        audit_account(action, account, principal=principal, uow=uow, outcome="recorded")
        uow.commit()
    return evaluation
