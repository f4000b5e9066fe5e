"""Sign in (password, then a TOTP code when enrolled), sign out, the home page and two-factor set-up."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.accounts.portal_session import SessionStage
from openlrs.domain.errors import (
    AuthenticationFailed,
    FieldError,
    OrganisationNotActive,
    SecondFactorInvalid,
    SignInLocked,
)
from openlrs.portal.accounts.users import ROLE_NAMES, organisation_name
from openlrs.portal.forms import text
from openlrs.portal.rendering import error_list, field_errors, redirect, render
from openlrs.portal.security import (
    SESSION_COOKIE,
    UserDep,
    client_address,
    safe_next,
    set_cookie,
)
from openlrs.portal.waiting import what_is_waiting
from openlrs.services.accounts import portal_sign_in as auth

router = APIRouter()


@router.get("/")
async def home(request: Request, principal: UserDep) -> Response:
    uow = request.app.state.uow_factory
    waiting = await run_in_threadpool(what_is_waiting, principal, uow)
    return render(request, "home.html", title="Learning records", waiting=waiting)


@router.get("/sign-in")
async def sign_in_page(request: Request, next: str = "/portal/") -> Response:
    return render(
        request, "accounts/sign_in.html", title="Sign in", username="", next=safe_next(next)
    )


def _refused(request: Request, field: str, message: str, **context: str) -> Response:
    errors = [FieldError(field, "SIGN_IN", message)]
    return render(
        request,
        context.pop("template", "accounts/sign_in.html"),
        401,
        title="Sign in",
        errors=error_list(errors),
        field_errors=field_errors(errors),
        **context,
    )


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await request.form()
    username, password = text(form, "username"), text(form, "password")
    wanted = safe_next(text(form, "next"))
    if not username or not password:
        errors = []
        if not username:
            errors.append(FieldError("username", "SIGN_IN", "Enter your username"))
        if not password:
            errors.append(FieldError("password", "SIGN_IN", "Enter your password"))
        return render(
            request,
            "accounts/sign_in.html",
            401,
            title="Sign in",
            errors=error_list(errors),
            field_errors=field_errors(errors),
            username=username,
            next=wanted,
        )
    state = request.app.state
    try:
        signed = await run_in_threadpool(
            auth.sign_in,
            username,
            password,
            source=client_address(request),
            rules=state.rules,
            uow=state.uow_factory(),
        )
    except SignInLocked as exc:
        return _refused(request, "username", exc.title, username=username, next=wanted)
    except OrganisationNotActive:
        return _refused(request, "username", "Your organisation's access is suspended", next=wanted)
    except AuthenticationFailed:
        return _refused(
            request,
            "username",
            "Enter a correct username and password",
            username=username,
            next=wanted,
        )
    if signed.stage is SessionStage.FULL:
        target = wanted
    elif signed.stage is SessionStage.CHANGE:
        target = "/portal/sign-in/new-password"
    else:
        target = "/portal/sign-in/security-code"
        if wanted != "/portal/":
            target += "?" + urlencode({"next": wanted})
    response = redirect(target)
    set_cookie(response, request, SESSION_COOKIE, signed.token)  # a new id: no fixation
    return response


@router.get("/sign-in/security-code")
async def security_code_page(request: Request, next: str = "/portal/") -> Response:
    return render(
        request,
        "accounts/security_code.html",
        title="Enter your security code",
        next=safe_next(next),
    )


@router.post("/sign-in/security-code")
async def security_code(request: Request) -> Response:
    form = await request.form()
    state = request.app.state
    try:
        token = await run_in_threadpool(
            auth.second_factor,
            request.cookies.get(SESSION_COOKIE),
            text(form, "code"),
            source=client_address(request),
            rules=state.rules,
            uow=state.uow_factory(),
        )
    except (SecondFactorInvalid, SignInLocked) as exc:
        return _refused(
            request,
            "code",
            exc.title,
            template="accounts/security_code.html",
            next=safe_next(text(form, "next")),
        )
    except AuthenticationFailed:
        return redirect("/portal/sign-in")
    response = redirect(safe_next(text(form, "next")))
    set_cookie(response, request, SESSION_COOKIE, token)
    return response


@router.get("/sign-out")
async def sign_out_page(request: Request, principal: UserDep) -> Response:
    return render(request, "accounts/sign_out.html", title="Sign out")


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    state = request.app.state
    await run_in_threadpool(
        auth.sign_out, request.cookies.get(SESSION_COOKIE), uow=state.uow_factory()
    )
    response = redirect("/portal/sign-in", "signed_out")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/account")
async def account(request: Request, principal: UserDep) -> Response:
    enabled = await run_in_threadpool(
        auth.second_factor_enabled, principal, uow=request.app.state.uow_factory()
    )
    return render(
        request,
        "accounts/account.html",
        title="Your account",
        totp_enabled=enabled,
        **await _about(request, principal),
    )


async def _about(request: Request, principal: Principal) -> dict[str, Any]:
    """The user's organisation by name and their roles in words, for the account page."""
    organisation = await organisation_name(request, principal, principal.ukprn)
    names = [ROLE_NAMES[r] for r in Role if r in principal.roles]
    return {"organisation": organisation, "role_names": names}


@router.post("/account/two-factor")
async def start_two_factor(request: Request, principal: UserDep) -> Response:
    await run_in_threadpool(
        auth.begin_totp_enrolment, principal, uow=request.app.state.uow_factory()
    )
    return redirect("/portal/account/two-factor")


@router.get("/account/two-factor")
async def two_factor_page(request: Request, principal: UserDep) -> Response:
    """The key to type into an authenticator app (the same key until a code confirms it)."""
    uow = request.app.state.uow_factory
    if await run_in_threadpool(auth.second_factor_enabled, principal, uow=uow()):
        return redirect("/portal/account")
    secret = await run_in_threadpool(auth.begin_totp_enrolment, principal, uow=uow())
    return render(
        request,
        "accounts/account.html",
        title="Your account",
        totp_enabled=False,
        secret=secret,
        **await _about(request, principal),
    )


@router.post("/account/two-factor/confirm")
async def confirm_two_factor(request: Request, principal: UserDep) -> Response:
    form = await request.form()
    uow = request.app.state.uow_factory
    try:
        await run_in_threadpool(
            auth.confirm_totp_enrolment, principal, text(form, "code"), uow=uow()
        )
    except SecondFactorInvalid as exc:
        secret = await run_in_threadpool(auth.begin_totp_enrolment, principal, uow=uow())
        errors = [FieldError("code", exc.code, "Enter the 6-digit code your app shows now")]
        return render(
            request,
            "accounts/account.html",
            422,
            title="Your account",
            totp_enabled=False,
            secret=secret,
            errors=error_list(errors),
            field_errors=field_errors(errors),
            **await _about(request, principal),
        )
    return redirect("/portal/account", "totp_enabled")
