"""How the SQL unit of work builds its repositories: of its dialect's classes (a PostgreSQL
subclass where hot methods have raw SQL), once per unit, only inside `with`; and psycopg's
prepared statements, which a transaction-mode pooler may need turned off."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from openlrs.store.accounts.pg import PgAccountRepository
from openlrs.store.accounts.repository import SqlAccountRepository
from openlrs.store.audit_log import PgAuditLog, SqlAuditLog
from openlrs.store.change_feed import PgChangeFeed, SqlChangeFeed
from openlrs.store.engine import build_engine, prepared_statements_of
from openlrs.store.learners.pg import PgLearnerRepository
from openlrs.store.learners.repository import SqlLearnerRepository
from openlrs.store.plr.learning_event_repository import SqlLearningEventRepository
from openlrs.store.plr.pg import PgLearningEventRepository
from openlrs.store.uln.issuer import PgUlnIssuer, SqlUlnIssuer
from openlrs.store.uow import SqlUnitOfWorkFactory

_PORTABLE_AND_PG = [
    ("learners", SqlLearnerRepository, PgLearnerRepository),
    ("audit", SqlAuditLog, PgAuditLog),
    ("changes", SqlChangeFeed, PgChangeFeed),
    ("accounts", SqlAccountRepository, PgAccountRepository),
    ("learning_events", SqlLearningEventRepository, PgLearningEventRepository),
    ("uln_issuer", SqlUlnIssuer, PgUlnIssuer),
]


def test_each_database_gets_its_own_repository_classes(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    on_postgres = uow_factory.engine.dialect.name == "postgresql"
    with uow_factory() as uow:
        for name, portable, postgres in _PORTABLE_AND_PG:
            assert type(getattr(uow, name)) is (postgres if on_postgres else portable), name


def test_a_repository_is_built_once_a_unit_and_only_inside_with(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    uow = uow_factory()
    with pytest.raises(AttributeError, match="inside `with`"):
        _ = uow.learners
    with uow:
        first = uow.learners
        assert uow.learners is first
    with pytest.raises(AttributeError, match="inside `with`"):
        _ = uow.learners
    with uow:
        assert uow.learners is not first


def _prepared_after_repeats(engine: sa.Engine) -> int:
    """The statements the server holds prepared after a unit looks a learner up ten times and
    commits (psycopg forgets them at a ROLLBACK)."""
    factory = SqlUnitOfWorkFactory(engine, cache_accounts=False)
    try:
        with factory() as uow:
            for _ in range(10):
                assert uow.learners.get("9999999999") is None
            uow.commit()
        with engine.connect() as conn:  # the pool's one connection: the same server session
            found = conn.execute(sa.text("SELECT count(*) FROM pg_prepared_statements"))
            return int(found.scalar_one())
    finally:
        factory.close()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_psycopg_prepares_what_runs_often_unless_told_not_to(database_url: str) -> None:
    assert _prepared_after_repeats(build_engine(database_url, pool_size=1)) > 0

    unprepared = build_engine(database_url, pool_size=1, prepared_statements=False)
    factory = SqlUnitOfWorkFactory(unprepared)
    assert factory.autocommit_engine is not None
    assert not prepared_statements_of(factory.autocommit_engine)  # the read engine follows
    factory.close()
    assert _prepared_after_repeats(unprepared) == 0
