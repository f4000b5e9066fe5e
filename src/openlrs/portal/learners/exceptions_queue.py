"""The exceptions queue: registrations held as possible matches, and a person's decision on each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.desk.deadlines import Queue
from openlrs.domain.errors import (
    FieldError,
    HeldRegistrationResolved,
    NotACandidate,
    RegistrationRefused,
    ValidationFailed,
)
from openlrs.domain.learners.held_registration import Decision, HeldStatus
from openlrs.domain.matching.engine import ScoredMatch
from openlrs.domain.matching.outcomes import MatchOutcome
from openlrs.portal.deadlines import HEAD as DEADLINE_HEAD
from openlrs.portal.deadlines import deadline_cells
from openlrs.portal.forms import text
from openlrs.portal.learners.views import detail_rows
from openlrs.portal.rendering import error_list, field_errors, redirect, render
from openlrs.portal.security import UserDep
from openlrs.services.learners.exceptions_queue import (
    ResolveHeld,
    get_held,
    list_held,
    resolve_held,
)
from openlrs.services.learners.search import find_by_demographics

router = APIRouter(prefix="/exceptions")
HeldId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("")
async def queue(request: Request, principal: UserDep) -> Response:
    held = await run_in_threadpool(
        list_held,
        status=HeldStatus.OPEN,
        limit=200,
        principal=principal,
        uow=request.app.state.uow_factory(),
    )
    return render(
        request,
        "learners/exceptions.html",
        title="Exceptions queue",
        held=held,
        deadlines=[deadline_cells(request, Queue.EXCEPTIONS, h.created_at) for h in held],
        deadline_head=DEADLINE_HEAD,
        width="full",
        back="/portal/",
    )


async def _held_page(
    request: Request,
    held_id: int,
    principal: UserDep,
    status: int = 200,
    errors: list[FieldError] | None = None,
) -> Response:
    state = request.app.state
    held = await run_in_threadpool(get_held, held_id, principal=principal, uow=state.uow_factory())
    result = ScoredMatch(MatchOutcome(held.outcome))
    if held.status is HeldStatus.OPEN:
        # Score the candidates again, to explain each one (the search is audited like any other).
        found = await run_in_threadpool(
            find_by_demographics,
            held.details,
            principal=principal,
            uow=state.uow_factory(),
            policy=state.policy,
        )
        keep = [i for i, learner in enumerate(found.learners) if learner.uln in held.candidate_ulns]
        result = ScoredMatch(
            found.outcome,
            tuple(found.learners[i] for i in keep),
            tuple(found.scores[i] for i in keep if i < len(found.scores)),
        )
    errors = errors or []
    return render(
        request,
        "learners/exception.html",
        status,
        title=f"Exception {held.id}",
        held=held,
        rows=detail_rows(held.details),
        result=result,
        errors=error_list(errors) if errors else None,
        field_errors=field_errors(errors),
        back="/portal/exceptions",
    )


@router.get("/{held_id}")
async def view(request: Request, held_id: HeldId, principal: UserDep) -> Response:
    return await _held_page(request, held_id, principal)


@router.post("/{held_id}/resolve")
async def resolve(request: Request, held_id: HeldId, principal: UserDep) -> Response:
    form = await request.form()
    choice = text(form, "decision")
    state = request.app.state
    if choice == "different_person":
        command = ResolveHeld(held_id, Decision.DIFFERENT_PERSON)
    elif choice.startswith("uln:"):
        command = ResolveHeld(held_id, Decision.SAME_PERSON, choice.removeprefix("uln:"))
    else:
        error = FieldError(
            "decision", "FIELD_REQUIRED", "Select whether the learner is one of these people"
        )
        return await _held_page(request, held_id, principal, 422, [error])
    try:
        learner = await run_in_threadpool(
            resolve_held, command, principal=principal, uow=state.uow_factory(), policy=state.policy
        )
    except (NotACandidate, HeldRegistrationResolved, RegistrationRefused) as exc:
        error = FieldError("decision", exc.code, exc.detail)
        return await _held_page(request, held_id, principal, exc.status, [error])
    except ValidationFailed as exc:
        return await _held_page(request, held_id, principal, 422, exc.errors)
    flash = "resolved_new" if command.decision is Decision.DIFFERENT_PERSON else "resolved_same"
    return redirect(f"/portal/learners/{learner.uln}", flash, learner.uln)
