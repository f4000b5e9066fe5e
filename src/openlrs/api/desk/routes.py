"""The service desk's incidents and the deadlines of every queue (service hours, decision 0024)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, status
from pydantic import AwareDatetime, Field

from openlrs.api.deps import CurrentPrincipal, PublicId, UowFactoryDep, requires
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.learners.schemas import Strict
from openlrs.domain.accounts.organisations import Role
from openlrs.domain.desk.deadlines import QUEUE_NAMES, Deadline
from openlrs.domain.desk.incidents import TARGETS, Category, Incident, IncidentStatus
from openlrs.domain.desk.service_hours import ServiceHours
from openlrs.services.desk import incidents
from openlrs.services.desk.deadlines import queue_deadlines
from openlrs.services.desk.incidents import LogIncident, UpdateIncident

router = APIRouter(
    prefix="/api/v1/desk",
    tags=["service desk"],
    route_class=UniqueKeysRoute,
    dependencies=[requires(frozenset({Role.ADMIN}))],
)


class IncidentIn(Strict):
    category: int = Field(ge=1, le=4, description="1 (critical) to 4 (minor)")
    summary: str = Field(max_length=200)
    details: str = Field(default="", max_length=4000)
    reported_at: AwareDatetime | None = Field(
        default=None, description="When it was reported (default: now); the targets run from here"
    )


class IncidentPatch(Strict):
    category: int | None = Field(default=None, ge=1, le=4)
    status: Literal["responded", "resolved"] | None = None
    resolution: str | None = Field(default=None, max_length=4000)


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def incident_json(incident: Incident, clock: ServiceHours, request: Request) -> dict[str, Any]:
    now = request.app.state.notice_board.now()
    targets = TARGETS[incident.category]
    return {
        "id": incident.id,
        "category": int(incident.category),
        "category_meaning": targets.meaning,
        "summary": incident.summary,
        "details": incident.details,
        "status": incident.status.value,
        "reported_at": incident.reported_at,
        "respond_by": incident.respond_by(clock),
        "fix_by": incident.fix_by(clock),
        "responded_at": incident.responded_at,
        "resolved_at": incident.resolved_at,
        "resolution": incident.resolution,
        "response_overdue": incident.response_overdue(clock, now),
        "fix_overdue": incident.fix_overdue(clock, now),
        "logged_by": incident.logged_by,
    }


def deadline_json(deadline: Deadline) -> dict[str, Any]:
    item = deadline.item
    return {
        "queue": item.queue.value,
        "queue_name": QUEUE_NAMES[item.queue],
        "reference": item.reference,
        "opened_at": item.opened_at,
        "age_service_hours": _hours(deadline.age.total_seconds()),
        "target_at": deadline.target_at,
        "overdue": deadline.overdue,
    }


@router.get("/incidents", operation_id="listIncidents")
def list_incidents(
    request: Request,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
    open_only: Annotated[bool, Query()] = False,
) -> Any:
    """Incidents, newest first, each with its response and fix targets (service hours)."""
    clock = request.app.state.service_hours
    found = incidents.list_incidents(principal=principal, uow=uow_factory(), open_only=open_only)
    return {"incidents": [incident_json(i, clock, request) for i in found]}


@router.post("/incidents", status_code=status.HTTP_201_CREATED, operation_id="logIncident")
def log_incident(
    body: IncidentIn, request: Request, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """Log an incident in category 1-4 (docs/operations.md gives their meanings and targets)."""
    command = LogIncident(body.category, body.summary, body.details, body.reported_at)
    done = incidents.log_incident(
        command, principal=principal, uow=uow_factory(), now=request.app.state.notice_board.now()
    )
    return incident_json(done, request.app.state.service_hours, request)


@router.get("/incidents/{incident_id}", operation_id="getIncident")
def get_incident(
    incident_id: PublicId, request: Request, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    found = incidents.get_incident(incident_id, principal=principal, uow=uow_factory())
    return incident_json(found, request.app.state.service_hours, request)


@router.patch("/incidents/{incident_id}", operation_id="updateIncident")
def update_incident(
    incident_id: PublicId,
    body: IncidentPatch,
    request: Request,
    principal: CurrentPrincipal,
    uow_factory: UowFactoryDep,
) -> Any:
    """Recategorise, record the first response, or resolve (with how)."""
    command = UpdateIncident(
        Category(body.category) if body.category is not None else None,
        IncidentStatus(body.status) if body.status else None,
        body.resolution,
    )
    done = incidents.update_incident(
        incident_id,
        command,
        principal=principal,
        uow=uow_factory(),
        now=request.app.state.notice_board.now(),
    )
    return incident_json(done, request.app.state.service_hours, request)


@router.get("/deadlines", operation_id="listQueueDeadlines")
def list_deadlines(
    request: Request, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """Every open item of every queue with a deadline (ULN and learning-event challenges,
    possible matches, provider applications): age and target in service hours, soonest first."""
    found = queue_deadlines(
        principal=principal,
        uow=uow_factory(),
        clock=request.app.state.service_hours,
        now=request.app.state.notice_board.now(),
    )
    return {
        "deadlines": [deadline_json(d) for d in found],
        "overdue": sum(1 for d in found if d.overdue),
    }
