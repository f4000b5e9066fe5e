"""In-memory qualification register, learning events and challenges, over the fakes' `Tables`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from openlrs.domain.learners.learner import AbilityToShare
from openlrs.domain.plr.achievements import EventType, LearnerRecord, LearningEvent
from openlrs.domain.plr.event_challenges import Challenge, ChallengeStatus
from openlrs.domain.plr.qualifications import Qualification, Unit

if TYPE_CHECKING:
    from tests.unit.fakes import Tables


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class PlrState:
    qualifications: dict[str, Qualification] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    events: dict[str, LearningEvent] = field(default_factory=dict)
    versions: dict[str, list[LearningEvent]] = field(default_factory=dict)
    record_versions: dict[str, int] = field(default_factory=dict)
    challenges: dict[str, Challenge] = field(default_factory=dict)


class FakeQualificationRepository:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    @property
    def _state(self) -> PlrState:
        return self._tables.plr

    def get(self, number: str) -> Qualification | None:
        return self._state.qualifications.get(number)

    def add(self, qualification: Qualification) -> None:
        if qualification.number in self._state.qualifications:
            raise ValueError("duplicate qualification")
        self._state.qualifications[qualification.number] = qualification

    def replace(self, qualification: Qualification) -> None:
        self._state.qualifications[qualification.number] = qualification

    def list_qualifications(self, *, after: str | None, limit: int) -> list[Qualification]:
        keys = sorted(k for k in self._state.qualifications if after is None or k > after)
        return [self._state.qualifications[k] for k in keys[:limit]]

    def get_unit(self, reference: str) -> Unit | None:
        return self._state.units.get(reference)

    def add_unit(self, unit: Unit) -> None:
        if unit.reference in self._state.units:
            raise ValueError("duplicate unit")
        self._state.units[unit.reference] = unit

    def replace_unit(self, unit: Unit) -> None:
        self._state.units[unit.reference] = unit

    def list_units(self, *, after: str | None, limit: int) -> list[Unit]:
        keys = sorted(k for k in self._state.units if after is None or k > after)
        return [self._state.units[k] for k in keys[:limit]]

    def awardable_by(self, ukprn: str, *, text: str, limit: int) -> list[Qualification | Unit]:
        wanted = text.lower()
        found: list[Qualification | Unit] = [
            q
            for _, q in sorted(self._state.qualifications.items())
            if q.may_be_awarded_by(ukprn) and (wanted in q.title.lower() or wanted in q.number)
        ]
        found += [
            u
            for _, u in sorted(self._state.units.items())
            if u.may_be_awarded_by(ukprn)
            and (wanted in u.title.lower() or wanted in u.reference.lower())
        ]
        return found[:limit]


class FakeLearningEventRepository:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    @property
    def _state(self) -> PlrState:
        return self._tables.plr

    def get(self, event_id: str) -> LearningEvent | None:
        return self._state.events.get(event_id)

    def by_natural_key(self, key: str) -> LearningEvent | None:
        return next((e for e in self._state.events.values() if e.natural_key == key), None)

    def add(self, event: LearningEvent, *, actor: str) -> LearningEvent:
        if self.by_natural_key(event.natural_key) or event.id in self._state.events:
            raise ValueError("duplicate learning event")  # the SQL store's unique constraints
        now = _now()
        stored = dataclasses.replace(event, version=1, created_at=now, updated_at=now)
        self._state.events[event.id] = stored
        self._state.versions[event.id] = [stored]
        return stored

    def replace(self, event: LearningEvent, *, actor: str, change: str) -> LearningEvent:
        stored = dataclasses.replace(event, version=event.version + 1, updated_at=_now())
        self._state.events[event.id] = stored
        self._state.versions[event.id].append(stored)
        return stored

    def for_learner(self, uln: str, *, event_type: EventType | None = None) -> list[LearningEvent]:
        return [
            e
            for e in self._state.events.values()
            if e.uln == uln and (event_type is None or e.event_type is event_type)
        ]

    def history(self, event_id: str) -> list[LearningEvent]:
        return list(self._state.versions.get(event_id, []))

    def record_version(self, uln: str) -> int:
        return self._state.record_versions.get(uln, 0)

    def bump_record_version(self, uln: str) -> int:
        self._state.record_versions[uln] = self.record_version(uln) + 1
        return self._state.record_versions[uln]

    def shares(self, uln: str) -> bool:
        """As the store: the learner's and merged ULNs' own `ability_to_share` (2: declined)."""
        current = [versions[-1] for versions in self._tables.learner_versions.values()]
        return not any(
            learner.details.ability_to_share == AbilityToShare.DECLINED
            for learner in current
            if learner.uln == uln or learner.master_uln == uln
        )

    def record_of(self, uln: str, *, event_type: EventType | None = None) -> LearnerRecord:
        return LearnerRecord(
            self.shares(uln), self.record_version(uln), self.for_learner(uln, event_type=event_type)
        )


class FakeChallengeRepository:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    @property
    def _state(self) -> PlrState:
        return self._tables.plr

    def add(self, challenge: Challenge) -> Challenge:
        stored = dataclasses.replace(challenge, created_at=_now())
        self._state.challenges[challenge.id] = stored
        return stored

    def get(self, challenge_id: str) -> Challenge | None:
        return self._state.challenges.get(challenge_id)

    def open_for_event(self, event_id: str) -> Challenge | None:
        return next(
            (
                c
                for c in self._state.challenges.values()
                if c.event_id == event_id and c.status is ChallengeStatus.OPEN
            ),
            None,
        )

    def save(self, challenge: Challenge) -> None:
        self._state.challenges[challenge.id] = challenge

    def for_event(self, event_id: str) -> list[Challenge]:
        return [c for c in self._state.challenges.values() if c.event_id == event_id]

    def list(
        self,
        *,
        owner_ukprn: str | None,
        raised_by_ukprn: str | None,
        status: ChallengeStatus | None,
        limit: int,
        uln: str | None = None,
    ) -> list[Challenge]:
        found = [
            c
            for c in reversed(self._state.challenges.values())
            if (owner_ukprn is None or c.owner_ukprn == owner_ukprn)
            and (uln is None or c.uln == uln)
            and (raised_by_ukprn is None or c.raised_by_ukprn == raised_by_ukprn)
            and (status is None or c.status is status)
        ]
        return found[:limit]
