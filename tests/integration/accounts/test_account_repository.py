"""Organisations, users and API clients in SQL on both engines."""

from __future__ import annotations

import dataclasses
import datetime as dt

from openlrs.domain.accounts.organisations import Account, Organisation, OrgStatus, OrgType, Role
from openlrs.store.uow import SqlUnitOfWorkFactory

COLLEGE = Organisation("10000001", "Riverside College", OrgType.COLLEGE)
SCHOOL = Organisation("10000002", "Hilltop School", OrgType.SCHOOL)
AWARDER = Organisation("10000003", "Northern Awards", OrgType.AWARDING_ORGANISATION)
COLLEGE_T = OrgType.COLLEGE


def add_organisations(uow_factory: SqlUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        for organisation in (SCHOOL, AWARDER, COLLEGE):
            uow.organisations.add(organisation)
        uow.commit()


def test_organisations_round_trip_and_page_by_ukprn(uow_factory: SqlUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        added = uow.organisations.add(COLLEGE)
        uow.organisations.add(SCHOOL)
        uow.organisations.add(AWARDER)
        uow.commit()

    with uow_factory() as uow:
        stored = uow.organisations.get(COLLEGE.ukprn)
        first_page = uow.organisations.list(after=None, limit=2)
        next_page = uow.organisations.list(after=first_page[-1].ukprn, limit=2)
        assert uow.organisations.get("10000009") is None

    assert added.id is not None
    assert stored == added
    assert [o.ukprn for o in first_page + next_page] == ["10000001", "10000002", "10000003"]
    assert next_page[0].org_type is OrgType.AWARDING_ORGANISATION


def test_an_organisation_can_be_suspended(uow_factory: SqlUnitOfWorkFactory) -> None:
    add_organisations(uow_factory)

    with uow_factory() as uow:
        uow.organisations.set_status(SCHOOL.ukprn, OrgStatus.SUSPENDED)
        uow.commit()

    with uow_factory() as uow:
        school, college = uow.organisations.get(SCHOOL.ukprn), uow.organisations.get(COLLEGE.ukprn)
    assert school is not None and college is not None
    assert (school.status, college.status) == (OrgStatus.SUSPENDED, OrgStatus.ACTIVE)


def test_users_and_clients_round_trip_with_their_roles(uow_factory: SqlUnitOfWorkFactory) -> None:
    add_organisations(uow_factory)
    roles = frozenset({Role.LRB, Role.LRB_ADMIN})
    admin = Account("user", "amira", COLLEGE.ukprn, roles, None, "h1", organisation_type=COLLEGE_T)
    client = Account("client", "cl_abc", COLLEGE.ukprn, frozenset({Role.LRB}), None, "h2")
    client = dataclasses.replace(client, organisation_type=COLLEGE_T)
    awarder = Account("client", "cl_ao", AWARDER.ukprn, frozenset({Role.AO}), None, "h3")
    awarder = dataclasses.replace(awarder, organisation_type=OrgType.AWARDING_ORGANISATION)

    with uow_factory() as uow:
        for account in (admin, client, awarder):
            uow.accounts.add(account)
        uow.commit()

    with uow_factory() as uow:
        assert uow.accounts.get("user", "amira") == admin
        assert uow.accounts.get("client", "cl_abc") == client
        assert uow.accounts.get("client", "amira") is None
        assert uow.accounts.get("user", "cl_abc") is None
        assert uow.accounts.list("client", COLLEGE.ukprn) == [client]
        assert uow.accounts.list("user", COLLEGE.ukprn) == [admin]
        assert uow.accounts.list("client", AWARDER.ukprn) == [awarder]
        assert uow.accounts.list("user", SCHOOL.ukprn) == []


def test_a_revoked_account_keeps_its_first_revocation_time_in_utc(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    add_organisations(uow_factory)
    first = dt.datetime(2025, 9, 1, 13, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    with uow_factory() as uow:
        uow.accounts.add(Account("client", "cl_abc", COLLEGE.ukprn, frozenset({Role.LRB})))
        uow.accounts.revoke("client", "cl_abc", first)
        uow.accounts.revoke("client", "cl_abc", first + dt.timedelta(days=1))
        uow.commit()

    with uow_factory() as uow:
        revoked = uow.accounts.get("client", "cl_abc")

    assert revoked is not None and revoked.revoked_at is not None
    assert not revoked.active
    assert revoked.revoked_at == first
    assert revoked.revoked_at.utcoffset() == dt.timedelta(0)


def test_an_account_carries_its_organisations_standing(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    add_organisations(uow_factory)
    with uow_factory() as uow:
        uow.accounts.add(Account("user", "sam", SCHOOL.ukprn, frozenset({Role.LRB})))
        uow.organisations.set_status(SCHOOL.ukprn, OrgStatus.SUSPENDED)
        uow.commit()

    with uow_factory() as uow:
        account = uow.accounts.get("user", "sam")

    assert account is not None
    assert account.organisation_status is OrgStatus.SUSPENDED


def test_an_account_carries_its_organisations_type_and_only_the_roles_it_allows(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    """A grant stored against the rule (by hand, or before it) gives nothing it breaks."""
    add_organisations(uow_factory)
    with uow_factory() as uow:
        uow.accounts.add(
            Account("client", "cl_bad", COLLEGE.ukprn, frozenset({Role.LRB, Role.AO, Role.ADMIN}))
        )
        uow.commit()

    with uow_factory() as uow:
        account = uow.accounts.get("client", "cl_bad")

    assert account is not None and account.organisation_type is OrgType.COLLEGE
    assert account.roles == {Role.LRB, Role.AO, Role.ADMIN}
    assert account.effective_roles == {Role.LRB}


def test_active_organisations_are_counted_by_type(uow_factory: SqlUnitOfWorkFactory) -> None:
    add_organisations(uow_factory)
    with uow_factory() as uow:
        uow.organisations.set_status(SCHOOL.ukprn, OrgStatus.SUSPENDED)
        uow.commit()

    with uow_factory() as uow:
        assert uow.organisations.count_active(OrgType.COLLEGE) == 1
        assert uow.organisations.count_active(OrgType.SCHOOL) == 0
        assert uow.organisations.count_active(OrgType.SERVICE_DESK) == 0
