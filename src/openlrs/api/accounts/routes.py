"""Organisations, users, API clients and the audit trail, for the service desk and org admins."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status

from openlrs.api.deps import CurrentPrincipal, UowFactoryDep, requires
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.learners.schemas import (
    AccountOut,
    AuditOut,
    ClientCreated,
    ClientIn,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    UserIn,
)
from openlrs.domain.accounts.organisations import (
    ADMIN_ROLES,
    ORG_ADMIN_ROLES,
    Account,
    Organisation,
)
from openlrs.services import audit_trail
from openlrs.services.accounts import manage as accounts

router = APIRouter(prefix="/api/v1", tags=["administration"], route_class=UniqueKeysRoute)

Limit = Annotated[int, Query(ge=1, le=500)]
# Shapes checked here so that odd input (a NUL byte, a 30-digit id) is a 422, not a database error.
_LOGIN = r"^[A-Za-z0-9._@+-]+$"
ClientId = Annotated[str, Path(max_length=64, pattern=_LOGIN)]
Username = Annotated[str, Path(max_length=100, pattern=_LOGIN)]
UkprnAfter = Annotated[str | None, Query(pattern=r"^[0-9]{1,8}$")]
UkprnFilter = Annotated[str | None, Query(pattern=r"^[0-9]{8}$")]
UlnFilter = Annotated[str | None, Query(pattern=r"^[0-9]{10}$")]
EventId = Annotated[int | None, Query(ge=1, le=2**63 - 1)]


def _account(account: Account) -> dict[str, Any]:
    return {
        "kind": account.kind,
        "login": account.login,
        "ukprn": account.ukprn,
        "roles": sorted(account.roles),
        "revoked_at": account.revoked_at,
    }


@router.get(
    "/organisations",
    response_model=list[OrganisationOut],
    dependencies=[requires(ADMIN_ROLES)],
    operation_id="listOrganisations",
)
def list_organisations(
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    after: UkprnAfter = None,
    limit: Limit = 100,
) -> Any:
    """All organisations in UKPRN order; page with `after` (the last UKPRN seen)."""
    return accounts.list_organisations(
        after=after, limit=limit, principal=principal, uow=uow_factory()
    )


@router.post(
    "/organisations",
    operation_id="createOrganisation",
    response_model=OrganisationOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[requires(ADMIN_ROLES)],
)
def create_organisation(
    body: OrganisationIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    return accounts.create_organisation(
        Organisation(body.ukprn, body.name, body.org_type), principal=principal, uow=uow_factory()
    )


@router.get(
    "/organisations/{ukprn}", response_model=OrganisationOut, operation_id="getOrganisation"
)
def get_organisation(ukprn: str, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    return accounts.get_organisation(ukprn, principal=principal, uow=uow_factory())


@router.patch(
    "/organisations/{ukprn}",
    response_model=OrganisationOut,
    dependencies=[requires(ADMIN_ROLES)],
    operation_id="updateOrganisation",
)
def update_organisation(
    ukprn: str, body: OrganisationPatch, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """Suspend or reactivate an organisation; a suspended one's accounts are refused at once."""
    return accounts.set_organisation_status(
        ukprn, body.status, principal=principal, uow=uow_factory()
    )


@router.get(
    "/organisations/{ukprn}/clients",
    operation_id="listClients",
    response_model=list[AccountOut],
    dependencies=[requires(ORG_ADMIN_ROLES)],
)
def list_clients(ukprn: str, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    return [
        _account(a)
        for a in accounts.list_accounts("client", ukprn, principal=principal, uow=uow_factory())
    ]


@router.post(
    "/organisations/{ukprn}/clients",
    operation_id="createClient",
    response_model=ClientCreated,
    status_code=status.HTTP_201_CREATED,
    dependencies=[requires(ORG_ADMIN_ROLES)],
)
def create_client(
    ukprn: str, body: ClientIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """A new API client; the secret is in this response only."""
    created = accounts.create_client(
        ukprn, frozenset(body.roles), principal=principal, uow=uow_factory()
    )
    return ClientCreated(
        client_id=created.client_id,
        client_secret=created.client_secret,
        ukprn=created.ukprn,
        roles=sorted(created.roles),
    )


@router.delete(
    "/clients/{client_id}",
    response_model=AccountOut,
    dependencies=[requires(ORG_ADMIN_ROLES)],
    operation_id="revokeClient",
)
def revoke_client(
    client_id: ClientId, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """Revoke a client: its tokens are refused from the next request."""
    return _account(
        accounts.revoke_account("client", client_id, principal=principal, uow=uow_factory())
    )


@router.get(
    "/organisations/{ukprn}/users",
    operation_id="listUsers",
    response_model=list[AccountOut],
    dependencies=[requires(ORG_ADMIN_ROLES)],
)
def list_users(ukprn: str, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    return [
        _account(a)
        for a in accounts.list_accounts("user", ukprn, principal=principal, uow=uow_factory())
    ]


@router.post(
    "/organisations/{ukprn}/users",
    operation_id="createUser",
    response_model=AccountOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[requires(ORG_ADMIN_ROLES)],
)
def create_user(
    ukprn: str, body: UserIn, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    account = accounts.create_user(
        ukprn,
        body.username,
        body.password,
        frozenset(body.roles),
        principal=principal,
        uow=uow_factory(),
    )
    return _account(account)


@router.delete(
    "/users/{username}",
    response_model=AccountOut,
    dependencies=[requires(ORG_ADMIN_ROLES)],
    operation_id="revokeUser",
)
def revoke_user(username: Username, principal: CurrentPrincipal, uow_factory: UowFactoryDep) -> Any:
    return _account(
        accounts.revoke_account("user", username, principal=principal, uow=uow_factory())
    )


@router.get(
    "/audit",
    response_model=list[AuditOut],
    dependencies=[requires(ORG_ADMIN_ROLES)],
    operation_id="listAuditEvents",
)
def list_audit(
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    ukprn: UkprnFilter = None,
    uln: UlnFilter = None,
    before_id: EventId = None,
    limit: Limit = 100,
) -> Any:
    """Newest first; page with `before_id`. Org admins see their own organisation's events."""
    events = audit_trail.list_audit_events(
        ukprn=ukprn,
        uln=uln,
        before_id=before_id,
        limit=limit,
        principal=principal,
        uow=uow_factory(),
    )
    return [{**e.__dict__, "action": e.action.value} for e in events]
