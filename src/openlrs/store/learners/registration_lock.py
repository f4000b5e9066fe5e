"""Registrations that might be of the same person take turns (by date of birth, say), so two at
once cannot both find no match and both register."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import Connection, update

from openlrs.store import pg
from openlrs.store.tables import registration_locks


class SqlRegistrationLock:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def take(self, keys: Iterable[str]) -> None:
        """Hold the locks for `keys` until the transaction ends. SQLite has one writer at a time:
        taking the write lock serialises registrations."""
        self._conn.execute(
            update(registration_locks)
            .where(registration_locks.c.id == 1)
            .values(taken=registration_locks.c.taken + 1)
        )


def _lock_id(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


class PgRegistrationLock(SqlRegistrationLock):
    """One transaction-level advisory lock per key: registrations with no key in common run
    side by side."""

    def take(self, keys: Iterable[str]) -> None:
        for lock in sorted({_lock_id(k) for k in keys}):  # one order: no deadlock
            pg.advisory_xact_lock(self._conn, lock)
