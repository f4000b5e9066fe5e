"""The append-only audit trail in SQL (the database refuses UPDATE and DELETE on it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert, select

from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.store import pg
from openlrs.store.tables import audit_events, utcnow

_INSERT = insert(audit_events)
AUDIT_INSERT = (
    "INSERT INTO audit_events (occurred_at, actor, ukprn, action, uln, outcome, detail)"
    " VALUES (%(occurred_at)s, %(actor)s, %(ukprn)s, %(action)s, %(uln)s, %(outcome)s,"
    " %(detail)s)"
)


def _values(event: AuditEvent, occurred_at: dt.datetime) -> dict[str, Any]:
    return {
        "occurred_at": occurred_at,
        "actor": event.actor,
        "ukprn": event.ukprn,
        "action": event.action.value,
        "uln": event.uln,
        "outcome": event.outcome,
        "detail": event.detail,
    }


class SqlAuditLog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def record(self, event: AuditEvent) -> None:
        self._conn.execute(_INSERT, _values(event, event.occurred_at or utcnow()))

    def record_many(self, events: Sequence[AuditEvent]) -> None:
        """Append several events in one round trip (executemany)."""
        if not events:
            return
        now = utcnow()
        self._conn.execute(_INSERT, [_values(event, event.occurred_at or now) for event in events])

    def list(
        self, *, ukprn: str | None, uln: str | None, before_id: int | None, limit: int
    ) -> list[AuditEvent]:
        stmt = select(audit_events).order_by(audit_events.c.id.desc()).limit(limit)
        if ukprn is not None:
            stmt = stmt.where(audit_events.c.ukprn == ukprn)
        if uln is not None:
            stmt = stmt.where(audit_events.c.uln == uln)
        if before_id is not None:
            stmt = stmt.where(audit_events.c.id < before_id)
        return [
            AuditEvent(
                actor=r.actor,
                ukprn=r.ukprn,
                action=AuditAction(r.action),
                uln=r.uln,
                outcome=r.outcome,
                detail=r.detail,
                occurred_at=r.occurred_at,
                id=r.id,
            )
            for r in self._conn.execute(stmt)
        ]


class PgAuditLog(SqlAuditLog):
    """The audit trail on PostgreSQL: the per-request append in raw SQL."""

    def record(self, event: AuditEvent) -> None:
        pg.execute(self._conn, AUDIT_INSERT, _values(event, event.occurred_at or utcnow()))
