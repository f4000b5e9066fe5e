"""INSERT ... ON CONFLICT on either engine: SQLAlchemy spells it alike for SQLite and PostgreSQL,
from each dialect's own `insert`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, Table, select
from sqlalchemy.dialects import postgresql, sqlite


def upsert_insert(conn: Connection, table: Table) -> Any:
    """An INSERT into `table` that offers `on_conflict_do_nothing` / `on_conflict_do_update`,
    from the dialect of `conn`."""
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def insert_unless_open(
    conn: Connection,
    table: Table,
    values: Mapping[str, Any],
    *,
    key: Column[Any],
    unique: Sequence[Column[Any]],
    open_when: ColumnElement[bool],
) -> Any:
    """Insert `values` unless a row with the same `unique` values and `open_when` true exists
    (a partial unique index on `unique` where `open_when` decides, so racing inserts give one
    row, not a read first); the `key` of the row, new or already there."""
    stmt = (
        upsert_insert(conn, table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=list(unique), index_where=open_when)
        .returning(key)
    )
    found = conn.execute(stmt).scalar_one_or_none()
    if found is None:
        same = [column == values[column.name] for column in unique]
        found = conn.execute(select(key).where(open_when, *same)).scalar_one()
    return found
