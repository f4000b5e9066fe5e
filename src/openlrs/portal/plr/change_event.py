"""An awarding organisation corrects, withdraws or reinstates an achievement it recorded, from the
learner's learning record: choose what to do, then a prefilled form (correct) or a confirmation
(withdraw, reinstate). Each change goes through the use cases in services/plr/change_achievement.py
and ends with a redirect to the record."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.errors import FieldError, ValidationFailed
from openlrs.domain.plr.achievements import (
    AchievementDetails,
    EventStatus,
    EventType,
    LearningEvent,
)
from openlrs.domain.plr.errors import LearningEventNotFound
from openlrs.domain.plr.roles import AWARDING_ROLES
from openlrs.portal.forms import text
from openlrs.portal.plr.reading import read_record
from openlrs.portal.plr.record_achievement import RESULT_ANCHORS, award_date
from openlrs.portal.plr.views import event_summary
from openlrs.portal.rendering import redirect, render_form
from openlrs.portal.security import UserDep
from openlrs.services.plr import change_achievement
from openlrs.services.plr.change_achievement import ChangeAchievement

router = APIRouter(prefix="/learners")
CHOICES = {"correct", "withdraw", "reinstate"}


def _record(uln: str) -> str:
    return f"/portal/learners/{uln}/learning-record"


def _base(uln: str, event_id: str) -> str:
    return f"{_record(uln)}/events/{event_id}"


async def _event(request: Request, uln: str, event_id: str, principal: Principal) -> LearningEvent:
    """The achievement, as the caller's organisation sees it on the record (an audited read)."""
    principal.require(AWARDING_ROLES)
    plr = await read_record(request, uln, principal)
    for event in plr.events:
        if (
            event.id == event_id
            and event.ukprn == principal.ukprn
            and event.event_type is EventType.ACHIEVEMENT
        ):
            return event
    raise LearningEventNotFound()


def _page(
    request: Request,
    template: str,
    title: str,
    event: LearningEvent,
    errors: list[FieldError] | None = None,
    **context: Any,
) -> Response:
    return render_form(
        request,
        template,
        errors,
        title=title,
        summary=event_summary(event, request.app.state.organisation_names),
        event=event,
        anchors=RESULT_ANCHORS,
        back=context.pop("back", _record(event.uln)),
        **context,
    )


@router.get("/{uln}/learning-record/events/{event_id}/change")
async def choose_page(request: Request, uln: str, event_id: str, principal: UserDep) -> Response:
    event = await _event(request, uln, event_id, principal)
    return _page(request, "plr/change_choose.html", "What do you want to do?", event)


@router.post("/{uln}/learning-record/events/{event_id}/change")
async def choose(request: Request, uln: str, event_id: str, principal: UserDep) -> Response:
    event = await _event(request, uln, event_id, principal)
    choice = text(await request.form(), "choice")
    allowed = {"reinstate"} if event.status is EventStatus.WITHDRAWN else {"correct", "withdraw"}
    if choice not in allowed:
        error = FieldError("choice", "FIELD_REQUIRED", "Select what you want to do")
        return _page(request, "plr/change_choose.html", "What do you want to do?", event, [error])
    return redirect(f"{_base(event.uln, event.id)}/{choice}")


@router.get("/{uln}/learning-record/events/{event_id}/correct")
async def correct_page(request: Request, uln: str, event_id: str, principal: UserDep) -> Response:
    event = await _event(request, uln, event_id, principal)
    when = event.award_date
    values = {"grade": event.grade or ""}
    if when:
        values |= {
            "award_date-day": str(when.day),
            "award_date-month": str(when.month),
            "award_date-year": str(when.year),
        }
    return _page(
        request,
        "plr/change_correct.html",
        "Correct the achievement",
        event,
        values=values,
        back=f"{_base(event.uln, event.id)}/change",
    )


@router.post("/{uln}/learning-record/events/{event_id}/correct")
async def correct(request: Request, uln: str, event_id: str, principal: UserDep) -> Response:
    event = await _event(request, uln, event_id, principal)
    form = await request.form()
    values = {"grade": text(form, "grade")} | {
        f"award_date-{p}": text(form, f"award_date-{p}") for p in ("day", "month", "year")
    }
    errors: list[FieldError] = []
    when = award_date(form, errors)
    if not errors and when is not None:
        details = AchievementDetails(event.subject, when, values["grade"] or None, event.credits)
        uow = request.app.state.uow_factory()
        try:
            await run_in_threadpool(
                change_achievement.update_achievement,
                ChangeAchievement(event.uln, event.id, details),
                principal=principal,
                uow=uow,
                policy=request.app.state.policy,
            )
        except ValidationFailed as exc:
            errors = exc.errors
    if errors:
        return _page(
            request,
            "plr/change_correct.html",
            "Correct the achievement",
            event,
            errors,
            values=values,
            back=f"{_base(event.uln, event.id)}/change",
        )
    return redirect(_record(event.uln), "achievement_corrected")


CONFIRM = {
    "withdraw": (
        "Are you sure you want to withdraw this achievement?",
        "The achievement will be shown as withdrawn on the learner’s record. You can reinstate it later.",
        "Withdraw achievement",
        change_achievement.withdraw_achievement,
        "achievement_withdrawn",
    ),
    "reinstate": (
        "Are you sure you want to reinstate this achievement?",
        "The achievement will be restored exactly as it was before it was withdrawn.",
        "Reinstate achievement",
        change_achievement.reinstate_achievement,
        "achievement_reinstated",
    ),
}


@router.get("/{uln}/learning-record/events/{event_id}/{action}")
async def confirm_page(
    request: Request, uln: str, event_id: str, action: str, principal: UserDep
) -> Response:
    if action not in CONFIRM:
        raise LearningEventNotFound()
    event = await _event(request, uln, event_id, principal)
    heading, warning, button, _, _ = CONFIRM[action]
    return _page(
        request,
        "plr/change_confirm.html",
        heading,
        event,
        warning=warning,
        button=button,
        back=f"{_base(event.uln, event.id)}/change",
    )


@router.post("/{uln}/learning-record/events/{event_id}/{action}")
async def confirm(
    request: Request, uln: str, event_id: str, action: str, principal: UserDep
) -> Response:
    if action not in CONFIRM:
        raise LearningEventNotFound()
    event = await _event(request, uln, event_id, principal)
    use_case, flash = CONFIRM[action][3], CONFIRM[action][4]
    uow = request.app.state.uow_factory()
    await run_in_threadpool(
        use_case, ChangeAchievement(event.uln, event.id), principal=principal, uow=uow
    )
    return redirect(_record(event.uln), flash)
