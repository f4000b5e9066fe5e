"""Every database call is bounded: the settings' statement timeout reaches each engine the unit of
work uses (PostgreSQL `statement_timeout` and `lock_timeout`; SQLite's busy timeout)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from openlrs.store.engine import build_engine
from openlrs.store.uow import SqlUnitOfWorkFactory


def _setting(engine: sa.Engine, postgres: bool) -> tuple[str, ...]:
    with engine.connect() as conn:
        if postgres:
            return (
                conn.execute(sa.text("SHOW statement_timeout")).scalar_one(),
                conn.execute(sa.text("SHOW lock_timeout")).scalar_one(),
            )
        return (str(conn.execute(sa.text("PRAGMA busy_timeout")).scalar_one()),)


def test_the_statement_timeout_reaches_every_engine_of_the_unit_of_work(database_url: str) -> None:
    postgres = make_url(database_url).get_backend_name() == "postgresql"
    factory = SqlUnitOfWorkFactory(
        build_engine(database_url, pool_size=2, statement_timeout_ms=1500), cache_accounts=False
    )
    engines = [factory.engine, factory.autocommit_engine]
    try:
        for engine in [e for e in engines if e is not None]:
            assert _setting(engine, postgres) == (("1500ms", "1500ms") if postgres else ("1500",))
    finally:
        factory.close()


def test_a_call_over_the_timeout_fails_instead_of_waiting(database_url: str) -> None:
    """PostgreSQL cancels a long statement; SQLite gives up waiting for another writer's lock."""
    engine = build_engine(database_url, pool_size=2, statement_timeout_ms=50)
    try:
        if make_url(database_url).get_backend_name() == "postgresql":
            with engine.connect() as conn, pytest.raises(sa.exc.OperationalError, match="timeout"):
                conn.execute(sa.text("SELECT pg_sleep(30)"))
            return
        with engine.connect() as holder, engine.connect() as waiter:
            holder.exec_driver_sql("BEGIN IMMEDIATE")  # holds the write lock until rolled back
            with pytest.raises(sa.exc.OperationalError, match="locked"):
                waiter.exec_driver_sql("BEGIN IMMEDIATE")
            holder.rollback()
    finally:
        engine.dispose()
