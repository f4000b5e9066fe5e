"""The service desk records a learner's choice about sharing their learning record (the same use
case as the API's, services/plr/sharing.py): one question, then back to the learner's page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.errors import FieldError
from openlrs.domain.plr.roles import SHARING_ROLES
from openlrs.portal.forms import text
from openlrs.portal.rendering import error_list, field_errors, redirect, render
from openlrs.portal.security import UserDep
from openlrs.services.plr.sharing import SharingChoice, get_sharing, set_sharing

router = APIRouter(prefix="/learners")
TITLE = "Does the learner agree to share their learning record?"


@router.get("/{uln}/sharing")
async def sharing_page(request: Request, uln: str, principal: UserDep) -> Response:
    principal.require(SHARING_ROLES)
    uow = request.app.state.uow_factory()
    current = await run_in_threadpool(get_sharing, uln, principal=principal, uow=uow)
    return render(
        request,
        "plr/sharing.html",
        title=TITLE,
        uln=current.uln,
        chosen="yes" if current.shares else "no",
        back=f"/portal/learners/{current.uln}",
    )


@router.post("/{uln}/sharing")
async def record_sharing(request: Request, uln: str, principal: UserDep) -> Response:
    principal.require(SHARING_ROLES)
    chosen = text(await request.form(), "shares")
    if chosen not in ("yes", "no"):
        errors = [FieldError("shares", "FIELD_REQUIRED", "Select whether the learner agrees")]
        return render(
            request,
            "plr/sharing.html",
            422,
            title=TITLE,
            uln=uln,
            chosen="",
            errors=error_list(errors),
            field_errors=field_errors(errors),
            back=f"/portal/learners/{uln}",
        )
    uow = request.app.state.uow_factory()
    choice = SharingChoice(uln, chosen == "yes")
    stored = await run_in_threadpool(set_sharing, choice, principal=principal, uow=uow)
    flash = "sharing_yes" if chosen == "yes" else "sharing_no"
    return redirect(f"/portal/learners/{stored.uln}", flash)
