"""One user of an organisation: their details and roles (with Change links), deactivate (after
a confirmation) and reactivate, and a one-time password reset link for them."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Account, Principal, Role
from openlrs.domain.errors import FieldError, NotAuthorised, RoleNotAllowed
from openlrs.portal.rendering import FLASH_COOKIE, error_list, field_errors, redirect, render
from openlrs.portal.security import UserDep
from openlrs.services.accounts import manage as accounts
from openlrs.services.accounts import passwords

router = APIRouter()
Ukprn = Annotated[str, Path(pattern=r"^\d{8}$")]
Username = Annotated[str, Path(min_length=1, max_length=100)]
ROLE_NAMES = {
    Role.LRB: "Registration user",
    Role.LRB_ADMIN: "Organisation administrator",
    Role.AO: "Awarding organisation user",
    Role.AO_ADMIN: "Awarding organisation administrator",
    Role.ADMIN: "Service desk",
}


def user_url(ukprn: str, username: str) -> str:
    return f"/portal/organisations/{ukprn}/users/{quote(username, safe='@')}"


async def _user(request: Request, principal: Principal, ukprn: str, username: str) -> Account:
    account = await run_in_threadpool(
        accounts.get_user, username, principal=principal, uow=request.app.state.uow_factory()
    )
    if account.ukprn != ukprn:
        raise NotAuthorised()
    return account


async def organisation_name(request: Request, principal: Principal, ukprn: str) -> str:
    found = await run_in_threadpool(
        accounts.get_organisation, ukprn, principal=principal, uow=request.app.state.uow_factory()
    )
    return found.name


@router.get("/organisations/{ukprn}/users/{username}")
async def user_page(
    request: Request, ukprn: Ukprn, username: Username, principal: UserDep
) -> Response:
    account = await _user(request, principal, ukprn, username)
    raw = request.cookies.get(FLASH_COOKIE, "")
    key, _, token = raw.partition("|")
    reset_link = None
    if key == "reset_link" and token:
        reset_link = f"{str(request.base_url).rstrip('/')}/portal/password-reset/{token}"
    return render(
        request,
        "accounts/user.html",
        title=account.login,
        account=account,
        organisation=await organisation_name(request, principal, ukprn),
        role_names=ROLE_NAMES,
        url=user_url(ukprn, account.login),
        reset_link=reset_link,
        hours=request.app.state.settings.portal_reset_link_hours,
        yourself=principal.actor == f"user:{account.login}",
        back=f"/portal/organisations/{ukprn}/users",
    )


async def _roles_page(
    request: Request,
    principal: Principal,
    account: Account,
    chosen: list[str],
    status: int = 200,
    errors: list[FieldError] | None = None,
) -> Response:
    allowed = await run_in_threadpool(
        accounts.grantable_roles,
        account.ukprn,
        principal=principal,
        uow=request.app.state.uow_factory(),
    )
    errors = errors or []
    return render(
        request,
        "accounts/user_roles.html",
        status,
        title=f"Change the roles of {account.login}",
        account=account,
        roles=[(r.value, ROLE_NAMES[r]) for r in Role if r in allowed],
        chosen=chosen,
        url=user_url(account.ukprn, account.login),
        errors=error_list(errors) if errors else None,
        field_errors=field_errors(errors),
        back=user_url(account.ukprn, account.login),
    )


@router.get("/organisations/{ukprn}/users/{username}/roles")
async def roles_page(
    request: Request, ukprn: Ukprn, username: Username, principal: UserDep
) -> Response:
    account = await _user(request, principal, ukprn, username)
    return await _roles_page(request, principal, account, [r.value for r in account.roles])


@router.post("/organisations/{ukprn}/users/{username}/roles")
async def change_roles(
    request: Request, ukprn: Ukprn, username: Username, principal: UserDep
) -> Response:
    account = await _user(request, principal, ukprn, username)
    chosen = [r for r in (await request.form()).getlist("roles") if isinstance(r, str)]
    roles = frozenset(Role(r) for r in chosen if r in Role.__members__.values())
    if not roles:
        error = FieldError("roles", "FIELD_REQUIRED", "Select at least one role")
        return await _roles_page(request, principal, account, chosen, 422, [error])
    try:
        await run_in_threadpool(
            accounts.change_roles,
            username,
            roles,
            principal=principal,
            uow=request.app.state.uow_factory(),
        )
    except (NotAuthorised, RoleNotAllowed):
        error = FieldError("roles", "ROLE_NOT_ALLOWED", "Select only roles you can give")
        return await _roles_page(request, principal, account, chosen, 422, [error])
    return redirect(user_url(ukprn, username), "user_roles", username)


@router.get("/organisations/{ukprn}/users/{username}/deactivate")
async def deactivate_page(
    request: Request, ukprn: Ukprn, username: Username, principal: UserDep
) -> Response:
    account = await _user(request, principal, ukprn, username)
    return render(
        request,
        "accounts/user_deactivate.html",
        title=f"Deactivate {account.login}?",
        account=account,
        url=user_url(ukprn, account.login),
        back=user_url(ukprn, account.login),
    )


@router.post("/organisations/{ukprn}/users/{username}/reactivate")
async def reactivate(
    request: Request, ukprn: Ukprn, username: Username, principal: UserDep
) -> Response:
    await _user(request, principal, ukprn, username)
    await run_in_threadpool(
        accounts.reinstate_user, username, principal=principal, uow=request.app.state.uow_factory()
    )
    return redirect(user_url(ukprn, username), "user_reactivated", username)


@router.post("/organisations/{ukprn}/users/{username}/reset-link")
async def reset_link(
    request: Request, ukprn: Ukprn, username: Username, principal: UserDep
) -> Response:
    await _user(request, principal, ukprn, username)
    token = await run_in_threadpool(
        passwords.issue_reset,
        username,
        hours=request.app.state.settings.portal_reset_link_hours,
        principal=principal,
        uow=request.app.state.uow_factory(),
    )
    return redirect(user_url(ukprn, username), "reset_link", token)
