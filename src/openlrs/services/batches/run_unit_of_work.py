"""A unit of work for a run of batch rows sharing one transaction: reads the run prefetched are
answered from memory, appends (events, audit, changes) are kept per row and written for the whole
run at once, and a row that fails leaves nothing behind.

Anything else a row touches goes to the real unit of work inside a savepoint taken for that row,
so a failing row is rolled back alone whatever it wrote.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from openlrs.domain.accounts.organisations import Organisation
from openlrs.domain.audit import AuditEvent
from openlrs.domain.learner_changes import LearnerChange
from openlrs.domain.learners.learner import Learner
from openlrs.domain.plr.achievements import LearningEvent, SubjectKind
from openlrs.domain.plr.qualifications import Qualification, Unit
from openlrs.services.ports import UnitOfWork

T = TypeVar("T")


@dataclass
class _Writes:
    events: list[tuple[LearningEvent, str]] = field(default_factory=list)
    bumps: Counter[str] = field(default_factory=Counter)
    audit: list[AuditEvent] = field(default_factory=list)
    changes: list[LearnerChange] = field(default_factory=list)

    def extend(self, other: _Writes) -> None:
        self.events.extend(other.events)
        self.bumps.update(other.bumps)
        self.audit.extend(other.audit)
        self.changes.extend(other.changes)

    def flush(self, uow: UnitOfWork, *, changes: bool = True) -> None:
        """Write what is kept, a statement per kind. The change feed writes its entries at commit
        and a savepoint cannot take them back: without `changes` they stay here."""
        by_actor: dict[str, list[LearningEvent]] = {}
        for event, actor in self.events:
            by_actor.setdefault(actor, []).append(event)
        for actor, events in by_actor.items():
            uow.learning_events.add_many(events, actor=actor)
        uow.learning_events.bump_record_versions(self.bumps)
        uow.audit.record_many(self.audit)
        self.events, self.bumps, self.audit = [], Counter(), []
        if changes:
            for change in self.changes:
                uow.changes.record(change)
            self.changes = []


class _Part:
    """One repository of the run: what it serves itself, else the real one (in a savepoint)."""

    def __init__(self, run: RunUnitOfWork, name: str) -> None:
        self._run = run
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(getattr(self._run.direct(), self._name), attribute)


class _Learners(_Part):
    def get(self, uln: str) -> Learner | None:
        if uln in self._run.prefetched_ulns:
            return self._run.learners_found.get(uln)
        return self._run.direct().learners.get(uln)

    def lock(self, uln: str) -> Learner | None:
        if uln in self._run.prefetched_ulns:  # locked when the run began
            return self._run.learners_found.get(uln)
        return self._run.direct().learners.lock(uln)


class _Register(_Part):
    def get(self, number: str) -> Qualification | None:
        return self._run.remember(("qualification", number), self._run.real.qualifications.get)

    def get_unit(self, reference: str) -> Unit | None:
        return self._run.remember(("unit", reference), self._run.real.qualifications.get_unit)


class _Organisations(_Part):
    def get(self, ukprn: str) -> Organisation | None:
        return self._run.remember(("organisation", ukprn), self._run.real.organisations.get)


class _Events(_Part):
    def by_natural_key(self, key: str) -> LearningEvent | None:
        if key in self._run.row_added:
            return self._run.row_added[key]
        if key in self._run.known_events:  # prefetched, or added by an earlier row
            return self._run.known_events[key]
        return self._run.direct().learning_events.by_natural_key(key)

    def add(self, event: LearningEvent, *, actor: str) -> LearningEvent:
        stored = dataclasses.replace(event, version=1)
        self._run.row.events.append((stored, actor))
        self._run.row_added[stored.natural_key] = stored
        return stored

    def bump_record_version(self, uln: str) -> int:
        """Counted, and written when the run is flushed (the new version is not known yet: 0)."""
        self._run.row.bumps[uln] += 1
        return 0


class _Appends(_Part):
    def record(self, item: Any) -> None:
        getattr(self._run.row, self._name).append(item)


class RunUnitOfWork:
    """Given to each row's action in place of the real unit of work (see the module docstring)."""

    def __init__(
        self,
        real: UnitOfWork,
        learners: dict[str, Learner],
        prefetched_ulns: set[str],
        known_events: dict[str, LearningEvent | None],
    ) -> None:
        self.real = real
        self.learners_found = learners
        self.prefetched_ulns = prefetched_ulns
        self.known_events = known_events
        self.kept = _Writes()
        self.row = _Writes()
        self.row_added: dict[str, LearningEvent] = {}
        self._memo: dict[tuple[str, str], Any] = {}
        self._savepoint: AbstractContextManager[object] | None = None
        self.learners = _Learners(self, "learners")
        self.qualifications = _Register(self, "qualifications")
        self.organisations = _Organisations(self, "organisations")
        self.learning_events = _Events(self, "learning_events")
        self.audit = _Appends(self, "audit")
        self.changes = _Appends(self, "changes")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.direct(), name)

    def know_register(self, subjects: Collection[tuple[SubjectKind, str]]) -> None:
        """Read these register entries now, in a statement per kind, for the rows to come."""
        numbers = {code for kind, code in subjects if kind is SubjectKind.QUALIFICATION}
        references = {code for kind, code in subjects if kind is SubjectKind.UNIT}
        qualifications = self.real.qualifications.get_many(numbers)
        units = self.real.qualifications.get_units(references)
        self._memo |= {("qualification", n): qualifications.get(n) for n in numbers}
        self._memo |= {("unit", r): units.get(r) for r in references}

    def remember(self, key: tuple[str, str], read: Callable[[str], T]) -> T:
        """Read once a run (a transaction of a few hundred rows at most)."""
        if key not in self._memo:
            self._memo[key] = read(key[1])
        return cast(T, self._memo[key])

    def direct(self) -> UnitOfWork:
        """The real unit of work, for what the run does not serve: the rows before are written,
        then a savepoint is taken so that this row can still be rolled back alone."""
        if self._savepoint is None:
            self.kept.flush(self.real)
            self._savepoint = self.real.savepoint()
            self._savepoint.__enter__()
            self.row.flush(self.real, changes=False)
        return self.real

    def keep_row(self) -> None:
        """The row succeeded: its writes join the run's."""
        if self._savepoint is not None:
            self.row.flush(self.real)
            self._savepoint.__exit__(None, None, None)
            self._savepoint = None
        self.known_events.update(self.row_added)
        self.kept.extend(self.row)
        self.row, self.row_added = _Writes(), {}

    def drop_row(self, error: BaseException) -> None:
        """The row failed: nothing it did is kept."""
        if self._savepoint is not None:
            self._savepoint.__exit__(type(error), error, error.__traceback__)
            self._savepoint = None
        self.row, self.row_added = _Writes(), {}

    def flush(self) -> None:
        self.kept.flush(self.real)
