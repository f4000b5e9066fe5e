"""Behind a transaction-mode pooler the account cache LISTENs on a direct connection of its own
(`OPENLRS_DATABASE_LISTEN_URL`), not on the pooled database URL."""

from __future__ import annotations

from sqlalchemy import create_engine

from openlrs.config import Settings
from openlrs.store.uow import SqlUnitOfWorkFactory


def _conninfo(factory: SqlUnitOfWorkFactory) -> str:
    assert factory.account_cache is not None
    return str(factory.account_cache.conninfo)


def test_the_listener_uses_the_direct_url_when_one_is_given() -> None:
    engine = create_engine("postgresql+psycopg://app@pooler:6432/register")
    factory = SqlUnitOfWorkFactory(
        engine, listen_url="postgresql+psycopg://app@primary:5432/register"
    )
    try:
        assert "primary:5432" in _conninfo(factory)
    finally:
        factory.close()


def test_the_listener_uses_the_database_url_by_default() -> None:
    engine = create_engine("postgresql+psycopg://app@db:5432/register")
    factory = SqlUnitOfWorkFactory(engine)
    try:
        assert "db:5432" in _conninfo(factory)
    finally:
        factory.close()


def test_the_setting_reads_from_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("OPENLRS_DATABASE_LISTEN_URL", "postgresql+psycopg://app@primary/register")
    assert Settings().database_listen_url == "postgresql+psycopg://app@primary/register"
