"""Who is calling: check client credentials once, and the account's standing on every request."""

from __future__ import annotations

from openlrs.domain.accounts.organisations import OrgStatus, Principal
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import AuthenticationFailed, OrganisationNotActive
from openlrs.services.accounts.credentials import DUMMY_HASH, verify_secret
from openlrs.services.ports import UnitOfWork


def authenticate(kind: str, login: str, secret: str, *, uow: UnitOfWork) -> Principal:
    """Check a client secret or user password; every attempt is audited, the secret never."""
    with uow:
        account = uow.accounts.get(kind, login)
        ok = verify_secret(account.secret_hash if account else DUMMY_HASH, secret)
        if account is None or not ok or not account.active:
            uow.audit.record(
                AuditEvent(
                    actor=f"{kind}:{login}"[:100],
                    ukprn=account.ukprn if account else None,
                    action=AuditAction.TOKEN_REFUSED,
                )
            )
            uow.commit()
            raise AuthenticationFailed()
        if account.organisation_status is not OrgStatus.ACTIVE:
            uow.audit.record(
                AuditEvent(
                    actor=f"{kind}:{login}"[:100],
                    ukprn=account.ukprn,
                    action=AuditAction.TOKEN_REFUSED,
                    outcome="organisation_not_active",
                )
            )
            uow.commit()
            raise OrganisationNotActive()
        principal = Principal(
            actor=f"{kind}:{login}", ukprn=account.ukprn, roles=account.effective_roles
        )
        uow.audit.record(
            AuditEvent(actor=principal.actor, ukprn=principal.ukprn, action=AuditAction.TOKEN_ISSUE)
        )
        uow.commit()
    return principal


def current_standing(kind: str, login: str, *, uow: UnitOfWork) -> Principal:
    """The principal for a token's subject, refused at once if revoked or its organisation is not
    active: roles come from the register, not from the token."""
    with uow.autocommit():
        account = uow.accounts.get(kind, login)
    if account is None or not account.active:
        raise AuthenticationFailed("The credentials have been revoked")
    if account.organisation_status is not OrgStatus.ACTIVE:
        raise OrganisationNotActive()
    return Principal(actor=f"{kind}:{login}", ukprn=account.ukprn, roles=account.effective_roles)
