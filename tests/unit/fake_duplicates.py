"""In-memory suspected duplicates, over the fakes' `Tables`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from openlrs.domain.matching.suspected_duplicate import DuplicateStatus, SuspectedDuplicate

if TYPE_CHECKING:
    from tests.unit.fakes import Tables


class FakeSuspectedDuplicateRepository:
    def __init__(self, tables: Tables) -> None:
        self._tables = tables

    def upsert(self, pairs: Iterable[SuspectedDuplicate]) -> int:
        stored = self._tables.suspected_duplicates
        written = 0
        for pair in pairs:
            now = dt.datetime.now(dt.UTC)
            key = (pair.uln_a, pair.uln_b)
            known = stored.get(key)
            if known is None:
                stored[key] = dataclasses.replace(
                    pair, id=len(stored) + 1, created_at=now, updated_at=now
                )
            else:
                stored[key] = dataclasses.replace(
                    pair,
                    id=known.id,
                    status=known.status,
                    created_at=known.created_at,
                    updated_at=now,
                )
            written += 1
        return written

    def list(
        self, *, status: DuplicateStatus | None, after_id: int | None, limit: int
    ) -> list[SuspectedDuplicate]:
        found = sorted(self._tables.suspected_duplicates.values(), key=lambda p: p.id or 0)
        return [
            p
            for p in found
            if (status is None or p.status is status)
            and (after_id is None or (p.id or 0) > after_id)
        ][:limit]
