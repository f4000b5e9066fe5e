"""The deliverer: sends what the outbox holds, with retries and backoff, in the worker loop.

Each notification is claimed (its attempt counted and a lease taken) and committed before it is
sent, then marked sent in a transaction of its own. A transport that fails is retried after
`retry_delay`; one that succeeds is never asked again. The one gap is a crash after the
transport took the message and before the mark committed: the lease runs out and the message is
sent again, with the same Message-ID (decision 0024: at-least-once, made once by that id).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from openlrs.domain.notifications.messages import MAX_ATTEMPTS, Notification, retry_delay
from openlrs.services.notifications.ports import Transport
from openlrs.services.ports import UnitOfWorkFactory

log = logging.getLogger("openlrs.notifications")


class Deliverer:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        transport: Transport,
        *,
        lease: dt.timedelta = dt.timedelta(minutes=5),
        batch: int = 20,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._transport = transport
        self._lease = lease
        self._batch = batch
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def run_once(self) -> bool:
        """Attempt every notification now due (up to `batch`); True if any was attempted."""
        now = self._clock()
        with self._uow_factory() as uow:
            due = uow.notifications.due(now, limit=self._batch)
        attempted = False
        for notification in due:
            attempted = self._deliver(notification) or attempted
        return attempted

    def _deliver(self, notification: Notification) -> bool:
        now = self._clock()
        with self._uow_factory() as uow:
            if not uow.notifications.claim(notification, now=now, until=now + self._lease):
                return False  # another deliverer has it
            uow.commit()
        attempt = notification.attempts + 1
        try:
            self._transport.send(notification)
        except Exception as error:  # any failure of the transport: try again later
            self._retry(notification, attempt, error)
            return True
        with self._uow_factory() as uow:
            uow.notifications.mark_sent(notification.id, attempt, self._clock())
            uow.commit()
        log.info("notification %s sent (attempt %d)", notification.id, attempt)
        return True

    def _retry(self, notification: Notification, attempt: int, error: Exception) -> None:
        give_up = attempt >= MAX_ATTEMPTS
        at = self._clock() + retry_delay(attempt)
        # Only the error's type: its text may echo an address.
        log.warning(
            "notification %s not sent (%s), attempt %d%s",
            notification.id,
            type(error).__name__,
            attempt,
            "; given up" if give_up else "",
        )
        with self._uow_factory() as uow:
            uow.notifications.retry_later(
                notification.id, attempt, at=at, error=type(error).__name__, give_up=give_up
            )
            uow.commit()
