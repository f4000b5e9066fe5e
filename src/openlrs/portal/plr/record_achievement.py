"""An awarding organisation records an achievement: who the learner is (ULN and names, checked
against the register at once), which qualification or unit, the result, then check answers with
Change links, then a confirmation. Answers are kept in a signed cookie (portal/drafts.py), never
in a URL; the use case checks everything again when the achievement is recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.errors import FieldError, InvalidIdentifier, ValidationFailed
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.domain.plr.achievements import AchievementDetails
from openlrs.domain.plr.errors import (
    LearnerDetailsMismatch,
    LearningEventExists,
    QualificationNotOwned,
)
from openlrs.domain.plr.qualifications import Qualification, Unit
from openlrs.domain.plr.roles import AWARDING_ROLES
from openlrs.portal.drafts import clear_draft, read_draft, write_draft
from openlrs.portal.forms import text
from openlrs.portal.plr.reading import remember_names
from openlrs.portal.plr.views import day
from openlrs.portal.rendering import redirect, render, render_form
from openlrs.portal.security import UserDep
from openlrs.services.learners.verify import VerifyLearner, verify_learner
from openlrs.services.plr.post_achievement import PostAchievement, post_achievement
from openlrs.services.plr.qualification_register import awardable

router = APIRouter(prefix="/achievements")
BASE = "/portal/achievements/new"
DRAFT = "achievement"
STEPS = ("learner", "subject", "result")
RADIO_LIMIT = 12


def _name(entry: Qualification | Unit) -> tuple[str, str]:
    number = entry.number if isinstance(entry, Qualification) else entry.reference
    return number, entry.title


def _next(answers: dict[str, Any]) -> str:
    for step in STEPS:
        if step not in answers:
            return f"{BASE}/{step}"
    return f"{BASE}/check"


def _page(
    request: Request,
    template: str,
    title: str,
    errors: list[FieldError] | None = None,
    anchors: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    answers = read_draft(request, DRAFT)
    return render_form(
        request,
        template,
        errors,
        title=title,
        anchors=anchors,
        answers=answers,
        back=context.pop("back", "/portal/achievements"),
        **context,
    )


def _saved(request: Request, answers: dict[str, Any]) -> Response:
    return write_draft(redirect(_next(answers)), request, DRAFT, BASE, answers)


@router.get("/new")
async def start(request: Request, principal: UserDep) -> Response:
    """A fresh journey: forget any earlier answers."""
    principal.require(AWARDING_ROLES)
    return clear_draft(redirect(f"{BASE}/learner"), DRAFT, BASE)


@router.get("/new/learner")
async def learner_page(request: Request, principal: UserDep) -> Response:
    principal.require(AWARDING_ROLES)
    values = read_draft(request, DRAFT).get("learner", {})
    return _page(request, "plr/achievement_learner.html", "Who is the learner?", values=values)


@router.post("/new/learner")
async def learner(request: Request, principal: UserDep) -> Response:
    principal.require(AWARDING_ROLES)
    form = await request.form()
    values = {n: text(form, n) for n in ("uln", "given_name", "family_name")}
    errors = []
    labels = {
        "uln": "the ULN",
        "given_name": "their given name",
        "family_name": "their family name",
    }
    for name, label in labels.items():
        if not values[name]:
            errors.append(FieldError(name, "FIELD_REQUIRED", f"Enter {label}"))
    if not errors:
        claimed = ClaimedDetails(values["given_name"], values["family_name"])
        uow = request.app.state.uow_factory()
        try:
            result = await run_in_threadpool(
                verify_learner, VerifyLearner(values["uln"], claimed), principal=principal, uow=uow
            )
        except InvalidIdentifier:
            message = "Enter a ULN of 10 digits, like 9990000018"
            errors.append(FieldError("uln", "ULN_INVALID", message))
        else:
            if result.outcome not in ("exact", "similar"):
                message = "No learner with this ULN has these names: check the ULN and the names"
                errors.append(FieldError("uln", "LEARNER_DETAILS_MISMATCH", message))
            else:
                values["uln"] = result.uln
    if errors:
        return _page(
            request, "plr/achievement_learner.html", "Who is the learner?", errors, values=values
        )
    answers = read_draft(request, DRAFT) | {"learner": values}
    return _saved(request, answers)


async def _choices(request: Request, principal: Principal) -> list[tuple[str, str]]:
    uow = request.app.state.uow_factory()
    entries = await run_in_threadpool(awardable, principal=principal, uow=uow)
    return [_name(e) for e in entries]


@router.get("/new/subject")
async def subject_page(request: Request, principal: UserDep) -> Response:
    principal.require(AWARDING_ROLES)
    choices = await _choices(request, principal)
    chosen = read_draft(request, DRAFT).get("subject", {}).get("number", "")
    return _page(
        request,
        "plr/achievement_subject.html",
        "Which qualification or unit did the learner achieve?",
        choices=choices,
        radios=len(choices) <= RADIO_LIMIT,
        chosen=chosen,
        back=f"{BASE}/learner",
    )


@router.post("/new/subject")
async def subject(request: Request, principal: UserDep) -> Response:
    principal.require(AWARDING_ROLES)
    chosen = text(await request.form(), "subject").upper()
    choices = dict(await _choices(request, principal))
    if chosen not in choices:
        message = (
            "Select the qualification or unit"
            if not chosen
            else "Enter a qualification number or unit reference your organisation may award"
        )
        return _page(
            request,
            "plr/achievement_subject.html",
            "Which qualification or unit did the learner achieve?",
            [FieldError("subject", "SUBJECT_INVALID", message)],
            choices=list(choices.items()),
            radios=len(choices) <= RADIO_LIMIT,
            chosen=chosen,
            back=f"{BASE}/learner",
        )
    answers = read_draft(request, DRAFT) | {"subject": {"number": chosen, "title": choices[chosen]}}
    return _saved(request, answers)


def award_date(form: Any, errors: list[FieldError]) -> dt.date | None:
    parts = [text(form, f"award_date-{p}") for p in ("day", "month", "year")]
    if not any(parts):
        errors.append(FieldError("award_date", "FIELD_REQUIRED", "Enter the award date"))
        return None
    try:
        d, m, y = (int(p) for p in parts)
        if y < 1000:
            raise ValueError
        return dt.date(y, m, d)
    except ValueError:
        message = "The award date must be a real date, like 4 7 2025"
        errors.append(FieldError("award_date", "DATE_INVALID", message))
        return None


RESULT_ANCHORS = {"award_date": "award_date-day"}


@router.get("/new/result")
async def result_page(request: Request, principal: UserDep) -> Response:
    principal.require(AWARDING_ROLES)
    values = read_draft(request, DRAFT).get("result", {})
    return _page(
        request,
        "plr/achievement_result.html",
        "What was the result?",
        values=values,
        back=f"{BASE}/subject",
    )


@router.post("/new/result")
async def result(request: Request, principal: UserDep) -> Response:
    principal.require(AWARDING_ROLES)
    form = await request.form()
    values = {"grade": text(form, "grade")} | {
        f"award_date-{p}": text(form, f"award_date-{p}") for p in ("day", "month", "year")
    }
    errors: list[FieldError] = []
    when = award_date(form, errors)
    if when is not None and when > dt.date.today():
        errors.append(
            FieldError(
                "award_date", "DATE_IN_FUTURE", "The award date must be today or in the past"
            )
        )
    if errors:
        return _page(
            request,
            "plr/achievement_result.html",
            "What was the result?",
            errors,
            RESULT_ANCHORS,
            values=values,
            back=f"{BASE}/subject",
        )
    assert when is not None
    values["award_date"] = when.isoformat()
    return _saved(request, read_draft(request, DRAFT) | {"result": values})


def _rows(answers: dict[str, Any], changeable: bool = True) -> list[dict[str, Any]]:
    learner, subject, outcome = answers["learner"], answers["subject"], answers["result"]
    rows = [
        ("Learner", f"{learner['given_name']} {learner['family_name']}", "learner", "the learner"),
        ("ULN", learner["uln"], "learner", "the ULN"),
        (
            "Qualification or unit",
            f"{subject['title']} ({subject['number']})",
            "subject",
            "the qualification",
        ),
        ("Grade", outcome["grade"] or "No grade", "result", "the grade"),
        (
            "Award date",
            day(dt.date.fromisoformat(outcome["award_date"])),
            "result",
            "the award date",
        ),
    ]
    return [
        {
            "key": {"text": key},
            "value": {"text": value},
            "actions": {
                "items": [
                    {"href": f"{BASE}/{step}", "text": "Change", "visuallyHiddenText": hidden}
                ]
            }
            if changeable
            else None,
        }
        for key, value, step, hidden in rows
    ]


@router.get("/new/check")
async def check_page(request: Request, principal: UserDep) -> Response:
    principal.require(AWARDING_ROLES)
    answers = read_draft(request, DRAFT)
    if _next(answers) != f"{BASE}/check":
        return redirect(_next(answers))
    return _page(
        request,
        "plr/achievement_check.html",
        "Check your answers before recording the achievement",
        rows=_rows(answers),
        back=f"{BASE}/result",
    )


REFUSALS: dict[type[Exception], tuple[str, str]] = {
    LearnerDetailsMismatch: ("learner", "The names no longer match this ULN: change the learner"),
    QualificationNotOwned: (
        "subject",
        "Your organisation may not award this qualification or unit",
    ),
    LearningEventExists: (
        "result",
        "This achievement is already recorded with a different result: correct that one instead",
    ),
}


@router.post("/new/check")
async def record(request: Request, principal: UserDep) -> Response:
    principal.require(AWARDING_ROLES)
    answers = read_draft(request, DRAFT)
    if _next(answers) != f"{BASE}/check":
        return redirect(_next(answers))
    learner, outcome = answers["learner"], answers["result"]
    details = AchievementDetails(
        answers["subject"]["number"],
        dt.date.fromisoformat(outcome["award_date"]),
        outcome["grade"] or None,
    )
    claimed = ClaimedDetails(learner["given_name"], learner["family_name"])
    uow = request.app.state.uow_factory()
    command = PostAchievement(learner["uln"], claimed, details, source="portal")
    try:
        await run_in_threadpool(
            post_achievement, command, principal=principal, uow=uow, policy=request.app.state.policy
        )
    except (LearnerDetailsMismatch, QualificationNotOwned, LearningEventExists) as exc:
        step, message = REFUSALS[type(exc)]
        errors = [{"text": message, "href": f"{BASE}/{step}"}]
        return render(
            request,
            "plr/achievement_check.html",
            422,
            title="Check your answers before recording the achievement",
            errors=errors,
            rows=_rows(answers),
            back=f"{BASE}/result",
        )
    except ValidationFailed as exc:
        errors = [{"text": e.message, "href": f"{BASE}/result"} for e in exc.errors]
        return render(
            request,
            "plr/achievement_check.html",
            422,
            title="Check your answers before recording the achievement",
            errors=errors,
            rows=_rows(answers),
            back=f"{BASE}/result",
        )
    done = write_draft(redirect(f"{BASE}/recorded"), request, DRAFT, BASE, {"done": answers})
    # the names were checked against the ULN: the learning record opens without asking again
    return remember_names(
        request, done, learner["uln"], learner["given_name"], learner["family_name"]
    )


@router.get("/new/recorded")
async def recorded(request: Request, principal: UserDep) -> Response:
    principal.require(AWARDING_ROLES)
    answers = read_draft(request, DRAFT).get("done")
    if not answers:
        return redirect("/portal/achievements")
    return render(
        request,
        "plr/achievement_recorded.html",
        title="Achievement recorded",
        rows=_rows(answers, changeable=False),
        uln=answers["learner"]["uln"],
    )
