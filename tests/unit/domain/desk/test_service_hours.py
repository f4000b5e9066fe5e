"""The service-hours clock: deadlines count only the desk's opening hours, UK time."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openlrs.domain.desk.service_hours import (
    UK,
    ServiceHours,
    parse_days,
    service_hours,
)

CLOCK = ServiceHours()
HOUR = dt.timedelta(hours=1)


def uk(text: str) -> dt.datetime:
    """A UK wall-clock time as UTC."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=UK).astimezone(dt.UTC)


def test_hours_inside_one_day_are_added_as_they_are() -> None:
    assert CLOCK.add(uk("2026-12-02 09:00"), 3 * HOUR) == uk("2026-12-02 12:00")


def test_what_does_not_fit_today_carries_over_to_the_next_opening() -> None:
    # Wednesday 17:00 + 2 h: 1 h today, 1 h from Thursday 08:00.
    assert CLOCK.add(uk("2026-12-02 17:00"), 2 * HOUR) == uk("2026-12-03 09:00")


def test_a_friday_evening_report_starts_counting_on_monday_morning() -> None:
    assert CLOCK.add(uk("2026-12-04 20:00"), HOUR) == uk("2026-12-07 09:00")


def test_bank_holidays_are_skipped() -> None:
    # Thursday 24 December 2026, 17:00 + 2 h: Friday 25 and Monday 28 are bank holidays.
    assert CLOCK.add(uk("2026-12-24 17:00"), 2 * HOUR) == uk("2026-12-29 09:00")


def test_opening_hours_follow_the_clocks_changing() -> None:
    # Summer time: 08:00 in London is 07:00 UTC.
    due = CLOCK.add(uk("2026-07-01 07:00"), HOUR)
    assert due == dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)


def test_a_zero_duration_out_of_hours_is_due_at_the_next_opening() -> None:
    assert CLOCK.add(uk("2026-12-05 12:00"), dt.timedelta(0)) == uk("2026-12-07 08:00")


def test_elapsed_counts_only_opening_hours() -> None:
    # Friday 16:00 to Monday 10:00: 2 h on Friday and 2 h on Monday.
    assert CLOCK.elapsed(uk("2026-12-04 16:00"), uk("2026-12-07 10:00")) == 4 * HOUR
    assert CLOCK.elapsed(uk("2026-12-07 10:00"), uk("2026-12-04 16:00")) == dt.timedelta(0)


def test_the_settings_words_make_a_clock() -> None:
    clock = service_hours(
        days="Mon-Wed,sat", opens="09:30", closes="17:00", holidays=[dt.date(2026, 12, 7)]
    )
    assert clock.days == frozenset({0, 1, 2, 5})
    assert clock.day_length == dt.timedelta(hours=7, minutes=30)
    assert not clock.is_service_day(dt.date(2026, 12, 7))  # a Monday, but a holiday here
    assert clock.is_service_day(dt.date(2026, 12, 5))  # a Saturday


@pytest.mark.parametrize("text", ["fri-mon", "funday", ""])
def test_days_that_make_no_sense_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_days(text)


def test_a_clock_that_never_runs_is_refused() -> None:
    with pytest.raises(ValueError):
        ServiceHours(opens=dt.time(18), closes=dt.time(8))
    with pytest.raises(ValueError):
        ServiceHours(days=frozenset())


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        CLOCK.add(dt.datetime(2026, 12, 2, 9), HOUR)


moments = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 6, 30), timezones=st.just(dt.UTC)
)
durations = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(hours=300))


@settings(max_examples=150, deadline=None)
@given(start=moments, duration=durations)
def test_the_service_time_between_a_start_and_its_deadline_is_the_duration(
    start: dt.datetime, duration: dt.timedelta
) -> None:
    assert CLOCK.elapsed(start, CLOCK.add(start, duration)) == duration


@settings(max_examples=150, deadline=None)
@given(start=moments, duration=durations)
def test_a_deadline_falls_within_opening_hours_on_a_service_day(
    start: dt.datetime, duration: dt.timedelta
) -> None:
    due = CLOCK.add(start, duration).astimezone(UK)
    assert CLOCK.is_service_day(due.date())
    assert CLOCK.opens <= due.time() <= CLOCK.closes
    assert due >= start


@settings(max_examples=150, deadline=None)
@given(a=moments, b=moments, c=moments)
def test_service_time_adds_up_across_a_split(
    a: dt.datetime, b: dt.datetime, c: dt.datetime
) -> None:
    first, middle, last = sorted((a, b, c))
    assert CLOCK.elapsed(first, middle) + CLOCK.elapsed(middle, last) == CLOCK.elapsed(first, last)


@settings(max_examples=100, deadline=None)
@given(start=moments, shorter=durations, longer=durations)
def test_a_longer_duration_is_never_due_sooner(
    start: dt.datetime, shorter: dt.timedelta, longer: dt.timedelta
) -> None:
    shorter, longer = sorted((shorter, longer))
    assert CLOCK.add(start, shorter) <= CLOCK.add(start, longer)


@settings(max_examples=100, deadline=None)
@given(start=moments, end=moments)
def test_service_time_is_never_more_than_the_time_that_passed(
    start: dt.datetime, end: dt.datetime
) -> None:
    assert dt.timedelta(0) <= CLOCK.elapsed(start, end) <= max(dt.timedelta(0), end - start)
