"""The service desk's verification queue: applications and legal-name changes, each shown with the
providers it may duplicate; approve (allocating a UKPRN) or reject with a reason."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Organisation, OrgStatus, Principal, Role
from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import (
    FieldError,
    ProviderNotFound,
    ProviderPossibleDuplicate,
    ProviderStatusConflict,
    ValidationFailed,
)
from openlrs.domain.providers.duplicates import PossibleDuplicate, find_duplicates
from openlrs.domain.providers.provider import Provider, ProviderStatus, ProviderVersion, clean_text
from openlrs.services.ports import UnitOfWork
from openlrs.services.providers import audit as provider_audit

DESK = frozenset({Role.ADMIN})
AWAITING_DESK = frozenset({ProviderStatus.APPLIED, ProviderStatus.ACTIVE})
"""New applications, and providers whose legal name changed since the desk verified it."""
DUPLICATE_CANDIDATES = 200


@dataclass(frozen=True)
class ApplicationView:
    provider: Provider
    duplicates: list[PossibleDuplicate]
    history: list[ProviderVersion]


@dataclass(frozen=True)
class Decide:
    reference: str
    approve: bool
    reason: str | None = None
    confirm_not_duplicate: bool = False
    """Approve although the duplicate rules found providers it may be."""


def duplicates_of(provider: Provider, uow: UnitOfWork) -> list[PossibleDuplicate]:
    candidates = uow.providers.duplicate_candidates(provider, limit=DUPLICATE_CANDIDATES)
    return find_duplicates(provider, candidates)


def verification_queue(
    *, after_id: int | None, limit: int, principal: Principal, uow: UnitOfWork
) -> list[ApplicationView]:
    principal.require(DESK)
    with uow:
        waiting = uow.providers.queue(AWAITING_DESK, after_id=after_id, limit=limit)
        return [ApplicationView(p, duplicates_of(p, uow), []) for p in waiting]


def get_application(reference: str, *, principal: Principal, uow: UnitOfWork) -> ApplicationView:
    principal.require(DESK)
    with uow:
        provider = uow.providers.get_by_reference(reference)
        if provider is None or provider.id is None:
            raise ProviderNotFound()
        return ApplicationView(
            provider, duplicates_of(provider, uow), uow.providers.history(provider.id)
        )


def _reason(command: Decide) -> str | None:
    reason = clean_text(command.reason or "")[:500] or None
    if reason is None and not command.approve:
        raise ValidationFailed([FieldError("reason", "FIELD_REQUIRED", "Say why it is rejected")])
    return reason


def _approve_application(provider: Provider, command: Decide, uow: UnitOfWork) -> Provider:
    found = duplicates_of(provider, uow)
    if found and not command.confirm_not_duplicate:
        rules = sorted({r.rule.value for d in found for r in d.reasons})
        raise ProviderPossibleDuplicate(
            f"{len(found)} provider(s) may be the same organisation ({', '.join(rules)}); "
            "check them, then approve with confirm_not_duplicate"
        )
    ukprn = uow.providers.allocate_ukprn()
    details = provider.details
    uow.organisations.add(
        Organisation(ukprn, details.legal_name, details.provider_type, OrgStatus.ACTIVE)
    )
    return dataclasses.replace(
        provider,
        ukprn=ukprn,
        status=ProviderStatus.VERIFIED,
        verified_legal_name=details.legal_name,
    )


def _decided(provider: Provider, command: Decide, reason: str | None, uow: UnitOfWork) -> Provider:
    if provider.status is ProviderStatus.APPLIED and command.approve:
        return _approve_application(provider, command, uow)
    if provider.status is ProviderStatus.APPLIED:
        return dataclasses.replace(provider, status=ProviderStatus.REJECTED, notes=reason)
    if command.approve:  # a changed legal name, now verified
        return dataclasses.replace(
            provider,
            status=ProviderStatus.VERIFIED,
            verified_legal_name=provider.details.legal_name,
        )
    # a changed legal name refused: back to the name last verified
    restored = dataclasses.replace(
        provider.details, legal_name=provider.verified_legal_name or provider.details.legal_name
    )
    return dataclasses.replace(
        provider, details=restored, status=ProviderStatus.VERIFIED, notes=reason
    )


def decide_application(command: Decide, *, principal: Principal, uow: UnitOfWork) -> Provider:
    """Approve or reject an application (or a legal-name change) waiting for the desk."""
    principal.require(DESK)
    reason = _reason(command)
    with uow:
        uow.providers.lock()
        provider = uow.providers.get_by_reference(command.reference)
        if provider is None:
            raise ProviderNotFound()
        if provider.status not in AWAITING_DESK:
            raise ProviderStatusConflict(f"The provider is {provider.status.value}")
        decided = _decided(provider, command, reason, uow)
        stored = uow.providers.replace(
            dataclasses.replace(decided, version=provider.version + 1),
            changed_by=principal.actor,
            reason=reason or ("approved" if command.approve else "rejected"),
        )
        outcome = "approved" if command.approve else "rejected"
        provider_audit.record(uow, principal, AuditAction.PROVIDER_DECIDE, stored, outcome)
        uow.commit()
    return stored
