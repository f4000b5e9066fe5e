"""Maintenance windows the service desk schedules: announced ahead on every portal page, and
read-only while they run if the desk says so (reads work, writes get 503 with Retry-After)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openlrs.domain.errors import DomainError, FieldError, ValidationFailed

MESSAGE_MAX = 500
ANNOUNCE_AHEAD = dt.timedelta(days=14)
"""How long before it starts a window is shown on every page."""
READ_ONLY_RETRY_SECONDS = 300
"""Retry-After when read-only has no planned end (set by the setting or `openlrs read-only`)."""


class MaintenanceNotFound(DomainError):
    code = "MAINTENANCE_NOT_FOUND"
    title = "No maintenance window has that reference"
    status = 404


class ServiceReadOnly(DomainError):
    """A write while the service is read-only (maintenance): try again after it ends."""

    code = "SERVICE_READ_ONLY"
    title = "The service is read-only during maintenance; try again later"
    status = 503


@dataclass(frozen=True)
class MaintenanceWindow:
    id: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    message: str
    read_only: bool
    scheduled_by: str
    cancelled_at: dt.datetime | None = None

    def is_running(self, now: dt.datetime) -> bool:
        return self.cancelled_at is None and self.starts_at <= now < self.ends_at

    def is_announced(self, now: dt.datetime) -> bool:
        """Shown on pages: from ANNOUNCE_AHEAD before it starts until it ends."""
        return self.cancelled_at is None and self.starts_at - ANNOUNCE_AHEAD <= now < self.ends_at


def new_window(
    *,
    id: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    message: str,
    read_only: bool,
    scheduled_by: str,
    now: dt.datetime,
) -> MaintenanceWindow:
    errors: list[FieldError] = []
    if ends_at <= starts_at:
        errors.append(FieldError("ends_at", "ENDS_BEFORE_START", "The end must be after the start"))
    if ends_at <= now:
        errors.append(FieldError("ends_at", "IN_THE_PAST", "The end must be in the future"))
    message = message.strip()
    if len(message) > MESSAGE_MAX:
        errors.append(
            FieldError(
                "message", "FIELD_TOO_LONG", f"Message must be {MESSAGE_MAX} characters or fewer"
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return MaintenanceWindow(id, starts_at, ends_at, message, read_only, scheduled_by)


@dataclass(frozen=True)
class Notices:
    """What every page and request needs to know now: the window to announce, and whether (and
    until when) writes are refused."""

    announced: MaintenanceWindow | None
    read_only: bool
    read_only_until: dt.datetime | None

    def retry_after(self, now: dt.datetime) -> int:
        if self.read_only_until is None:
            return READ_ONLY_RETRY_SECONDS
        return max(1, int((self.read_only_until - now).total_seconds()) + 1)


def notices_at(
    windows: list[MaintenanceWindow], now: dt.datetime, *, read_only_setting: bool = False
) -> Notices:
    """The notices in force at `now` among `windows` (the running one first, else the next)."""
    live = sorted((w for w in windows if w.is_announced(now)), key=lambda w: w.starts_at)
    running = [w for w in live if w.is_running(now) and w.read_only]
    until = max((w.ends_at for w in running), default=None)
    return Notices(
        announced=live[0] if live else None,
        read_only=read_only_setting or bool(running),
        read_only_until=None if read_only_setting else until,
    )
