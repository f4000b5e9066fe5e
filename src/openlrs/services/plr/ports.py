"""What the Personal Learning Record use cases need from storage (`store.plr_repository`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

from openlrs.domain.plr.achievements import EventType, LearnerRecord, LearningEvent
from openlrs.domain.plr.event_challenges import Challenge, ChallengeStatus
from openlrs.domain.plr.qualifications import Qualification, Unit


class QualificationRepository(Protocol):
    def get(self, number: str) -> Qualification | None: ...

    def get_many(self, numbers: Collection[str]) -> dict[str, Qualification]: ...

    def get_units(self, references: Collection[str]) -> dict[str, Unit]: ...

    def add(self, qualification: Qualification) -> None: ...

    def replace(self, qualification: Qualification) -> None: ...

    def list_qualifications(self, *, after: str | None, limit: int) -> list[Qualification]: ...

    def get_unit(self, reference: str) -> Unit | None: ...

    def add_unit(self, unit: Unit) -> None: ...

    def replace_unit(self, unit: Unit) -> None: ...

    def list_units(self, *, after: str | None, limit: int) -> list[Unit]: ...

    def awardable_by(self, ukprn: str, *, text: str, limit: int) -> list[Qualification | Unit]:
        """What `ukprn` owns or may award whose number, reference or title contains `text`."""
        ...


class LearningEventRepository(Protocol):
    """Events, each change kept as a version, and per learner a record version and sharing choice."""

    def get(self, event_id: str) -> LearningEvent | None: ...

    def by_natural_key(self, key: str) -> LearningEvent | None: ...

    def by_natural_keys(self, keys: Collection[str]) -> dict[str, LearningEvent]: ...

    def add(self, event: LearningEvent, *, actor: str) -> LearningEvent: ...

    def add_many(self, events: Sequence[LearningEvent], *, actor: str) -> list[LearningEvent]: ...

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

    def bump_record_versions(self, bumps: Mapping[str, int]) -> None: ...

    def shares(self, uln: str) -> bool:
        """False once the learner, or a ULN merged into them, has declined to share their
        record: their `ability_to_share` (a learner detail, the one source of truth)."""
        ...

    def record_of(self, uln: str, *, event_type: EventType | None = None) -> LearnerRecord:
        """`shares`, `record_version` and `for_learner` together (one statement where the store
        can: a PLR read is on the load's path)."""
        ...


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
        uln: str | None = None,
    ) -> list[Challenge]: ...
