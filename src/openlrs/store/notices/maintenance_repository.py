"""Maintenance windows in SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert, select, update

from openlrs.domain.notices.maintenance import MaintenanceWindow
from openlrs.store.notices.tables import maintenance_windows as windows
from openlrs.store.tables import utcnow

_FIELDS = ("starts_at", "ends_at", "message", "read_only", "scheduled_by", "cancelled_at")


def _window(row: Any) -> MaintenanceWindow:
    return MaintenanceWindow(id=row.public_id, **{name: getattr(row, name) for name in _FIELDS})


class SqlMaintenanceRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, window: MaintenanceWindow) -> None:
        now = utcnow()
        self._conn.execute(
            insert(windows).values(
                public_id=window.id,
                created_at=now,
                updated_at=now,
                **{name: getattr(window, name) for name in _FIELDS},
            )
        )

    def get(self, window_id: str) -> MaintenanceWindow | None:
        row = self._conn.execute(select(windows).where(windows.c.public_id == window_id)).first()
        return None if row is None else _window(row)

    def cancel(self, window_id: str, when: dt.datetime) -> None:
        self._conn.execute(
            update(windows)
            .where(windows.c.public_id == window_id, windows.c.cancelled_at.is_(None))
            .values(cancelled_at=when, updated_at=utcnow())
        )

    def end(self, window_id: str, when: dt.datetime) -> None:
        """Bring a running window's end forward to `when`."""
        self._conn.execute(
            update(windows)
            .where(windows.c.public_id == window_id)
            .values(ends_at=when, updated_at=utcnow())
        )

    def not_ended(self, now: dt.datetime) -> list[MaintenanceWindow]:
        """Windows not yet over and not cancelled, soonest first."""
        stmt = (
            select(windows)
            .where(windows.c.ends_at > now, windows.c.cancelled_at.is_(None))
            .order_by(windows.c.starts_at, windows.c.id)
            .limit(100)
        )
        return [_window(r) for r in self._conn.execute(stmt)]
