"""Register a learner, only after a search: details, check your answers, then confirm."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from openlrs.domain.errors import FieldError, RegistrationRefused, ValidationFailed
from openlrs.domain.learners.learner import Learner
from openlrs.domain.matching.engine import ScoredMatch
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.portal.forms import ANCHORS, details_from, form_values, text
from openlrs.portal.learners.routes import search_results
from openlrs.portal.learners.search_proof import searched
from openlrs.portal.learners.views import detail_rows
from openlrs.portal.rendering import error_list, field_errors, redirect, render
from openlrs.portal.security import UserDep
from openlrs.services.learners.register import RegisterLearner, register_learner

router = APIRouter(prefix="/learners/register")

SEARCH_AGAIN = FieldError(
    "given_name",
    "SEARCH_REQUIRED",
    "You changed the name, date of birth, gender or postcode: search again with the new details "
    "before registering",
)


def _form_page(
    request: Request, form: FormData, status: int = 200, errors: list[FieldError] | None = None
) -> Response:
    errors = errors or []
    return render(
        request,
        "learners/register.html",
        status,
        title="Register a new learner",
        values=form_values(form),
        search_proof=text(form, "search_proof"),
        errors=error_list(errors, ANCHORS) if errors else None,
        field_errors=field_errors(errors),
        back="/portal/learners/search",
    )


@router.get("")
async def start(principal: UserDep) -> Response:
    """Registering starts with a search (a bookmark or a reload lands here)."""
    return redirect("/portal/learners/search")


@router.post("")
async def details_page(request: Request, principal: UserDep) -> Response:
    """The full form, pre-filled from the search (or from "change your answers")."""
    form = await request.form()
    if not searched(request, form_values(form), text(form, "search_proof")):
        return redirect("/portal/learners/search")
    return _form_page(request, form)


@router.post("/check")
async def check_answers(request: Request, principal: UserDep) -> Response:
    form = await request.form()
    values = form_values(form)
    if not searched(request, values, text(form, "search_proof")):
        try:
            details_from(form)
        except ValidationFailed as exc:
            return _form_page(request, form, 422, exc.errors)
        # A name, date of birth, gender or postcode changed: search again with the new ones.
        return await search_results(request, principal, form, searched_again=True)
    try:
        details = request.app.state.policy.validated(details_from(form))
    except ValidationFailed as exc:
        return _form_page(request, form, 422, exc.errors)
    return render(
        request,
        "learners/check_answers.html",
        title="Check your answers",
        rows=detail_rows(details),
        back="/portal/learners/search",
        values=values,
        search_proof=text(form, "search_proof"),
    )


@router.post("/confirm")
async def confirm(request: Request, principal: UserDep) -> Response:
    form = await request.form()
    if not searched(request, form_values(form), text(form, "search_proof")):
        return _form_page(request, form, 422, [SEARCH_AGAIN])
    state = request.app.state
    try:
        learner = await run_in_threadpool(
            register_learner,
            RegisterLearner(details_from(form)),
            principal=principal,
            uow=state.uow_factory(),
            policy=state.policy,
        )
    except ValidationFailed as exc:
        return _form_page(request, form, 422, exc.errors)
    except RegistrationRefused as exc:
        candidates = tuple(c for c in exc.candidates if isinstance(c, Learner))
        return render(
            request,
            "learners/refused.html",
            409,
            title="This learner may already have a ULN",
            reason=exc.detail,
            held_id=exc.held_id,
            result=ScoredMatch(MatchOutcome(exc.outcome), candidates),
        )
    return redirect(f"/portal/learners/{learner.uln}", "registered", learner.uln)
