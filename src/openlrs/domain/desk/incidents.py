"""Incidents the service desk logs: a category 1-4 with its response and fix targets.

The reference material does not give the charter's table, so the targets are ours (decision
0024): category 1 is the service down for everyone, 4 a question or cosmetic fault. Targets run
on the service-hours clock (`service_hours.py`), like every deadline the desk keeps.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from openlrs.domain.desk.service_hours import ServiceHours
from openlrs.domain.errors import DomainError, FieldError, ValidationFailed

SUMMARY_MAX = 200
DETAILS_MAX = 4000


class Category(IntEnum):
    CRITICAL = 1
    MAJOR = 2
    SIGNIFICANT = 3
    MINOR = 4


@dataclass(frozen=True)
class Targets:
    meaning: str
    respond_within: dt.timedelta
    fix_within: dt.timedelta


HOUR = dt.timedelta(hours=1)
TARGETS: dict[Category, Targets] = {
    Category.CRITICAL: Targets(
        "The service is unavailable to everyone, or data is at risk", HOUR / 2, 4 * HOUR
    ),
    Category.MAJOR: Targets(
        "A main function (registration, lookups, batches, PLR) is unavailable to many users",
        HOUR,
        8 * HOUR,
    ),
    Category.SIGNIFICANT: Targets(
        "A function is impaired for some users, with a workaround", 4 * HOUR, 30 * HOUR
    ),
    Category.MINOR: Targets("A minor or cosmetic fault, or a question", 10 * HOUR, 100 * HOUR),
}
"""Response and fix targets in service hours (a service day is 10 hours)."""


class IncidentStatus(StrEnum):
    OPEN = "open"
    RESPONDED = "responded"
    RESOLVED = "resolved"


class IncidentNotFound(DomainError):
    code = "INCIDENT_NOT_FOUND"
    title = "No incident has that reference"
    status = 404


class IncidentResolved(DomainError):
    code = "INCIDENT_RESOLVED"
    title = "The incident is resolved and can no longer be changed"
    status = 409


@dataclass(frozen=True)
class Incident:
    id: str
    category: Category
    summary: str
    details: str
    reported_at: dt.datetime
    logged_by: str
    status: IncidentStatus = IncidentStatus.OPEN
    responded_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    resolution: str | None = None

    def respond_by(self, clock: ServiceHours) -> dt.datetime:
        return clock.add(self.reported_at, TARGETS[self.category].respond_within)

    def fix_by(self, clock: ServiceHours) -> dt.datetime:
        return clock.add(self.reported_at, TARGETS[self.category].fix_within)

    def response_overdue(self, clock: ServiceHours, now: dt.datetime) -> bool:
        return (self.responded_at or self.resolved_at or now) > self.respond_by(clock)

    def fix_overdue(self, clock: ServiceHours, now: dt.datetime) -> bool:
        return (self.resolved_at or now) > self.fix_by(clock)

    def updated(
        self,
        *,
        now: dt.datetime,
        category: Category | None = None,
        status: IncidentStatus | None = None,
        resolution: str | None = None,
    ) -> Incident:
        """The incident after the desk's update: recategorised, responded to, or resolved."""
        if self.status is IncidentStatus.RESOLVED:
            raise IncidentResolved()
        changed = self
        if category is not None:
            changed = dataclasses.replace(changed, category=category)
        if status is IncidentStatus.OPEN and self.status is not IncidentStatus.OPEN:
            raise ValidationFailed(
                [FieldError("status", "STATUS_BACKWARDS", "An incident cannot be reopened")]
            )
        if status in (IncidentStatus.RESPONDED, IncidentStatus.RESOLVED):
            changed = dataclasses.replace(
                changed, status=status, responded_at=self.responded_at or now
            )
        if status is IncidentStatus.RESOLVED:
            text = (resolution or "").strip()
            if not text:
                raise ValidationFailed(
                    [FieldError("resolution", "FIELD_REQUIRED", "Say how it was resolved")]
                )
            changed = dataclasses.replace(
                changed, resolved_at=now, resolution=_checked(text, "resolution", DETAILS_MAX)
            )
        return changed


def new_incident(
    *,
    id: str,
    category: int,
    summary: str,
    details: str,
    reported_at: dt.datetime,
    logged_by: str,
) -> Incident:
    """A new incident, checked: a known category and a summary of sensible length."""
    errors: list[FieldError] = []
    if category not in {c.value for c in Category}:
        errors.append(FieldError("category", "CATEGORY_UNKNOWN", "Choose a category from 1 to 4"))
    summary = summary.strip()
    if not summary:
        errors.append(FieldError("summary", "FIELD_REQUIRED", "Enter a summary"))
    elif len(summary) > SUMMARY_MAX:
        errors.append(
            FieldError(
                "summary", "FIELD_TOO_LONG", f"Summary must be {SUMMARY_MAX} characters or fewer"
            )
        )
    if len(details) > DETAILS_MAX:
        errors.append(
            FieldError(
                "details", "FIELD_TOO_LONG", f"Details must be {DETAILS_MAX} characters or fewer"
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return Incident(id, Category(category), summary, details.strip(), reported_at, logged_by)


def _checked(text: str, name: str, limit: int) -> str:
    if len(text) > limit:
        raise ValidationFailed(
            [FieldError(name, "FIELD_TOO_LONG", f"This must be {limit} characters or fewer")]
        )
    return text
