"""Organisations and API clients: who may create what, and how revocation and suspension bite.

Hashing a secret takes argon2 tens of milliseconds, so only a few tests here create clients.
"""

from __future__ import annotations

import pytest

from openlrs.domain.accounts.organisations import Organisation, OrgStatus, OrgType, Principal, Role
from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import (
    AccountNotFound,
    AuthenticationFailed,
    NotAuthorised,
    OrganisationExists,
    OrganisationNotActive,
)
from openlrs.services.accounts.authenticate import authenticate, current_standing
from openlrs.services.accounts.manage import (
    create_client,
    create_organisation,
    revoke_account,
    set_organisation_status,
)
from tests.builders import ADMIN, LRB, LRB_ADMIN, OTHER_PROVIDER, PROVIDER
from tests.unit.fakes import FakeUnitOfWork

CLIENT_ID, SECRET = "cl_registrar", "correct horse battery staple"
LRB_ONLY = frozenset({Role.LRB})


def add_organisations(uow: FakeUnitOfWork) -> None:
    for ukprn, name in ((PROVIDER, "Riverside College"), (OTHER_PROVIDER, "Hilltop School")):
        create_organisation(Organisation(ukprn, name, OrgType.COLLEGE), principal=ADMIN, uow=uow)


def add_client(uow: FakeUnitOfWork) -> None:
    """An `lrb` client of PROVIDER with a known secret."""
    add_organisations(uow)
    create_client(PROVIDER, LRB_ONLY, principal=ADMIN, uow=uow, credentials=(CLIENT_ID, SECRET))


def test_an_organisation_is_created_once(uow: FakeUnitOfWork) -> None:
    created = create_organisation(
        Organisation(" 10000001 ", " Riverside College ", OrgType.COLLEGE), principal=ADMIN, uow=uow
    )

    assert (created.ukprn, created.name, created.status) == (
        PROVIDER,
        "Riverside College",
        OrgStatus.ACTIVE,
    )
    with pytest.raises(OrganisationExists):
        create_organisation(
            Organisation(PROVIDER, "Again", OrgType.SCHOOL), principal=ADMIN, uow=uow
        )


def test_only_the_service_desk_creates_organisations(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotAuthorised):
        create_organisation(
            Organisation(PROVIDER, "Riverside", OrgType.COLLEGE), principal=LRB_ADMIN, uow=uow
        )


def test_an_organisation_admin_creates_clients_for_its_own_organisation_only(
    uow: FakeUnitOfWork,
) -> None:
    add_organisations(uow)

    client = create_client(PROVIDER, LRB_ONLY, principal=LRB_ADMIN, uow=uow)

    assert (client.ukprn, client.roles) == (PROVIDER, LRB_ONLY)
    with uow:
        stored = uow.accounts.get("client", client.client_id)
        [event] = uow.audit.list(ukprn=PROVIDER, uln=None, before_id=None, limit=10)
    assert stored is not None
    assert stored.secret_hash
    assert client.client_secret not in stored.secret_hash
    assert (event.action, event.detail) == (
        AuditAction.ACCOUNT_CREATE,
        f"client {client.client_id}",
    )
    with pytest.raises(NotAuthorised):
        create_client(OTHER_PROVIDER, LRB_ONLY, principal=LRB_ADMIN, uow=uow)
    with pytest.raises(NotAuthorised):
        create_client(PROVIDER, frozenset({Role.ADMIN}), principal=LRB_ADMIN, uow=uow)


def test_a_client_authenticates_with_its_secret_and_not_without(uow: FakeUnitOfWork) -> None:
    add_client(uow)

    principal = authenticate("client", CLIENT_ID, SECRET, uow=uow)

    assert principal == Principal(f"client:{CLIENT_ID}", PROVIDER, LRB_ONLY)
    with pytest.raises(AuthenticationFailed):
        authenticate("client", CLIENT_ID, SECRET + "!", uow=uow)
    with pytest.raises(AuthenticationFailed):
        authenticate("client", "cl_nobody", SECRET, uow=uow)
    with uow:
        events = uow.audit.list(ukprn=None, uln=None, before_id=None, limit=3)
    assert [e.action for e in events] == [
        AuditAction.TOKEN_REFUSED,
        AuditAction.TOKEN_REFUSED,
        AuditAction.TOKEN_ISSUE,
    ]
    assert all(SECRET not in str(e) for e in events)


def test_a_revoked_client_is_refused_at_once(uow: FakeUnitOfWork) -> None:
    add_client(uow)
    assert current_standing("client", CLIENT_ID, uow=uow).roles == LRB_ONLY

    revoked = revoke_account("client", CLIENT_ID, principal=LRB_ADMIN, uow=uow)

    assert revoked.revoked_at is not None
    with pytest.raises(AuthenticationFailed):
        current_standing("client", CLIENT_ID, uow=uow)
    with pytest.raises(AuthenticationFailed):
        authenticate("client", CLIENT_ID, SECRET, uow=uow)


def test_an_organisation_admin_cannot_revoke_another_organisations_client(
    uow: FakeUnitOfWork,
) -> None:
    add_client(uow)
    other_admin = Principal("user:other", OTHER_PROVIDER, frozenset({Role.LRB_ADMIN}))

    # Another organisation's admin cannot even tell that the client exists.
    with pytest.raises(AccountNotFound):
        revoke_account("client", CLIENT_ID, principal=other_admin, uow=uow)
    with pytest.raises(AccountNotFound):
        revoke_account("client", "cl_no_such_client", principal=other_admin, uow=uow)
    with pytest.raises(NotAuthorised):
        revoke_account("client", CLIENT_ID, principal=LRB, uow=uow)


def test_a_suspended_organisations_clients_are_refused(uow: FakeUnitOfWork) -> None:
    add_client(uow)

    set_organisation_status(PROVIDER, OrgStatus.SUSPENDED, principal=ADMIN, uow=uow)

    with pytest.raises(OrganisationNotActive):
        current_standing("client", CLIENT_ID, uow=uow)
    with pytest.raises(OrganisationNotActive):
        authenticate("client", CLIENT_ID, SECRET, uow=uow)
