"""The fakes keep the promises of `services.ports`, so service tests against them mean something."""

from __future__ import annotations

import pytest

from openlrs.domain.accounts.organisations import Organisation, OrgType
from openlrs.services.ports import UnitOfWork, UnitOfWorkFactory
from tests.unit.fakes import FakeDatabase, FakeUnitOfWork, FakeUnitOfWorkFactory

_factory: UnitOfWorkFactory = FakeUnitOfWorkFactory()  # checked by mypy against the Protocol
_uow: UnitOfWork = FakeUnitOfWork()

COLLEGE = Organisation("10000001", "Riverside College", OrgType.COLLEGE)


def test_committed_changes_are_seen_by_later_units_of_work() -> None:
    factory = FakeUnitOfWorkFactory()
    with factory() as uow:
        uow.organisations.add(COLLEGE)
        uow.commit()

    with factory() as later:
        assert later.organisations.get(COLLEGE.ukprn) is not None


def test_uncommitted_changes_are_rolled_back_on_exit() -> None:
    factory = FakeUnitOfWorkFactory()
    with factory() as uow:
        uow.organisations.add(COLLEGE)
        assert uow.organisations.get(COLLEGE.ukprn) is not None

    with factory() as later:
        assert later.organisations.get(COLLEGE.ukprn) is None


def test_uncommitted_changes_are_rolled_back_when_an_error_escapes() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(RuntimeError), uow:
        uow.organisations.add(COLLEGE)
        raise RuntimeError

    with uow:
        assert uow.organisations.list(after=None, limit=10) == []


def test_rollback_discards_only_what_followed_the_last_commit() -> None:
    database = FakeDatabase()
    with FakeUnitOfWork(database) as uow:
        uow.organisations.add(COLLEGE)
        uow.commit()
        uow.organisations.add(Organisation("10000002", "Hilltop School", OrgType.SCHOOL))
        uow.rollback()
        assert [o.ukprn for o in uow.organisations.list(after=None, limit=10)] == ["10000001"]
    assert database.commits == 1


def test_a_unit_of_work_sees_the_committed_state_as_it_began() -> None:
    factory = FakeUnitOfWorkFactory()
    with factory() as reader:
        with factory() as writer:
            writer.organisations.add(COLLEGE)
            writer.commit()
        assert reader.organisations.get(COLLEGE.ukprn) is None


def test_the_uln_counter_only_moves_forward_even_across_rollbacks() -> None:
    factory = FakeUnitOfWorkFactory()
    seen = []
    for _ in range(3):
        with factory() as uow:
            seen += [uow.uln_issuer.next_counter(), uow.uln_issuer.next_counter()]
    assert seen == sorted(set(seen))


def test_autocommit_keeps_changes_for_one_unit_of_work_only() -> None:
    uow = FakeUnitOfWork()
    with uow.autocommit():
        uow.organisations.add(COLLEGE)
    with uow:
        uow.organisations.add(Organisation("10000002", "Hilltop School", OrgType.SCHOOL))

    with uow:
        assert [o.ukprn for o in uow.organisations.list(after=None, limit=10)] == ["10000001"]
