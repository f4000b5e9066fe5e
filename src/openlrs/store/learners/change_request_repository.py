"""Change requests in SQL: one pending request per organisation and set of changes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Connection, Row, exists, or_, select, update

from openlrs.domain.learners.change_request import (
    ChangeRequest,
    ChangeRequestStatus,
    RelationshipKind,
)
from openlrs.store.learners.repository import DATE_FIELDS
from openlrs.store.learners.tables import learner_change_requests as table
from openlrs.store.learners.tables import learner_relationships as relationships
from openlrs.store.tables import learners, utcnow
from openlrs.store.upserts import insert_unless_open


def changes_to_json(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in changes.items()}


def changes_from_json(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: dt.date.fromisoformat(v) if k in DATE_FIELDS and isinstance(v, str) else v
        for k, v in data.items()
    }


def _request(row: Row[Any]) -> ChangeRequest:
    return ChangeRequest(
        uln=row.uln,
        ukprn=row.ukprn,
        requested_by=row.requested_by,
        changes=changes_from_json(row.changes),
        expected_version=row.expected_version,
        reference=row.reference,
        status=ChangeRequestStatus(row.status),
        decided_by=row.decided_by,
        decided_by_ukprn=row.decided_by_ukprn,
        decided_at=row.decided_at,
        applied_version=row.applied_version,
        created_at=row.created_at,
        fingerprint=row.fingerprint,
    )


class SqlChangeRequestRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, request: ChangeRequest) -> ChangeRequest:
        """Store a pending request, or answer the organisation's pending one with the same
        fingerprint (a partial unique index decides, so racing repeats give one request)."""
        now = utcnow()
        reference = insert_unless_open(
            self._conn,
            table,
            {
                "reference": str(uuid.uuid4()),
                "uln": request.uln,
                "ukprn": request.ukprn,
                "requested_by": request.requested_by,
                "changes": changes_to_json(request.changes),
                "expected_version": request.expected_version,
                "fingerprint": request.fingerprint,
                "status": ChangeRequestStatus.PENDING.value,
                "created_at": now,
                "updated_at": now,
            },
            key=table.c.reference,
            unique=(table.c.ukprn, table.c.fingerprint),
            open_when=table.c.status == ChangeRequestStatus.PENDING.value,
        )
        found = self.get(reference)
        assert found is not None
        return found

    def get(self, reference: str) -> ChangeRequest | None:
        row = self._conn.execute(select(table).where(table.c.reference == reference)).one_or_none()
        return None if row is None else _request(row)

    def list(
        self, *, ukprn: str | None, status: ChangeRequestStatus | None, limit: int
    ) -> list[ChangeRequest]:
        stmt = select(table).order_by(table.c.id).limit(limit)
        if status is not None:
            stmt = stmt.where(table.c.status == status.value)
        if ukprn is not None:
            registered = (
                relationships.c.ukprn == ukprn,
                relationships.c.kind == (RelationshipKind.REGISTERED.value),
            )
            merged_in = select(learners.c.uln).where(learners.c.master_uln == table.c.uln)
            stmt = stmt.where(
                or_(
                    table.c.ukprn == ukprn,
                    exists().where(
                        *registered,
                        or_(relationships.c.uln == table.c.uln, relationships.c.uln.in_(merged_in)),
                    ),
                )
            )
        return [_request(r) for r in self._conn.execute(stmt)]

    def decide(
        self,
        reference: str,
        status: ChangeRequestStatus,
        *,
        by: str,
        by_ukprn: str,
        applied_version: int | None,
    ) -> bool:
        """Close a pending request; False if it was no longer pending."""
        now = utcnow()
        result = self._conn.execute(
            update(table)
            .where(
                table.c.reference == reference,
                table.c.status == ChangeRequestStatus.PENDING.value,
            )
            .values(
                status=status.value,
                decided_by=by,
                decided_by_ukprn=by_ukprn,
                decided_at=now,
                applied_version=applied_version,
                updated_at=now,
            )
        )
        return result.rowcount == 1
