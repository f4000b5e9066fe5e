"""What the use cases need from storage: a unit of work and its repositories, as Protocols.

`openlrs.store` implements them over SQLAlchemy; `tests/unit/fakes.py` in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Protocol, Self

from openlrs.domain.accounts.organisations import Account, Organisation, OrgStatus
from openlrs.domain.accounts.portal_session import PortalSession, SignInState
from openlrs.domain.audit import AuditEvent
from openlrs.domain.learners.held_registration import HeldRegistration, HeldStatus
from openlrs.domain.learners.learner import Learner
from openlrs.domain.matching.engine import Candidate
from openlrs.domain.matching.suspected_duplicate import DuplicateStatus, SuspectedDuplicate
from openlrs.domain.providers.provider import Provider, ProviderStatus, ProviderVersion
from openlrs.domain.providers.search import ProviderQuery
from openlrs.services.batches.ports import BatchJobRepository
from openlrs.services.diploma.ports import DiplomaAccountRepository
from openlrs.services.plr.ports import (
    ChallengeRepository,
    LearningEventRepository,
    QualificationRepository,
)
from openlrs.services.uln.ports import ChangeFeed, UlnMergeRepository


class LearnerRepository(Protocol):
    def get(self, uln: str) -> Learner | None: ...

    def get_many(self, ulns: Collection[str]) -> dict[str, Learner]:
        """The learners with these ULNs that exist, keyed by ULN, in one round trip."""
        ...

    def get_and_record(self, uln: str, event: AuditEvent) -> Learner | None:
        """Read a learner and append `event` to the audit trail, in one round trip where the
        database allows; the event's outcome is filled in by `audit.read_outcome`."""
        ...

    def candidates(self, keys: Collection[str], *, limit: int) -> list[Candidate]:
        """Learners sharing any of the blocking keys (`domain.matching.keys`), at most `limit`."""
        ...

    def name_frequencies(
        self, names: Collection[tuple[str, str]]
    ) -> dict[tuple[str, str], float | None]:
        """How common each (field, name key) is in the register (share of learners), for
        term-frequency adjustment: field `given_name`, `family_name` or `full_name`
        ("GIVEN FAMILY"); None when not known. One round trip at most."""
        ...

    def refresh_name_frequencies(self) -> int:
        """Count every name afresh (in bulk); returns how many learners there are."""
        ...

    def add(self, learner: Learner, *, actor: str, ukprn: str | None) -> None: ...

    def replace(
        self, learner: Learner, *, expected_version: int, actor: str, ukprn: str | None
    ) -> bool:
        """Store `learner` as the new current version if the stored one is `expected_version`."""
        ...

    def history(self, uln: str) -> list[Learner]: ...

    def count(self) -> int: ...

    def lock(self, uln: str) -> Learner | None:
        """Read the learner under a row lock held until the unit of work ends (PostgreSQL):
        merges, unmerges, splits and writes to the learning record take it before changing."""
        ...

    def lock_many(self, ulns: Collection[str]) -> None:
        """Take `lock`'s row lock on each of these learners, in ULN order, in one statement."""
        ...


class HeldRegistrationRepository(Protocol):
    def add(self, held: HeldRegistration) -> HeldRegistration: ...

    def get(self, held_id: int) -> HeldRegistration | None: ...

    def list(
        self, *, ukprn: str | None, status: HeldStatus | None, limit: int
    ) -> list[HeldRegistration]: ...

    def resolve(self, held_id: int, status: HeldStatus, uln: str, by: str) -> bool:
        """Close an open entry; False if it was no longer open."""
        ...


class SuspectedDuplicateRepository(Protocol):
    def upsert(self, pairs: Iterable[SuspectedDuplicate]) -> int:
        """Add new pairs, refresh known ones (keeping their status); returns how many written."""
        ...

    def list(
        self, *, status: DuplicateStatus | None, after_id: int | None, limit: int
    ) -> list[SuspectedDuplicate]: ...


class UlnIssuer(Protocol):
    def permutation_key(self) -> bytes: ...

    def next_counter(self) -> int:
        """A counter value never handed out before, strictly greater than every earlier one."""
        ...


class OrganisationRepository(Protocol):
    def get(self, ukprn: str) -> Organisation | None: ...

    def add(self, organisation: Organisation) -> Organisation: ...

    def set_status(self, ukprn: str, status: OrgStatus) -> None: ...

    def list(self, *, after: str | None, limit: int) -> list[Organisation]: ...


class AccountRepository(Protocol):
    def get(self, kind: str, login: str) -> Account | None: ...

    def add(self, account: Account) -> None: ...

    def revoke(self, kind: str, login: str, when: dt.datetime) -> None: ...

    def list(self, kind: str, ukprn: str) -> list[Account]: ...


class AuditLog(Protocol):
    def record(self, event: AuditEvent) -> None: ...

    def record_many(self, events: Sequence[AuditEvent]) -> None: ...

    def list(
        self, *, ukprn: str | None, uln: str | None, before_id: int | None, limit: int
    ) -> list[AuditEvent]: ...


class PortalSessionRepository(Protocol):
    """Portal sessions (looked up by token hash) and each user's sign-in state."""

    def get(self, token_hash: str) -> PortalSession | None: ...

    def add(self, session: PortalSession) -> None: ...

    def save(self, session: PortalSession) -> None:
        """Store the session's stage, last-seen, expiry and revocation (by token hash)."""
        ...

    def revoke_all(self, username: str, when: dt.datetime) -> None: ...

    def sign_in_state(self, username: str) -> SignInState: ...

    def save_sign_in_state(self, state: SignInState) -> None: ...


class ProviderRepository(Protocol):
    """The provider register. Writes call `lock` first: it serialises them until the unit ends."""

    def lock(self) -> None: ...

    def allocate_ukprn(self) -> str:
        """A UKPRN never handed out before, above every UKPRN an organisation holds."""
        ...

    def add(
        self, provider: Provider, *, changed_by: str, reason: str | None = None
    ) -> Provider: ...

    def replace(
        self, provider: Provider, *, changed_by: str, reason: str | None = None
    ) -> Provider: ...

    def get_by_reference(self, reference: str) -> Provider | None: ...

    def get_by_ukprn(self, ukprn: str) -> Provider | None: ...

    def queue(
        self, statuses: frozenset[ProviderStatus], *, after_id: int | None, limit: int
    ) -> list[Provider]: ...

    def duplicate_candidates(self, provider: Provider, *, limit: int) -> list[Provider]: ...

    def history(self, provider_id: int) -> list[ProviderVersion]: ...

    def changes(self, *, since: int, limit: int) -> list[ProviderVersion]: ...

    def search(self, query: ProviderQuery, *, limit: int, offset: int) -> list[Provider]: ...


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
    def changes(self) -> ChangeFeed: ...

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
