"""The SQL unit of work on both engines: nothing persists uncommitted; the ULN counter moves on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from openlrs.domain.accounts.organisations import Account, Organisation, OrgType, Role
from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.services.ports import UnitOfWorkFactory
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory

COLLEGE = Organisation("10000001", "Riverside College", OrgType.COLLEGE)
SCHOOL = Organisation("10000002", "Hilltop School", OrgType.SCHOOL)


def ukprns(uow_factory: SqlUnitOfWorkFactory) -> list[str]:
    with uow_factory() as uow:
        return [o.ukprn for o in uow.organisations.list(after=None, limit=10)]


def test_the_sql_factory_is_a_unit_of_work_factory(uow_factory: SqlUnitOfWorkFactory) -> None:
    factory: UnitOfWorkFactory = uow_factory  # checked by mypy against the Protocol
    assert callable(factory)


def test_changes_not_committed_are_rolled_back_on_exit(uow_factory: SqlUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.organisations.add(COLLEGE)
        uow.audit.record(AuditEvent("user:a", COLLEGE.ukprn, AuditAction.ORGANISATION_CREATE))

    assert ukprns(uow_factory) == []
    with uow_factory() as uow:
        assert uow.audit.list(ukprn=None, uln=None, before_id=None, limit=5) == []


def test_changes_are_rolled_back_when_an_error_escapes(uow_factory: SqlUnitOfWorkFactory) -> None:
    with pytest.raises(RuntimeError), uow_factory() as uow:
        uow.organisations.add(COLLEGE)
        raise RuntimeError

    assert ukprns(uow_factory) == []


def test_rollback_discards_only_what_followed_the_last_commit(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.organisations.add(COLLEGE)
        uow.commit()
        uow.organisations.add(SCHOOL)
        uow.rollback()
        assert uow.organisations.get(SCHOOL.ukprn) is None
        uow.accounts.add(Account("user", "amira", COLLEGE.ukprn, frozenset({Role.LRB})))
        uow.commit()

    assert ukprns(uow_factory) == [COLLEGE.ukprn]
    with uow_factory() as uow:
        assert uow.accounts.get("user", "amira") is not None


def test_autocommit_applies_to_one_unit_of_work_only(uow_factory: SqlUnitOfWorkFactory) -> None:
    uow = uow_factory()
    with uow.autocommit():
        uow.organisations.add(COLLEGE)
    with uow:
        uow.organisations.add(SCHOOL)

    assert ukprns(uow_factory) == [COLLEGE.ukprn]


def test_the_uln_counter_strictly_increases_across_units_of_work(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    counters: list[int] = []
    for _ in range(4):
        with uow_factory() as uow:
            counters += [uow.uln_issuer.next_counter(), uow.uln_issuer.next_counter()]
            uow.commit()
    with uow_factory() as uow:
        key = uow.uln_issuer.permutation_key()

    assert counters == sorted(set(counters))
    assert counters[0] >= 1
    assert len(key) == 32
    with uow_factory() as uow:
        assert uow.uln_issuer.permutation_key() == key


def test_registration_locks_can_be_taken_twice_in_one_unit_of_work(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    with uow_factory() as uow:
        uow.lock_for_registration(["dob:2009-03-07", "dob:2009-07-03"])
        uow.lock_for_registration(["dob:2009-03-07"])
        uow.commit()


def test_timestamps_come_back_in_utc_whatever_the_session_time_zone(
    database_url: str, request: pytest.FixtureRequest
) -> None:
    """A PostgreSQL server set to local time must not leak its offset into the domain."""
    engine = build_engine(database_url, pool_size=1)
    if engine.dialect.name == "postgresql":

        @sa.event.listens_for(engine, "connect")
        def _kolkata(dbapi_conn: Any, _record: Any) -> None:
            with dbapi_conn.cursor() as cur:
                cur.execute("SET TIME ZONE 'Asia/Kolkata'")
            dbapi_conn.commit()

    uow_factory = SqlUnitOfWorkFactory(engine)
    try:
        with uow_factory() as uow:
            uow.organisations.add(COLLEGE)
            uow.accounts.add(Account("user", "amira", COLLEGE.ukprn, frozenset({Role.LRB})))
            uow.accounts.revoke("user", "amira", dt.datetime.now(dt.UTC))
            uow.audit.record(AuditEvent("user:a", COLLEGE.ukprn, AuditAction.TOKEN_ISSUE))
            uow.commit()
        with uow_factory() as uow:
            account = uow.accounts.get("user", "amira")
            [event] = uow.audit.list(ukprn=None, uln=None, before_id=None, limit=1)
    finally:
        engine.dispose()

    assert account is not None
    for stamp in (account.revoked_at, event.occurred_at):
        assert stamp is not None
        assert stamp.tzinfo is not None
        assert stamp.utcoffset() == dt.timedelta(0), stamp
