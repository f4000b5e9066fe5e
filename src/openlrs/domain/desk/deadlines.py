"""Queues with a deadline: how long each item has waited, when it is due, and whether it is late.

Targets are in service time (`service_hours.py`), a service day being one day's opening hours.
Ours, as the charter's own were not in the reference material (decision 0024): files are
processed within 48 hours, so a possible match is resolved within 2 service days; a challenge
within 5 (ULN) or 10 (learning event, which the awarding organisation decides); a provider's
application is verified within 5.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from openlrs.domain.desk.service_hours import ServiceHours


class Queue(StrEnum):
    ULN_CHALLENGES = "uln_challenges"
    LEARNING_EVENT_CHALLENGES = "learning_event_challenges"
    EXCEPTIONS = "exceptions"
    PROVIDER_APPLICATIONS = "provider_applications"


QUEUE_NAMES = {
    Queue.ULN_CHALLENGES: "ULN challenges",
    Queue.LEARNING_EVENT_CHALLENGES: "Learning event challenges",
    Queue.EXCEPTIONS: "Possible matches (exceptions)",
    Queue.PROVIDER_APPLICATIONS: "Provider applications",
}

TARGET_SERVICE_DAYS: dict[Queue, int] = {
    Queue.ULN_CHALLENGES: 5,
    Queue.LEARNING_EVENT_CHALLENGES: 10,
    Queue.EXCEPTIONS: 2,
    Queue.PROVIDER_APPLICATIONS: 5,
}


@dataclass(frozen=True)
class QueueItem:
    """An open item of a queue, as the store finds it: where it is and since when."""

    queue: Queue
    reference: str
    opened_at: dt.datetime
    ukprn: str | None = None
    """The organisation that raised or owns it, if any (an awarding body sees its own)."""


@dataclass(frozen=True)
class Deadline:
    item: QueueItem
    age: dt.timedelta
    """Service time the item has waited."""
    target_at: dt.datetime
    overdue: bool


def deadline_of(item: QueueItem, clock: ServiceHours, now: dt.datetime) -> Deadline:
    target = clock.add(item.opened_at, clock.day_length * TARGET_SERVICE_DAYS[item.queue])
    return Deadline(item, clock.elapsed(item.opened_at, now), target, now > target)


def deadlines(items: list[QueueItem], clock: ServiceHours, now: dt.datetime) -> list[Deadline]:
    """Every item's deadline, the most overdue (earliest target) first."""
    return sorted(
        (deadline_of(item, clock, now) for item in items),
        key=lambda d: (d.target_at, d.item.reference),
    )
