"""Moments in UK local time, for tests on the service-hours clock."""

from __future__ import annotations

import datetime as dt

from openlrs.domain.desk.service_hours import UK


def uk(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UK).astimezone(dt.UTC)
