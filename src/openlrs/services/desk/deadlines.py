"""Every queue with a deadline, for the service desk: each open item's age, target and lateness."""

from __future__ import annotations

import datetime as dt

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.desk.deadlines import Deadline, deadlines
from openlrs.domain.desk.service_hours import ServiceHours
from openlrs.services.ports import UnitOfWork

DESK = frozenset({Role.ADMIN})


def queue_deadlines(
    *,
    principal: Principal,
    uow: UnitOfWork,
    clock: ServiceHours,
    now: dt.datetime | None = None,
    limit: int = 500,
) -> list[Deadline]:
    """The open items of every queue, soonest due first (the overdue at the top)."""
    principal.require(DESK)
    with uow:
        items = uow.queues.open_items(limit=limit)
    return deadlines(items, clock, now or dt.datetime.now(dt.UTC))
