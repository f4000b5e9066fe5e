"""The SQL unit of work: one connection, one transaction, rolled back unless committed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, select, text, update

from openlrs.store.account_repository import SqlAccountRepository, SqlOrganisationRepository
from openlrs.store.audit_log import SqlAuditLog
from openlrs.store.learner_repository import SqlLearnerRepository
from openlrs.store.tables import registration_locks, uln_issuer


class SqlUlnIssuer:
    """Counter values for ULN issuing: a sequence on PostgreSQL, the issuer row on SQLite."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def permutation_key(self) -> bytes:
        key = self._conn.execute(
            select(uln_issuer.c.permutation_key).where(uln_issuer.c.id == 1)
        ).scalar_one()
        return bytes.fromhex(key)

    def next_counter(self) -> int:
        if self._conn.dialect.name == "postgresql":
            return int(self._conn.execute(text("SELECT nextval('uln_counter_seq')")).scalar_one())
        stmt = (
            update(uln_issuer)
            .where(uln_issuer.c.id == 1)
            .values(counter=uln_issuer.c.counter + 1)
            .returning(uln_issuer.c.counter)
        )
        return int(self._conn.execute(stmt).scalar_one())


def _lock_id(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


class SqlUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._autocommit = False

    def autocommit(self) -> Self:
        """Run each statement on its own, without BEGIN/COMMIT round trips (reads and appends)."""
        self._autocommit = True
        return self

    def __enter__(self) -> Self:
        if self._autocommit:
            self._conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        else:
            self._conn = self._engine.connect()
            self._conn.begin()
        self.learners = SqlLearnerRepository(self._conn)
        self.uln_issuer = SqlUlnIssuer(self._conn)
        self.organisations = SqlOrganisationRepository(self._conn)
        self.accounts = SqlAccountRepository(self._conn)
        self.audit = SqlAuditLog(self._conn)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._autocommit:
                self._conn.rollback()
        finally:
            self._conn.close()
            self._autocommit = False

    def commit(self) -> None:
        if self._autocommit:
            return
        self._conn.commit()
        self._conn.begin()

    def rollback(self) -> None:
        self._conn.rollback()
        self._conn.begin()

    def lock_for_registration(self, keys: Iterable[str]) -> None:
        if self._conn.dialect.name == "postgresql":
            for lock in sorted({_lock_id(k) for k in keys}):
                self._conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock})
            return
        # SQLite has one writer at a time: taking the write lock serialises registrations.
        self._conn.execute(
            update(registration_locks)
            .where(registration_locks.c.id == 1)
            .values(taken=registration_locks.c.taken + 1)
        )


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)
