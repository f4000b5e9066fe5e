"""The SQL unit of work: one connection, one transaction, rolled back unless committed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from contextlib import AbstractContextManager
from types import TracebackType
from typing import ClassVar, Self

from sqlalchemy import Connection, Engine, QueuePool, select, update

from openlrs.store import pg_fast
from openlrs.store.accounts.cache import AccountCache, notify_accounts_changed
from openlrs.store.accounts.portal_session_repository import SqlPortalSessionRepository
from openlrs.store.accounts.repository import SqlAccountRepository, SqlOrganisationRepository
from openlrs.store.audit_log import SqlAuditLog
from openlrs.store.batches.repository import SqlBatchJobRepository
from openlrs.store.change_feed import SqlChangeFeed
from openlrs.store.diploma.repository import SqlDiplomaAccountRepository
from openlrs.store.engine import build_engine, statement_timeout_of
from openlrs.store.learners.held_repository import SqlHeldRegistrationRepository
from openlrs.store.learners.repository import SqlLearnerRepository
from openlrs.store.matching.duplicate_repository import SqlSuspectedDuplicateRepository
from openlrs.store.plr.challenge_repository import SqlChallengeRepository
from openlrs.store.plr.learning_event_repository import SqlLearningEventRepository
from openlrs.store.plr.qualification_repository import SqlQualificationRepository
from openlrs.store.providers.repository import SqlProviderRepository
from openlrs.store.tables import registration_locks, uln_issuer
from openlrs.store.uln.merge_repository import SqlUlnMergeRepository


class SqlUlnIssuer:
    """Counter values for ULN issuing: a sequence on PostgreSQL, the issuer row on SQLite."""

    # The key is written once by the first migration and never changes (decision 0002), so each
    # process reads it once per database.
    _keys: ClassVar[dict[str, bytes]] = {}

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def permutation_key(self) -> bytes:
        database = self._conn.engine.url.render_as_string(hide_password=True)
        key = self._keys.get(database)
        if key is None:
            stored = self._conn.execute(
                select(uln_issuer.c.permutation_key).where(uln_issuer.c.id == 1)
            ).scalar_one()
            key = self._keys[database] = bytes.fromhex(stored)
        return key

    def next_counter(self) -> int:
        pg = pg_fast.driver(self._conn)
        if pg is not None:
            return int(pg_fast.fetch(pg, pg_fast.NEXT_ULN_COUNTER, ())[0][0])
        stmt = (
            update(uln_issuer)
            .where(uln_issuer.c.id == 1)
            .values(counter=uln_issuer.c.counter + 1)
            .returning(uln_issuer.c.counter)
        )
        return int(self._conn.execute(stmt).scalar_one())


def _lock_id(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


_REPOSITORIES: dict[str, type] = {
    "learners": SqlLearnerRepository,
    "uln_issuer": SqlUlnIssuer,
    "audit": SqlAuditLog,
    "held": SqlHeldRegistrationRepository,
    "batches": SqlBatchJobRepository,
    "portal_sessions": SqlPortalSessionRepository,
    "suspected_duplicates": SqlSuspectedDuplicateRepository,
    "providers": SqlProviderRepository,
    "diploma_accounts": SqlDiplomaAccountRepository,
    "qualifications": SqlQualificationRepository,
    "learning_events": SqlLearningEventRepository,
    "challenges": SqlChallengeRepository,
    "uln_merges": SqlUlnMergeRepository,
    "changes": SqlChangeFeed,
}
"""Repositories that need only the connection, built when a use case first asks for one."""


class SqlUnitOfWork:
    """Opens its connection (and BEGIN) at the first statement, and builds only the repositories
    a use case touches: a request answered from caches never checks out a connection."""

    learners: SqlLearnerRepository
    uln_issuer: SqlUlnIssuer
    audit: SqlAuditLog
    held: SqlHeldRegistrationRepository
    batches: SqlBatchJobRepository
    portal_sessions: SqlPortalSessionRepository
    suspected_duplicates: SqlSuspectedDuplicateRepository
    providers: SqlProviderRepository
    diploma_accounts: SqlDiplomaAccountRepository
    qualifications: SqlQualificationRepository
    learning_events: SqlLearningEventRepository
    challenges: SqlChallengeRepository
    uln_merges: SqlUlnMergeRepository
    changes: SqlChangeFeed
    organisations: SqlOrganisationRepository
    accounts: SqlAccountRepository

    def __init__(
        self,
        engine: Engine,
        account_cache: AccountCache | None = None,
        autocommit_engine: Engine | None = None,
    ) -> None:
        self._engine = engine
        self._autocommit_engine = autocommit_engine
        self._account_cache = account_cache
        self._autocommit = False
        self._accounts_changed = False
        self._open: Connection | None = None
        self._built: list[str] = []
        self._entered = False

    def autocommit(self) -> Self:
        """Run each statement on its own, without BEGIN/COMMIT round trips: only for reads and
        the audit rows that record them, which on PostgreSQL may commit without waiting for the
        disk (decision 0016). A change to the register never runs here."""
        self._autocommit = True
        return self

    @property
    def _conn(self) -> Connection:
        """The unit's connection, checked out (and its transaction begun) on first use."""
        if self._open is None:
            if self._autocommit and self._autocommit_engine is not None:
                self._open = self._autocommit_engine.connect()
            elif self._autocommit:
                self._open = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            else:
                self._open = self._engine.connect()
                self._open.begin()
        return self._open

    def __getattr__(self, name: str) -> object:
        # Only called for attributes not yet set: the repositories, built on first use.
        if name.startswith("_") or not self._entered:
            raise AttributeError(f"{name} (a unit of work is used inside `with`)")
        if name == "organisations":
            repository: object = SqlOrganisationRepository(self._conn, self._note_account_change)
        elif name == "accounts":
            repository = SqlAccountRepository(
                lambda: self._conn,
                cache=self._account_cache if self._autocommit else None,
                on_change=self._note_account_change,
            )
        elif name in _REPOSITORIES:
            repository = _REPOSITORIES[name](self._conn)
        else:
            raise AttributeError(name)
        setattr(self, name, repository)
        self._built.append(name)
        return repository

    def __enter__(self) -> Self:
        self._entered = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if "changes" in self._built:
                self.changes.discard()
            if self._open is not None and not self._autocommit:
                self._open.rollback()
        finally:
            if self._open is not None:
                self._open.close()
            for name in self._built:
                delattr(self, name)
            self._open = None
            self._built = []
            self._entered = False
            self._autocommit = False
            self._accounts_changed = False

    def commit(self) -> None:
        if "changes" in self._built:
            self.changes.flush()  # last, under the feed's lock (store/change_feed.py)
        if self._open is not None and not self._autocommit:
            self._open.commit()
            self._open.begin()
        if self._accounts_changed and self._account_cache is not None:
            self._account_cache.invalidate()  # this process at once; others by NOTIFY
        self._accounts_changed = False

    def _note_account_change(self) -> None:
        self._accounts_changed = True
        if self._conn.dialect.name == "postgresql":
            notify_accounts_changed(self._conn)

    def rollback(self) -> None:
        if "changes" in self._built:
            self.changes.discard()
        if self._open is not None:
            self._open.rollback()
            self._open.begin()

    def savepoint(self) -> AbstractContextManager[object]:
        return self._conn.begin_nested()

    def lock_for_registration(self, keys: Iterable[str]) -> None:
        pg = pg_fast.driver(self._conn)
        if pg is not None:
            for lock in sorted({_lock_id(k) for k in keys}):  # one order: no deadlock
                pg_fast.execute(pg, pg_fast.ADVISORY_XACT_LOCK, (lock,))
            return
        # SQLite has one writer at a time: taking the write lock serialises registrations.
        self._conn.execute(
            update(registration_locks)
            .where(registration_locks.c.id == 1)
            .values(taken=registration_locks.c.taken + 1)
        )


class SqlUnitOfWorkFactory:
    """Units of work on `engine`; those in autocommit (reads and their audit appends) on an engine
    of their own, whose commits wait for the disk only if `read_audit_sync_commit`: otherwise a
    database crash may lose the last fraction of a second of read records, never a change
    (docs/decisions/0016-read-audit-commit.md)."""

    def __init__(
        self, engine: Engine, *, cache_accounts: bool = True, read_audit_sync_commit: bool = True
    ) -> None:
        self.engine = engine
        self.autocommit_engine = (
            build_engine(
                engine.url,
                pool_size=engine.pool.size(),
                autocommit=True,
                statement_timeout_ms=statement_timeout_of(engine),
                synchronous_commit=read_audit_sync_commit,
            )
            if isinstance(engine.pool, QueuePool)
            else None
        )
        self.account_cache: AccountCache | None = None
        if cache_accounts and engine.dialect.name == "postgresql":
            conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            self.account_cache = AccountCache(conninfo)

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.account_cache, self.autocommit_engine)

    def close(self) -> None:
        """Stop the account-cache listener and release the engine's connections."""
        if self.account_cache is not None:
            self.account_cache.close()
        if self.autocommit_engine is not None:
            self.autocommit_engine.dispose()
        self.engine.dispose()
