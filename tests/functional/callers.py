"""Organisations and API clients made through the services, and tokens from the real endpoint."""

from __future__ import annotations

import dataclasses

from fastapi.testclient import TestClient

from openlrs.domain.accounts.organisations import SYSTEM, Organisation, OrgType, Role
from openlrs.services.accounts import manage as accounts
from openlrs.services.accounts.manage import NewClient
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.builders.principals import AWARDING_UKPRN, DESK_UKPRN, OWN_UKPRN

SECRET_KEY = "test-secret-functional-tier-0123456789abcdef"
TOKEN_URL = "/api/v1/oauth/token"


@dataclasses.dataclass(frozen=True)
class Caller:
    """An API client created through the services, with a token from the token endpoint."""

    client_id: str
    client_secret: str
    ukprn: str
    roles: frozenset[Role]
    token: str

    @property
    def actor(self) -> str:
        return f"client:{self.client_id}"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def token_form(client_id: str, client_secret: str) -> dict[str, str]:
    return {
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_secret": client_secret,
    }


class Register:
    """Organisations and clients made directly through the services as the system, once each.

    Argon2 makes every client and every token cost tens of milliseconds, so a test asks for the
    few roles it needs and gets the same caller back on each request."""

    def __init__(self, api: TestClient, uow_factory: SqlUnitOfWorkFactory) -> None:
        self.api = api
        self.uow_factory = uow_factory
        self._callers: dict[tuple[Role, str], Caller] = {}

    def organisation(self, ukprn: str, role: Role | None = None) -> Organisation:
        """The organisation, made if new with a type that may hold `role` (else by its UKPRN:
        the desk, the awarding organisation, or a college)."""
        org_type = ORG_TYPE_FOR_ROLE.get(role) if role else None
        org_type = org_type or HOME_TYPES.get(ukprn, OrgType.COLLEGE)
        return accounts.ensure_organisation(
            ukprn, f"Test organisation {ukprn}", org_type, principal=SYSTEM, uow=self.uow_factory()
        )

    def client(self, role: Role | str, ukprn: str | None = None) -> NewClient:
        ukprn = ukprn or _home(Role(role))
        self.organisation(ukprn, Role(role))
        roles = frozenset({Role(role)})
        return accounts.create_client(ukprn, roles, principal=SYSTEM, uow=self.uow_factory())

    def token(self, client_id: str, client_secret: str) -> str:
        response = self.api.post(TOKEN_URL, data=token_form(client_id, client_secret))
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    def caller(self, role: Role | str, ukprn: str | None = None) -> Caller:
        """A client with `role` (in `ukprn`, else its usual organisation) and a token for it."""
        ukprn = ukprn or _home(Role(role))
        key = (Role(role), ukprn)
        if key not in self._callers:
            client = self.client(role, ukprn)
            token = self.token(client.client_id, client.client_secret)
            self._callers[key] = Caller(
                client.client_id, client.client_secret, ukprn, client.roles, token
            )
        return self._callers[key]

    def headers(self, role: Role | str, ukprn: str | None = None) -> dict[str, str]:
        return self.caller(role, ukprn).headers


HOME_TYPES = {DESK_UKPRN: OrgType.SERVICE_DESK, AWARDING_UKPRN: OrgType.AWARDING_ORGANISATION}
ORG_TYPE_FOR_ROLE = {
    Role.ADMIN: OrgType.SERVICE_DESK,
    Role.AO: OrgType.AWARDING_ORGANISATION,
    Role.AO_ADMIN: OrgType.AWARDING_ORGANISATION,
}


def _home(role: Role) -> str:
    """Where a role's caller belongs unless a test says otherwise: only the desk holds admin,
    only an awarding organisation ao and ao_admin (ROLES_BY_ORG_TYPE)."""
    if role is Role.ADMIN:
        return DESK_UKPRN
    if role in (Role.AO, Role.AO_ADMIN):
        return AWARDING_UKPRN
    return OWN_UKPRN
