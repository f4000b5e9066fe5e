"""Public pages: /check-a-record (what a share code shows, with the learner's date of birth)
and /privacy (the privacy notice)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.errors import FieldError, SignInLocked, ValidationFailed
from openlrs.domain.learner_accounts.accounts import ShareCodeNotFound
from openlrs.portal.forms import date_from, date_values, text
from openlrs.portal.rendering import render, render_form
from openlrs.portal.security import client_address
from openlrs.services.learner_accounts.share_codes import check_a_record

router = APIRouter()
NOTHING = "No record matches that code and date of birth. The code may be wrong, or it may have expired or been withdrawn."


@router.get("/privacy")
async def privacy(request: Request) -> Response:
    return render(request, "learner_accounts/privacy.html", title="Privacy notice",
                  learner_nav=True)  # fmt: skip


@router.get("/check-a-record")
async def check_page(request: Request) -> Response:
    return render(request, "learner_accounts/check.html", title="Check someone’s learning record",
                  values={})  # fmt: skip


@router.post("/check-a-record")
async def check(request: Request) -> Response:
    form = await request.form()
    values = {"code": text(form, "code")} | date_values(form, "date_of_birth")
    errors: list[FieldError] = []
    born = None
    try:
        born = date_from(form, "date_of_birth")
    except ValidationFailed as exc:
        errors += exc.errors
    if not values["code"]:
        errors.append(FieldError("code", "FIELD_REQUIRED", "Enter the share code"))
    if born is None and not errors:
        errors.append(
            FieldError("date_of_birth", "FIELD_REQUIRED", "Enter the learner’s date of birth")
        )
    if not errors:
        state = request.app.state
        try:
            view = await run_in_threadpool(
                check_a_record,
                values["code"],
                born,
                source=client_address(request),
                rules=state.rules,
                uow=state.uow_factory(),
            )
        except ShareCodeNotFound:
            errors.append(FieldError("code", "SHARE_CODE_NOT_FOUND", NOTHING))
        except SignInLocked:
            message = "Too many codes that did not match were tried. Try again later."
            errors.append(FieldError("code", "SIGN_IN_LOCKED", message))
        else:
            d = view.learner.details
            return render(request, "learner_accounts/shared_view.html",
                          title="Learning record shared with you",
                          name=f"{d.given_name} {d.family_name}", view=view,
                          until=f"{view.expires_at:%-d %B %Y}")  # fmt: skip
    anchors = {"date_of_birth": "date_of_birth-day"}
    return render_form(request, "learner_accounts/check.html", errors, anchors=anchors,
                       title="Check someone’s learning record", values=values)  # fmt: skip
