"""Notices in the portal: the desk schedules and calls off maintenance; everyone may read the
changes page (maintenance ahead, API deprecations and what changed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Role
from openlrs.domain.desk.service_hours import UK
from openlrs.domain.errors import FieldError, NotAuthorised, ValidationFailed
from openlrs.domain.notices.deprecations import CHANGES, DEPRECATIONS
from openlrs.domain.notices.maintenance import MaintenanceWindow
from openlrs.portal.forms import date_from, date_values, text
from openlrs.portal.notices.banner import when
from openlrs.portal.rendering import error_list, field_errors, redirect, render
from openlrs.portal.security import UserDep
from openlrs.services.notices import maintenance
from openlrs.services.notices.maintenance import NoticeBoard, ScheduleMaintenance

router = APIRouter()
desk_router = APIRouter(prefix="/desk/maintenance")
ANCHORS = {"starts_at": "starts_at-day", "ends_at": "ends_at-day", "message": "message"}


def _board(request: Request) -> NoticeBoard:
    board: NoticeBoard = request.app.state.notice_board
    return board


def window_rows(windows: list[MaintenanceWindow]) -> list[list[dict[str, Any]]]:
    return [
        [
            {"text": when(w.starts_at)},
            {"text": when(w.ends_at)},
            {"text": "Read-only" if w.read_only else "Available"},
            {"text": w.message or "Planned maintenance"},
        ]
        for w in windows
    ]


@router.get("/changes")
async def changes(request: Request) -> Response:
    """Public: planned maintenance, API operations on their way out, and recent changes."""
    windows = await run_in_threadpool(
        maintenance.upcoming_maintenance,
        uow=request.app.state.uow_factory(),
        now=_board(request).now(),
    )
    return render(
        request,
        "notices/changes.html",
        title="Service changes and maintenance",
        windows=window_rows(windows),
        deprecations=DEPRECATIONS,
        changes=CHANGES,
    )


def _require_desk(principal: Any) -> None:
    if Role.ADMIN not in principal.roles:
        raise NotAuthorised()


async def _page(request: Request, principal: Any, status: int = 200, **context: Any) -> Response:
    windows = await run_in_threadpool(
        maintenance.upcoming_maintenance,
        uow=request.app.state.uow_factory(),
        now=_board(request).now(),
    )
    context.setdefault("values", {"read_only": "yes"})
    return render(
        request,
        "notices/maintenance.html",
        status,
        title="Maintenance",
        windows=windows,
        when=when,
        **context,
    )


@desk_router.get("")
async def maintenance_page(request: Request, principal: UserDep) -> Response:
    _require_desk(principal)
    return await _page(request, principal)


def _moment(form: Any, name: str, label: str) -> dt.datetime:
    """A date input and its time field as one moment; what is wrong with each, at once."""
    errors = []
    day = None
    try:
        day = date_from(form, name)
    except ValidationFailed as failed:
        errors += failed.errors
    if day is None and not errors:
        errors.append(FieldError(name, "FIELD_REQUIRED", f"Enter the {label} date"))
    time_text = text(form, f"{name}-time")
    clock = None
    try:
        clock = dt.time.fromisoformat(time_text.replace(".", ":").zfill(5))
    except ValueError:
        message = f"Enter the {label} time, like 21:00"
        errors.append(FieldError(f"{name}-time", "TIME_INVALID", message))
    if errors or day is None or clock is None:
        raise ValidationFailed(errors)
    return dt.datetime.combine(day, clock, UK).astimezone(dt.UTC)


@desk_router.post("")
async def schedule(request: Request, principal: UserDep) -> Response:
    _require_desk(principal)
    form = await request.form()
    values = {
        **date_values(form, "starts_at"),
        **date_values(form, "ends_at"),
        "starts_at-time": text(form, "starts_at-time"),
        "ends_at-time": text(form, "ends_at-time"),
        "message": text(form, "message"),
        "read_only": text(form, "read_only"),
    }
    try:
        errors: list[FieldError] = []
        moments: dict[str, dt.datetime] = {}
        for name, label in (("starts_at", "start"), ("ends_at", "end")):
            try:
                moments[name] = _moment(form, name, label)
            except ValidationFailed as failed:
                errors += failed.errors
        if errors:
            raise ValidationFailed(errors)
        command = ScheduleMaintenance(
            moments["starts_at"],
            moments["ends_at"],
            values["message"],
            values["read_only"] == "yes",
        )
        await run_in_threadpool(
            maintenance.schedule_maintenance,
            command,
            principal=principal,
            uow=request.app.state.uow_factory(),
            now=_board(request).now(),
        )
    except ValidationFailed as failed:
        return await _page(
            request,
            principal,
            400,
            values=values,
            errors=error_list(failed.errors, ANCHORS),
            field_errors=field_errors(failed.errors),
        )
    return redirect("/portal/desk/maintenance", "maintenance_scheduled")


@desk_router.post("/{window_id}/cancel")
async def cancel(request: Request, window_id: str, principal: UserDep) -> Response:
    _require_desk(principal)
    await run_in_threadpool(
        maintenance.cancel_maintenance,
        window_id,
        principal=principal,
        uow=request.app.state.uow_factory(),
        now=_board(request).now(),
    )
    return redirect("/portal/desk/maintenance", "maintenance_cancelled")
