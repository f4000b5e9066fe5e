"""The learning-event repository on PostgreSQL: a PLR read's whole record in one statement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql

from openlrs.domain.plr.achievements import EventType, LearnerRecord
from openlrs.store import pg
from openlrs.store.plr.learning_event_repository import (
    SqlLearningEventRepository,
    event_from_row,
)
from openlrs.store.plr.sharing import PG_SHARED

# One snapshot: whether the learner and every ULN merged into them share their record (the
# learners' own `ability_to_share`: store/plr/sharing.py), its version, and its events (one row
# each, or one row of NULLs when there are none), by id.
LEARNER_RECORD = (
    f"SELECT {PG_SHARED} AS record_shared,"
    " COALESCE((SELECT r.version FROM learner_records r WHERE r.uln = %(uln)s), 0)"
    " AS record_version,"
    " e.public_id, e.uln, e.event_type, e.ukprn, e.subject_kind, e.subject, e.subject_title,"
    " e.qualification_type, e.level, e.status, e.grade, e.credits, e.award_date, e.start_date,"
    " e.end_date, e.status_before_withdrawal, e.source, e.under_challenge, e.version,"
    " e.created_at, e.updated_at, e.recorded_uln"
    " FROM (SELECT 1) AS one LEFT JOIN learning_events e ON e.uln = %(uln)s"
    " AND (e.event_type = %(event_type)s OR %(event_type)s IS NULL) ORDER BY e.id"
)


class PgLearningEventRepository(SqlLearningEventRepository):
    def _upsert_into(self, table: Table) -> Any:
        return postgresql.insert(table)

    def record_of(self, uln: str, *, event_type: EventType | None = None) -> LearnerRecord:
        kind = event_type.value if event_type is not None else None
        rows = pg.fetch(self._conn, LEARNER_RECORD, {"uln": uln, "event_type": kind})
        events = [
            event_from_row(
                row._replace(created_at=pg.utc(row.created_at), updated_at=pg.utc(row.updated_at))
            )
            for row in rows
            if row.public_id is not None
        ]
        return LearnerRecord(bool(rows[0].record_shared), int(rows[0].record_version), events)
