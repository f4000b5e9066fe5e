"""Users of an organisation (its admin or the service desk) and organisations (service desk)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import OrgStatus, Role
from openlrs.domain.errors import (
    AccountExists,
    FieldError,
    NotAuthorised,
    RoleNotAllowed,
    ValidationFailed,
)
from openlrs.portal.accounts.users import ROLE_NAMES, organisation_name, user_url
from openlrs.portal.forms import text
from openlrs.portal.rendering import error_list, field_errors, redirect, render
from openlrs.portal.security import UserDep
from openlrs.services.accounts import manage as accounts
from openlrs.services.accounts import passwords
from openlrs.services.notifications import outbox

router = APIRouter()
Ukprn = Annotated[str, Path(pattern=r"^\d{8}$")]
PAGE = 20
ORG_TYPE_NAMES = {
    "school": "School",
    "college": "College",
    "training_provider": "Training provider",
    "local_authority": "Local authority",
    "prison": "Prison education provider",
    "higher_education": "Higher education",
    "awarding_organisation": "Awarding organisation",
    "service_desk": "Service desk",
}


@router.get("/users")
async def my_users(request: Request, principal: UserDep) -> Response:
    return redirect(f"/portal/organisations/{principal.ukprn}/users")


@router.get("/organisations/{ukprn}/users")
async def users(request: Request, ukprn: Ukprn, principal: UserDep) -> Response:
    found = await run_in_threadpool(
        accounts.list_accounts,
        "user",
        ukprn,
        principal=principal,
        uow=request.app.state.uow_factory(),
    )
    return render(
        request,
        "accounts/users.html",
        title="Users",
        ukprn=ukprn,
        organisation=await organisation_name(request, principal, ukprn),
        users=sorted(found, key=lambda a: (not a.active, a.login)),
        contact_address=await run_in_threadpool(
            outbox.contact_address,
            ukprn,
            principal=principal,
            uow=request.app.state.uow_factory(),
        ),
        role_names=ROLE_NAMES,
        user_url=user_url,
        width="full",
        back="/portal/",
    )


async def _new_user_page(
    request: Request,
    ukprn: str,
    principal: UserDep,
    status: int = 200,
    errors: list[FieldError] | None = None,
    values: dict[str, object] | None = None,
) -> Response:
    allowed = await run_in_threadpool(
        accounts.grantable_roles, ukprn, principal=principal, uow=request.app.state.uow_factory()
    )
    grantable = [r for r in Role if r in allowed]  # only what this organisation may hold
    errors = errors or []
    return render(
        request,
        "accounts/new_user.html",
        status,
        title="Add a user",
        ukprn=ukprn,
        organisation=await organisation_name(request, principal, ukprn),
        roles=[(r.value, ROLE_NAMES[r]) for r in grantable],
        values=values or {"username": "", "roles": []},
        errors=error_list(errors) if errors else None,
        field_errors=field_errors(errors),
        back=f"/portal/organisations/{ukprn}/users",
    )


@router.get("/organisations/{ukprn}/users/new")
async def new_user_page(request: Request, ukprn: Ukprn, principal: UserDep) -> Response:
    return await _new_user_page(request, ukprn, principal)


@router.post("/organisations/{ukprn}/users/new")
async def new_user(request: Request, ukprn: Ukprn, principal: UserDep) -> Response:
    form = await request.form()
    username, password = text(form, "username"), text(form, "password")
    chosen = [r for r in form.getlist("roles") if isinstance(r, str)]
    values: dict[str, object] = {"username": username, "roles": chosen}
    errors = []
    if not username or len(username) > 100:
        errors.append(
            FieldError("username", "FIELD_REQUIRED", "Enter a username of up to 100 characters")
        )
    elif any(c.isspace() or c in "/\\?#%" for c in username):
        errors.append(
            FieldError(
                "username",
                "USERNAME_INVALID",
                "Enter a username without spaces or the characters / \\ ? # %",
            )
        )
    if len(password) < 12:
        errors.append(
            FieldError(
                "password", "PASSWORD_TOO_SHORT", "Enter a password of at least 12 characters"
            )
        )
    try:
        roles = frozenset(Role(r) for r in chosen)
    except ValueError:
        roles = frozenset()
    if not roles:
        errors.append(FieldError("roles", "FIELD_REQUIRED", "Select at least one role"))
    if errors:
        return await _new_user_page(request, ukprn, principal, 422, errors, values)
    try:
        await run_in_threadpool(
            accounts.create_user,
            ukprn,
            username,
            password,
            roles,
            principal=principal,
            uow=request.app.state.uow_factory(),
        )
    except AccountExists as exc:
        return await _new_user_page(
            request, ukprn, principal, 409, [FieldError("username", exc.code, exc.title)], values
        )
    except NotAuthorised as exc:
        return await _new_user_page(
            request, ukprn, principal, 403, [FieldError("roles", exc.code, exc.detail)], values
        )
    except RoleNotAllowed as exc:
        message = "Select only roles this type of organisation can hold"
        return await _new_user_page(
            request, ukprn, principal, 422, [FieldError("roles", exc.code, message)], values
        )
    except ValidationFailed as exc:
        return await _new_user_page(request, ukprn, principal, 422, exc.errors, values)
    await run_in_threadpool(
        passwords.mark_for_change, username, uow=request.app.state.uow_factory()
    )
    return redirect(f"/portal/organisations/{ukprn}/users", "user_added", username)


@router.post("/organisations/{ukprn}/users/revoke")
async def revoke_user(request: Request, ukprn: Ukprn, principal: UserDep) -> Response:
    username = text(await request.form(), "username")
    await run_in_threadpool(
        accounts.revoke_account,
        "user",
        username,
        principal=principal,
        uow=request.app.state.uow_factory(),
    )
    return redirect(user_url(ukprn, username), "user_revoked", username)


@router.get("/organisations")
async def organisations(request: Request, principal: UserDep, after: str | None = None) -> Response:
    if after is not None and not (after.isdigit() and len(after) == 8):
        after = None
    found = await run_in_threadpool(
        accounts.list_organisations,
        after=after,
        limit=PAGE + 1,
        principal=principal,
        uow=request.app.state.uow_factory(),
    )
    page, more = found[:PAGE], len(found) > PAGE
    pagination = {}
    if after:
        pagination["previous"] = {"href": "/portal/organisations"}
    if more:
        pagination["next"] = {"href": f"/portal/organisations?after={page[-1].ukprn}"}
    return render(
        request,
        "accounts/organisations.html",
        title="Organisations",
        organisations=page,
        org_types=ORG_TYPE_NAMES,
        pagination=pagination,
        width="full",
        back="/portal/",
    )


@router.get("/organisations/{ukprn}/suspend")
async def suspend_page(request: Request, ukprn: Ukprn, principal: UserDep) -> Response:
    found = await run_in_threadpool(
        accounts.get_organisation, ukprn, principal=principal, uow=request.app.state.uow_factory()
    )
    return render(
        request,
        "accounts/organisation_suspend.html",
        title=f"Suspend {found.name}?",
        organisation=found,
        back="/portal/organisations",
    )


@router.post("/organisations/{ukprn}/status")
async def set_status(request: Request, ukprn: Ukprn, principal: UserDep) -> Response:
    wanted = text(await request.form(), "status")
    status = OrgStatus.SUSPENDED if wanted == "suspended" else OrgStatus.ACTIVE
    await run_in_threadpool(
        accounts.set_organisation_status,
        ukprn,
        status,
        principal=principal,
        uow=request.app.state.uow_factory(),
    )
    found = await run_in_threadpool(
        accounts.get_organisation, ukprn, principal=principal, uow=request.app.state.uow_factory()
    )
    flash = "org_suspended" if status is OrgStatus.SUSPENDED else "org_active"
    return redirect("/portal/organisations", flash, found.name)


# --- where the organisation's notifications go ----------------------------------------------


def _contact_page(
    request: Request,
    ukprn: str,
    value: str,
    status: int = 200,
    errors: list[FieldError] | None = None,
) -> Response:
    errors = errors or []
    return render(
        request,
        "accounts/contact_address.html",
        status,
        title="Contact address for notifications",
        ukprn=ukprn,
        value=value,
        errors=error_list(errors) if errors else None,
        field_errors=field_errors(errors),
        back=f"/portal/organisations/{ukprn}/users",
    )


@router.get("/organisations/{ukprn}/contact-address")
async def contact_address_page(request: Request, ukprn: Ukprn, principal: UserDep) -> Response:
    current = await run_in_threadpool(
        outbox.contact_address, ukprn, principal=principal, uow=request.app.state.uow_factory()
    )
    return _contact_page(request, ukprn, current or "")


@router.post("/organisations/{ukprn}/contact-address")
async def save_contact_address(request: Request, ukprn: Ukprn, principal: UserDep) -> Response:
    value = text(await request.form(), "contact_email")
    try:
        saved = await run_in_threadpool(
            outbox.set_contact_address,
            ukprn,
            value,
            principal=principal,
            uow=request.app.state.uow_factory(),
        )
    except ValidationFailed as exc:
        errors = [
            FieldError(
                e.field,
                e.code,
                "Enter an email address in the correct format, like name@example.com",
            )
            for e in exc.errors
        ]
        return _contact_page(request, ukprn, value, 400, errors)
    flash = "contact_address_saved" if saved else "contact_address_removed"
    return redirect(f"/portal/organisations/{ukprn}/users", flash)
