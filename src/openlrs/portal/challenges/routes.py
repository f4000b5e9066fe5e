"""Data challenges in the portal: each organisation's list, and the decision on each one.

An awarding organisation sees the learning-event challenges routed to it and accepts them
(correcting or withdrawing the event) or rejects them with a response; the service desk sees
every challenge and resolves ULN challenges by merging, undoing a merge or splitting a shared
ULN; a registration body sees the challenges it raised and what was decided. The same use cases
as the API decide (`services.event_challenges`, `services.uln_challenges`); only ULNs and ids
travel in URLs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from markupsafe import escape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Principal, Role
from openlrs.domain.desk.deadlines import Queue
from openlrs.domain.errors import DomainError, FieldError, NotAuthorised, ValidationFailed
from openlrs.domain.plr.achievements import AchievementDetails, LearningEvent
from openlrs.domain.plr.errors import ChallengeClosed
from openlrs.domain.plr.event_challenges import (
    ULN_KINDS,
    ULN_RESOLUTIONS,
    Challenge,
    ChallengeKind,
    ChallengeStatus,
    Resolution,
    checked_text,
)
from openlrs.portal.challenges.event_summary import challenged_event
from openlrs.portal.deadlines import HEAD as DEADLINE_HEAD
from openlrs.portal.deadlines import deadline_cells
from openlrs.portal.forms import ANCHORS as LEARNER_ANCHORS
from openlrs.portal.forms import date_from, date_values, details_from, form_values, text
from openlrs.portal.rendering import redirect, render, render_form
from openlrs.portal.security import UserDep
from openlrs.services.plr import event_challenges
from openlrs.services.plr.read import ReadPlr, read_plr
from openlrs.services.uln import challenges as uln_challenges

router = APIRouter(prefix="/challenges")

KINDS = {
    ChallengeKind.LEARNING_EVENT: "A learning event is wrong",
    ChallengeKind.ULN_DUPLICATE: "ULN created in error (a duplicate)",
    ChallengeKind.ULN_WRONGLY_MERGED: "Two different learners were merged",
    ChallengeKind.ULN_SHARED: "Two learners share this ULN",
    ChallengeKind.ULN_OTHER: "Another problem with the ULN",
}
STATUSES = {"open": "Open", "accepted": "Accepted", "rejected": "Rejected", "all": "All"}
REJECT = "reject"
CHOICES: dict[str, str] = {
    Resolution.CORRECTED: "Accept: correct the event",
    Resolution.WITHDRAWN: "Accept: withdraw the event",
    Resolution.MERGED: "Accept: merge the two ULNs",
    Resolution.UNMERGED: "Accept: undo the merge",
    Resolution.SPLIT: "Accept: give the second learner a new ULN",
    REJECT: "Reject: tell them why it stands",
}
ANCHORS = LEARNER_ANCHORS | {
    "award_date": "award_date-day",
    "master_uln": "master_uln",
    "event_ids": "event_ids",
    "learner": "given_name",
    "correction": "award_date-day",
}
DECISION_FIELDS = ("decision", "response", "grade", "credits", "master_uln")


def _url(challenge_id: str) -> str:
    return f"/portal/challenges/{challenge_id}"


def choices_for(challenge: Challenge, principal: Principal) -> list[str]:
    """What this user may decide on this challenge ([] when it is not theirs to decide)."""
    if challenge.status is not ChallengeStatus.OPEN:
        return []
    if challenge.kind in ULN_KINDS:
        if Role.ADMIN not in principal.roles:
            return []
        allowed = ULN_RESOLUTIONS[challenge.kind]
        ordered = (Resolution.MERGED, Resolution.UNMERGED, Resolution.SPLIT)
        return [r.value for r in ordered if r in allowed] + [REJECT]
    if Role.AO not in principal.roles or challenge.owner_ukprn != principal.ukprn:
        return []
    return [Resolution.CORRECTED.value, Resolution.WITHDRAWN.value, REJECT]


def support_text(challenge: Challenge) -> str:
    """The challenge's references, for a details component: what the service desk asks for."""
    text = f"Challenge reference {challenge.id}"
    if challenge.event_id:
        text += f"; learning event reference {challenge.event_id}"
    return text


def summary_rows(challenge: Challenge, names: Callable[[str | None], str]) -> list[dict[str, Any]]:
    """The challenge as summary-list rows: ULNs, organisations by name and what they wrote."""
    pairs: list[tuple[str, str]] = [
        ("Problem", KINDS[challenge.kind]),
        ("ULN", challenge.uln),
    ]
    if challenge.related_uln:
        pairs.append(("Other ULN", challenge.related_uln))
    pairs += [
        ("Raised by", names(challenge.raised_by_ukprn)),
        ("Raised on", _when(challenge.created_at)),
        (
            "Decided by",
            "The service desk" if challenge.owner_ukprn is None else names(challenge.owner_ukprn),
        ),
        ("What is wrong", challenge.reason),
        ("Status", STATUSES[challenge.status.value]),
    ]
    if challenge.status is not ChallengeStatus.OPEN:
        if challenge.resolution is not None:
            pairs.append(("Resolution", CHOICES[challenge.resolution].removeprefix("Accept: ")))
        pairs += [
            ("Response", challenge.response or ""),
            ("Decided on", _when(challenge.decided_at)),
        ]
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in pairs]


def _when(value: Any) -> str:
    return value.strftime("%-d %B %Y %H:%M") if value else ""


@router.get("")
async def inbox(
    request: Request,
    principal: UserDep,
    status: Annotated[str, Query(pattern="^(open|accepted|rejected|all)$")] = "open",
) -> Response:
    wanted = None if status == "all" else ChallengeStatus(status)
    found = await run_in_threadpool(
        event_challenges.list_challenge_summaries,
        principal=principal,
        uow=request.app.state.uow_factory(),
        status=wanted,
        limit=200,
    )
    names = request.app.state.organisation_names
    rows = [
        [
            {
                "html": f'<a class="govuk-link" href="{escape(_url(s.challenge.id))}">'
                f"{escape(_about(s.challenge, s.event))}</a>"
            },
            {"text": _result(s.event)},
            {"text": f"ULN {s.challenge.uln}"},
            {"text": names(s.challenge.raised_by_ukprn)},
            {"text": _when(s.challenge.created_at)},
            {"text": STATUSES[s.challenge.status.value]},
            *deadline_cells(
                request,
                Queue.ULN_CHALLENGES
                if s.challenge.kind in ULN_KINDS
                else Queue.LEARNING_EVENT_CHALLENGES,
                s.challenge.created_at,
                still_open=s.challenge.status is ChallengeStatus.OPEN,
            ),
        ]
        for s in found
    ]
    return render(
        request,
        "challenges/challenges.html",
        title="Data challenges",
        rows=rows,
        deadline_head=DEADLINE_HEAD,
        current=status,
        statuses=STATUSES,
        width="full",
        back="/portal/",
    )


def _about(challenge: Challenge, event: LearningEvent | None) -> str:
    """What the challenge is about: the event's qualification or unit title, or the problem."""
    if event is None:
        return KINDS[challenge.kind]
    return event.subject_title or event.subject


def _result(event: LearningEvent | None) -> str:
    """The event's grade and date as held now ("" for a ULN challenge)."""
    if event is None:
        return ""
    when = event.award_date or event.start_date
    parts = [f"Grade {event.grade}" if event.grade else "No grade"]
    if when:
        parts.append(when.strftime("%-d %B %Y"))
    return ", ".join(parts)


async def _events(request: Request, challenge: Challenge, principal: Principal) -> Any:
    """The ULN's learning events, for the desk to choose what moves in a split (an audited
    read of the record); None when the record cannot be read."""
    if Resolution.SPLIT.value not in choices_for(challenge, principal):
        return ()
    try:
        plr = await run_in_threadpool(
            read_plr,
            ReadPlr(challenge.uln),
            principal=principal,
            uow=request.app.state.uow_factory(),
        )
    except DomainError:
        return None
    return plr.events


def _event_items(
    events: tuple[LearningEvent, ...], chosen: list[str], names: Callable[[str | None], str]
) -> list[dict[str, Any]]:
    return [
        {
            "value": e.id,
            "text": f"{e.subject_title or e.subject} (from {names(e.ukprn)})",
            "checked": e.id in chosen,
        }
        for e in events
    ]


async def _page(
    request: Request,
    challenge_id: str,
    principal: Principal,
    values: dict[str, Any] | None = None,
    errors: list[FieldError] | None = None,
) -> Response:
    challenge = await run_in_threadpool(
        event_challenges.get_challenge,
        challenge_id,
        principal=principal,
        uow=request.app.state.uow_factory(),
    )
    choices = choices_for(challenge, principal)
    event_rows, current = await challenged_event(request, challenge, principal)
    values = values or {"master_uln": challenge.related_uln or "", "event_ids": []} | current
    events = await _events(request, challenge, principal)
    return render_form(
        request,
        "challenges/challenge.html",
        errors,
        title=f"Data challenge {challenge.id[:8]}",
        challenge=challenge,
        rows=summary_rows(challenge, request.app.state.organisation_names),
        support=support_text(challenge),
        event_rows=event_rows,
        choices=[
            {"value": c, "text": CHOICES[c], "checked": values.get("decision") == c}
            for c in choices
        ],
        event_items=(
            _event_items(events, values.get("event_ids", []), request.app.state.organisation_names)
            if events
            else []
        ),
        events_unreadable=events is None,
        values=values,
        action=f"{_url(challenge.id)}/decision",
        anchors=ANCHORS,
        back="/portal/challenges",
    )


@router.get("/{challenge_id}")
async def view(request: Request, challenge_id: str, principal: UserDep) -> Response:
    return await _page(request, challenge_id, principal)


@router.post("/{challenge_id}/decision")
async def decide(request: Request, challenge_id: str, principal: UserDep) -> Response:
    form = await request.form()
    values: dict[str, Any] = {name: text(form, name) for name in DECISION_FIELDS}
    values |= form_values(form) | date_values(form, "award_date")
    values["event_ids"] = [v for v in form.getlist("event_ids") if isinstance(v, str)]
    uow_factory = request.app.state.uow_factory
    challenge = await run_in_threadpool(
        event_challenges.get_challenge, challenge_id, principal=principal, uow=uow_factory()
    )
    choices = choices_for(challenge, principal)
    if challenge.status is not ChallengeStatus.OPEN:
        raise ChallengeClosed()  # the error page: the challenge page shows the decision made
    if not choices:
        raise NotAuthorised("This challenge is for another organisation to decide")
    choice = values["decision"]
    if choice not in choices:  # with the response's problem too: every error at once
        errors = [FieldError("decision", "FIELD_REQUIRED", "Select your decision")]
        try:
            checked_text("response", values["response"])
        except ValidationFailed as exc:
            errors += exc.errors
        return await _page(request, challenge_id, principal, values, errors)
    resolution = None if choice == REJECT else Resolution(choice)
    try:
        if challenge.kind in ULN_KINDS:
            command = _uln_resolution(challenge, resolution, values, form)
            await run_in_threadpool(
                uln_challenges.resolve_uln_challenge,
                command,
                principal=principal,
                uow=uow_factory(),
                policy=request.app.state.policy,
            )
        else:
            decision = _event_decision(challenge, resolution, values, form)
            await run_in_threadpool(
                event_challenges.decide_challenge,
                decision,
                principal=principal,
                uow=uow_factory(),
                policy=request.app.state.policy,
            )
    except ValidationFailed as exc:
        return await _page(request, challenge_id, principal, values, exc.errors)
    except DomainError as exc:  # e.g. the ULN was merged meanwhile: say so beside the choice
        error = FieldError("decision", exc.code, exc.detail)
        return await _page(request, challenge_id, principal, values, [error])
    return redirect(_url(challenge.id), "challenge_decided", challenge.id[:8])


def _event_decision(
    challenge: Challenge, resolution: Resolution | None, values: dict[str, Any], form: FormData
) -> event_challenges.Decision:
    """The AO's decision: `resolution` None rejects; a correction needs its award date."""
    correction = None
    if resolution is Resolution.CORRECTED:
        award_date = date_from(form, "award_date")
        if award_date is None:
            message = "Enter the award date the event should have"
            raise ValidationFailed([FieldError("award_date", "FIELD_REQUIRED", message)])
        credits = values["credits"]
        if credits and not credits.isdigit():
            message = "Credits must be a whole number, like 12"
            raise ValidationFailed([FieldError("credits", "FIELD_INVALID", message)])
        correction = AchievementDetails(
            "", award_date, values["grade"] or None, int(credits) if credits else None
        )
    accept = resolution is not None
    return event_challenges.Decision(
        challenge.id, accept, values["response"], resolution, correction
    )


def _uln_resolution(
    challenge: Challenge, resolution: Resolution | None, values: dict[str, Any], form: FormData
) -> uln_challenges.UlnResolution:
    """The desk's resolution: `resolution` None rejects; a split needs the second person."""
    splitting = resolution is Resolution.SPLIT
    return uln_challenges.UlnResolution(
        challenge.id,
        resolution is not None,
        values["response"],
        resolution,
        master_uln=values["master_uln"] or None,
        event_ids=tuple(values["event_ids"]) if splitting else (),
        details=details_from(form, optional=False) if splitting else None,
    )
