"""Incidents against their targets, and queue items against theirs, on the service-hours clock."""

from __future__ import annotations

import datetime as dt

import pytest

from openlrs.domain.desk.deadlines import Queue, QueueItem, deadline_of, deadlines
from openlrs.domain.desk.incidents import (
    Category,
    IncidentResolved,
    IncidentStatus,
    new_incident,
)
from openlrs.domain.desk.service_hours import UK, ServiceHours
from openlrs.domain.errors import ValidationFailed

CLOCK = ServiceHours()


def uk(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UK).astimezone(dt.UTC)


def incident(category: int = 1, reported: str = "2026-12-04 17:00") -> object:
    return new_incident(
        id="i-1",
        category=category,
        summary="  Lookups time out  ",
        details="",
        reported_at=uk(reported),
        logged_by="user:desk",
    )


def test_a_category_1_incident_reported_late_on_friday_is_due_on_monday() -> None:
    found = incident(1)
    assert found.summary == "Lookups time out"
    assert found.respond_by(CLOCK) == uk("2026-12-04 17:30")
    # 4 service hours: 1 on Friday, 3 on Monday.
    assert found.fix_by(CLOCK) == uk("2026-12-07 11:00")
    assert not found.fix_overdue(CLOCK, uk("2026-12-06 23:00"))  # Sunday: the clock stopped
    assert found.fix_overdue(CLOCK, uk("2026-12-07 11:01"))


def test_responding_and_resolving_stop_the_clocks() -> None:
    found = incident(2)
    responded = found.updated(now=uk("2026-12-04 17:20"), status=IncidentStatus.RESPONDED)
    assert not responded.response_overdue(CLOCK, uk("2026-12-10 12:00"))
    resolved = responded.updated(
        now=uk("2026-12-07 09:00"), status=IncidentStatus.RESOLVED, resolution="Restarted"
    )
    assert resolved.resolved_at == uk("2026-12-07 09:00")
    assert not resolved.fix_overdue(CLOCK, uk("2027-01-01 12:00"))
    with pytest.raises(IncidentResolved):
        resolved.updated(now=uk("2026-12-08 09:00"), category=Category.MINOR)


def test_resolving_needs_words_and_an_incident_is_never_reopened() -> None:
    found = incident(3).updated(now=uk("2026-12-07 09:00"), status=IncidentStatus.RESPONDED)
    with pytest.raises(ValidationFailed):
        found.updated(now=uk("2026-12-07 10:00"), status=IncidentStatus.RESOLVED)
    with pytest.raises(ValidationFailed):
        found.updated(now=uk("2026-12-07 10:00"), status=IncidentStatus.OPEN)


@pytest.mark.parametrize(("category", "summary"), [(0, "x"), (5, "x"), (1, " "), (1, "x" * 201)])
def test_a_bad_category_or_summary_is_refused(category: int, summary: str) -> None:
    with pytest.raises(ValidationFailed):
        new_incident(
            id="i",
            category=category,
            summary=summary,
            details="",
            reported_at=uk("2026-12-04 09:00"),
            logged_by="d",
        )


def test_a_uln_challenge_is_due_five_service_days_later_and_overdue_after() -> None:
    raised = QueueItem(Queue.ULN_CHALLENGES, "c-1", uk("2026-12-01 10:00"))  # a Tuesday
    on_time = deadline_of(raised, CLOCK, uk("2026-12-08 09:00"))
    assert on_time.target_at == uk("2026-12-08 10:00")  # the next Tuesday, 10:00
    assert not on_time.overdue
    assert on_time.age == dt.timedelta(hours=49)
    assert deadline_of(raised, CLOCK, uk("2026-12-08 10:01")).overdue


def test_the_list_puts_the_soonest_due_first() -> None:
    items = [
        QueueItem(Queue.LEARNING_EVENT_CHALLENGES, "late", uk("2026-11-02 09:00")),
        QueueItem(Queue.EXCEPTIONS, "soon", uk("2026-12-04 09:00")),
        QueueItem(Queue.PROVIDER_APPLICATIONS, "first", uk("2026-11-01 09:00")),
    ]
    found = deadlines(items, CLOCK, uk("2026-12-07 12:00"))
    assert [d.item.reference for d in found] == ["first", "late", "soon"]
    assert [d.overdue for d in found] == [True, True, False]
