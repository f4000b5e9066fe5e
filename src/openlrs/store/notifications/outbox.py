"""The notifications outbox in SQL: enqueue in the event's transaction; claim, mark sent or
retry in short transactions of the deliverer's own (services/notifications/deliver.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, literal, select, update

from openlrs.domain.notifications.messages import (
    Message,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from openlrs.store.notifications.tables import notifications
from openlrs.store.tables import organisations, utcnow
from openlrs.store.upserts import upsert_insert

_COLUMNS = (
    "idempotency_key",
    "kind",
    "ukprn",
    "subject",
    "body",
    "status",
    "attempts",
    "next_attempt_at",
    "created_at",
    "updated_at",
    "to_address",
)


def _notification(row: Any) -> Notification:
    return Notification(
        id=row.id,
        key=row.idempotency_key,
        kind=NotificationKind(row.kind),
        ukprn=row.ukprn,
        to_address=row.to_address,
        subject=row.subject,
        body=row.body,
        status=NotificationStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
    )


class SqlNotificationOutbox:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def enqueue(self, message: Message) -> bool:
        """Add `message` for its organisation's contact address, in the caller's transaction;
        False if the organisation has none, or a message with its key is already there."""
        now = utcnow()
        o = organisations.c
        source = select(
            literal(message.key),
            literal(message.kind.value),
            literal(message.ukprn),
            literal(message.subject),
            literal(message.body),
            literal(NotificationStatus.PENDING.value),
            literal(0),
            literal(now, notifications.c.next_attempt_at.type),
            literal(now, notifications.c.created_at.type),
            literal(now, notifications.c.updated_at.type),
            o.contact_email,
        ).where(o.ukprn == message.ukprn, o.contact_email.is_not(None))
        stmt = (
            upsert_insert(self._conn, notifications)
            .from_select(list(_COLUMNS), source)
            .on_conflict_do_nothing(index_elements=[notifications.c.idempotency_key])
        )
        return bool(self._conn.execute(stmt).rowcount)

    def due(self, now: dt.datetime, *, limit: int) -> list[Notification]:
        n = notifications.c
        stmt = (
            select(notifications)
            .where(n.status == NotificationStatus.PENDING.value, n.next_attempt_at <= now)
            .order_by(n.next_attempt_at, n.id)
            .limit(limit)
        )
        return [_notification(r) for r in self._conn.execute(stmt)]

    def claim(self, notification: Notification, *, now: dt.datetime, until: dt.datetime) -> bool:
        """Take `notification` for one attempt: counted, and not due again before `until` (if
        the deliverer dies mid-attempt, it is retried then). False if someone else took it."""
        n = notifications.c
        done = self._conn.execute(
            update(notifications)
            .where(
                n.id == notification.id,
                n.status == NotificationStatus.PENDING.value,
                n.attempts == notification.attempts,
                n.next_attempt_at <= now,
            )
            .values(attempts=n.attempts + 1, next_attempt_at=until, updated_at=utcnow())
        )
        return done.rowcount == 1

    def mark_sent(self, notification_id: int, attempt: int, when: dt.datetime) -> bool:
        """Sent by attempt number `attempt`; False if the row moved on meanwhile."""
        return self._settle(notification_id, attempt, status=NotificationStatus.SENT, sent_at=when)

    def retry_later(
        self, notification_id: int, attempt: int, *, at: dt.datetime, error: str, give_up: bool
    ) -> bool:
        status = NotificationStatus.FAILED if give_up else NotificationStatus.PENDING
        return self._settle(
            notification_id, attempt, status=status, next_attempt_at=at, last_error=error[:100]
        )

    def _settle(self, notification_id: int, attempt: int, **values: Any) -> bool:
        n = notifications.c
        values["status"] = values["status"].value
        done = self._conn.execute(
            update(notifications)
            .where(
                n.id == notification_id,
                n.status == NotificationStatus.PENDING.value,
                n.attempts == attempt,
            )
            .values(updated_at=utcnow(), **values)
        )
        return done.rowcount == 1

    def list(self, *, ukprn: str | None, limit: int) -> list[Notification]:
        stmt = select(notifications).order_by(notifications.c.id.desc()).limit(limit)
        if ukprn is not None:
            stmt = stmt.where(notifications.c.ukprn == ukprn)
        return [_notification(r) for r in self._conn.execute(stmt)]

    def contact_address(self, ukprn: str) -> str | None:
        found: str | None = self._conn.execute(
            select(organisations.c.contact_email).where(organisations.c.ukprn == ukprn)
        ).scalar_one_or_none()
        return found

    def set_contact_address(self, ukprn: str, address: str | None) -> bool:
        done = self._conn.execute(
            update(organisations)
            .where(organisations.c.ukprn == ukprn)
            .values(contact_email=address, updated_at=utcnow())
        )
        return done.rowcount == 1
