"""Learners' own pages under /learner/, the way in: activate, sign in (with a TOTP code), sign
out and two-factor set-up; and what every learner page shares (the page, its banner, redirects).
The record, details, sharing and share codes are in record_pages.py. The ULN is always the
session's: no page takes one from the browser, so a learner can only ever reach their own
record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from openlrs.domain.accounts.portal_session import SessionStage
from openlrs.domain.errors import (
    AuthenticationFailed,
    FieldError,
    SecondFactorInvalid,
    SignInLocked,
    ValidationFailed,
)
from openlrs.domain.learner_accounts.accounts import (
    ActivationFailed,
)
from openlrs.domain.plr.achievements import LearningEvent
from openlrs.domain.plr.event_challenges import ChallengeStatus
from openlrs.portal.forms import date_from, date_values, text
from openlrs.portal.learner_accounts.security import LEARNER_COOKIE, LearnerDep
from openlrs.portal.rendering import FLASH_COOKIE, FLASH_MESSAGES, error_list, field_errors, render
from openlrs.portal.security import client_address, set_cookie
from openlrs.services.accounts import portal_sign_in
from openlrs.services.learner_accounts import sessions
from openlrs.services.learner_accounts.activation import Activate, activate

router = APIRouter(prefix="/learner")

FLASHES = {
    "learner_activated": "Your account is ready. We strongly recommend you turn on two-factor authentication.",
    "learner_totp": "Two-factor authentication is now on: you will need a code from your app each time you sign in.",
    "learner_mistake": "Thank you. We have sent your report to the right organisation: you can follow it below.",
    "learner_sharing_on": "Organisations can now see your learning record.",
    "learner_sharing_off": "Organisations can no longer see your learning record.",
    "learner_revoked": "The share code no longer works.",
    "learner_signed_out": "You have signed out.",
}
FLASH_MESSAGES.update(FLASHES)  # the portal's banner shows these keys too
STATUS_TEXT = {
    ChallengeStatus.OPEN: ("Being looked at", "govuk-tag--yellow"),
    ChallengeStatus.ACCEPTED: ("Corrected", "govuk-tag--green"),
    ChallengeStatus.REJECTED: ("Not changed", "govuk-tag--grey"),
}


def page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """A learner page: the learner navigation, and the banner (then cleared) of the last action."""
    response = render(request, template, status, learner_nav=True, **context)
    if request.cookies.get(FLASH_COOKIE):
        response.delete_cookie(FLASH_COOKIE, path="/learner")
    return response


def go(url: str, flash: str | None = None) -> Response:
    """POST-redirect-GET within the learner pages, optionally with a banner."""
    response = RedirectResponse(url, status_code=303)
    if flash:
        response.set_cookie(FLASH_COOKIE, f"{flash}|", path="/learner", httponly=True,
                            samesite="lax")  # fmt: skip
    return response


def _errors(errors: list[FieldError], anchors: dict[str, str] | None = None) -> dict[str, Any]:
    return {"errors": error_list(errors, anchors), "field_errors": field_errors(errors)}


def _date(value: dt.date | dt.datetime | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def _when(event: LearningEvent) -> str:
    return _date(event.award_date or event.start_date)


# --- starting, activating, signing in ---------------------------------------------------------


@router.get("/")
async def start(request: Request) -> Response:
    if request.cookies.get(LEARNER_COOKIE):
        return go("/learner/record")
    return page(request, "learner_accounts/start.html", title="See your learning record")


@router.get("/activate")
async def activate_page(request: Request) -> Response:
    return page(request, "learner_accounts/activate.html", title="Activate your account", values={})


@router.post("/activate")
async def activate_post(request: Request) -> Response:
    form = await request.form()
    values = {"uln": text(form, "uln"), "code": text(form, "code")} | date_values(
        form, "date_of_birth"
    )
    errors: list[FieldError] = []
    born = None
    try:
        born = date_from(form, "date_of_birth")
    except ValidationFailed as exc:
        errors += exc.errors
    if not values["uln"]:
        errors.append(FieldError("uln", "FIELD_REQUIRED", "Enter your ULN"))
    if born is None and not errors:
        errors.append(FieldError("date_of_birth", "FIELD_REQUIRED", "Enter your date of birth"))
    if not values["code"]:
        errors.append(FieldError("code", "FIELD_REQUIRED", "Enter your activation code"))
    password = form.get("password")
    password = password if isinstance(password, str) else ""
    if password != form.get("confirm_password"):
        errors.append(
            FieldError("confirm_password", "PASSWORDS_DIFFER", "The passwords must match")
        )
    state = request.app.state
    if not errors:
        command = Activate(values["uln"], born, values["code"], password)
        try:
            signed = await run_in_threadpool(
                activate,
                command,
                source=client_address(request),
                rules=state.rules,
                uow=state.uow_factory(),
            )
        except ValidationFailed as exc:
            errors += exc.errors
        except (ActivationFailed, SignInLocked) as exc:
            errors.append(FieldError("uln", exc.code, exc.title))
    if errors:
        anchors = {"date_of_birth": "date_of_birth-day"}
        return page(request, "learner_accounts/activate.html", 422,
                    title="Activate your account", values=values, **_errors(errors, anchors))  # fmt: skip
    response = go("/learner/two-factor", "learner_activated")
    set_cookie(response, request, LEARNER_COOKIE, signed.token)
    return response


@router.get("/sign-in")
async def sign_in_page(request: Request) -> Response:
    return page(request, "learner_accounts/sign_in.html", title="Sign in", uln="")


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await request.form()
    uln, password = text(form, "uln"), form.get("password")
    state = request.app.state
    try:
        signed = await run_in_threadpool(
            sessions.learner_sign_in,
            uln,
            password if isinstance(password, str) else "",
            source=client_address(request),
            rules=state.rules,
            uow=state.uow_factory(),
        )
    except (AuthenticationFailed, SignInLocked) as exc:
        message = exc.title if isinstance(exc, SignInLocked) else "Enter a correct ULN and password"
        return page(request, "learner_accounts/sign_in.html", 401, title="Sign in", uln=uln,
                    **_errors([FieldError("uln", "SIGN_IN", message)]))  # fmt: skip
    target = "/learner/record" if signed.stage is SessionStage.FULL else "/learner/security-code"
    response = go(target)
    set_cookie(response, request, LEARNER_COOKIE, signed.token)
    return response


@router.get("/security-code")
async def security_code_page(request: Request) -> Response:
    return page(request, "learner_accounts/security_code.html", title="Enter your security code")


@router.post("/security-code")
async def security_code(request: Request) -> Response:
    code = text(await request.form(), "code")
    state = request.app.state
    try:
        token = await run_in_threadpool(
            portal_sign_in.second_factor,
            request.cookies.get(LEARNER_COOKIE),
            code,
            source=client_address(request),
            rules=state.rules,
            uow=state.uow_factory(),
        )
    except (SecondFactorInvalid, SignInLocked, AuthenticationFailed) as exc:
        if isinstance(exc, AuthenticationFailed):
            return go("/learner/sign-in")
        message = (
            exc.title if isinstance(exc, SignInLocked) else "Enter the 6-digit code from your app"
        )
        return page(request, "learner_accounts/security_code.html", 401,
                    title="Enter your security code",
                    **_errors([FieldError("code", "SECOND_FACTOR", message)]))  # fmt: skip
    response = go("/learner/record")
    set_cookie(response, request, LEARNER_COOKIE, token)
    return response


@router.get("/sign-out")
async def sign_out(request: Request) -> Response:
    state = request.app.state
    await run_in_threadpool(
        sessions.learner_sign_out, request.cookies.get(LEARNER_COOKIE), uow=state.uow_factory()
    )
    response = go("/learner/sign-in", "learner_signed_out")
    response.delete_cookie(LEARNER_COOKIE, path="/")
    return response


@router.get("/two-factor")
async def two_factor_page(request: Request, learner: LearnerDep) -> Response:
    uow = request.app.state.uow_factory
    if await run_in_threadpool(sessions.second_factor_on, learner, uow=uow()):
        return page(request, "learner_accounts/two_factor.html", title="Two-factor authentication",
                    enabled=True)  # fmt: skip
    secret = await run_in_threadpool(sessions.begin_totp, learner, uow=uow())
    return page(request, "learner_accounts/two_factor.html", title="Two-factor authentication",
                enabled=False, secret=secret)  # fmt: skip


@router.post("/two-factor")
async def two_factor(request: Request, learner: LearnerDep) -> Response:
    code = text(await request.form(), "code")
    uow = request.app.state.uow_factory
    try:
        await run_in_threadpool(sessions.confirm_totp, learner, code, uow=uow())
    except SecondFactorInvalid:
        secret = await run_in_threadpool(sessions.begin_totp, learner, uow=uow())
        error = FieldError("code", "SECOND_FACTOR", "Enter the 6-digit code your app shows now")
        return page(request, "learner_accounts/two_factor.html", 422,
                    title="Two-factor authentication", enabled=False, secret=secret,
                    **_errors([error]))  # fmt: skip
    return go("/learner/record", "learner_totp")
