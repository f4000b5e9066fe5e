"""What the ULN life cycle and the change feed need from storage (`store.uln_merge_repository`,
`store.change_feed`)."""

from __future__ import annotations

from typing import Protocol

from openlrs.domain.learner_changes import ChangePage, LearnerChange
from openlrs.domain.uln.lifecycle import UlnMerge


class UlnMergeRepository(Protocol):
    def add(self, merge: UlnMerge) -> UlnMerge: ...

    def current(self, uln: str) -> UlnMerge | None:
        """The merge that made `uln` a linked ULN and has not been undone, if any."""
        ...

    def undo(self, merge_id: int, *, by: str) -> None: ...

    def for_uln(self, uln: str) -> list[UlnMerge]:
        """Every merge `uln` took part in, either side, oldest first: its life-cycle history."""
        ...


class ChangeFeed(Protocol):
    def record(self, change: LearnerChange) -> None:
        """Note a change; it joins the feed when the unit of work commits, and not before."""
        ...

    def since(self, position: int, *, ukprn: str | None, limit: int) -> ChangePage:
        """Committed changes after `position`, oldest first. With `ukprn`, only changes to
        learners that organisation has registered, looked up or recorded events for (or to
        the master of such a learner)."""
        ...
