"""Read the audit trail: the service desk sees all of it, an organisation's admin its own."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import ORG_ADMIN_ROLES, Principal, Role
from openlrs.domain.audit import AuditEvent
from openlrs.domain.errors import NotAuthorised
from openlrs.services.ports import UnitOfWork


def list_audit_events(
    *,
    ukprn: str | None,
    uln: str | None,
    before_id: int | None,
    limit: int,
    principal: Principal,
    uow: UnitOfWork,
) -> list[AuditEvent]:
    principal.require(ORG_ADMIN_ROLES)
    if Role.ADMIN not in principal.roles:
        if ukprn not in (None, principal.ukprn):
            raise NotAuthorised()
        ukprn = principal.ukprn
    with uow:
        return uow.audit.list(ukprn=ukprn, uln=uln, before_id=before_id, limit=limit)
