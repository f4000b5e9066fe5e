"""What the PostgreSQL subclasses of the repositories share: raw psycopg statements on the unit's
connection, with rows read by column name.

SQLAlchemy Core costs ~130 µs of Python per statement on top of psycopg's ~60 µs; on the
per-request path that is most of the budget (docs/decisions/0017-hot-path-as-plain-code.md). So a repository with
a statement on that path has a PostgreSQL subclass (`PgLearnerRepository`, ...) overriding only
those methods with raw SQL; the base class keeps the portable Core body, the unit of work picks
the class by dialect, and the tests run both.

psycopg prepares a statement server-side once a connection has run it `prepare_threshold` times;
`build_engine(prepared_statements=False)` turns that off for a transaction-mode pooler.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy import Connection

Params = tuple[Any, ...] | dict[str, Any]


def _driver(conn: Connection) -> psycopg.Connection[Any]:
    return cast("psycopg.Connection[Any]", conn.connection.driver_connection)


def fetch(conn: Connection, sql: str, params: Params) -> list[Any]:
    """The rows of `sql` as named tuples: read them by column name (alias clashing columns)."""
    with _driver(conn).cursor(row_factory=namedtuple_row) as cur:
        return cur.execute(sql, params).fetchall()


def execute(conn: Connection, sql: str, params: Params) -> None:
    _driver(conn).execute(sql, params)


def execute_many(conn: Connection, sql: str, rows: list[dict[str, Any]]) -> None:
    """One statement for each of `rows`, sent together (psycopg pipelines them)."""
    with _driver(conn).cursor() as cur:
        cur.executemany(sql, rows)


def advisory_xact_lock(conn: Connection, key: int) -> None:
    """Wait for the advisory lock `key`, held until this transaction ends (never beyond it, so
    nothing outlives the transaction on a pooled server connection)."""
    execute(conn, "SELECT pg_advisory_xact_lock(%s)", (key,))


def utc(value: dt.datetime | None) -> dt.datetime | None:
    """psycopg gives timestamps in the session's time zone; the domain keeps UTC."""
    return None if value is None else value.astimezone(dt.UTC)
