"""A provider records a learner's participation (an enrolment on a learning aim) from the
learner's page: one short form, then back to the learning record. The learner's names go with
it from the register's own record, so the check against the ULN always passes for the learner
shown; the use case is the API's (services/plr/record_participation.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import ParticipationDetails
from openlrs.domain.plr.errors import LearningEventStateConflict
from openlrs.domain.plr.roles import PARTICIPATION_ROLES
from openlrs.portal.forms import date_values, text
from openlrs.portal.rendering import redirect, render_form
from openlrs.portal.security import UserDep
from openlrs.services.learners.find import find_by_uln
from openlrs.services.plr.record_participation import RecordParticipation, record_participation

router = APIRouter(prefix="/learners")
TITLE = "Record an enrolment"
ORDER = ("learning_aim", "title", "start_date", "end_date")
ANCHORS = {"start_date": "start_date-day", "end_date": "end_date-day"}
LABELS = {"start_date": "The start date", "end_date": "The end date"}


def _date(form: Any, name: str, errors: list[FieldError], required: bool) -> dt.date | None:
    parts = [text(form, f"{name}-{p}") for p in ("day", "month", "year")]
    if not any(parts):
        if required:
            errors.append(FieldError(name, "FIELD_REQUIRED", f"Enter {LABELS[name].lower()}"))
        return None
    try:
        d, m, y = (int(p) for p in parts)
        if y < 1000:
            raise ValueError
        return dt.date(y, m, d)
    except ValueError:
        errors.append(FieldError(name, "DATE_INVALID", f"{LABELS[name]} must be a real date"))
        return None


def _page(
    request: Request, uln: str, values: dict[str, str], errors: list[FieldError] | None = None
) -> Response:
    errors = sorted(errors or [], key=lambda e: ORDER.index(e.field) if e.field in ORDER else 9)
    return render_form(
        request,
        "plr/participation.html",
        errors,
        title=TITLE,
        uln=uln,
        values=values,
        anchors=ANCHORS,
        back=f"/portal/learners/{uln}",
    )


@router.get("/{uln}/participation")
async def participation_page(request: Request, uln: str, principal: UserDep) -> Response:
    principal.require(PARTICIPATION_ROLES)
    return _page(request, uln, {})


@router.post("/{uln}/participation")
async def record(request: Request, uln: str, principal: UserDep) -> Response:
    principal.require(PARTICIPATION_ROLES)
    form = await request.form()
    values = {"learning_aim": text(form, "learning_aim").upper(), "title": text(form, "title")}
    values |= date_values(form, "start_date") | date_values(form, "end_date")
    errors: list[FieldError] = []
    if not values["learning_aim"]:
        errors.append(
            FieldError("learning_aim", "FIELD_REQUIRED", "Enter the learning aim reference")
        )
    start = _date(form, "start_date", errors, required=True)
    end = _date(form, "end_date", errors, required=False)
    if errors or start is None:
        return _page(request, uln, values, errors)
    uow = request.app.state.uow_factory
    found = await run_in_threadpool(find_by_uln, uln, principal=principal, uow=uow())
    learner = found.learners[0]
    claimed = ClaimedDetails(
        learner.details.given_name,
        learner.details.family_name,
        learner.details.date_of_birth,
        learner.details.gender,
    )
    details = ParticipationDetails(values["learning_aim"], start, end, values["title"] or None)
    command = RecordParticipation(learner.uln, claimed, details, source="portal")
    try:
        await run_in_threadpool(
            record_participation,
            command,
            principal=principal,
            uow=uow(),
            policy=request.app.state.policy,
        )
    except ValidationFailed as exc:
        return _page(request, uln, values, exc.errors)
    except LearningEventStateConflict:
        message = "This enrolment was withdrawn: it cannot be changed"
        return _page(request, uln, values, [FieldError("learning_aim", "WITHDRAWN", message)])
    return redirect(f"/portal/learners/{learner.uln}/learning-record", "participation_recorded")
