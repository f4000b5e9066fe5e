"""The open items of every queue with a deadline, read straight from their tables: challenges
(ULN and learning-event), possible matches held for the exceptions queue, provider applications."""

from __future__ import annotations

from sqlalchemy import Connection, select

from openlrs.domain.desk.deadlines import Queue, QueueItem
from openlrs.store.plr.tables import learning_event_challenges as challenges
from openlrs.store.providers.tables import providers
from openlrs.store.tables import held_registrations


class SqlQueueReader:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def open_items(self, *, limit: int) -> list[QueueItem]:
        """Up to `limit` of the oldest open items of each queue."""
        items: list[QueueItem] = []
        c = challenges.c
        for row in self._conn.execute(
            select(c.public_id, c.kind, c.created_at, c.raised_by_ukprn)
            .where(c.status == "open")
            .order_by(c.created_at, c.id)
            .limit(limit)
        ):
            queue = (
                Queue.LEARNING_EVENT_CHALLENGES
                if row.kind == "learning_event"
                else Queue.ULN_CHALLENGES
            )
            items.append(QueueItem(queue, row.public_id, row.created_at, row.raised_by_ukprn))
        h = held_registrations.c
        for held in self._conn.execute(
            select(h.id, h.created_at, h.ukprn)
            .where(h.status == "open")
            .order_by(h.created_at, h.id)
            .limit(limit)
        ):
            items.append(QueueItem(Queue.EXCEPTIONS, str(held.id), held.created_at, held.ukprn))
        p = providers.c
        for provider in self._conn.execute(
            select(p.reference, p.created_at)
            .where(p.status == "applied")
            .order_by(p.created_at, p.id)
            .limit(limit)
        ):
            items.append(
                QueueItem(Queue.PROVIDER_APPLICATIONS, provider.reference, provider.created_at)
            )
        return items
