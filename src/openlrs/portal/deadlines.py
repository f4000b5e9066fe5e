"""Each queue's own page shows, per open item, how long it has waited, when it is due and whether
it is overdue: the desk's deadlines (`domain.desk.deadlines`) on the portal's service-hours clock
(`portal.state.service_hours`), at the notice board's time (injectable in tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request

from openlrs.domain.desk.deadlines import Queue, QueueItem, deadline_of
from openlrs.portal.notices.banner import when

HEAD: list[dict[str, str]] = [{"text": "Waiting"}, {"text": "Due"}, {"text": "Deadline"}]
"""The three columns' headings, to add to a queue's table head."""


def waited(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:.1f} service hours" if hours < 10 else f"{hours / 10:.1f} service days"


def deadline_cells(
    request: Request, queue: Queue, opened_at: dt.datetime | None, *, still_open: bool = True
) -> list[dict[str, Any]]:
    """The three cells for an item: blank when it is closed (or has no start)."""
    if opened_at is None or not still_open:
        return [{"text": ""}, {"text": ""}, {"text": ""}]
    if opened_at.tzinfo is None:
        opened_at = opened_at.replace(tzinfo=dt.UTC)
    state = request.app.state
    found = deadline_of(
        QueueItem(queue, "", opened_at), state.service_hours, state.notice_board.now()
    )
    tag = (
        '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
        if found.overdue
        else '<strong class="govuk-tag govuk-tag--green">On time</strong>'
    )
    return [
        {"text": waited(found.age.total_seconds())},
        {"text": when(found.target_at)},
        {"html": tag},
    ]
