"""Passwords: change your own, the forced change after an administrator chose one, and the
forgotten-password pages (a reset link from an administrator, used once)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.errors import AuthenticationFailed, ValidationFailed
from openlrs.portal.forms import text
from openlrs.portal.rendering import redirect, render, render_form
from openlrs.portal.security import SESSION_COOKIE, MaybeUserDep, UserDep, set_cookie
from openlrs.services.accounts import passwords

router = APIRouter()
ResetToken = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{20,100}$")]


@router.get("/account/password")
async def change_page(request: Request, principal: UserDep) -> Response:
    return render_form(
        request,
        "accounts/change_password.html",
        title="Change your password",
        back="/portal/account",
    )


@router.post("/account/password")
async def change(request: Request, principal: UserDep) -> Response:
    form = await request.form()
    try:
        await run_in_threadpool(
            passwords.change_password,
            principal,
            text(form, "current"),
            text(form, "password"),
            text(form, "confirm"),
            uow=request.app.state.uow_factory(),
        )
    except ValidationFailed as exc:
        return render_form(
            request,
            "accounts/change_password.html",
            exc.errors,
            title="Change your password",
            back="/portal/account",
        )
    return redirect("/portal/account", "password_changed")


@router.get("/sign-in/new-password")
async def forced_page(request: Request) -> Response:
    return render_form(request, "accounts/new_password.html", title="Choose a new password")


@router.post("/sign-in/new-password")
async def forced(request: Request) -> Response:
    form = await request.form()
    state = request.app.state
    try:
        token = await run_in_threadpool(
            passwords.finish_forced_change,
            request.cookies.get(SESSION_COOKIE),
            text(form, "password"),
            text(form, "confirm"),
            rules=state.rules,
            uow=state.uow_factory(),
        )
    except ValidationFailed as exc:
        return render_form(
            request, "accounts/new_password.html", exc.errors, title="Choose a new password"
        )
    except AuthenticationFailed:
        return redirect("/portal/sign-in")
    response = redirect("/portal/", "password_changed")
    set_cookie(response, request, SESSION_COOKIE, token)
    return response


@router.get("/sign-in/forgotten-password")
async def forgotten(request: Request, principal: MaybeUserDep) -> Response:
    return render(
        request,
        "accounts/forgotten_password.html",
        title="If you have forgotten your password",
        back="/portal/sign-in",
    )


@router.get("/password-reset/{token}")
async def reset_page(request: Request, token: ResetToken) -> Response:
    usable = await run_in_threadpool(
        passwords.reset_is_usable, token, uow=request.app.state.uow_factory()
    )
    if not usable:
        return render(request, "accounts/reset_expired.html", 410, title="This link has expired")
    return render_form(
        request, "accounts/reset_password.html", title="Choose a new password", token=token
    )


@router.post("/password-reset/{token}")
async def reset(request: Request, token: ResetToken) -> Response:
    form = await request.form()
    try:
        await run_in_threadpool(
            passwords.reset_password,
            token,
            text(form, "password"),
            text(form, "confirm"),
            uow=request.app.state.uow_factory(),
        )
    except ValidationFailed as exc:
        return render_form(
            request,
            "accounts/reset_password.html",
            exc.errors,
            title="Choose a new password",
            token=token,
        )
    except AuthenticationFailed:
        return render(request, "accounts/reset_expired.html", 410, title="This link has expired")
    response = redirect("/portal/sign-in", "password_reset")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
