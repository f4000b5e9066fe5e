"""The desk schedules maintenance; every page and request asks the notice board what is in force
(a banner ahead of time, read-only while a read-only window runs)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.errors import ServiceUnavailable
from openlrs.domain.notices.maintenance import (
    MaintenanceNotFound,
    MaintenanceWindow,
    Notices,
    new_window,
    notices_at,
)
from openlrs.services.ports import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("openlrs.notices")
DESK = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class ScheduleMaintenance:
    starts_at: dt.datetime
    ends_at: dt.datetime
    message: str = ""
    read_only: bool = True


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def schedule_maintenance(
    command: ScheduleMaintenance,
    *,
    principal: Principal,
    uow: UnitOfWork,
    now: dt.datetime | None = None,
) -> MaintenanceWindow:
    principal.require(DESK)
    window = new_window(
        id=str(uuid.uuid4()),
        starts_at=command.starts_at,
        ends_at=command.ends_at,
        message=command.message,
        read_only=command.read_only,
        scheduled_by=principal.actor,
        now=_now(now),
    )
    with uow:
        uow.maintenance.add(window)
        uow.commit()
    NOTICE_BOARDS.invalidate()
    return window


def cancel_maintenance(
    window_id: str, *, principal: Principal, uow: UnitOfWork, now: dt.datetime | None = None
) -> None:
    """Call off a window: before it starts, it is cancelled; while it runs, it ends now."""
    principal.require(DESK)
    moment = _now(now)
    with uow:
        window = uow.maintenance.get(window_id)
        if window is None or window.cancelled_at is not None or window.ends_at <= moment:
            raise MaintenanceNotFound()
        if window.starts_at <= moment:
            uow.maintenance.end(window_id, moment)
        else:
            uow.maintenance.cancel(window_id, moment)
        uow.commit()
    NOTICE_BOARDS.invalidate()


def upcoming_maintenance(
    *, uow: UnitOfWork, now: dt.datetime | None = None
) -> list[MaintenanceWindow]:
    """Windows not yet over, soonest first: public, like the banner."""
    with uow:
        return uow.maintenance.not_ended(_now(now))


class NoticeBoard:
    """What is in force now, read at most every `ttl_seconds` (each process; a change made in this
    process is seen at once, one made elsewhere within `ttl_seconds`). If the database cannot be
    read, the last answer stands: a notice must never take a page down."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        *,
        read_only_setting: bool = False,
        ttl_seconds: float = 5.0,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._read_only_setting = read_only_setting
        self._ttl = ttl_seconds
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._cached: tuple[float, list[MaintenanceWindow]] | None = None
        self._lock = threading.Lock()
        NOTICE_BOARDS.add(self)

    def now(self) -> dt.datetime:
        return self._clock()

    def current(self) -> Notices:
        now = self._clock()
        return notices_at(self._windows(now), now, read_only_setting=self._read_only_setting)

    def invalidate(self) -> None:
        self._cached = None

    def _windows(self, now: dt.datetime) -> list[MaintenanceWindow]:
        cached = self._cached
        if cached is not None and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        with self._lock:
            try:
                with self._uow_factory().autocommit() as uow:
                    windows = uow.maintenance.not_ended(now - dt.timedelta(days=1))
            except ServiceUnavailable:
                log.warning("notices: database unavailable; keeping the last notices")
                return cached[1] if cached is not None else []
            self._cached = (time.monotonic(), windows)
            return windows


class _Boards:
    """Every notice board of this process, told at once of a change made here."""

    def __init__(self) -> None:
        self._boards: list[NoticeBoard] = []

    def add(self, board: NoticeBoard) -> None:
        self._boards.append(board)
        del self._boards[:-16]  # tests build many apps; only the recent ones matter

    def invalidate(self) -> None:
        for board in self._boards:
            board.invalidate()


NOTICE_BOARDS = _Boards()
