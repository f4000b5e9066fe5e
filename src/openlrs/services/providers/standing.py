"""The service desk deactivates and reactivates providers. A deactivated provider's organisation is
suspended, so its users and API clients are refused on their next request (`authenticate.py`)."""

from __future__ import annotations

import dataclasses

from openlrs.domain.accounts.organisations import OrgStatus, Principal, Role
from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import ProviderNotFound, ProviderStatusConflict
from openlrs.domain.identifiers import parse_ukprn
from openlrs.domain.providers.provider import IN_GOOD_STANDING, Provider, ProviderStatus, clean_text
from openlrs.services.ports import UnitOfWork
from openlrs.services.providers import audit as provider_audit

DESK = frozenset({Role.ADMIN})


def _change(
    ukprn: str,
    *,
    deactivate: bool,
    reason: str | None,
    principal: Principal,
    uow: UnitOfWork,
) -> Provider:
    principal.require(DESK)
    ukprn = parse_ukprn(ukprn)
    note = clean_text(reason or "")[:500] or None
    with uow:
        uow.providers.lock()
        provider = uow.providers.get_by_ukprn(ukprn)
        if provider is None:
            raise ProviderNotFound()
        if deactivate and provider.status not in IN_GOOD_STANDING:
            raise ProviderStatusConflict(f"The provider is {provider.status.value}")
        if not deactivate and provider.status is not ProviderStatus.DEACTIVATED:
            raise ProviderStatusConflict(f"The provider is {provider.status.value}")
        if deactivate:
            status = ProviderStatus.DEACTIVATED
        elif provider.verified_legal_name == provider.details.legal_name:
            status = ProviderStatus.VERIFIED
        else:
            status = ProviderStatus.ACTIVE
        if uow.organisations.get(ukprn) is not None:
            uow.organisations.set_status(
                ukprn, OrgStatus.SUSPENDED if deactivate else OrgStatus.ACTIVE
            )
        stored = uow.providers.replace(
            dataclasses.replace(provider, status=status, version=provider.version + 1),
            changed_by=principal.actor,
            reason=note or ("deactivated" if deactivate else "reactivated"),
        )
        provider_audit.record(uow, principal, AuditAction.PROVIDER_STANDING, stored, status.value)
        uow.commit()
    return stored


def deactivate_provider(
    ukprn: str, *, reason: str | None, principal: Principal, uow: UnitOfWork
) -> Provider:
    return _change(ukprn, deactivate=True, reason=reason, principal=principal, uow=uow)


def reactivate_provider(
    ukprn: str, *, reason: str | None, principal: Principal, uow: UnitOfWork
) -> Provider:
    return _change(ukprn, deactivate=False, reason=reason, principal=principal, uow=uow)
