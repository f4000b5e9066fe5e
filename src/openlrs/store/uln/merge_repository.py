"""ULN merges in SQL: each one kept with the events it moved, and when it was undone."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from openlrs.domain.uln.lifecycle import UlnMerge
from openlrs.store.tables import utcnow
from openlrs.store.uln.tables import uln_merges


def _merge(row: Any) -> UlnMerge:
    return UlnMerge(
        uln=row.uln,
        master_uln=row.master_uln,
        moved_events=tuple(row.moved_events),
        merged_by=row.merged_by,
        id=row.id,
        merged_at=row.created_at,
        unmerged_by=row.unmerged_by,
        unmerged_at=row.unmerged_at,
    )


class SqlUlnMergeRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, merge: UlnMerge) -> UlnMerge:
        now = utcnow()
        row = self._conn.execute(
            insert(uln_merges)
            .values(
                uln=merge.uln,
                master_uln=merge.master_uln,
                moved_events=list(merge.moved_events),
                merged_by=merge.merged_by[:100],
                created_at=now,
                updated_at=now,
            )
            .returning(*uln_merges.c)
        ).one()
        return _merge(row)

    def current(self, uln: str) -> UlnMerge | None:
        query = (
            select(uln_merges)
            .where(uln_merges.c.uln == uln, uln_merges.c.unmerged_at.is_(None))
            .order_by(uln_merges.c.id.desc())
        )
        row = self._conn.execute(query).first()
        return None if row is None else _merge(row)

    def undo(self, merge_id: int, *, by: str) -> None:
        now = utcnow()
        self._conn.execute(
            update(uln_merges)
            .where(uln_merges.c.id == merge_id)
            .values(unmerged_by=by[:100], unmerged_at=now, updated_at=now)
        )

    def for_uln(self, uln: str) -> list[UlnMerge]:
        query = (
            select(uln_merges)
            .where(or_(uln_merges.c.uln == uln, uln_merges.c.master_uln == uln))
            .order_by(uln_merges.c.id)
        )
        return [_merge(row) for row in self._conn.execute(query)]
