"""A learner's plan in the portal: view it, change the goals, add planned learning, add a progress
note. One thing per page; each change is saved by the same use cases as the API's (audited), and
answered with a redirect to the plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.learner_plans.plan import (
    LearnerPlan,
    LearnerPlanNotFound,
    PlannedLearning,
    planned_problems,
)
from openlrs.portal.forms import date_values, text
from openlrs.portal.learner_plans.views import plan_page
from openlrs.portal.rendering import redirect, render, render_form
from openlrs.portal.security import UserDep
from openlrs.services.learner_plans.plans import AddNote, SavePlan, add_note, get_plan, save_plan

router = APIRouter(prefix="/learners")
DATE_LABELS = {"start_date": "The start date", "end_date": "The planned end date"}
ANCHORS = {"start_date": "start_date-day", "end_date": "end_date-day"}


def _plan_url(uln: str) -> str:
    return f"/portal/learners/{uln}/plan"


async def _plan(request: Request, uln: str, principal: Principal) -> LearnerPlan | None:
    uow = request.app.state.uow_factory()
    try:
        return await run_in_threadpool(get_plan, uln, principal=principal, uow=uow)
    except LearnerPlanNotFound:
        return None


async def _save(request: Request, command: SavePlan, principal: Principal) -> LearnerPlan:
    uow = request.app.state.uow_factory()
    return await run_in_threadpool(save_plan, command, principal=principal, uow=uow)


def _form_page(
    request: Request,
    template: str,
    uln: str,
    title: str,
    errors: list[FieldError] | None = None,
    **context: Any,
) -> Response:
    return render_form(
        request,
        template,
        errors,
        title=title,
        uln=uln,
        anchors=ANCHORS,
        back=_plan_url(uln),
        **context,
    )


@router.get("/{uln}/plan")
async def view(request: Request, uln: str, principal: UserDep) -> Response:
    plan = await _plan(request, uln, principal)
    return render(request, "learner_plans/plan.html", **plan_page(uln, plan, principal))


@router.get("/{uln}/plan/goals")
async def goals_page(request: Request, uln: str, principal: UserDep) -> Response:
    plan = await _plan(request, uln, principal)
    goals = "\n".join(plan.goals) if plan else ""
    version = plan.version if plan else 0
    return _form_page(
        request,
        "learner_plans/goals.html",
        uln,
        "The learner’s goals",
        goals=goals,
        version=version,
    )


@router.post("/{uln}/plan/goals")
async def save_goals(request: Request, uln: str, principal: UserDep) -> Response:
    form = await request.form()
    goals = text(form, "goals")
    version = int(text(form, "version") or 0)
    plan = await _plan(request, uln, principal)
    planned = plan.planned if plan else ()
    command = SavePlan(uln, tuple(goals.splitlines()), planned, expected_version=version)
    try:
        await _save(request, command, principal)
    except ValidationFailed as exc:
        return _form_page(
            request,
            "learner_plans/goals.html",
            uln,
            "The learner’s goals",
            exc.errors,
            goals=goals,
            version=version,
        )
    return redirect(_plan_url(uln), "plan_saved")


def _date(form: Any, name: str, errors: list[FieldError]) -> dt.date | None:
    parts = [text(form, f"{name}-{p}") for p in ("day", "month", "year")]
    label = DATE_LABELS[name]
    if not any(parts):
        errors.append(FieldError(name, "FIELD_REQUIRED", f"Enter {label.lower()}"))
        return None
    try:
        day, month, year = (int(p) for p in parts)
        if year < 1000:
            raise ValueError
        return dt.date(year, month, day)
    except ValueError:
        errors.append(FieldError(name, "DATE_INVALID", f"{label} must be a real date"))
        return None


@router.get("/{uln}/plan/learning")
async def learning_page(request: Request, uln: str, principal: UserDep) -> Response:
    if await _plan(request, uln, principal) is None:
        return redirect(f"{_plan_url(uln)}/goals")
    return _form_page(
        request, "learner_plans/learning.html", uln, "Add planned learning", values={}
    )


@router.post("/{uln}/plan/learning")
async def add_learning(request: Request, uln: str, principal: UserDep) -> Response:
    form = await request.form()
    values = {"title": text(form, "title")}
    values |= date_values(form, "start_date") | date_values(form, "end_date")
    errors: list[FieldError] = []
    if not values["title"]:
        errors.append(FieldError("title", "FIELD_REQUIRED", "Enter what the learner will study"))
    start = _date(form, "start_date", errors)
    end = _date(form, "end_date", errors)
    plan = await _plan(request, uln, principal)
    if plan is None:
        return redirect(f"{_plan_url(uln)}/goals")
    if start and end and values["title"]:
        item = PlannedLearning(values["title"], start, end)
        errors.extend(planned_problems(item))
        if not errors:
            command = SavePlan(uln, plan.goals, (*plan.planned, item), plan.version)
            try:
                await _save(request, command, principal)
            except ValidationFailed as exc:
                errors.extend(exc.errors)
    if errors:
        order = ["title", "start_date", "end_date"]
        errors.sort(key=lambda e: order.index(e.field) if e.field in order else len(order))
        return _form_page(
            request,
            "learner_plans/learning.html",
            uln,
            "Add planned learning",
            errors,
            values=values,
        )
    return redirect(_plan_url(uln), "plan_learning_added")


@router.get("/{uln}/plan/notes")
async def note_page(request: Request, uln: str, principal: UserDep) -> Response:
    if await _plan(request, uln, principal) is None:
        return redirect(f"{_plan_url(uln)}/goals")
    return _form_page(request, "learner_plans/note.html", uln, "Add a progress note", note="")


@router.post("/{uln}/plan/notes")
async def save_note(request: Request, uln: str, principal: UserDep) -> Response:
    note = text(await request.form(), "note")
    uow = request.app.state.uow_factory()
    try:
        await run_in_threadpool(add_note, AddNote(uln, note), principal=principal, uow=uow)
    except ValidationFailed as exc:
        return _form_page(
            request, "learner_plans/note.html", uln, "Add a progress note", exc.errors, note=note
        )
    return redirect(_plan_url(uln), "plan_note_added")
