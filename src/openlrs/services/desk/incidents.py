"""The service desk logs incidents and works them to resolution, against their targets."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.desk.incidents import (
    Category,
    Incident,
    IncidentNotFound,
    IncidentStatus,
    new_incident,
)
from openlrs.services.ports import UnitOfWork

DESK = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class LogIncident:
    category: int
    summary: str
    details: str = ""
    reported_at: dt.datetime | None = None
    """When the fault was reported (default: now); the targets run from here."""


@dataclass(frozen=True)
class UpdateIncident:
    category: Category | None = None
    status: IncidentStatus | None = None
    resolution: str | None = None


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def log_incident(
    command: LogIncident, *, principal: Principal, uow: UnitOfWork, now: dt.datetime | None = None
) -> Incident:
    principal.require(DESK)
    moment = _now(now)
    incident = new_incident(
        id=str(uuid.uuid4()),
        category=command.category,
        summary=command.summary,
        details=command.details,
        reported_at=min(command.reported_at or moment, moment),
        logged_by=principal.actor,
    )
    with uow:
        uow.incidents.add(incident)
        uow.commit()
    return incident


def update_incident(
    incident_id: str,
    command: UpdateIncident,
    *,
    principal: Principal,
    uow: UnitOfWork,
    now: dt.datetime | None = None,
) -> Incident:
    principal.require(DESK)
    with uow:
        incident = uow.incidents.get(incident_id)
        if incident is None:
            raise IncidentNotFound()
        changed = incident.updated(
            now=_now(now),
            category=command.category,
            status=command.status,
            resolution=command.resolution,
        )
        uow.incidents.save(changed)
        uow.commit()
    return changed


def get_incident(incident_id: str, *, principal: Principal, uow: UnitOfWork) -> Incident:
    principal.require(DESK)
    with uow:
        incident = uow.incidents.get(incident_id)
    if incident is None:
        raise IncidentNotFound()
    return incident


def list_incidents(
    *, principal: Principal, uow: UnitOfWork, open_only: bool = False, limit: int = 200
) -> list[Incident]:
    principal.require(DESK)
    with uow:
        return uow.incidents.list(open_only=open_only, limit=limit)
