"""The append-only audit trail in SQL (the database refuses UPDATE and DELETE on it)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, insert, select

from openlrs.domain.audit import AuditAction, AuditEvent
from openlrs.store import pg_fast
from openlrs.store.tables import audit_events, utcnow

_INSERT = insert(audit_events)


class SqlAuditLog:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def record(self, event: AuditEvent) -> None:
        pg = pg_fast.driver(self._conn)
        if pg is not None:
            pg_fast.execute(
                pg,
                pg_fast.AUDIT_INSERT,
                (
                    event.occurred_at or utcnow(),
                    event.actor,
                    event.ukprn,
                    event.action.value,
                    event.uln,
                    event.outcome,
                    event.detail,
                ),
            )
            return
        self._conn.execute(
            _INSERT,
            {
                "occurred_at": event.occurred_at or utcnow(),
                "actor": event.actor,
                "ukprn": event.ukprn,
                "action": event.action.value,
                "uln": event.uln,
                "outcome": event.outcome,
                "detail": event.detail,
            },
        )

    def record_many(self, events: Sequence[AuditEvent]) -> None:
        """Append several events in one round trip (executemany)."""
        if not events:
            return
        now = utcnow()
        self._conn.execute(
            _INSERT,
            [
                {
                    "occurred_at": event.occurred_at or now,
                    "actor": event.actor,
                    "ukprn": event.ukprn,
                    "action": event.action.value,
                    "uln": event.uln,
                    "outcome": event.outcome,
                    "detail": event.detail,
                }
                for event in events
            ],
        )

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
