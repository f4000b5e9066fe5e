"""The service desk's own pages: incidents against their targets, and every queue's deadlines.
The same use cases as the API (`services.desk`), on the service-hours clock of the settings."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.desk.deadlines import QUEUE_NAMES, Deadline, Queue
from openlrs.domain.desk.incidents import TARGETS, Category, Incident, IncidentStatus
from openlrs.domain.desk.service_hours import ServiceHours
from openlrs.domain.errors import FieldError, NotAuthorised, ValidationFailed
from openlrs.portal.forms import text
from openlrs.portal.notices.banner import when
from openlrs.portal.rendering import error_list, field_errors, redirect, render
from openlrs.portal.security import UserDep
from openlrs.services.desk import incidents
from openlrs.services.desk.deadlines import queue_deadlines
from openlrs.services.desk.incidents import LogIncident, UpdateIncident

router = APIRouter(prefix="/desk")
STATUS_TEXT = {
    IncidentStatus.OPEN: "Awaiting response",
    IncidentStatus.RESPONDED: "Being worked on",
    IncidentStatus.RESOLVED: "Resolved",
}
LINKS = {
    Queue.ULN_CHALLENGES: "/portal/challenges/{}",
    Queue.LEARNING_EVENT_CHALLENGES: "/portal/challenges/{}",
    Queue.EXCEPTIONS: "/portal/exceptions/{}",
}


def _require_desk(principal: Principal) -> None:
    if Role.ADMIN not in principal.roles:
        raise NotAuthorised()


def _state(request: Request) -> tuple[ServiceHours, Any]:
    return request.app.state.service_hours, request.app.state.notice_board


def _hours(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:.1f} service hours" if hours < 10 else f"{hours / 10:.1f} service days"


def _tag(text_: str, colour: str) -> dict[str, str]:
    return {"html": f'<strong class="govuk-tag govuk-tag--{colour}">{text_}</strong>'}


def deadline_rows(found: list[Deadline]) -> list[list[dict[str, str]]]:
    rows = []
    for d in found:
        link = LINKS.get(d.item.queue)
        label = QUEUE_NAMES[d.item.queue]
        item = (
            {"html": f'<a class="govuk-link" href="{link.format(d.item.reference)}">{label}</a>'}
            if link
            else {"text": label}
        )
        rows.append(
            [
                item,
                {"text": when(d.item.opened_at)},
                {"text": _hours(d.age.total_seconds())},
                {"text": when(d.target_at)},
                _tag("Overdue", "red") if d.overdue else _tag("On time", "green"),
            ]
        )
    return rows


HUB = (
    ("Incidents", "/portal/desk/incidents", "Log incidents and record responses and fixes."),
    (
        "Deadlines",
        "/portal/desk/deadlines",
        "Every queue's open items, their targets and what is overdue.",
    ),
    (
        "Maintenance",
        "/portal/desk/maintenance",
        "Schedule maintenance and announce it on every page.",
    ),
    ("Organisations", "/portal/organisations", "Organisations, their users and contact addresses."),
    ("Changes to the service", "/portal/changes", "What is deprecated and when it goes."),
)


@router.get("")
async def hub_page(request: Request, principal: UserDep) -> Response:
    """The desk's own area: one item in the navigation, its pages listed here."""
    _require_desk(principal)
    links = [{"text": t, "href": h, "hint": hint} for t, h, hint in HUB]
    return render(request, "desk/hub.html", title="Service desk", links=links)


@router.get("/deadlines")
async def deadlines_page(request: Request, principal: UserDep) -> Response:
    _require_desk(principal)
    clock, board = _state(request)
    found = await run_in_threadpool(
        queue_deadlines,
        principal=principal,
        uow=request.app.state.uow_factory(),
        clock=clock,
        now=board.now(),
    )
    return render(
        request,
        "desk/deadlines.html",
        title="Deadlines",
        width="full",
        rows=deadline_rows(found),
        overdue=sum(1 for d in found if d.overdue),
        day_length=clock.day_length.total_seconds() / 3600,
    )


def incident_rows(
    found: list[Incident], clock: ServiceHours, now: Any
) -> list[list[dict[str, str]]]:
    rows = []
    for i in found:
        late = i.status is not IncidentStatus.RESOLVED and (
            i.fix_overdue(clock, now) or i.response_overdue(clock, now)
        )
        rows.append(
            [
                {
                    "html": f'<a class="govuk-link" href="/portal/desk/incidents/{i.id}">{i.summary}</a>'
                },
                {"text": f"Category {int(i.category)}"},
                {"text": when(i.reported_at)},
                {"text": when(i.fix_by(clock))},
                _tag("Overdue", "red") if late else {"text": STATUS_TEXT[i.status]},
            ]
        )
    return rows


@router.get("/incidents")
async def incidents_page(request: Request, principal: UserDep) -> Response:
    _require_desk(principal)
    clock, board = _state(request)
    found = await run_in_threadpool(
        incidents.list_incidents, principal=principal, uow=request.app.state.uow_factory()
    )
    return render(
        request,
        "desk/incidents.html",
        title="Incidents",
        width="full",
        rows=incident_rows(found, clock, board.now()),
    )


def category_items(chosen: str) -> list[dict[str, Any]]:
    items = []
    for category, targets in TARGETS.items():
        respond = targets.respond_within.total_seconds() / 3600
        fix = targets.fix_within.total_seconds() / 3600
        hint = (
            f"{targets.meaning}. Respond within {respond:g} and fix within {fix:g} service hours."
        )
        items.append(
            {
                "value": str(category.value),
                "text": f"Category {category.value}",
                "hint": {"text": hint},
                "checked": chosen == str(category.value),
            }
        )
    return items


def _new_page(request: Request, status: int = 200, **context: Any) -> Response:
    context.setdefault("values", {})
    return render(
        request,
        "desk/incident_new.html",
        status,
        title="Log an incident",
        category_items=category_items(context["values"].get("category", "")),
        back="/portal/desk/incidents",
        **context,
    )


@router.get("/incidents/new")
async def new_incident_page(request: Request, principal: UserDep) -> Response:
    _require_desk(principal)
    return _new_page(request)


def _chosen_or_not(error: FieldError, category: str) -> FieldError:
    """The use case's 'choose a category from 1 to 4', as asked when none was chosen."""
    if error.field == "category" and not category:
        return FieldError("category", "FIELD_REQUIRED", "Choose the incident's category")
    return error


@router.post("/incidents/new")
async def log(request: Request, principal: UserDep) -> Response:
    _require_desk(principal)
    form = await request.form()
    values = {name: text(form, name) for name in ("category", "summary", "details")}
    try:  # no category chosen: 0, which the use case refuses with the summary's problems
        category = int(values["category"]) if values["category"] in {"1", "2", "3", "4"} else 0
        command = LogIncident(category, values["summary"], values["details"])
        done = await run_in_threadpool(
            incidents.log_incident,
            command,
            principal=principal,
            uow=request.app.state.uow_factory(),
            now=request.app.state.notice_board.now(),
        )
    except ValidationFailed as failed:
        errors = [_chosen_or_not(e, values["category"]) for e in failed.errors]
        return _new_page(
            request,
            400,
            values=values,
            errors=error_list(errors),
            field_errors=field_errors(errors),
        )
    return redirect(f"/portal/desk/incidents/{done.id}", "incident_logged")


async def _incident_page(
    request: Request, incident_id: str, principal: Principal, status: int = 200, **context: Any
) -> Response:
    clock, board = _state(request)
    found = await run_in_threadpool(
        incidents.get_incident,
        incident_id,
        principal=principal,
        uow=request.app.state.uow_factory(),
    )
    now = board.now()
    rows = [
        {
            "key": {"text": "Category"},
            "value": {"text": f"{int(found.category)}: {TARGETS[found.category].meaning}"},
        },
        {"key": {"text": "Status"}, "value": {"text": STATUS_TEXT[found.status]}},
        {"key": {"text": "Reported"}, "value": {"text": when(found.reported_at)}},
        {
            "key": {"text": "Respond by"},
            "value": {
                "text": when(found.respond_by(clock))
                + (" (missed)" if found.response_overdue(clock, now) else "")
            },
        },
        {
            "key": {"text": "Fix by"},
            "value": {
                "text": when(found.fix_by(clock))
                + (" (missed)" if found.fix_overdue(clock, now) else "")
            },
        },
    ]
    if found.details:
        rows.append({"key": {"text": "Details"}, "value": {"text": found.details}})
    if found.resolution:
        rows.append({"key": {"text": "Resolution"}, "value": {"text": found.resolution}})
    context.setdefault("values", {})
    return render(
        request,
        "desk/incident.html",
        status,
        title=found.summary,
        incident=found,
        rows=rows,
        back="/portal/desk/incidents",
        **context,
    )


@router.get("/incidents/{incident_id}")
async def incident_page(request: Request, incident_id: str, principal: UserDep) -> Response:
    _require_desk(principal)
    return await _incident_page(request, incident_id, principal)


@router.post("/incidents/{incident_id}")
async def update(request: Request, incident_id: str, principal: UserDep) -> Response:
    _require_desk(principal)
    form = await request.form()
    values = {name: text(form, name) for name in ("action", "resolution", "category")}
    status = {"respond": IncidentStatus.RESPONDED, "resolve": IncidentStatus.RESOLVED}.get(
        values["action"]
    )
    category = (
        Category(int(values["category"])) if values["category"] in {"1", "2", "3", "4"} else None
    )
    try:
        await run_in_threadpool(
            incidents.update_incident,
            incident_id,
            UpdateIncident(category, status, values["resolution"] or None),
            principal=principal,
            uow=request.app.state.uow_factory(),
            now=request.app.state.notice_board.now(),
        )
    except ValidationFailed as failed:
        return await _incident_page(
            request,
            incident_id,
            principal,
            400,
            values=values,
            errors=error_list(failed.errors),
            field_errors=field_errors(failed.errors),
        )
    return redirect(f"/portal/desk/incidents/{incident_id}", "incident_updated")
