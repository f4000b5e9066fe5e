"""A provider's own admin (or the service desk) changes its details. A new legal name must be
verified again: the provider becomes `active` and waits in the desk's queue until it is."""

from __future__ import annotations

import dataclasses

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import ProviderNotFound, ProviderStatusConflict
from openlrs.domain.identifiers import parse_ukprn
from openlrs.domain.providers.provider import (
    IN_GOOD_STANDING,
    Provider,
    ProviderChanges,
    ProviderDetails,
    ProviderStatus,
    provider_name_key,
)
from openlrs.domain.providers.rules import validated_details
from openlrs.services.ports import UnitOfWork
from openlrs.services.providers import audit as provider_audit


def _merged(details: ProviderDetails, changes: ProviderChanges) -> ProviderDetails:
    given = {
        f.name: getattr(changes, f.name)
        for f in dataclasses.fields(changes)
        if getattr(changes, f.name) is not None
    }
    return dataclasses.replace(details, **given)


def _status_after(provider: Provider, details: ProviderDetails) -> ProviderStatus:
    verified = provider.verified_legal_name or ""
    if provider_name_key(details.legal_name) == provider_name_key(verified):
        return ProviderStatus.VERIFIED
    return ProviderStatus.ACTIVE


def update_provider_details(
    ukprn: str, changes: ProviderChanges, *, principal: Principal, uow: UnitOfWork
) -> Provider:
    ukprn = parse_ukprn(ukprn)
    principal.require_org_admin(ukprn)
    with uow:
        uow.providers.lock()
        provider = uow.providers.get_by_ukprn(ukprn)
        if provider is None:
            raise ProviderNotFound()
        if provider.status not in IN_GOOD_STANDING:
            raise ProviderStatusConflict(f"The provider is {provider.status.value}")
        details = validated_details(_merged(provider.details, changes))
        if details == provider.details:
            return provider
        status = _status_after(provider, details)
        stored = uow.providers.replace(
            dataclasses.replace(
                provider, details=details, status=status, version=provider.version + 1
            ),
            changed_by=principal.actor,
            reason="legal name changed: to be verified"
            if status is ProviderStatus.ACTIVE
            else "details updated",
        )
        provider_audit.record(uow, principal, AuditAction.PROVIDER_UPDATE, stored, status.value)
        uow.commit()
    return stored
