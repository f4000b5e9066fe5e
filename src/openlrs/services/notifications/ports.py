"""What notifications need: the outbox (storage) and a transport (SMTP or GOV.UK Notify)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from openlrs.domain.notifications.messages import Message, Notification


class NotificationOutbox(Protocol):
    def enqueue(self, message: Message) -> bool:
        """Add `message` for its organisation's contact address, in the caller's transaction;
        False if the organisation has none or the key is already there."""
        ...

    def due(self, now: dt.datetime, *, limit: int) -> list[Notification]: ...

    def claim(
        self, notification: Notification, *, now: dt.datetime, until: dt.datetime
    ) -> bool: ...

    def mark_sent(self, notification_id: int, attempt: int, when: dt.datetime) -> bool: ...

    def retry_later(
        self, notification_id: int, attempt: int, *, at: dt.datetime, error: str, give_up: bool
    ) -> bool: ...

    def list(self, *, ukprn: str | None, limit: int) -> list[Notification]: ...

    def contact_address(self, ukprn: str) -> str | None: ...

    def set_contact_address(self, ukprn: str, address: str | None) -> bool: ...


class Transport(Protocol):
    def send(self, notification: Notification) -> None:
        """Hand the message over; raise on any failure (it is retried later)."""
        ...
