"""Web-service accounts of an organisation (its admin or the service desk): the credentials its
MIS sends to the LRS-compatible SOAP services. A new account's password is shown once, on the page
that answers the form (never stored, never in a URL); revoking takes effect on the next message."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Role
from openlrs.domain.errors import (
    AccountExists,
    DomainError,
    FieldError,
    ValidationFailed,
)
from openlrs.portal.accounts.routes import Ukprn
from openlrs.portal.accounts.users import ROLE_NAMES
from openlrs.portal.forms import text
from openlrs.portal.rendering import error_list, field_errors, redirect, render
from openlrs.portal.security import UserDep
from openlrs.services.accounts import manage as accounts
from openlrs.services.accounts import web_service

router = APIRouter()


def _path(ukprn: str) -> str:
    return f"/portal/organisations/{ukprn}/web-services"


async def _page(
    request: Request,
    ukprn: str,
    principal: UserDep,
    status: int = 200,
    errors: list[FieldError] | None = None,
    values: dict[str, object] | None = None,
    created: web_service.NewWebServiceAccount | None = None,
) -> Response:
    uow = request.app.state.uow_factory
    found = await run_in_threadpool(
        web_service.list_web_service_accounts, ukprn, principal=principal, uow=uow()
    )
    allowed = await run_in_threadpool(
        accounts.grantable_roles, ukprn, principal=principal, uow=uow()
    )
    errors = errors or []
    response = render(
        request,
        "accounts/web_services.html",
        status,
        title="Web-service accounts",
        ukprn=ukprn,
        accounts=[(web_service.user_name_of(a), a) for a in found],
        roles=[(r.value, ROLE_NAMES[r]) for r in Role if r in allowed],
        role_names=ROLE_NAMES,
        values=values or {"user_name": "", "roles": []},
        created=created,
        errors=error_list(errors) if errors else None,
        field_errors=field_errors(errors),
        width="full",
        back=f"/portal/organisations/{ukprn}/users",
    )
    response.headers["Cache-Control"] = "no-store"  # the page may carry a new password
    return response


@router.get("/organisations/{ukprn}/web-services")
async def web_services(request: Request, ukprn: Ukprn, principal: UserDep) -> Response:
    return await _page(request, ukprn, principal)


@router.post("/organisations/{ukprn}/web-services/new")
async def new_web_service_account(request: Request, ukprn: Ukprn, principal: UserDep) -> Response:
    form = await request.form()
    user_name = text(form, "user_name")
    chosen = [r for r in form.getlist("roles") if isinstance(r, str)]
    values: dict[str, object] = {"user_name": user_name, "roles": chosen}
    try:
        roles = frozenset(Role(r) for r in chosen)
    except ValueError:
        roles = frozenset()
    errors = web_service.user_name_problems(user_name)  # every problem at once, in form order
    if not roles:
        errors.append(FieldError("roles", "FIELD_REQUIRED", "Select at least one role"))
    if errors:
        return await _page(request, ukprn, principal, 422, errors, values)
    try:
        created = await run_in_threadpool(
            web_service.create_web_service_account,
            ukprn,
            user_name,
            roles,
            principal=principal,
            uow=request.app.state.uow_factory(),
        )
    except ValidationFailed as exc:
        return await _page(request, ukprn, principal, 422, exc.errors, values)
    except AccountExists:
        message = "This organisation already has a web-service account with that user name"
        errors = [FieldError("user_name", "ACCOUNT_EXISTS", message)]
        return await _page(request, ukprn, principal, 409, errors, values)
    except DomainError as exc:
        if exc.status != 422 and exc.status != 403:
            raise
        errors = [FieldError("roles", exc.code, "Select only roles you can give this organisation")]
        return await _page(request, ukprn, principal, exc.status, errors, values)
    return await _page(request, ukprn, principal, 201, created=created)


@router.post("/organisations/{ukprn}/web-services/revoke")
async def revoke_web_service_account(
    request: Request, ukprn: Ukprn, principal: UserDep
) -> Response:
    user_name = text(await request.form(), "user_name")
    await run_in_threadpool(
        web_service.revoke_web_service_account,
        ukprn,
        user_name,
        principal=principal,
        uow=request.app.state.uow_factory(),
    )
    return redirect(_path(ukprn), "web_service_revoked", user_name)
