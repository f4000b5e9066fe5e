""" "This is the learner" from a search's possible matches: check page, then the organisation has
the learner on roll (services/learners/this_is_the_learner.py) and goes to the learner's page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.errors import InvalidIdentifier, NotACandidate, ValidationFailed
from openlrs.domain.identifiers import parse_uln
from openlrs.portal.forms import details_from, form_values, text
from openlrs.portal.learners.routes import search_results
from openlrs.portal.learners.search_proof import searched
from openlrs.portal.rendering import redirect, render
from openlrs.portal.security import UserDep
from openlrs.services.learners.this_is_the_learner import confirm_this_is_the_learner

router = APIRouter(prefix="/learners/this-is-the-learner")


@router.get("")
async def start(principal: UserDep) -> Response:
    """The choice is made on a search's results (a bookmark or a reload lands on the search)."""
    return redirect("/portal/learners/search")


@router.post("")
async def check(request: Request, principal: UserDep) -> Response:
    """Check your answers: the details searched for and the possible match chosen."""
    form = await request.form()
    values = form_values(form)
    proof = text(form, "search_proof")
    if not searched(request, values, proof):
        return redirect("/portal/learners/search")
    try:
        uln = parse_uln(text(form, "uln"))
        details_from(form, optional=False)
    except (InvalidIdentifier, ValidationFailed):
        return redirect("/portal/learners/search")
    return render(
        request,
        "learners/this_is_the_learner.html",
        title="Check your answers before you say this is the learner",
        values=values,
        search_proof=proof,
        uln=uln,
        entered=(
            f"{values.get('given_name', '')} {values.get('family_name', '')}, born "
            f"{values.get('date_of_birth-day', '')}/{values.get('date_of_birth-month', '')}/"
            f"{values.get('date_of_birth-year', '')}, {values.get('postcode', '')}"
        ),
        back="/portal/learners/search",
    )


@router.post("/confirm")
async def confirm(request: Request, principal: UserDep) -> Response:
    form = await request.form()
    values = form_values(form)
    if not searched(request, values, text(form, "search_proof")):
        return redirect("/portal/learners/search")
    state = request.app.state
    try:
        uln = parse_uln(text(form, "uln"))
        learner = await run_in_threadpool(
            confirm_this_is_the_learner,
            details_from(form),
            uln,
            principal=principal,
            uow=state.uow_factory(),
            policy=state.policy,
        )
    except (InvalidIdentifier, ValidationFailed):
        return redirect("/portal/learners/search")
    except NotACandidate:
        # The register no longer offers that learner for these details: show what it offers now.
        return await search_results(request, principal, form, searched_again=True)
    return redirect(f"/portal/learners/{learner.uln}", "this_is_the_learner", learner.uln)
