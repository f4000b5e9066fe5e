"""The Diploma accounts an organisation is party to, newest first, each with its evaluation: a
centre's own accounts, or those an awarding body awards or has results on (for the portal)."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.diploma.account import READ_ROLES, DiplomaAccount, shown_to
from openlrs.domain.diploma.evaluation import DiplomaEvaluation
from openlrs.domain.diploma.rule_files import diploma_rules
from openlrs.domain.plr.errors import LearnerOptedOut
from openlrs.services.ports import UnitOfWork

LIST_LIMIT = 100
"""The newest this many; older accounts are found by the learner's ULN."""


def list_diploma_accounts(
    *, principal: Principal, uow: UnitOfWork, limit: int = LIST_LIMIT
) -> list[tuple[DiplomaAccount, DiplomaEvaluation]]:
    """The service desk is party to none: it finds accounts by ULN. The listing is audited (it
    discloses ULNs), as one event naming how many accounts it showed."""
    principal.require(READ_ROLES)
    as_centre = bool(principal.roles & {Role.LRB, Role.LRB_ADMIN})
    as_awarding_body = Role.AO in principal.roles
    with uow:
        found = uow.diploma_accounts.for_organisation(
            principal.ukprn, as_centre=as_centre, as_awarding_body=as_awarding_body, limit=limit
        )
        found = _shown(found, principal, uow)
        action = AuditAction.DIPLOMA_ACCOUNT_LIST
        outcome = f"{len(found)} listed"
        uow.audit.record(AuditEvent(principal.actor, principal.ukprn, action, outcome=outcome))
        uow.commit()
    return [(a, a.evaluate(diploma_rules(a.line, a.level.value))) for a in found]


def _shown(
    found: list[DiplomaAccount], principal: Principal, uow: UnitOfWork
) -> list[DiplomaAccount]:
    """Each account as the principal may see it: opted-out learners' accounts leave a centre's
    list, and keep only an awarding organisation's own results (`shown_to`)."""
    shown = []
    for account in found:
        try:
            shares = uow.learning_events.shares(account.uln)
            shown.append(shown_to(account, principal, shares=shares))
        except LearnerOptedOut:
            continue
    return shown
