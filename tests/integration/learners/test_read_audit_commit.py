"""Reads and their audit appends may commit without waiting for the disk; changes always wait
(docs/decisions/0016-read-audit-commit.md). PostgreSQL only: SQLite has one durability setting,
and only the server settings matter here, so the test database serves without a migration."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from openlrs.bootstrap import build_uow_factory
from openlrs.config import Settings
from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory
from tests.conftest import PG_ADMIN_URL, require_postgres


def _synchronous_commit(engine: sa.Engine | None) -> str:
    assert engine is not None
    with engine.connect() as conn:
        return str(conn.execute(sa.text("SHOW synchronous_commit")).scalar_one())


@pytest.fixture
def postgres_url() -> str:
    require_postgres()  # a failure under CI=true, never a skip
    return PG_ADMIN_URL


@pytest.mark.parametrize(("sync_reads", "expected"), [(False, "off"), (True, "on")])
def test_only_the_read_engine_may_skip_waiting_for_the_disk(
    postgres_url: str, sync_reads: bool, expected: str
) -> None:
    factory = SqlUnitOfWorkFactory(
        build_engine(postgres_url, pool_size=1),
        cache_accounts=False,
        read_audit_sync_commit=sync_reads,
    )
    try:
        assert _synchronous_commit(factory.autocommit_engine) == expected
        assert _synchronous_commit(factory.engine) == "on"  # every change waits
    finally:
        factory.close()


@pytest.mark.parametrize(("setting", "expected"), [(False, "off"), (True, "on")])
def test_the_setting_reaches_the_served_factory(
    postgres_url: str, setting: bool, expected: str
) -> None:
    factory = build_uow_factory(Settings(database_url=postgres_url, read_audit_sync_commit=setting))
    try:
        assert _synchronous_commit(factory.autocommit_engine) == expected
        assert _synchronous_commit(factory.engine) == "on"
    finally:
        factory.close()


def test_the_default_is_durable_for_library_callers(postgres_url: str) -> None:
    factory = SqlUnitOfWorkFactory(build_engine(postgres_url, pool_size=1), cache_accounts=False)
    try:
        assert _synchronous_commit(factory.autocommit_engine) == "on"
    finally:
        factory.close()
