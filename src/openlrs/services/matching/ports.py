"""What the duplicate audit's queue needs from storage (`store.matching`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from openlrs.domain.matching.suspected_duplicate import DuplicateStatus, SuspectedDuplicate


class SuspectedDuplicateRepository(Protocol):
    def upsert(self, pairs: Iterable[SuspectedDuplicate]) -> int:
        """Add new pairs, refresh known ones (keeping their status); returns how many written."""
        ...

    def list(
        self, *, status: DuplicateStatus | None, after_id: int | None, limit: int
    ) -> list[SuspectedDuplicate]: ...
