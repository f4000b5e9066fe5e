"""A learner's Personal Learning Record in the portal: the events, the report downloads, and a
data challenge on one event. Reads go through `read_plr` (audited, opt-out and roles as in the
API); only the ULN, event ids and challenge ids appear in paths."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.errors import (
    FieldError,
    InvalidIdentifier,
    LearnerNotFound,
    LearnerNotVerified,
    NotAuthorised,
    ValidationFailed,
)
from openlrs.domain.plr.errors import (
    ChallengeNotFound,
    ChallengeOpen,
    LearnerOptedOut,
    LearningEventNotFound,
)
from openlrs.portal.forms import text
from openlrs.portal.learners.known import confirm_page, recalled
from openlrs.portal.plr.reading import knowledge_for, read_record
from openlrs.portal.plr.views import event_summary, event_table, may_challenge
from openlrs.portal.rendering import redirect, render, render_form
from openlrs.portal.security import UserDep
from openlrs.services.plr import event_challenges
from openlrs.services.plr.event_challenges import RaiseChallenge
from openlrs.services.plr.report import plr_report

router = APIRouter(prefix="/learners")
REFUSALS = {
    LearnerOptedOut: "Only the service desk can see the learning record of a learner who has "
    "chosen not to share it.",
    NotAuthorised: "Your organisation's role does not allow this.",
}


def _record_url(uln: str) -> str:
    return f"/portal/learners/{uln}/learning-record"


def _refused(request: Request, exc: Exception) -> Response:
    """The API's refusal, as a GOV.UK page: its title, what it means, and its code; for a learner
    the organisation has not shown it knows, the form asking for their names."""
    if isinstance(exc, LearnerNotVerified):
        uln = request.path_params["uln"]
        return confirm_page(request, uln, "record", wrong=recalled(request, uln) is not None)
    if isinstance(exc, LearnerOptedOut | NotAuthorised):
        code = exc.lrs_code or exc.code
        body = f"{REFUSALS[type(exc)]} (Error code: {code}.)"
        return render(request, "error.html", 403, title=exc.title, body=body)
    return render(
        request,
        "error.html",
        404,
        title="No learner has that ULN",
        body="Check the ULN and try again.",
    )


REFUSED = (LearnerOptedOut, NotAuthorised, InvalidIdentifier, LearnerNotFound, LearnerNotVerified)


@router.get("/{uln}/learning-record")
async def learning_record(request: Request, uln: str, principal: UserDep) -> Response:
    try:
        plr = await read_record(request, uln, principal)
    except REFUSED as exc:
        return _refused(request, exc)
    return render(
        request,
        "plr/learning_record.html",
        title=f"Learning record for ULN {plr.uln}",
        uln=plr.uln,
        learner=plr.learner,
        linked=plr.linked,
        events=plr.events,
        table=event_table(plr.uln, plr.events, principal, request.app.state.organisation_names),
        report_url=f"{_record_url(plr.uln)}/report",
        width="full",
        back=f"/portal/learners/{plr.uln}",
    )


@router.get("/{uln}/learning-record/report")
async def report(
    request: Request,
    uln: str,
    principal: UserDep,
    fmt: Annotated[str, Query(alias="format")] = "pdf",
) -> Response:
    """The PDF or CSV report, made and audited by the same service as the API's."""
    uow = request.app.state.uow_factory()
    try:
        knowledge = knowledge_for(request, uln, principal)
        found = await run_in_threadpool(
            plr_report, uln, fmt, principal=principal, uow=uow, knowledge=knowledge
        )
    except REFUSED as exc:
        return _refused(request, exc)
    disposition = f'attachment; filename="{found.filename}"'
    return Response(
        found.content, media_type=found.media_type, headers={"Content-Disposition": disposition}
    )


async def _challenge_form(
    request: Request,
    uln: str,
    event_id: str,
    principal: Principal,
    reason: str = "",
    errors: list[FieldError] | None = None,
) -> Response:
    try:
        if not may_challenge(principal):
            raise NotAuthorised()
        plr = await read_record(request, uln, principal)
    except REFUSED as exc:
        return _refused(request, exc)
    event = next((e for e in plr.events if e.id == event_id), None)
    if event is None:
        raise LearningEventNotFound()
    return render_form(
        request,
        "plr/event_challenge.html",
        errors,
        title="Report a problem with a learning event",
        uln=plr.uln,
        event=event,
        summary=event_summary(event, request.app.state.organisation_names),
        reason=reason,
        action=f"{_record_url(plr.uln)}/events/{event.id}/challenge",
        back=_record_url(plr.uln),
    )


@router.get("/{uln}/learning-record/events/{event_id}/challenge")
async def challenge_page(request: Request, uln: str, event_id: str, principal: UserDep) -> Response:
    return await _challenge_form(request, uln, event_id, principal)


@router.post("/{uln}/learning-record/events/{event_id}/challenge")
async def raise_challenge(
    request: Request, uln: str, event_id: str, principal: UserDep
) -> Response:
    reason = text(await request.form(), "reason")
    command = RaiseChallenge(uln, event_id, reason)
    uow = request.app.state.uow_factory()
    try:
        challenge = await run_in_threadpool(
            event_challenges.raise_challenge, command, principal=principal, uow=uow
        )
    except REFUSED as exc:
        return _refused(request, exc)
    except ValidationFailed as exc:
        return await _challenge_form(request, uln, event_id, principal, reason, exc.errors)
    except ChallengeOpen as exc:
        error = FieldError("reason", exc.code, "This event is already under challenge")
        return await _challenge_form(request, uln, event_id, principal, reason, [error])
    return redirect(f"{_record_url(challenge.uln)}/challenges/{challenge.id}")


@router.get("/{uln}/learning-record/challenges/{challenge_id}")
async def challenge_raised(
    request: Request, uln: str, challenge_id: str, principal: UserDep
) -> Response:
    uow = request.app.state.uow_factory()
    challenge = await run_in_threadpool(
        event_challenges.get_challenge, challenge_id, principal=principal, uow=uow
    )
    if challenge.uln != uln or challenge.event_id is None:
        raise ChallengeNotFound()
    return render(
        request,
        "plr/event_challenge_raised.html",
        title="Problem reported",
        challenge=challenge,
        back=_record_url(uln),
    )
