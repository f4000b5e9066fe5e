"""Migrations: one head, reversible to an empty database, and matching `store.tables`."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from openlrs.store.migrate import alembic_config, downgrade, upgrade
from openlrs.store.tables import metadata
from openlrs.store.uow import SqlUnitOfWorkFactory

TABLES = {t.name for t in metadata.sorted_tables}


def user_tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def test_the_migrations_have_a_single_head() -> None:
    scripts = ScriptDirectory.from_config(alembic_config(sa.create_engine("sqlite://")))

    assert len(scripts.get_heads()) == 1


def test_every_migration_goes_down_to_an_empty_database_and_back_up(engine: sa.Engine) -> None:
    assert user_tables(engine) == TABLES

    downgrade(engine, "base")
    assert user_tables(engine) == set()

    upgrade(engine)
    assert user_tables(engine) == TABLES
    with SqlUnitOfWorkFactory(engine)() as uow:
        assert len(uow.uln_issuer.permutation_key()) == 32
        assert uow.uln_issuer.next_counter() >= 1


def test_the_migrated_schema_matches_the_table_definitions(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)

    assert differences == []
