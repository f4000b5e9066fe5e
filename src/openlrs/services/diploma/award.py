"""The Diploma awarding body awards a claimed Diploma with its final grade; in the same transaction
the award becomes an achievement on the learner's PLR (the master's, if the ULN has been merged)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.diploma import account as diploma_account
from openlrs.domain.diploma.account import DiplomaAccount, award_event, require_visible
from openlrs.domain.diploma.diploma_rules import DiplomaRules
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.domain.errors import LearnerNotFound
from openlrs.domain.notifications.messages import diploma_awarded
from openlrs.services.diploma.audit import audit_account
from openlrs.services.diploma.reaggregate import reaggregate
from openlrs.services.notifications.outbox import notify
from openlrs.services.plr.learner import lock_current
from openlrs.services.ports import UnitOfWork


@dataclass(frozen=True)
class AwardDiploma:
    account_id: str
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
        _record_on_plr(awarded, rules, principal=principal, uow=uow)
        outcome = f"awarded {awarded.final_grade}"
        audit_account(
            AuditAction.DIPLOMA_AWARD, awarded, principal=principal, uow=uow, outcome=outcome
        )
        if awarded.id is not None:
            for ukprn in {awarded.centre_ukprn, awarded.awarding_body_ukprn}:
                notify(uow, diploma_awarded(awarded.id, ukprn))
        uow.commit()
    return awarded, evaluation


def _record_on_plr(
    account: DiplomaAccount, rules: DiplomaRules, *, principal: Principal, uow: UnitOfWork
) -> None:
    learner = lock_current(account.uln, uow)
    if learner is None:
        raise LearnerNotFound()
    event = award_event(account, rules, event_id=str(uuid.uuid4()), uln=learner.uln)
    if uow.learning_events.by_natural_key(event.natural_key) is not None:
        return  # the awarding body had posted this Diploma itself: it is on the record already
    stored = uow.learning_events.add(event, actor=principal.actor)
    uow.learning_events.bump_record_version(learner.uln)
    uow.audit.record(
        AuditEvent(
            principal.actor,
            principal.ukprn,
            AuditAction.ACHIEVEMENT_CREATE,
            uln=learner.uln,
            outcome="created",
            detail=stored.id,
        )
    )
