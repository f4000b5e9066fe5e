"""Roles bound to the type of organisation (ROLES_BY_ORG_TYPE), and who may suspend whom."""

from __future__ import annotations

import pytest

from openlrs.domain.accounts.organisations import (
    ROLES_BY_ORG_TYPE,
    Account,
    Organisation,
    OrgStatus,
    OrgType,
    Principal,
    Role,
)
from openlrs.domain.audit import AuditAction
from openlrs.domain.errors import OrganisationSuspensionRefused, RoleNotAllowed
from openlrs.services.accounts.authenticate import current_standing
from openlrs.services.accounts.manage import (
    create_organisation,
    create_user,
    grantable_roles,
    reactivate_organisation,
    set_organisation_status,
)
from tests.builders import ADMIN, LRB_ADMIN, PROVIDER
from tests.unit.fakes import FakeUnitOfWork

DESK = ADMIN.ukprn
AWARDER = "10000003"
AO_ADMIN = Principal("user:ao-admin", AWARDER, frozenset({Role.AO_ADMIN}))


def add_organisations(uow: FakeUnitOfWork) -> None:
    for ukprn, org_type in (
        (DESK, OrgType.SERVICE_DESK),
        (PROVIDER, OrgType.COLLEGE),
        (AWARDER, OrgType.AWARDING_ORGANISATION),
    ):
        create_organisation(Organisation(ukprn, "Org", org_type), principal=ADMIN, uow=uow)


def test_every_type_of_organisation_has_a_row_and_only_the_desk_holds_admin() -> None:
    assert set(ROLES_BY_ORG_TYPE) == set(OrgType)
    assert [t for t, roles in ROLES_BY_ORG_TYPE.items() if Role.ADMIN in roles] == [
        OrgType.SERVICE_DESK
    ]
    assert [t for t, roles in ROLES_BY_ORG_TYPE.items() if Role.AO in roles] == [
        OrgType.AWARDING_ORGANISATION
    ]


def test_a_college_admin_cannot_grant_awarding_roles(uow: FakeUnitOfWork) -> None:
    add_organisations(uow)

    with pytest.raises(RoleNotAllowed):
        create_user(
            PROVIDER, "x", "long enough pw", frozenset({Role.AO}), principal=LRB_ADMIN, uow=uow
        )
    with pytest.raises(RoleNotAllowed):  # not even the desk may
        create_user(PROVIDER, "y", "long enough pw", frozenset({Role.AO}), principal=ADMIN, uow=uow)


def test_an_awarding_organisations_admin_manages_its_own_accounts(uow: FakeUnitOfWork) -> None:
    add_organisations(uow)

    made = create_user(
        AWARDER, "awarder", "long enough pw", frozenset({Role.AO}), principal=AO_ADMIN, uow=uow
    )

    assert made.roles == {Role.AO}
    assert grantable_roles(AWARDER, principal=AO_ADMIN, uow=uow) == {Role.AO, Role.AO_ADMIN}
    assert grantable_roles(PROVIDER, principal=ADMIN, uow=uow) == {Role.LRB, Role.LRB_ADMIN}
    with pytest.raises(RoleNotAllowed):
        create_user(
            AWARDER, "b", "long enough pw", frozenset({Role.LRB}), principal=AO_ADMIN, uow=uow
        )


def test_a_stored_grant_that_breaks_the_rule_gives_nothing_on_the_next_request(
    uow: FakeUnitOfWork,
) -> None:
    add_organisations(uow)
    with uow:
        uow.accounts.add(Account("client", "cl_bad", PROVIDER, frozenset({Role.LRB, Role.AO})))
        uow.commit()

    assert current_standing("client", "cl_bad", uow=uow).roles == {Role.LRB}


def test_nobody_suspends_their_own_organisation(uow: FakeUnitOfWork) -> None:
    add_organisations(uow)
    desk_user = Principal("user:desk", DESK, frozenset({Role.ADMIN}))

    with pytest.raises(OrganisationSuspensionRefused):
        set_organisation_status(DESK, OrgStatus.SUSPENDED, principal=desk_user, uow=uow)


def test_the_last_active_service_desk_cannot_be_suspended(uow: FakeUnitOfWork) -> None:
    add_organisations(uow)
    other_desk = "10000008"
    create_organisation(
        Organisation(other_desk, "Second desk", OrgType.SERVICE_DESK), principal=ADMIN, uow=uow
    )
    elsewhere = Principal("user:desk", other_desk, frozenset({Role.ADMIN}))
    set_organisation_status(DESK, OrgStatus.SUSPENDED, principal=elsewhere, uow=uow)  # one left

    with pytest.raises(OrganisationSuspensionRefused):
        set_organisation_status(other_desk, OrgStatus.SUSPENDED, principal=ADMIN, uow=uow)
    set_organisation_status(PROVIDER, OrgStatus.SUSPENDED, principal=elsewhere, uow=uow)


def test_the_operator_reactivates_an_organisation_and_it_is_audited(uow: FakeUnitOfWork) -> None:
    add_organisations(uow)
    set_organisation_status(PROVIDER, OrgStatus.SUSPENDED, principal=ADMIN, uow=uow)

    found = reactivate_organisation(PROVIDER, uow=uow)

    assert found.status is OrgStatus.ACTIVE
    with uow:
        events = uow.audit.list(ukprn=None, uln=None, before_id=None, limit=10)
    [last] = [e for e in events if e.actor == "operator"]
    assert last.action is AuditAction.ORGANISATION_UPDATE
    assert last.detail == f"{PROVIDER} active"
