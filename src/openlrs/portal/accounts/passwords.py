"""Passwords: change your own, the forced change after an administrator chose one, and the
forgotten-password pages (a reset link from an administrator, used once)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.errors import AuthenticationFailed, FieldError, ValidationFailed
from openlrs.portal.forms import text
from openlrs.portal.rendering import error_list, field_errors, redirect, render
from openlrs.portal.security import SESSION_COOKIE, MaybeUserDep, UserDep, set_cookie
from openlrs.services.accounts import passwords

router = APIRouter()
ResetToken = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{20,100}$")]


def _form_page(
    request: Request, template: str, title: str, errors: list[FieldError] | None, **context: object
) -> Response:
    return render(
        request,
        template,
        422 if errors else 200,
        title=title,
        errors=error_list(errors) if errors else None,
        field_errors=field_errors(errors or []),
        **context,
    )


@router.get("/account/password")
async def change_page(request: Request, principal: UserDep) -> Response:
    return _form_page(
        request,
        "accounts/change_password.html",
        "Change your password",
        None,
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
        return _form_page(
            request,
            "accounts/change_password.html",
            "Change your password",
            exc.errors,
            back="/portal/account",
        )
    return redirect("/portal/account", "password_changed")


@router.get("/sign-in/new-password")
async def forced_page(request: Request) -> Response:
    return _form_page(request, "accounts/new_password.html", "Choose a new password", None)


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
        return _form_page(
            request, "accounts/new_password.html", "Choose a new password", exc.errors
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
    return _form_page(
        request, "accounts/reset_password.html", "Choose a new password", None, token=token
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
        return _form_page(
            request,
            "accounts/reset_password.html",
            "Choose a new password",
            exc.errors,
            token=token,
        )
    except AuthenticationFailed:
        return render(request, "accounts/reset_expired.html", 410, title="This link has expired")
    response = redirect("/portal/sign-in", "password_reset")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
