"""Organisations, users and API clients: create, list, suspend and revoke."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import (
    ORG_ADMIN_ROLES,
    Account,
    Organisation,
    OrgStatus,
    OrgType,
    Principal,
    Role,
    check_grant,
    roles_allowed,
)
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.domain.errors import (
    AccountExists,
    AccountNotFound,
    FieldError,
    NotAuthorised,
    OrganisationExists,
    OrganisationNotFound,
    OrganisationSuspensionRefused,
    ValidationFailed,
)
from openlrs.domain.identifiers import parse_dfe_number, parse_ukprn
from openlrs.domain.learner_accounts.accounts import is_learner_username
from openlrs.services.accounts.credentials import hash_secret, new_client_credentials
from openlrs.services.ports import UnitOfWork

ADMIN_ONLY = frozenset({Role.ADMIN})
ANY_ROLE = frozenset(Role) - {Role.LEARNER}
OPERATOR = Principal(actor="operator", ukprn="", roles=ADMIN_ONLY)
"""Whoever runs `openlrs` commands on the server (the audit trail's actor for them)."""


@dataclass(frozen=True)
class NewClient:
    client_id: str
    client_secret: str
    ukprn: str
    roles: frozenset[Role]


def _audit(uow: UnitOfWork, principal: Principal, action: AuditAction, detail: str) -> None:
    uow.audit.record(
        AuditEvent(actor=principal.actor, ukprn=principal.ukprn, action=action, detail=detail)
    )


def create_organisation(
    organisation: Organisation, *, principal: Principal, uow: UnitOfWork
) -> Organisation:
    principal.require(ADMIN_ONLY)
    ukprn = parse_ukprn(organisation.ukprn)
    if not organisation.name.strip():
        raise ValidationFailed(
            [FieldError("name", "FIELD_REQUIRED", "Enter the organisation's name")]
        )
    with uow:
        if uow.organisations.get(ukprn) is not None:
            raise OrganisationExists()
        created = uow.organisations.add(
            Organisation(
                ukprn, organisation.name.strip(), organisation.org_type, organisation.status
            )
        )
        _audit(uow, principal, AuditAction.ORGANISATION_CREATE, ukprn)
        uow.commit()
    return created


def ensure_organisation(
    ukprn: str, name: str, org_type: OrgType, *, principal: Principal, uow: UnitOfWork
) -> Organisation:
    """The organisation with `ukprn`, created first if it is new (used by the CLI and demo)."""
    with uow:
        existing = uow.organisations.get(parse_ukprn(ukprn))
    if existing is not None:
        return existing
    return create_organisation(Organisation(ukprn, name, org_type), principal=principal, uow=uow)


def get_organisation(ukprn: str, *, principal: Principal, uow: UnitOfWork) -> Organisation:
    """The desk reads any organisation; an account holding some role, its own (a grant stored
    against the rule gives no role, and so not even this)."""
    principal.require(ANY_ROLE)
    if Role.ADMIN not in principal.roles and principal.ukprn != ukprn:
        raise NotAuthorised()
    with uow:
        found = uow.organisations.get(parse_ukprn(ukprn))
    if found is None:
        raise OrganisationNotFound()
    return found


def list_organisations(
    *, after: str | None, limit: int, principal: Principal, uow: UnitOfWork
) -> list[Organisation]:
    principal.require(ADMIN_ONLY)
    with uow:
        return uow.organisations.list(after=after, limit=limit)


def set_organisation_status(
    ukprn: str, status: OrgStatus, *, principal: Principal, uow: UnitOfWork
) -> Organisation:
    """Suspend or reactivate. Nobody suspends their own organisation, nor the last active service
    desk (either would leave nobody able to undo it but `openlrs reactivate-organisation`)."""
    principal.require(ADMIN_ONLY)
    ukprn = parse_ukprn(ukprn)
    with uow:
        found = uow.organisations.get(ukprn)
        if found is None:
            raise OrganisationNotFound()
        if status is OrgStatus.SUSPENDED:
            _check_suspension(found, principal, uow)
        uow.organisations.set_status(ukprn, status)
        _audit(uow, principal, AuditAction.ORGANISATION_UPDATE, f"{ukprn} {status.value}")
        uow.commit()
        found = uow.organisations.get(ukprn)
    assert found is not None
    return found


def set_school_number(
    ukprn: str, dfe_number: str | None, *, principal: Principal, uow: UnitOfWork
) -> Organisation:
    """Record a school's DfE number (3-digit LEA, 4-digit establishment), against which its
    Common Transfer Files are checked; the service desk's (or the operator's) to set."""
    principal.require(ADMIN_ONLY)
    ukprn = parse_ukprn(ukprn)
    number = parse_dfe_number(dfe_number) if dfe_number else None
    with uow:
        if uow.organisations.get(ukprn) is None:
            raise OrganisationNotFound()
        uow.organisations.set_dfe_number(ukprn, number)
        _audit(uow, principal, AuditAction.ORGANISATION_UPDATE, f"{ukprn} dfe {number or '-'}")
        uow.commit()
        found = uow.organisations.get(ukprn)
    assert found is not None
    return found


def _check_suspension(organisation: Organisation, principal: Principal, uow: UnitOfWork) -> None:
    if organisation.ukprn == principal.ukprn:
        raise OrganisationSuspensionRefused("You cannot suspend your own organisation")
    if (
        organisation.org_type is OrgType.SERVICE_DESK
        and organisation.status is OrgStatus.ACTIVE
        and uow.organisations.count_active(OrgType.SERVICE_DESK) <= 1
    ):
        raise OrganisationSuspensionRefused(
            "This is the last active service desk organisation: it cannot be suspended"
        )


def reactivate_organisation(ukprn: str, *, uow: UnitOfWork) -> Organisation:
    """The operator's way back (`openlrs reactivate-organisation`): audited as `operator`."""
    return set_organisation_status(ukprn, OrgStatus.ACTIVE, principal=OPERATOR, uow=uow)


def check_roles(principal: Principal, roles: frozenset[Role]) -> None:
    """Only the service desk may hand out the service-desk role."""
    if Role.ADMIN in roles and Role.ADMIN not in principal.roles:
        raise NotAuthorised("Only the service desk can grant the admin role")


def grantable_here(uow: UnitOfWork, ukprn: str, roles: frozenset[Role]) -> None:
    """The organisation exists and its type may hold every role asked for (ROLE_NOT_ALLOWED)."""
    organisation = uow.organisations.get(ukprn)
    if organisation is None:
        raise OrganisationNotFound()
    check_grant(organisation.org_type, roles)


def grantable_roles(ukprn: str, *, principal: Principal, uow: UnitOfWork) -> frozenset[Role]:
    """The roles `principal` may give an account of this organisation (for the portal's form)."""
    ukprn = parse_ukprn(ukprn)
    principal.require_org_admin(ukprn)
    with uow:
        organisation = uow.organisations.get(ukprn)
    if organisation is None:
        raise OrganisationNotFound()
    allowed = roles_allowed(organisation.org_type)
    return allowed if Role.ADMIN in principal.roles else allowed - {Role.ADMIN}


def create_client(
    ukprn: str,
    roles: frozenset[Role],
    *,
    principal: Principal,
    uow: UnitOfWork,
    credentials: tuple[str, str] | None = None,
) -> NewClient:
    """A new API client; its secret is shown once here and only its hash is kept.

    `credentials` fixes the id and secret (the demo uses it so its printed secrets stay valid)."""
    ukprn = parse_ukprn(ukprn)
    principal.require_org_admin(ukprn)
    check_roles(principal, roles)
    client_id, secret = credentials or new_client_credentials()
    with uow:
        grantable_here(uow, ukprn, roles)
        if uow.accounts.get("client", client_id) is not None:
            raise AccountExists()
        uow.accounts.add(Account("client", client_id, ukprn, roles, None, hash_secret(secret)))
        _audit(uow, principal, AuditAction.ACCOUNT_CREATE, f"client {client_id}")
        uow.commit()
    return NewClient(client_id, secret, ukprn, roles)


def create_user(
    ukprn: str,
    username: str,
    password: str,
    roles: frozenset[Role],
    *,
    principal: Principal,
    uow: UnitOfWork,
) -> Account:
    ukprn = parse_ukprn(ukprn)
    principal.require_org_admin(ukprn)
    check_roles(principal, roles)
    if is_learner_username(username):  # learners' sessions use these names (issue 22)
        message = "A username cannot start with 'learner:'"
        raise ValidationFailed([FieldError("username", "USERNAME_RESERVED", message)])
    with uow:
        grantable_here(uow, ukprn, roles)
        if uow.accounts.get("user", username) is not None:
            raise AccountExists()
        account = Account("user", username, ukprn, roles, None, hash_secret(password))
        uow.accounts.add(account)
        _audit(uow, principal, AuditAction.ACCOUNT_CREATE, f"user {username}")
        uow.commit()
    return account


def list_accounts(kind: str, ukprn: str, *, principal: Principal, uow: UnitOfWork) -> list[Account]:
    ukprn = parse_ukprn(ukprn)
    principal.require_org_admin(ukprn)
    with uow:
        return uow.accounts.list(kind, ukprn)


def revoke_account(kind: str, login: str, *, principal: Principal, uow: UnitOfWork) -> Account:
    """Revoke a user or client; its tokens stop working on their next request and a user's
    portal sessions end.

    Callers who may not manage the account get the same answer whether or not it exists."""
    principal.require(ORG_ADMIN_ROLES)
    with uow:
        account = uow.accounts.get(kind, login)
        if account is None or (
            Role.ADMIN not in principal.roles and account.ukprn != principal.ukprn
        ):
            raise AccountNotFound()
        now = dt.datetime.now(dt.UTC)
        uow.accounts.revoke(kind, login, now)
        if kind == "user":
            uow.portal_sessions.revoke_all(login, now)  # signed out everywhere, at once
        _audit(uow, principal, AuditAction.ACCOUNT_REVOKE, f"{kind} {login}")
        uow.commit()
        revoked = uow.accounts.get(kind, login)
    assert revoked is not None
    return revoked


def _managed_user(uow: UnitOfWork, principal: Principal, username: str) -> Account:
    """A user this principal may manage (its own organisation's, or any for the desk)."""
    principal.require(ORG_ADMIN_ROLES)
    account = uow.accounts.get("user", username)
    if account is None or (Role.ADMIN not in principal.roles and account.ukprn != principal.ukprn):
        raise AccountNotFound()
    return account


def get_user(username: str, *, principal: Principal, uow: UnitOfWork) -> Account:
    with uow:
        return _managed_user(uow, principal, username)


def change_roles(
    username: str, roles: frozenset[Role], *, principal: Principal, uow: UnitOfWork
) -> Account:
    """Give a user a new set of roles (only roles its organisation may hold and the
    administrator may grant); its next request already runs with them."""
    check_roles(principal, roles)
    with uow:
        account = _managed_user(uow, principal, username)
        grantable_here(uow, account.ukprn, roles)
        uow.accounts.update("user", username, roles=roles)
        _audit(uow, principal, AuditAction.ACCOUNT_UPDATE, f"user {username}")
        uow.commit()
        changed = uow.accounts.get("user", username)
    assert changed is not None
    return changed


def reinstate_user(username: str, *, principal: Principal, uow: UnitOfWork) -> Account:
    """Let a deactivated (revoked) user sign in again."""
    with uow:
        _managed_user(uow, principal, username)
        uow.accounts.update("user", username, reinstate=True)
        _audit(uow, principal, AuditAction.ACCOUNT_REINSTATE, f"user {username}")
        uow.commit()
        changed = uow.accounts.get("user", username)
    assert changed is not None
    return changed


def organisation_name(ukprn: str, *, uow: UnitOfWork) -> str | None:
    """An organisation's name, for pages that would otherwise show its number (names are public:
    the register of learning providers shows them to anyone)."""
    with uow:
        found = uow.organisations.get(ukprn)
    return found.name if found else None
