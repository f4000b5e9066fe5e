"""Engines for SQLite (embedded default) and PostgreSQL, tuned for this workload."""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

DEFAULT_STATEMENT_TIMEOUT_MS = 30_000
_timeouts: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()
_unprepared: weakref.WeakSet[Engine] = weakref.WeakSet()


def build_engine(
    url: str | URL,
    *,
    pool_size: int = 10,
    autocommit: bool = False,
    statement_timeout_ms: int = DEFAULT_STATEMENT_TIMEOUT_MS,
    synchronous_commit: bool = True,
    prepared_statements: bool = True,
) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout and enforced foreign keys.

    `autocommit` gives connections that stay in autocommit for their whole life, so a unit of
    work that only reads and appends pays no per-checkout isolation switch. Every statement is
    bounded by `statement_timeout_ms` (PostgreSQL `statement_timeout`; SQLite's busy timeout).

    `synchronous_commit=False` lets PostgreSQL acknowledge a commit before its WAL reaches the
    disk (it does within three `wal_writer_delay`s): only for the engine of reads and their
    audit appends (docs/decisions/0016-read-audit-commit.md). SQLite ignores it.

    psycopg prepares a statement server-side once a connection has run it `prepare_threshold`
    (5) times. `prepared_statements=False` never does, for a pooler in transaction mode that
    cannot follow prepared statements from one server connection to another (PgBouncer before
    1.21, or without `max_prepared_statements`). Nothing else here outlives a transaction:
    advisory locks are transaction-level, and the account cache LISTENs on a connection of its
    own (store/accounts/cache.py)."""
    engine = _build(
        url, pool_size, autocommit, statement_timeout_ms, synchronous_commit, prepared_statements
    )
    _timeouts[engine] = statement_timeout_ms
    if not prepared_statements:
        _unprepared.add(engine)
    return engine


def statement_timeout_of(engine: Engine) -> int:
    """The statement timeout `engine` was built with, for engines built alongside it."""
    return _timeouts.get(engine, DEFAULT_STATEMENT_TIMEOUT_MS)


def prepared_statements_of(engine: Engine) -> bool:
    """Whether `engine` lets psycopg prepare statements, for engines built alongside it."""
    return engine not in _unprepared


def _build(
    url: str | URL,
    pool_size: int,
    autocommit: bool,
    timeout_ms: int,
    synchronous_commit: bool,
    prepared_statements: bool,
) -> Engine:
    parsed = make_url(url)
    extra: dict[str, Any] = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
    if parsed.drivername.startswith("sqlite"):
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed,
            connect_args={"timeout": timeout_ms / 1000, "check_same_thread": False},
            pool_size=pool_size,
            **extra,
        )
        event.listen(engine, "connect", _sqlite_pragmas(timeout_ms))
        return engine
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    connect_args: dict[str, Any] = {
        "options": f"-c statement_timeout={timeout_ms}"
        f" -c lock_timeout={min(20_000, timeout_ms)}"
        + ("" if synchronous_commit else " -c synchronous_commit=off")
    }
    if not prepared_statements:
        connect_args["prepare_threshold"] = None
    return create_engine(
        parsed,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,
        connect_args=connect_args,
        **extra,
    )


def _sqlite_pragmas(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.close()

    return on_connect
