"""Web-service accounts: made by an organisation's admin with roles its type may hold, named by
UKPRN and user name, checked on every message, and refused at once when revoked."""

from __future__ import annotations

import pytest

from openlrs.domain.accounts.organisations import Organisation, OrgType, Role
from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import (
    AccountExists,
    AuthenticationFailed,
    NotAuthorised,
    RoleNotAllowed,
    ValidationFailed,
)
from openlrs.services.accounts.manage import create_organisation
from openlrs.services.accounts.web_service import (
    PASSWORD_LENGTH,
    create_web_service_account,
    revoke_web_service_account,
    web_service_principal,
)
from tests.builders import ADMIN, LRB, LRB_ADMIN, OTHER_PROVIDER, PROVIDER
from tests.unit.fakes import FakeUnitOfWork

LRB_ONLY = frozenset({Role.LRB})


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    for ukprn in (PROVIDER, OTHER_PROVIDER):
        create_organisation(
            Organisation(ukprn, f"Org {ukprn}", OrgType.COLLEGE), principal=ADMIN, uow=uow
        )
    return uow


def test_an_admin_makes_an_account_its_mis_can_use_until_it_is_revoked(uow: FakeUnitOfWork) -> None:
    made = create_web_service_account(PROVIDER, "sims-live", LRB_ONLY, principal=LRB_ADMIN, uow=uow)
    assert len(made.password) == PASSWORD_LENGTH and made.password.isalnum()

    principal = web_service_principal(PROVIDER, "sims-live", made.password, uow=uow)
    assert (principal.actor, principal.ukprn, principal.roles) == (
        f"webservice:{PROVIDER}/sims-live",
        PROVIDER,
        LRB_ONLY,
    )
    assert web_service_principal(PROVIDER, "sims-live", made.password, uow=uow) == principal

    revoke_web_service_account(PROVIDER, "sims-live", principal=LRB_ADMIN, uow=uow)
    with pytest.raises(AuthenticationFailed):  # at once, though the password was verified before
        web_service_principal(PROVIDER, "sims-live", made.password, uow=uow)


def test_wrong_passwords_other_organisations_and_unknown_users_are_refused_and_audited(
    uow: FakeUnitOfWork,
) -> None:
    made = create_web_service_account(PROVIDER, "sims-live", LRB_ONLY, principal=LRB_ADMIN, uow=uow)
    for ukprn, user, password in (
        (PROVIDER, "sims-live", "W" * 16),
        (OTHER_PROVIDER, "sims-live", made.password),
        (PROVIDER, "nobody", made.password),
        (None, "sims-live", made.password),
    ):
        with pytest.raises(AuthenticationFailed):
            web_service_principal(ukprn, user, password, uow=uow)
    with uow:
        events = uow.audit.list(ukprn=None, uln=None, before_id=None, limit=100)
    assert sum(e.action is AuditAction.TOKEN_REFUSED for e in events) == 4
    assert all(made.password not in str(e) for e in events)


def test_only_an_admin_of_the_organisation_grants_roles_its_type_may_hold(
    uow: FakeUnitOfWork,
) -> None:
    with pytest.raises(NotAuthorised):
        create_web_service_account(PROVIDER, "x", LRB_ONLY, principal=LRB, uow=uow)
    with pytest.raises(NotAuthorised):
        create_web_service_account(OTHER_PROVIDER, "x", LRB_ONLY, principal=LRB_ADMIN, uow=uow)
    with pytest.raises(RoleNotAllowed):
        create_web_service_account(
            PROVIDER, "x", frozenset({Role.AO}), principal=LRB_ADMIN, uow=uow
        )
    with pytest.raises(ValidationFailed):
        create_web_service_account(PROVIDER, "has spaces", LRB_ONLY, principal=LRB_ADMIN, uow=uow)
    create_web_service_account(PROVIDER, "x", LRB_ONLY, principal=LRB_ADMIN, uow=uow)
    with pytest.raises(AccountExists):
        create_web_service_account(PROVIDER, "x", LRB_ONLY, principal=ADMIN, uow=uow)
