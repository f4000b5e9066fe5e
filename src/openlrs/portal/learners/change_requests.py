"""Change requests in the portal: the service desk and registering organisations see the changes
others asked for on their learners, and accept or reject each after a confirmation step."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from markupsafe import escape
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.errors import (
    ChangeRequestDecided,
    FieldError,
    LearnerNotActive,
    ValidationFailed,
    VersionConflict,
)
from openlrs.domain.learners.change_request import ChangeRequestStatus
from openlrs.portal.forms import GENDERS, LABELS, text
from openlrs.portal.rendering import error_list, field_errors, redirect, render
from openlrs.portal.security import UserDep
from openlrs.services.learners.change_requests import (
    ChangeRequestView,
    DecideChangeRequest,
    decide_change_request,
    get_change_request,
    list_change_requests,
)

router = APIRouter(prefix="/change-requests")
Reference = Annotated[str, Path(min_length=36, max_length=36)]
_DECISIONS = {"accept": "Accept the change", "reject": "Reject the change"}
_EXTRA_LABELS = {
    "title": "Title",
    "preferred_given_name": "Preferred given name",
    "family_name_at_16": "Family name at 16",
    "address_line_1": "Address line 1",
    "address_line_2": "Address line 2",
    "town": "Town",
    "county": "County or city",
    "nationality": "Nationality",
    "place_of_birth": "Place of birth",
}
_STALE = (
    "The learner's details have changed since you looked at this request. Check the request "
    "again against their current details."
)


def _shown(name: str, value: Any) -> str:
    if value is None or value == "":
        return "Removed"
    if name == "gender":
        return GENDERS.get(str(value), str(value))
    if hasattr(value, "strftime"):
        return str(value.strftime("%-d %B %Y"))
    return str(value)


def change_rows(view: ChangeRequestView) -> list[dict[str, Any]]:
    """One summary row per field: what the learner's record says now, and what is proposed."""
    current = view.learner.details if view.learner else None
    rows = []
    for name, value in view.request.changes.items():
        label = LABELS.get(name) or _EXTRA_LABELS.get(name) or name.replace("_", " ").capitalize()
        now = _shown(name, getattr(current, name, None)) if current else "Not known"
        rows.append(
            {
                "key": {"text": label},
                "value": {"html": _pair(now, _shown(name, value))},
            }
        )
    return rows


def _pair(now: str, proposed: str) -> str:
    return f"Now: {escape(now)}<br>Proposed: <strong>{escape(proposed)}</strong>"


@router.get("")
async def queue(request: Request, principal: UserDep) -> Response:
    views = await run_in_threadpool(
        list_change_requests,
        status=ChangeRequestStatus.PENDING,
        limit=200,
        principal=principal,
        uow=request.app.state.uow_factory(),
    )
    return render(
        request,
        "learners/change_requests.html",
        title="Changes waiting for approval",
        to_decide=[v for v in views if v.may_decide],
        sent=[v for v in views if not v.may_decide],
        width="full",
        back="/portal/",
    )


async def _request_page(
    request: Request,
    reference: str,
    principal: UserDep,
    status: int = 200,
    errors: list[FieldError] | None = None,
) -> Response:
    state = request.app.state
    view = await run_in_threadpool(
        get_change_request, reference, principal=principal, uow=state.uow_factory()
    )
    errors = errors or []
    return render(
        request,
        "learners/change_request.html",
        status,
        title="Check a change to a learner's details",
        view=view,
        rows=change_rows(view),
        decisions=_DECISIONS,
        errors=error_list(errors) if errors else None,
        field_errors=field_errors(errors),
        back="/portal/change-requests",
    )


@router.get("/{reference}")
async def view_request(request: Request, reference: Reference, principal: UserDep) -> Response:
    return await _request_page(request, reference, principal)


@router.post("/{reference}/check")
async def check_decision(request: Request, reference: Reference, principal: UserDep) -> Response:
    """The confirmation step: say what will happen, before anything does."""
    form = await request.form()
    decision = text(form, "decision")
    if decision not in _DECISIONS:
        error = FieldError("decision", "FIELD_REQUIRED", "Select whether to accept or reject")
        return await _request_page(request, reference, principal, 422, [error])
    state = request.app.state
    view = await run_in_threadpool(
        get_change_request, reference, principal=principal, uow=state.uow_factory()
    )
    return render(
        request,
        "learners/change_request_confirm.html",
        title="Are you sure?",
        view=view,
        rows=change_rows(view),
        decision=decision,
        version=view.learner.version if view.learner else "",
        back=f"/portal/change-requests/{reference}",
    )


@router.post("/{reference}/decision")
async def decide(request: Request, reference: Reference, principal: UserDep) -> Response:
    form = await request.form()
    decision = text(form, "decision")
    if decision not in _DECISIONS:
        error = FieldError("decision", "FIELD_REQUIRED", "Select whether to accept or reject")
        return await _request_page(request, reference, principal, 422, [error])
    version_text = text(form, "version")
    state = request.app.state
    command = DecideChangeRequest(
        reference,
        decision == "accept",
        int(version_text) if version_text.isdigit() else None,
    )
    try:
        await run_in_threadpool(
            decide_change_request,
            command,
            principal=principal,
            uow=state.uow_factory(),
            policy=state.policy,
        )
    except VersionConflict:
        error = FieldError("decision", VersionConflict.code, _STALE)
        return await _request_page(request, reference, principal, 409, [error])
    except ChangeRequestDecided:
        message = "Someone has already accepted or rejected this change."
        error = FieldError("decision", ChangeRequestDecided.code, message)
        return await _request_page(request, reference, principal, 409, [error])
    except LearnerNotActive:
        message = "This learner's record has been merged or closed: reject the change instead."
        error = FieldError("decision", LearnerNotActive.code, message)
        return await _request_page(request, reference, principal, 409, [error])
    except ValidationFailed as exc:
        message = "The proposed details are no longer valid: reject the change instead."
        error = FieldError("decision", exc.code, message)
        return await _request_page(request, reference, principal, 422, [error])
    flash = "change_accepted" if command.accept else "change_rejected"
    return redirect("/portal/change-requests", flash)
