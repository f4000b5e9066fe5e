"""The exceptions queue in SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, select, update

from openlrs.domain.learners.held_registration import HeldRegistration, HeldStatus
from openlrs.store.learners.repository import details_from_json, details_to_json
from openlrs.store.tables import held_registrations, utcnow
from openlrs.store.upserts import insert_unless_open


def _held(row: Row[Any]) -> HeldRegistration:
    return HeldRegistration(
        ukprn=row.ukprn,
        submitted_by=row.submitted_by,
        details=details_from_json(row.details),
        outcome=row.outcome,
        candidate_ulns=tuple(row.candidate_ulns.split()),
        status=HeldStatus(row.status),
        resolved_uln=row.resolved_uln,
        resolved_by=row.resolved_by,
        id=row.id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        fingerprint=row.fingerprint,
    )


class SqlHeldRegistrationRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, held: HeldRegistration) -> HeldRegistration:
        """Hold a registration; if this organisation's open entry for the same person (the same
        fingerprint) exists, that entry is answered instead (a unique index, not a read first)."""
        now = utcnow()
        new_id = insert_unless_open(
            self._conn,
            held_registrations,
            {
                "ukprn": held.ukprn,
                "submitted_by": held.submitted_by,
                "details": details_to_json(held.details),
                "outcome": held.outcome,
                "candidate_ulns": " ".join(held.candidate_ulns),
                "status": held.status.value,
                "fingerprint": held.fingerprint,
                "created_at": now,
                "updated_at": now,
            },
            key=held_registrations.c.id,
            unique=(held_registrations.c.ukprn, held_registrations.c.fingerprint),
            open_when=held_registrations.c.status == HeldStatus.OPEN.value,
        )
        found = self.get(new_id)
        assert found is not None
        return found

    def get(self, held_id: int) -> HeldRegistration | None:
        row = self._conn.execute(
            select(held_registrations).where(held_registrations.c.id == held_id)
        ).one_or_none()
        return None if row is None else _held(row)

    def list(
        self, *, ukprn: str | None, status: HeldStatus | None, limit: int
    ) -> list[HeldRegistration]:
        stmt = select(held_registrations).order_by(held_registrations.c.id).limit(limit)
        if ukprn is not None:
            stmt = stmt.where(held_registrations.c.ukprn == ukprn)
        if status is not None:
            stmt = stmt.where(held_registrations.c.status == status.value)
        return [_held(r) for r in self._conn.execute(stmt)]

    def resolve(self, held_id: int, status: HeldStatus, uln: str, by: str) -> bool:
        result = self._conn.execute(
            update(held_registrations)
            .where(
                held_registrations.c.id == held_id,
                held_registrations.c.status == HeldStatus.OPEN.value,
            )
            .values(status=status.value, resolved_uln=uln, resolved_by=by, updated_at=utcnow())
        )
        return result.rowcount == 1
