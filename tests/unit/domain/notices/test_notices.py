"""Maintenance windows: announced ahead, read-only while running, and the Retry-After they give."""

from __future__ import annotations

import datetime as dt

import pytest

from openlrs.domain.errors import ValidationFailed
from openlrs.domain.notices.maintenance import (
    READ_ONLY_RETRY_SECONDS,
    MaintenanceWindow,
    new_window,
    notices_at,
)
from openlrs.domain.notifications.messages import checked_address, retry_delay

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def window(start: dt.timedelta, end: dt.timedelta, *, read_only: bool = True) -> MaintenanceWindow:
    return MaintenanceWindow("w", NOW + start, NOW + end, "Upgrade", read_only, "user:desk")


def test_a_window_next_week_is_announced_but_nothing_is_refused() -> None:
    notices = notices_at([window(7 * 24 * HOUR, 7 * 24 * HOUR + 2 * HOUR)], NOW)
    assert notices.announced is not None
    assert not notices.read_only


def test_a_window_too_far_ahead_is_not_announced_yet() -> None:
    assert notices_at([window(30 * 24 * HOUR, 31 * 24 * HOUR)], NOW).announced is None


def test_a_running_read_only_window_refuses_writes_until_it_ends() -> None:
    notices = notices_at([window(-HOUR, 2 * HOUR)], NOW)
    assert notices.read_only
    assert notices.retry_after(NOW) == 2 * 3600 + 1


def test_a_running_window_that_keeps_writes_open_is_only_announced() -> None:
    notices = notices_at([window(-HOUR, HOUR, read_only=False)], NOW)
    assert notices.announced is not None and not notices.read_only


def test_the_setting_makes_the_service_read_only_with_no_planned_end() -> None:
    notices = notices_at([], NOW, read_only_setting=True)
    assert notices.read_only
    assert notices.retry_after(NOW) == READ_ONLY_RETRY_SECONDS


def test_a_window_must_end_after_it_starts_and_in_the_future() -> None:
    with pytest.raises(ValidationFailed):
        new_window(
            id="w",
            starts_at=NOW,
            ends_at=NOW - HOUR,
            message="",
            read_only=True,
            scheduled_by="d",
            now=NOW,
        )


def test_retries_back_off_to_an_hour_at_most() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert retry_delay(50) == HOUR


def test_a_contact_address_is_checked() -> None:
    assert checked_address("  desk@example.ac.uk ") == "desk@example.ac.uk"
    assert checked_address("") is None
    with pytest.raises(ValidationFailed):
        checked_address("not an address")
