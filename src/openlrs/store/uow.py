"""The SQL unit of work: one connection, one transaction, rolled back unless committed."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cached_property
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, QueuePool, make_url

from openlrs.store.accounts.cache import AccountCache, notify_accounts_changed
from openlrs.store.accounts.pg import PgAccountRepository
from openlrs.store.accounts.portal_session_repository import SqlPortalSessionRepository
from openlrs.store.accounts.repository import SqlAccountRepository, SqlOrganisationRepository
from openlrs.store.audit_log import PgAuditLog, SqlAuditLog
from openlrs.store.batches.repository import SqlBatchJobRepository
from openlrs.store.change_feed import PgChangeFeed, SqlChangeFeed
from openlrs.store.desk.incident_repository import SqlIncidentRepository
from openlrs.store.desk.queue_reader import SqlQueueReader
from openlrs.store.diploma.repository import SqlDiplomaAccountRepository
from openlrs.store.engine import build_engine, prepared_statements_of, statement_timeout_of
from openlrs.store.learner_accounts.repository import SqlLearnerAccountRepository
from openlrs.store.learner_plans.repository import SqlLearnerPlanRepository
from openlrs.store.learners.change_request_repository import SqlChangeRequestRepository
from openlrs.store.learners.held_repository import SqlHeldRegistrationRepository
from openlrs.store.learners.pg import PgLearnerRepository
from openlrs.store.learners.registration_lock import PgRegistrationLock, SqlRegistrationLock
from openlrs.store.learners.repository import SqlLearnerRepository
from openlrs.store.matching.duplicate_repository import SqlSuspectedDuplicateRepository
from openlrs.store.notices.maintenance_repository import SqlMaintenanceRepository
from openlrs.store.notifications.outbox import SqlNotificationOutbox
from openlrs.store.outages import as_outage
from openlrs.store.plr.challenge_repository import SqlChallengeRepository
from openlrs.store.plr.learning_event_repository import SqlLearningEventRepository
from openlrs.store.plr.pg import PgLearningEventRepository
from openlrs.store.plr.qualification_repository import SqlQualificationRepository
from openlrs.store.providers.repository import SqlProviderRepository
from openlrs.store.retention.repository import SqlRetentionStore
from openlrs.store.uln.issuer import PgUlnIssuer, SqlUlnIssuer
from openlrs.store.uln.merge_repository import SqlUlnMergeRepository


@dataclass(frozen=True)
class _RepositoryClasses:
    """The classes a unit builds where PostgreSQL has a subclass with raw SQL for hot methods."""

    learners: type[SqlLearnerRepository] = SqlLearnerRepository
    uln_issuer: type[SqlUlnIssuer] = SqlUlnIssuer
    audit: type[SqlAuditLog] = SqlAuditLog
    learning_events: type[SqlLearningEventRepository] = SqlLearningEventRepository
    changes: type[SqlChangeFeed] = SqlChangeFeed
    accounts: type[SqlAccountRepository] = SqlAccountRepository
    registration_lock: type[SqlRegistrationLock] = SqlRegistrationLock


_PORTABLE = _RepositoryClasses()
_BY_DIALECT = {
    "postgresql": _RepositoryClasses(
        learners=PgLearnerRepository,
        uln_issuer=PgUlnIssuer,
        audit=PgAuditLog,
        learning_events=PgLearningEventRepository,
        changes=PgChangeFeed,
        accounts=PgAccountRepository,
        registration_lock=PgRegistrationLock,
    )
}


class SqlUnitOfWork:
    """Opens its connection (and BEGIN) at the first statement, and builds only the repositories
    a use case touches: a request answered from caches never checks out a connection."""

    def __init__(
        self,
        engine: Engine,
        account_cache: AccountCache | None = None,
        autocommit_engine: Engine | None = None,
    ) -> None:
        self._engine = engine
        self._classes = _BY_DIALECT.get(engine.dialect.name, _PORTABLE)
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

    def _build(self, name: str) -> None:
        """Note that repository `name` is being built (it is dropped at `__exit__`); only inside
        `with`."""
        if not self._entered:
            raise AttributeError(f"{name} (a unit of work is used inside `with`)")
        self._built.append(name)

    # Each repository is built on first use and kept as the unit's attribute (`cached_property`)
    # until `__exit__`: a use case pays only for the repositories it touches, and later reads
    # are plain attribute reads.
    @cached_property
    def learners(self) -> SqlLearnerRepository:
        self._build("learners")
        return self._classes.learners(self._conn)

    @cached_property
    def uln_issuer(self) -> SqlUlnIssuer:
        self._build("uln_issuer")
        return self._classes.uln_issuer(self._conn)

    @cached_property
    def audit(self) -> SqlAuditLog:
        self._build("audit")
        return self._classes.audit(self._conn)

    @cached_property
    def learning_events(self) -> SqlLearningEventRepository:
        self._build("learning_events")
        return self._classes.learning_events(self._conn)

    @cached_property
    def changes(self) -> SqlChangeFeed:
        self._build("changes")
        return self._classes.changes(self._conn)

    @cached_property
    def accounts(self) -> SqlAccountRepository:
        """Accounts through the account cache in autocommit units (the standing check); the
        connection is checked out only if the cache cannot answer."""
        self._build("accounts")
        return self._classes.accounts(
            lambda: self._conn,
            cache=self._account_cache if self._autocommit else None,
            on_change=self._note_account_change,
        )

    @cached_property
    def organisations(self) -> SqlOrganisationRepository:
        self._build("organisations")
        return SqlOrganisationRepository(self._conn, self._note_account_change)

    @cached_property
    def held(self) -> SqlHeldRegistrationRepository:
        self._build("held")
        return SqlHeldRegistrationRepository(self._conn)

    @cached_property
    def change_requests(self) -> SqlChangeRequestRepository:
        self._build("change_requests")
        return SqlChangeRequestRepository(self._conn)

    @cached_property
    def batches(self) -> SqlBatchJobRepository:
        self._build("batches")
        return SqlBatchJobRepository(self._conn)

    @cached_property
    def portal_sessions(self) -> SqlPortalSessionRepository:
        self._build("portal_sessions")
        return SqlPortalSessionRepository(self._conn)

    @cached_property
    def suspected_duplicates(self) -> SqlSuspectedDuplicateRepository:
        self._build("suspected_duplicates")
        return SqlSuspectedDuplicateRepository(self._conn)

    @cached_property
    def providers(self) -> SqlProviderRepository:
        self._build("providers")
        return SqlProviderRepository(self._conn)

    @cached_property
    def diploma_accounts(self) -> SqlDiplomaAccountRepository:
        self._build("diploma_accounts")
        return SqlDiplomaAccountRepository(self._conn)

    @cached_property
    def qualifications(self) -> SqlQualificationRepository:
        self._build("qualifications")
        return SqlQualificationRepository(self._conn)

    @cached_property
    def challenges(self) -> SqlChallengeRepository:
        self._build("challenges")
        return SqlChallengeRepository(self._conn)

    @cached_property
    def learner_accounts(self) -> SqlLearnerAccountRepository:
        self._build("learner_accounts")
        return SqlLearnerAccountRepository(self._conn)

    @cached_property
    def uln_merges(self) -> SqlUlnMergeRepository:
        self._build("uln_merges")
        return SqlUlnMergeRepository(self._conn)

    @cached_property
    def incidents(self) -> SqlIncidentRepository:
        self._build("incidents")
        return SqlIncidentRepository(self._conn)

    @cached_property
    def queues(self) -> SqlQueueReader:
        self._build("queues")
        return SqlQueueReader(self._conn)

    @cached_property
    def maintenance(self) -> SqlMaintenanceRepository:
        self._build("maintenance")
        return SqlMaintenanceRepository(self._conn)

    @cached_property
    def notifications(self) -> SqlNotificationOutbox:
        self._build("notifications")
        return SqlNotificationOutbox(self._conn)

    @cached_property
    def learner_plans(self) -> SqlLearnerPlanRepository:
        self._build("learner_plans")
        return SqlLearnerPlanRepository(self._conn)

    @cached_property
    def retention(self) -> SqlRetentionStore:
        self._build("retention")
        return SqlRetentionStore(self._conn)

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
        except Exception as failed:  # the rollback of a dead connection fails in its turn
            outage = as_outage(failed) or (as_outage(exc) if exc is not None else None)
            if outage is not None:
                raise outage from failed
            raise
        else:
            outage = as_outage(exc) if exc is not None else None
            if outage is not None:
                raise outage from exc  # every door answers an outage as one (store/outages.py)
        finally:
            if self._open is not None:
                self._open.close()
            self._open = None
            for name in self._built:
                self.__dict__.pop(name, None)  # absent if building it failed
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
        self._classes.registration_lock(self._conn).take(keys)


class SqlUnitOfWorkFactory:
    """Units of work on `engine`; those in autocommit (reads and their audit appends) on an engine
    of their own, whose commits wait for the disk only if `read_audit_sync_commit`: otherwise a
    database crash may lose the last fraction of a second of read records, never a change
    (docs/decisions/0016-read-audit-commit.md)."""

    def __init__(
        self,
        engine: Engine,
        *,
        cache_accounts: bool = True,
        read_audit_sync_commit: bool = True,
        listen_url: str | None = None,
    ) -> None:
        self.engine = engine
        self.autocommit_engine = (
            build_engine(
                engine.url,
                pool_size=engine.pool.size(),
                autocommit=True,
                statement_timeout_ms=statement_timeout_of(engine),
                prepared_statements=prepared_statements_of(engine),
                synchronous_commit=read_audit_sync_commit,
            )
            if isinstance(engine.pool, QueuePool)
            else None
        )
        self.account_cache: AccountCache | None = None
        if cache_accounts and engine.dialect.name == "postgresql":
            # LISTEN needs a session of its own: behind a transaction-mode pooler, `listen_url`
            # names the database directly (decision 0017).
            url = make_url(listen_url) if listen_url else engine.url
            conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
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
