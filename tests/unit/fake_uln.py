"""In-memory ULN merges and change feed, over the fakes' `Tables`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from openlrs.domain.learner_changes import ChangePage, LearnerChange
from openlrs.domain.uln.lifecycle import UlnMerge
from tests.unit.fake_plr import FakeLearningEventRepository

if TYPE_CHECKING:
    from tests.unit.fakes import Tables


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class UlnState:
    merges: list[UlnMerge] = field(default_factory=list)
    changes: list[LearnerChange] = field(default_factory=list)


class FakeUlnMergeRepository:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    @property
    def _merges(self) -> list[UlnMerge]:
        return self._tables.uln.merges

    def add(self, merge: UlnMerge) -> UlnMerge:
        stored = dataclasses.replace(merge, id=len(self._merges) + 1, merged_at=_now())
        self._merges.append(stored)
        return stored

    def current(self, uln: str) -> UlnMerge | None:
        found = [m for m in self._merges if m.uln == uln and m.unmerged_at is None]
        return found[-1] if found else None

    def undo(self, merge_id: int, *, by: str) -> None:
        self._merges[merge_id - 1] = dataclasses.replace(
            self._merges[merge_id - 1], unmerged_by=by, unmerged_at=_now()
        )

    def for_uln(self, uln: str) -> list[UlnMerge]:
        return [m for m in self._merges if uln in (m.uln, m.master_uln)]


class FakeChangeFeed:
    """Positions are list indexes: a unit of work's changes are dropped with it unless committed."""

    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    def record(self, change: LearnerChange) -> None:
        changes = self._tables.uln.changes
        changes.append(dataclasses.replace(change, position=len(changes) + 1, occurred_at=_now()))

    def _hidden(self, change: LearnerChange, ukprn: str) -> bool:
        """As the store: an event of an opted-out learner, not deposited by `ukprn`."""
        if change.event_id is None:
            return False
        event = self._tables.plr.events.get(change.event_id)
        shares = FakeLearningEventRepository(self._tables).shares(change.uln)
        return not shares and (event is None or event.ukprn != ukprn)

    def since(self, position: int, *, ukprn: str | None, limit: int) -> ChangePage:
        wanted = [
            c
            for c in self._tables.uln.changes[position:]
            if ukprn is None
            or (
                any(
                    e.ukprn == ukprn and e.uln in (c.uln, c.related_uln) for e in self._tables.audit
                )
                and not self._hidden(c, ukprn)
            )
        ]
        page = tuple(wanted[:limit])
        if len(page) == limit:
            return ChangePage(page, page[-1].position or position)
        return ChangePage(page, max(len(self._tables.uln.changes), position))
