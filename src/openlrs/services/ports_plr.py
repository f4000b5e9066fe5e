"""What the Personal Learning Record use cases need from storage (`store.plr_repository`)."""

from __future__ import annotations

from typing import Protocol

from openlrs.domain.achievements import EventType, LearningEvent
from openlrs.domain.event_challenges import Challenge, ChallengeStatus
from openlrs.domain.qualifications import Qualification, Unit


class QualificationRepository(Protocol):
    def get(self, number: str) -> Qualification | None: ...

    def add(self, qualification: Qualification) -> None: ...

    def replace(self, qualification: Qualification) -> None: ...

    def list_qualifications(self, *, after: str | None, limit: int) -> list[Qualification]: ...

    def get_unit(self, reference: str) -> Unit | None: ...

    def add_unit(self, unit: Unit) -> None: ...

    def replace_unit(self, unit: Unit) -> None: ...

    def list_units(self, *, after: str | None, limit: int) -> list[Unit]: ...


class LearningEventRepository(Protocol):
    """Events, each change kept as a version, and per learner a record version and sharing choice."""

    def get(self, event_id: str) -> LearningEvent | None: ...

    def by_natural_key(self, key: str) -> LearningEvent | None: ...

    def add(self, event: LearningEvent, *, actor: str) -> LearningEvent: ...

    def replace(self, event: LearningEvent, *, actor: str, change: str) -> LearningEvent:
        """Store the event as its next version (bumping `version`), keeping the one before."""
        ...

    def for_learner(
        self, uln: str, *, event_type: EventType | None = None
    ) -> list[LearningEvent]: ...

    def history(self, event_id: str) -> list[LearningEvent]: ...

    def record_version(self, uln: str) -> int:
        """How many times the learner's record has changed (0 before the first event)."""
        ...

    def bump_record_version(self, uln: str) -> int: ...

    def shares(self, uln: str) -> bool:
        """False once the learner has opted out of sharing their record."""
        ...

    def set_sharing(self, uln: str, shares: bool, *, recorded_by: str) -> None: ...


class ChallengeRepository(Protocol):
    def add(self, challenge: Challenge) -> Challenge: ...

    def get(self, challenge_id: str) -> Challenge | None: ...

    def open_for_event(self, event_id: str) -> Challenge | None: ...

    def save(self, challenge: Challenge) -> None: ...

    def for_event(self, event_id: str) -> list[Challenge]: ...

    def list(
        self,
        *,
        owner_ukprn: str | None,
        raised_by_ukprn: str | None,
        status: ChallengeStatus | None,
        limit: int,
    ) -> list[Challenge]: ...
