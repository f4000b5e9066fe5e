"""The audit trail of Diploma accounts: who did what to which learner's account, in the same
transaction as the change (or the read). The detail names the account (and the result's
reference), never anything else about the learner."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.diploma.account import DiplomaAccount
from openlrs.services.ports import UnitOfWork


def account_event(
    action: AuditAction,
    account: DiplomaAccount,
    *,
    principal: Principal,
    outcome: str,
    reference: str | None = None,
) -> AuditEvent:
    detail = f"account {account.id}" + (f" result {reference}" if reference else "")
    return AuditEvent(
        principal.actor,
        principal.ukprn,
        action,
        uln=account.uln,
        outcome=outcome,
        detail=detail,
    )


def audit_account(
    action: AuditAction,
    account: DiplomaAccount,
    *,
    principal: Principal,
    uow: UnitOfWork,
    outcome: str = "done",
    reference: str | None = None,
) -> None:
    """Append one event for the account to the unit of work's audit log (not yet committed)."""
    event = account_event(
        action, account, principal=principal, outcome=outcome, reference=reference
    )
    uow.audit.record(event)
