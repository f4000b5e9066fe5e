"""The audit-trail entry every service-desk or provider-admin change to the register leaves."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.providers.provider import Provider
from openlrs.services.ports import UnitOfWork


def record(
    uow: UnitOfWork, principal: Principal, action: AuditAction, provider: Provider, outcome: str
) -> None:
    uow.audit.record(
        AuditEvent(
            actor=principal.actor,
            ukprn=principal.ukprn or None,
            action=action,
            outcome=outcome[:40],
            detail=f"{provider.reference} {provider.ukprn or '-'}",
        )
    )
