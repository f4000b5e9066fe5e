"""Maintenance windows (the desk schedules; anyone may read) and the API's deprecations."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from pydantic import AwareDatetime, Field

from openlrs.api.deps import CurrentPrincipal, PublicId, UowFactoryDep, requires
from openlrs.api.json_bodies import UniqueKeysRoute
from openlrs.api.learners.schemas import Strict
from openlrs.domain.accounts.organisations import Role
from openlrs.domain.notices.deprecations import CHANGES, DEPRECATIONS
from openlrs.domain.notices.maintenance import MaintenanceWindow
from openlrs.services.notices import maintenance
from openlrs.services.notices.maintenance import ScheduleMaintenance

router = APIRouter(prefix="/api/v1/notices", tags=["notices"], route_class=UniqueKeysRoute)
DESK = [requires(frozenset({Role.ADMIN}))]


class MaintenanceIn(Strict):
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    message: str = Field(default="", max_length=500)
    read_only: bool = Field(
        default=True, description="Refuse writes (503 with Retry-After) while it runs"
    )


def window_json(window: MaintenanceWindow) -> dict[str, Any]:
    return {
        "id": window.id,
        "starts_at": window.starts_at,
        "ends_at": window.ends_at,
        "message": window.message,
        "read_only": window.read_only,
    }


@router.get("/maintenance", operation_id="listMaintenance")
def list_maintenance(request: Request, uow_factory: UowFactoryDep) -> Any:
    """Maintenance not yet over, soonest first, and whether the service is read-only now."""
    board = request.app.state.notice_board
    found = maintenance.upcoming_maintenance(uow=uow_factory(), now=board.now())
    return {
        "read_only": board.current().read_only,
        "maintenance": [window_json(w) for w in found],
    }


@router.post(
    "/maintenance",
    status_code=status.HTTP_201_CREATED,
    operation_id="scheduleMaintenance",
    dependencies=DESK,
)
def schedule(
    body: MaintenanceIn, request: Request, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Any:
    """Announce maintenance on every portal page from 14 days ahead; read-only while it runs."""
    command = ScheduleMaintenance(body.starts_at, body.ends_at, body.message, body.read_only)
    window = maintenance.schedule_maintenance(
        command, principal=principal, uow=uow_factory(), now=request.app.state.notice_board.now()
    )
    return window_json(window)


@router.delete(
    "/maintenance/{window_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="cancelMaintenance",
    dependencies=DESK,
)
def cancel(
    window_id: PublicId, request: Request, principal: CurrentPrincipal, uow_factory: UowFactoryDep
) -> Response:
    """Call off a window: cancelled before it starts, ended now while it runs."""
    maintenance.cancel_maintenance(
        window_id, principal=principal, uow=uow_factory(), now=request.app.state.notice_board.now()
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/deprecations", operation_id="listDeprecations")
def list_deprecations() -> Any:
    """Operations on their way out (they answer with `Deprecation` and `Sunset` headers), and
    the changes made to the service."""
    return {
        "deprecations": [
            {
                "method": d.method,
                "path": d.path,
                "deprecated_on": d.deprecated_on,
                "sunset_on": d.sunset_on,
                "replacement": d.replacement,
                "note": d.note,
            }
            for d in DEPRECATIONS
        ],
        "changes": [{"on": c.on, "title": c.title, "detail": c.detail} for c in CHANGES],
    }
