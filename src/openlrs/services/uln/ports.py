"""What the ULN life cycle needs from storage (`store.uln_merge_repository`,
`store.change_feed`)."""

from __future__ import annotations

from typing import Protocol

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
