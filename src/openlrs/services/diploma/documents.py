"""An awarded Diploma's certificate or transcript (PDF), for whoever may view the account.

Each one produced is audited (it discloses the learner's results). An account not yet awarded
has neither: DIPLOMA_NOT_AWARDED."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.audit import AuditAction
from openlrs.domain.diploma.account import AccountStatus, DiplomaAccount, require_visible
from openlrs.domain.diploma.errors import DiplomaNotAwarded
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.domain.errors import LearnerNotFound
from openlrs.domain.plr.errors import LearnerOptedOut
from openlrs.reports.diploma_document import certificate_pdf, transcript_pdf
from openlrs.services.diploma.audit import audit_account
from openlrs.services.plr.learner import current_learner
from openlrs.services.ports import UnitOfWork


def _require_own_award(account: DiplomaAccount, principal: Principal) -> None:
    """After the learner opts out, only the desk and the Diploma awarding body (which deposited
    the award) may have the documents."""
    if Role.ADMIN not in principal.roles and account.awarding_body_ukprn != principal.ukprn:
        raise LearnerOptedOut()


class DiplomaDocumentKind(StrEnum):
    CERTIFICATE = "certificate"
    TRANSCRIPT = "transcript"


_MAKERS = {
    DiplomaDocumentKind.CERTIFICATE: (certificate_pdf, AuditAction.DIPLOMA_CERTIFICATE),
    DiplomaDocumentKind.TRANSCRIPT: (transcript_pdf, AuditAction.DIPLOMA_TRANSCRIPT),
}


@dataclass(frozen=True)
class DiplomaDocument:
    content: bytes
    filename: str
    media_type: str = "application/pdf"


def diploma_document(
    account_id: str, kind: DiplomaDocumentKind, *, principal: Principal, uow: UnitOfWork
) -> DiplomaDocument:
    make, action = _MAKERS[kind]
    with uow:
        account = require_visible(uow.diploma_accounts.get(account_id), principal)
        if not uow.learning_events.shares(account.uln):
            _require_own_award(account, principal)
        if account.status is not AccountStatus.AWARDED:
            raise DiplomaNotAwarded(f"The account is {account.status.value}")
        learner, _ = current_learner(account.uln, uow)
        if learner is None:
            raise LearnerNotFound()
        audit_account(action, account, principal=principal, uow=uow, outcome="produced")
        uow.commit()
    rules = diploma_rules(account.line, account.level.value)
    content = make(account, rules, learner, made_at=dt.datetime.now(dt.UTC))
    return DiplomaDocument(content, f"diploma-{account_id}-{kind.value}.pdf")
