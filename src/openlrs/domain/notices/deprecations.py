"""API operations on their way out: announced with `Deprecation` and `Sunset` headers (RFC 9745,
RFC 8594) on every answer, and listed on the public changes page. The registry is data: add an
entry here, with the operation's method and path as the API declares it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Deprecation:
    method: str
    path: str
    """The path template as declared, e.g. /api/v1/learners/{uln}/plr."""
    deprecated_on: dt.date
    sunset_on: dt.date
    replacement: str
    note: str


DEPRECATIONS: tuple[Deprecation, ...] = ()
"""None yet. An entry looks like:

    Deprecation(
        method="GET",
        path="/api/v1/learners/{uln}/old-report",
        deprecated_on=dt.date(2027, 1, 4),
        sunset_on=dt.date(2027, 7, 5),
        replacement="GET /api/v1/learners/{uln}/learning-events/report",
        note="One report endpoint for both formats.",
    )

Announce at least six months before the sunset (docs/operations.md)."""


@dataclass(frozen=True)
class Change:
    """An entry of the changes page."""

    on: dt.date
    title: str
    detail: str


CHANGES: tuple[Change, ...] = (
    Change(
        dt.date(2026, 12, 7),
        "Service desk deadlines, maintenance notices and e-mail notifications",
        "New: /api/v1/desk/incidents, /api/v1/desk/deadlines and /api/v1/notices/maintenance. "
        "During maintenance the service may be read-only: writes are answered 503 with "
        "Retry-After. Organisations with a contact address are e-mailed when a batch finishes "
        "or fails, a challenge they raised is decided, or a Diploma they handle is complete or "
        "awarded.",
    ),
)
