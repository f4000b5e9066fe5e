"""Incidents in SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from openlrs.domain.desk.incidents import Category, Incident, IncidentStatus
from openlrs.store.desk.tables import incidents
from openlrs.store.tables import utcnow

_FIELDS = (
    "summary",
    "details",
    "reported_at",
    "responded_at",
    "resolved_at",
    "resolution",
    "logged_by",
)


def _incident(row: Any) -> Incident:
    return Incident(
        id=row.public_id,
        category=Category(row.category),
        status=IncidentStatus(row.status),
        **{name: getattr(row, name) for name in _FIELDS},
    )


def _values(incident: Incident) -> dict[str, Any]:
    return {
        "category": int(incident.category),
        "status": incident.status.value,
        **{name: getattr(incident, name) for name in _FIELDS},
    }


class SqlIncidentRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, incident: Incident) -> None:
        now = utcnow()
        self._conn.execute(
            insert(incidents).values(
                public_id=incident.id, created_at=now, updated_at=now, **_values(incident)
            )
        )

    def get(self, incident_id: str) -> Incident | None:
        row = self._conn.execute(
            select(incidents).where(incidents.c.public_id == incident_id)
        ).first()
        return None if row is None else _incident(row)

    def save(self, incident: Incident) -> None:
        self._conn.execute(
            update(incidents)
            .where(incidents.c.public_id == incident.id)
            .values(updated_at=utcnow(), **_values(incident))
        )

    def list(self, *, open_only: bool, limit: int) -> list[Incident]:
        stmt = select(incidents).order_by(incidents.c.reported_at.desc(), incidents.c.id.desc())
        if open_only:
            stmt = stmt.where(incidents.c.status != IncidentStatus.RESOLVED.value)
        return [_incident(r) for r in self._conn.execute(stmt.limit(limit))]
