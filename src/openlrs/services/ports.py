"""What the use cases need from storage: a unit of work and its repositories, as Protocols.

`openlrs.store` implements them over SQLAlchemy; `tests/unit/fakes.py` in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Protocol, Self

from openlrs.domain.audit import AuditEvent
from openlrs.domain.learner_changes import ChangePage, LearnerChange
from openlrs.services.accounts.ports import (
    AccountRepository,
    OrganisationRepository,
    PortalSessionRepository,
)
from openlrs.services.batches.ports import BatchJobRepository
from openlrs.services.desk.ports import IncidentRepository, QueueReader
from openlrs.services.diploma.ports import DiplomaAccountRepository
from openlrs.services.learner_accounts.ports import LearnerAccountRepository
from openlrs.services.learner_plans.ports import LearnerPlanRepository
from openlrs.services.learners.ports import (
    ChangeRequestRepository,
    HeldRegistrationRepository,
    LearnerRepository,
    UlnIssuer,
)
from openlrs.services.matching.ports import SuspectedDuplicateRepository
from openlrs.services.notices.ports import MaintenanceRepository
from openlrs.services.notifications.ports import NotificationOutbox
from openlrs.services.plr.ports import (
    ChallengeRepository,
    LearningEventRepository,
    QualificationRepository,
)
from openlrs.services.providers.ports import ProviderRepository
from openlrs.services.retention.ports import RetentionStore
from openlrs.services.uln.ports import UlnMergeRepository


class ChangeFeed(Protocol):
    def record(self, change: LearnerChange) -> None:
        """Note a change; it joins the feed when the unit of work commits, and not before."""
        ...

    def since(self, position: int, *, ukprn: str | None, limit: int) -> ChangePage:
        """Committed changes after `position`, oldest first. With `ukprn`, only changes to
        learners that organisation has registered, looked up or recorded events for (or to
        the master of such a learner)."""
        ...


class AuditLog(Protocol):
    def record(self, event: AuditEvent) -> None: ...

    def record_many(self, events: Sequence[AuditEvent]) -> None: ...

    def list(
        self, *, ukprn: str | None, uln: str | None, before_id: int | None, limit: int
    ) -> list[AuditEvent]: ...


class UnitOfWork(Protocol):
    @property
    def learners(self) -> LearnerRepository: ...

    @property
    def uln_issuer(self) -> UlnIssuer: ...

    @property
    def organisations(self) -> OrganisationRepository: ...

    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def held(self) -> HeldRegistrationRepository: ...

    @property
    def change_requests(self) -> ChangeRequestRepository: ...

    @property
    def batches(self) -> BatchJobRepository: ...

    @property
    def portal_sessions(self) -> PortalSessionRepository: ...

    @property
    def suspected_duplicates(self) -> SuspectedDuplicateRepository: ...

    @property
    def providers(self) -> ProviderRepository: ...

    @property
    def diploma_accounts(self) -> DiplomaAccountRepository: ...

    @property
    def qualifications(self) -> QualificationRepository: ...

    @property
    def learning_events(self) -> LearningEventRepository: ...

    @property
    def challenges(self) -> ChallengeRepository: ...

    @property
    def uln_merges(self) -> UlnMergeRepository: ...

    @property
    def learner_plans(self) -> LearnerPlanRepository: ...

    @property
    def retention(self) -> RetentionStore: ...

    @property
    def changes(self) -> ChangeFeed: ...

    @property
    def incidents(self) -> IncidentRepository: ...

    @property
    def queues(self) -> QueueReader: ...

    @property
    def maintenance(self) -> MaintenanceRepository: ...

    @property
    def notifications(self) -> NotificationOutbox: ...

    @property
    def learner_accounts(self) -> LearnerAccountRepository: ...

    def autocommit(self) -> Self:
        """Before entering: let each statement commit on its own. For use cases that only read
        and append to the audit trail, where fewer round trips matter more than atomicity."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back anything not committed."""
        ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def savepoint(self) -> AbstractContextManager[object]:
        """A savepoint: leaving it with an exception rolls back to it, otherwise releases it."""
        ...

    def lock_for_registration(self, keys: Iterable[str]) -> None:
        """Serialise registrations that could be the same person, until this unit of work ends."""
        ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...
