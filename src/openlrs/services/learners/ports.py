"""What registering, finding and updating learners need from storage (`store.learners`)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from openlrs.domain.audit import AuditEvent
from openlrs.domain.learners.change_request import (
    ChangeRequest,
    ChangeRequestStatus,
    RelationshipKind,
)
from openlrs.domain.learners.current import CurrentLearner
from openlrs.domain.learners.held_registration import HeldRegistration, HeldStatus
from openlrs.domain.learners.learner import Learner
from openlrs.domain.matching.engine import Candidate


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

    def add(self, learner: Learner, *, actor: str, ukprn: str | None) -> None:
        """Store version 1 and record that `ukprn` registered the learner."""
        ...

    def note_relationship(self, uln: str, ukprn: str, kind: RelationshipKind) -> None:
        """Record `ukprn`'s relationship with the learner, unless already recorded."""
        ...

    def relationships(self, ulns: Collection[str], ukprn: str) -> frozenset[RelationshipKind]:
        """The kinds of relationship `ukprn` has with any of these learners."""
        ...

    def current_learners(
        self, ukprn: str, *, after: str | None, limit: int
    ) -> list[CurrentLearner]:
        """The learners `ukprn` registered or has on roll, in ULN order after `after`."""
        ...

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
    def add(self, held: HeldRegistration) -> HeldRegistration:
        """Hold a registration, or answer the organisation's open entry with the same
        fingerprint (one entry per organisation and person, even under concurrency)."""
        ...

    def get(self, held_id: int) -> HeldRegistration | None: ...

    def list(
        self, *, ukprn: str | None, status: HeldStatus | None, limit: int
    ) -> list[HeldRegistration]: ...

    def resolve(self, held_id: int, status: HeldStatus, uln: str, by: str) -> bool:
        """Close an open entry; False if it was no longer open."""
        ...


class ChangeRequestRepository(Protocol):
    def add(self, request: ChangeRequest) -> ChangeRequest:
        """Store a pending request (a new reference), or answer the organisation's pending
        request with the same fingerprint."""
        ...

    def get(self, reference: str) -> ChangeRequest | None: ...

    def list(
        self, *, ukprn: str | None, status: ChangeRequestStatus | None, limit: int
    ) -> list[ChangeRequest]:
        """All requests (`ukprn` None), or those `ukprn` made or that are on learners it
        registered (or on the master of one), oldest first."""
        ...

    def decide(
        self,
        reference: str,
        status: ChangeRequestStatus,
        *,
        by: str,
        by_ukprn: str,
        applied_version: int | None,
    ) -> bool:
        """Close a pending request; False if it was no longer pending."""
        ...


class UlnIssuer(Protocol):
    def permutation_key(self) -> bytes: ...

    def next_counter(self) -> int:
        """A counter value never handed out before, strictly greater than every earlier one."""
        ...
