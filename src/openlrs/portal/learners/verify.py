"""Verify Learner Details, one learner at a time: do these details belong to this ULN?

The details travel only in the POST body and the answer is rendered in its response; the answer
says whether the details match and which checks failed, never what the register holds.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from openlrs.domain.errors import FieldError, InvalidIdentifier, ValidationFailed
from openlrs.domain.matching.verification import ClaimedDetails
from openlrs.portal.forms import ANCHORS, GENDERS, date_from, date_values, text
from openlrs.portal.learners.verify_views import OUTCOMES, all_checks, failed_main, swapped
from openlrs.portal.rendering import render, render_form
from openlrs.portal.security import UserDep
from openlrs.services.learners.verify import VerifyLearner, verify_learner

router = APIRouter(prefix="/verify")
FIELDS = ("uln", "given_name", "family_name", "gender")
TITLE = "Verify learner details"


def _values(form: FormData) -> dict[str, str]:
    return {name: text(form, name) for name in FIELDS} | date_values(form, "date_of_birth")


def _command(form: FormData) -> VerifyLearner:
    """The form as a VLD request; missing names, a bad date or gender are reported together."""
    errors: list[FieldError] = []
    date_of_birth = None
    try:
        date_of_birth = date_from(form, "date_of_birth")
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if not text(form, "uln"):
        errors.append(FieldError("uln", "FIELD_REQUIRED", "Enter the ULN"))
    for name, label in (("given_name", "given name"), ("family_name", "family name")):
        if not text(form, name):
            errors.append(FieldError(name, "FIELD_REQUIRED", f"Enter the {label}"))
    gender = text(form, "gender")
    if gender and gender not in GENDERS:
        errors.append(FieldError("gender", "GENDER_INVALID", "Select the gender, or leave it"))
    if errors:
        raise ValidationFailed(errors)
    claimed = ClaimedDetails(
        given_name=text(form, "given_name"),
        family_name=text(form, "family_name"),
        date_of_birth=date_of_birth,
        gender=int(gender) if gender else None,
    )
    return VerifyLearner(text(form, "uln"), claimed)


def _form_page(
    request: Request, values: dict[str, str], errors: list[FieldError] | None = None
) -> Response:
    return render_form(
        request,
        "learners/verify.html",
        errors,
        title=TITLE,
        values=values,
        anchors=ANCHORS,
        back="/portal/",
    )


@router.get("")
async def verify_page(request: Request, principal: UserDep) -> Response:
    return _form_page(request, _values(await request.form()))  # empty on GET


@router.post("")
async def verify(request: Request, principal: UserDep) -> Response:
    form = await request.form()
    values = _values(form)
    state = request.app.state
    try:
        result = await run_in_threadpool(
            verify_learner,
            _command(form),
            principal=principal,
            uow=state.uow_factory(),
            policy=state.policy,
        )
    except InvalidIdentifier as exc:
        message = f"Enter a real ULN: {exc.title[0].lower()}{exc.title[1:]}"
        return _form_page(request, values, [FieldError("uln", exc.code, message)])
    except ValidationFailed as exc:
        return _form_page(request, values, exc.errors)
    heading, explanation = OUTCOMES[result.outcome]
    return render(
        request,
        "learners/verify_result.html",
        title=heading,
        heading=heading,
        explanation=explanation,
        result=result,
        uln=values["uln"],
        failed=failed_main(result.failed),
        checks=all_checks(result.outcome, result.failed),
        swapped=swapped(result.outcome, result.failed),
        back="/portal/verify",
    )
