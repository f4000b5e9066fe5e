"""Suspected duplicates in SQL: upserted by pair, so re-running the audit never repeats one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Row, select

from openlrs.domain.matching.suspected_duplicate import DuplicateStatus, SuspectedDuplicate
from openlrs.store.matching.tables import suspected_duplicates as table
from openlrs.store.tables import utcnow
from openlrs.store.upserts import upsert_insert

_BATCH = 1000


def _pair(row: Row[Any]) -> SuspectedDuplicate:
    return SuspectedDuplicate(
        uln_a=row.uln_a,
        uln_b=row.uln_b,
        match_weight=row.match_weight,
        probability=row.probability,
        detail=dict(row.detail),
        found_by=row.found_by,
        status=DuplicateStatus(row.status),
        id=row.id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class SqlSuspectedDuplicateRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def upsert(self, pairs: Iterable[SuspectedDuplicate]) -> int:
        """Insert new pairs; refresh the score, detail and run of known ones, keeping their status
        (a dismissed pair stays dismissed). Returns how many pairs were written."""
        written, batch = 0, []
        for pair in pairs:
            batch.append(pair)
            if len(batch) >= _BATCH:
                written += self._write(batch)
                batch = []
        return written + (self._write(batch) if batch else 0)

    def _write(self, batch: list[SuspectedDuplicate]) -> int:
        now = utcnow()
        unique = {(p.uln_a, p.uln_b): p for p in batch}
        rows = [
            {
                "uln_a": p.uln_a,
                "uln_b": p.uln_b,
                "match_weight": p.match_weight,
                "probability": p.probability,
                "detail": dict(p.detail),
                "status": p.status.value,
                "found_by": p.found_by,
                "created_at": now,
                "updated_at": now,
            }
            for p in unique.values()
        ]
        stmt = upsert_insert(self._conn, table)
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.uln_a, table.c.uln_b],
            set_={
                "match_weight": stmt.excluded.match_weight,
                "probability": stmt.excluded.probability,
                "detail": stmt.excluded.detail,
                "found_by": stmt.excluded.found_by,
                "updated_at": stmt.excluded.updated_at,
            },
        )
        self._conn.execute(stmt, rows)
        return len(rows)

    def list(
        self, *, status: DuplicateStatus | None, after_id: int | None, limit: int
    ) -> list[SuspectedDuplicate]:
        stmt = select(table).order_by(table.c.id).limit(limit)
        if status is not None:
            stmt = stmt.where(table.c.status == status.value)
        if after_id is not None:
            stmt = stmt.where(table.c.id > after_id)
        return [_pair(row) for row in self._conn.execute(stmt)]
