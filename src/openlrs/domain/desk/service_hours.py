"""The service-hours clock: deadlines that count only the hours the service desk is open.

A queue's target (e.g. "decided within 5 service days") and an incident's fix time run on this
clock: Monday to Friday, 08:00-18:00 UK time by default, not on bank holidays. Times in and out
are UTC; the opening hours are local (Europe/London), so a deadline follows the clocks changing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

ENGLAND_AND_WALES_BANK_HOLIDAYS = tuple(
    dt.date.fromisoformat(d)
    for d in (
        "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
        "2025-12-25", "2025-12-26",
        "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
        "2026-12-25", "2026-12-28",
        "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
        "2027-12-27", "2027-12-28",
    )
)  # fmt: skip
"""GOV.UK's published bank holidays; the default list (settings may give another)."""


@dataclass(frozen=True)
class ServiceHours:
    """When the service desk's clock runs: `days` (0 = Monday), `opens`-`closes` local time,
    never on `holidays`."""

    days: frozenset[int] = frozenset(range(5))
    opens: dt.time = dt.time(8, 0)
    closes: dt.time = dt.time(18, 0)
    holidays: frozenset[dt.date] = frozenset(ENGLAND_AND_WALES_BANK_HOLIDAYS)
    zone: ZoneInfo = field(default=UK)

    def __post_init__(self) -> None:
        if not self.opens < self.closes:
            raise ValueError("the service must open before it closes")
        if not self.days:
            raise ValueError("the service must be open on at least one day of the week")

    @property
    def day_length(self) -> dt.timedelta:
        """The hours of one service day (a "service day" in a target is this long)."""
        return dt.datetime.combine(dt.date.min, self.closes) - dt.datetime.combine(
            dt.date.min, self.opens
        )

    def is_service_day(self, day: dt.date) -> bool:
        return day.weekday() in self.days and day not in self.holidays

    def _window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The day's opening hours, in UTC."""
        start = dt.datetime.combine(day, self.opens, self.zone).astimezone(dt.UTC)
        end = dt.datetime.combine(day, self.closes, self.zone).astimezone(dt.UTC)
        return start, end

    def _windows_from(self, moment: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """The opening hours of each service day from `moment`'s local day onwards."""
        day = moment.astimezone(self.zone).date()
        for _ in range(3660):  # ten years without a service day is a configuration error
            if self.is_service_day(day):
                yield self._window(day)
            day += dt.timedelta(days=1)
        raise ValueError("no service day within ten years")

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The moment `duration` of service time after `start` (UTC). A zero duration started
        out of hours is due when the service next opens."""
        _aware(start)
        left = duration
        for opens, closes in self._windows_from(start):
            if closes <= start:
                continue
            begin = max(opens, start)
            if begin + left <= closes:
                return begin + left
            left -= closes - begin
        raise AssertionError("unreachable")  # pragma: no cover

    def elapsed(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Service time between `start` and `end` (zero if `end` is not after `start`)."""
        _aware(start)
        _aware(end)
        total = dt.timedelta(0)
        if end <= start:
            return total
        for opens, closes in self._windows_from(start):
            if opens >= end:
                break
            begin, finish = max(opens, start), min(closes, end)
            if finish > begin:
                total += finish - begin
        return total

    def days_between(self, start: dt.date, end: dt.date) -> int:
        """Service days after `start` up to and including `end`."""
        return sum(
            1
            for n in range(1, (end - start).days + 1)
            if self.is_service_day(start + dt.timedelta(days=n))
        )


def parse_days(text: str) -> frozenset[int]:
    """'mon-fri' or 'mon,tue,sat' (case-insensitive) as weekday numbers."""
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        a = WEEKDAYS.index(first[:3])
        b = WEEKDAYS.index(last[:3]) if last else a
        if b < a:
            raise ValueError(f"{part}: a range of days runs forwards")
        days.update(range(a, b + 1))
    return frozenset(days)


def service_hours(
    *, days: str, opens: str, closes: str, holidays: Iterable[dt.date] | None = None
) -> ServiceHours:
    """ServiceHours from the settings' words: days 'mon-fri', hours '08:00' and '18:00'."""
    return ServiceHours(
        days=parse_days(days),
        opens=dt.time.fromisoformat(opens),
        closes=dt.time.fromisoformat(closes),
        holidays=frozenset(ENGLAND_AND_WALES_BANK_HOLIDAYS if holidays is None else holidays),
    )


def _aware(moment: dt.datetime) -> None:
    if moment.tzinfo is None:
        raise ValueError("service-hours times are timezone-aware (UTC)")
