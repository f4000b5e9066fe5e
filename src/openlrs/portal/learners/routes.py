"""Find a learner by ULN or by details, view them, and change their details."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.errors import (
    FieldError,
    InvalidIdentifier,
    LearnerNotFound,
    LearnerNotVerified,
    ValidationFailed,
    VersionConflict,
)
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learners.change_request import ChangeRequest
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.portal.forms import (
    ANCHORS,
    MANDATORY,
    OPTIONAL,
    details_from,
    form_values,
    text,
    values_of,
)
from openlrs.portal.learners.known import (
    NEXT,
    confirm_page,
    knowledge_from,
    recalled,
    remember,
)
from openlrs.portal.learners.search_proof import search_proof
from openlrs.portal.learners.views import OUTCOMES, learner_rows
from openlrs.portal.rendering import error_list, field_errors, redirect, render
from openlrs.portal.security import UserDep
from openlrs.services.learners.find import find_by_uln
from openlrs.services.learners.search import find_by_demographics
from openlrs.services.learners.update import UpdateLearner, update_learner

router = APIRouter(prefix="/learners")


def _invalid(request: Request, template: str, exc: ValidationFailed, **context: object) -> Response:
    return render(
        request,
        template,
        422,
        errors=error_list(exc.errors, ANCHORS),
        field_errors=field_errors(exc.errors),
        **context,
    )


@router.get("/find")
async def find_page(request: Request, principal: UserDep) -> Response:
    return render(
        request, "learners/find.html", title="Find a learner by ULN", uln="", back="/portal/"
    )


@router.post("/find")
async def find(request: Request, principal: UserDep) -> Response:
    uln = text(await request.form(), "uln")
    try:
        uln = parse_uln(uln)
    except InvalidIdentifier as exc:
        message = f"Enter a real ULN: {exc.title[0].lower()}{exc.title[1:]}"
        error = FieldError("uln", exc.code, message if uln else "Enter the ULN")
        return _invalid(
            request,
            "learners/find.html",
            ValidationFailed([error]),
            title="Find a learner",
            uln=uln,
        )
    return redirect(f"/portal/learners/{uln}")  # a ULN may be in a URL; other details never


@router.get("/search")
async def search_page(request: Request, principal: UserDep) -> Response:
    values = form_values(await request.form())  # empty on GET
    return render(
        request,
        "learners/search.html",
        title="Find a learner by their details",
        values=values,
        back="/portal/",
    )


@router.post("/search")
async def search(request: Request, principal: UserDep) -> Response:
    return await search_results(request, principal, await request.form())


async def search_results(
    request: Request, principal: Principal, form: FormData, searched_again: bool = False
) -> Response:
    """Search by the details in `form` and show the outcome (with the proof that lets the user
    register from it); `searched_again` after they changed details on the way to registering."""
    values = form_values(form)
    state = request.app.state
    try:
        query = details_from(form, optional=False)
        result = await run_in_threadpool(
            find_by_demographics,
            query,
            principal=principal,
            uow=state.uow_factory(),
            policy=state.policy,
        )
    except ValidationFailed as exc:
        return _invalid(
            request,
            "learners/search.html",
            exc,
            title="Find a learner by their details",
            values=values,
        )
    heading, explanation = OUTCOMES[result.outcome]
    can_register = result.outcome in (
        MatchOutcome.NO_MATCH,
        MatchOutcome.POSSIBLE,
        MatchOutcome.TOO_MANY,
    )
    return render(
        request,
        "learners/search_results.html",
        title=heading,
        heading=heading,
        explanation=explanation,
        searched_again=searched_again,
        result=result,
        values=values,
        can_register=can_register,
        search_proof=search_proof(request, {k: values.get(k, "") for k in values}),
        back="/portal/learners/search",
    )


@router.get("/{uln}")
async def view(request: Request, uln: str, principal: UserDep) -> Response:
    state = request.app.state
    knowledge = recalled(request, uln)
    try:
        result = await run_in_threadpool(
            find_by_uln, uln, principal=principal, uow=state.uow_factory(), knowledge=knowledge
        )
    except LearnerNotVerified:
        return confirm_page(request, uln, "details", wrong=knowledge is not None)
    except (InvalidIdentifier, LearnerNotFound):
        return render(
            request,
            "error.html",
            404,
            title="No learner has that ULN",
            body="Check the ULN and try again.",
        )
    learner = result.learners[0]
    return render(
        request,
        "learners/learner.html",
        title=f"Learner {learner.uln}",
        learner=learner,
        rows=learner_rows(learner, request.app.state.organisation_names),
        linked=result.outcome is MatchOutcome.LINKED,
        back="/portal/",
    )


async def _edit_form(
    request: Request, uln: str, principal: UserDep, status: int = 200, **context: object
) -> Response:
    knowledge = recalled(request, uln)
    try:
        result = await run_in_threadpool(
            find_by_uln,
            uln,
            principal=principal,
            uow=request.app.state.uow_factory(),
            knowledge=knowledge,
        )
    except LearnerNotVerified:
        return confirm_page(request, uln, "edit", wrong=knowledge is not None)
    learner = result.learners[0]
    context.setdefault("values", values_of(learner.details))
    return render(
        request,
        "learners/edit.html",
        status,
        title="Change learner details",
        uln=learner.uln,
        version=learner.version,
        back=f"/portal/learners/{learner.uln}",
        **context,
    )


@router.post("/{uln}/confirm")
async def confirm(request: Request, uln: str, principal: UserDep) -> Response:
    """Remember the learner's names for this session, then show the page that asked for them
    (which checks them: a wrong name comes back to the form)."""
    form = await request.form()
    then = text(form, "next")
    try:
        uln = parse_uln(uln)
        knowledge = knowledge_from(form)
    except InvalidIdentifier:
        return render(
            request,
            "error.html",
            404,
            title="No learner has that ULN",
            body="Check the ULN and try again.",
        )
    except ValidationFailed as exc:
        values = {"given_name": text(form, "given_name"), "family_name": text(form, "family_name")}
        values |= {
            k: text(form, k)
            for k in ("date_of_birth-day", "date_of_birth-month", "date_of_birth-year")
        }
        return confirm_page(request, uln, then, values=values, errors=exc.errors)
    response = redirect(NEXT.get(then, NEXT["details"]).format(uln=uln))
    remember(request, response, uln, knowledge)
    return response


@router.get("/{uln}/edit")
async def edit_page(request: Request, uln: str, principal: UserDep) -> Response:
    return await _edit_form(request, uln, principal)


@router.post("/{uln}/edit")
async def edit(request: Request, uln: str, principal: UserDep) -> Response:
    form = await request.form()
    state = request.app.state
    try:
        details = details_from(form)
        version = int(text(form, "version") or "0")
        changes = {name: getattr(details, name) for name in (*MANDATORY, *OPTIONAL)}
        updated = await run_in_threadpool(
            update_learner,
            UpdateLearner(uln, version, changes),
            principal=principal,
            uow=state.uow_factory(),
            policy=state.policy,
        )
    except ValidationFailed as exc:
        errors = exc.errors
        return await _edit_form(
            request,
            uln,
            principal,
            422,
            values=form_values(form),
            errors=error_list(errors, ANCHORS),
            field_errors=field_errors(errors),
        )
    except VersionConflict:
        conflict = [
            FieldError(
                "given_name",
                VersionConflict.code,
                (
                    "Someone else changed this learner while you were editing. The form now shows their "
                    "current details: make your change again."
                ),
            )
        ]
        return await _edit_form(request, uln, principal, 409, errors=error_list(conflict))
    except ValueError:
        return await _edit_form(request, uln, principal, 422)
    if isinstance(updated, ChangeRequest):
        return redirect(f"/portal/learners/{updated.uln}", "change_requested")
    return redirect(f"/portal/learners/{updated.uln}", "updated", str(updated.version))
