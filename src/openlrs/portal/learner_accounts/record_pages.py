"""Learners' own record pages under /learner/: their learning record (and its PDF and CSV),
their details and the mistakes they reported, who has seen their record, their sharing choice,
and share codes. The ULN is always the session's (`LearnerDep`): no page takes one from the
browser, so a learner can only ever reach their own record."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.errors import (
    FieldError,
    ValidationFailed,
)
from openlrs.domain.learner_accounts.accounts import (
    SHARE_PERIODS,
    ShareCodeNotFound,
)
from openlrs.domain.plr.achievements import EventType, LearningEvent
from openlrs.domain.plr.errors import ChallengeOpen, LearningEventNotFound
from openlrs.domain.plr.event_challenges import Challenge
from openlrs.portal.forms import GENDERS, text
from openlrs.portal.learner_accounts.pages import STATUS_TEXT, _date, _errors, _when, go, page
from openlrs.portal.learner_accounts.security import LearnerDep
from openlrs.services.learner_accounts import own_record, sessions, share_codes

router = APIRouter(prefix="/learner")


# --- the record -----------------------------------------------------------------------------------


def _event_rows(events: tuple[LearningEvent, ...]) -> list[list[dict[str, Any]]]:
    rows = []
    for e in events:
        kind = "Achievement" if e.event_type is EventType.ACHIEVEMENT else "Learning"
        status = e.status.value.capitalize()
        if e.under_challenge:
            status_html = (
                f'{status} <strong class="govuk-tag govuk-tag--yellow">Under challenge</strong>'
            )
        else:
            status_html = status
        title = e.subject_title or e.subject
        rows.append(
            [
                {"text": _when(e)},
                {"text": kind},
                {"text": title},
                {"text": e.grade or ""},
                {"text": e.level or ""},
                {"html": status_html},
                {
                    "html": f'<a class="govuk-link" href="/learner/record/events/{e.id}/mistake">'
                    f'Report a mistake<span class="govuk-visually-hidden"> in {title}</span></a>'
                },
            ]
        )
    return rows


@router.get("/record")
async def record(request: Request, learner: LearnerDep) -> Response:
    uow = request.app.state.uow_factory
    found = await run_in_threadpool(own_record.own_record, learner, uow=uow())
    has_totp = await run_in_threadpool(sessions.second_factor_on, learner, uow=uow())
    return page(
        request,
        "learner_accounts/record.html",
        title="Your learning record",
        record=found,
        rows=_event_rows(found.events),
        has_totp=has_totp,
        width="full",
    )


@router.get("/record/report")
async def report(
    request: Request, learner: LearnerDep, fmt: Annotated[str, Query(alias="format")] = "pdf"
) -> Response:
    found = await run_in_threadpool(
        own_record.own_report, learner, fmt, uow=request.app.state.uow_factory()
    )
    return Response(
        found.content,
        media_type=found.media_type,
        headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
    )


async def _event_mistake_form(
    request: Request, learner: Any, event_id: str, status: int = 200, **context: Any
) -> Response:
    found = await run_in_threadpool(
        own_record.own_record, learner, uow=request.app.state.uow_factory()
    )
    event = next((e for e in found.events if e.id == event_id), None)
    if event is None:
        raise LearningEventNotFound()
    return page(request, "learner_accounts/mistake.html", status, title="Report a mistake",
                event=event, when=_when(event), action=f"/learner/record/events/{event.id}/mistake",
                back="/learner/record", reason=context.pop("reason", ""), **context)  # fmt: skip


@router.get("/record/events/{event_id}/mistake")
async def event_mistake_page(request: Request, event_id: str, learner: LearnerDep) -> Response:
    return await _event_mistake_form(request, learner, event_id)


@router.post("/record/events/{event_id}/mistake")
async def event_mistake(request: Request, event_id: str, learner: LearnerDep) -> Response:
    reason = text(await request.form(), "reason")
    try:
        await run_in_threadpool(
            own_record.report_event_mistake,
            learner,
            event_id,
            reason,
            uow=request.app.state.uow_factory(),
        )
    except ValidationFailed as exc:
        return await _event_mistake_form(request, learner, event_id, 422, reason=reason,
                                         **_errors(exc.errors))  # fmt: skip
    except ChallengeOpen:
        error = FieldError(
            "reason",
            "CHALLENGE_ALREADY_OPEN",
            "You have already reported a mistake in this: it is being looked at",
        )
        return await _event_mistake_form(request, learner, event_id, 422, reason=reason,
                                         **_errors([error]))  # fmt: skip
    return go("/learner/details", "learner_mistake")


# --- details, mistakes -----------------------------------------------------------------------


def _challenge_rows(found: list[Challenge]) -> list[dict[str, Any]]:
    rows = []
    for c in found:
        label, tag = STATUS_TEXT[c.status]
        about = "A learning event" if c.event_id else "Your details or ULN"
        who = "The awarding organisation" if c.event_id else "The service desk"
        rows.append(
            {
                "about": about,
                "who": who,
                "raised": _date(c.created_at),
                "reason": c.reason,
                "status": label,
                "tag": tag,
                "response": c.response,
                "decided": _date(c.decided_at),
                "mine": c.raised_by.startswith("learner:"),
            }
        )
    return rows


@router.get("/details")
async def details(request: Request, learner: LearnerDep) -> Response:
    uow = request.app.state.uow_factory
    found = await run_in_threadpool(own_record.own_details, learner, uow=uow())
    raised = await run_in_threadpool(own_record.own_challenges, learner, uow=uow())
    d = found.details
    rows = [
        ("ULN", found.uln),
        ("Given name", d.given_name),
        ("Middle names", d.middle_names or "Not given"),
        ("Family name", d.family_name),
        ("Previous family name", d.previous_family_name or "Not given"),
        ("Date of birth", _date(d.date_of_birth)),
        ("Gender", GENDERS.get(str(d.gender), "Not known")),
        ("Postcode", d.postcode),
        ("Email address", d.email or "Not given"),
    ]
    return page(
        request,
        "learner_accounts/details.html",
        title="Your details",
        rows=[{"key": {"text": k}, "value": {"text": v}} for k, v in rows],
        challenges=_challenge_rows(raised),
    )


@router.get("/details/mistake")
async def details_mistake_page(request: Request, learner: LearnerDep) -> Response:
    return page(request, "learner_accounts/mistake.html", title="Report a mistake in your details",
                event=None, action="/learner/details/mistake", back="/learner/details", reason="")  # fmt: skip


@router.post("/details/mistake")
async def details_mistake(request: Request, learner: LearnerDep) -> Response:
    reason = text(await request.form(), "reason")
    try:
        await run_in_threadpool(
            own_record.report_details_mistake, learner, reason, uow=request.app.state.uow_factory()
        )
    except ValidationFailed as exc:
        return page(request, "learner_accounts/mistake.html", 422,
                    title="Report a mistake in your details", event=None,
                    action="/learner/details/mistake", back="/learner/details", reason=reason,
                    **_errors(exc.errors))  # fmt: skip
    return go("/learner/details", "learner_mistake")


# --- who has seen, sharing -------------------------------------------------------------------


@router.get("/seen")
async def seen(request: Request, learner: LearnerDep) -> Response:
    found = await run_in_threadpool(
        own_record.who_has_seen, learner, uow=request.app.state.uow_factory()
    )
    rows = [
        [
            {"text": f"{s.when:%-d %B %Y %H:%M}"},
            {"text": s.who},
            {"text": s.ukprn or ""},
            {"text": s.what},
        ]
        for s in found
    ]
    return page(request, "learner_accounts/seen.html", title="Who has seen your record",
                rows=rows, width="full")  # fmt: skip


@router.get("/sharing")
async def sharing_page(request: Request, learner: LearnerDep) -> Response:
    found = await run_in_threadpool(
        own_record.own_record, learner, uow=request.app.state.uow_factory()
    )
    return page(request, "learner_accounts/sharing.html", title="Sharing your learning record",
                shares=found.shares)  # fmt: skip


@router.post("/sharing")
async def sharing(request: Request, learner: LearnerDep) -> Response:
    choice = text(await request.form(), "sharing")
    if choice not in ("share", "opt_out"):
        error = FieldError(
            "sharing", "FIELD_REQUIRED", "Choose whether organisations can see your record"
        )
        found = await run_in_threadpool(
            own_record.own_record, learner, uow=request.app.state.uow_factory()
        )
        return page(request, "learner_accounts/sharing.html", 422,
                    title="Sharing your learning record", shares=found.shares, **_errors([error]))  # fmt: skip
    state = request.app.state
    await run_in_threadpool(
        own_record.set_own_sharing,
        learner,
        choice == "share",
        uow=state.uow_factory(),
        policy=state.policy,
    )
    return go(
        "/learner/sharing", "learner_sharing_on" if choice == "share" else "learner_sharing_off"
    )


# --- share codes ---------------------------------------------------------------------------------


async def _share_page(
    request: Request, learner: Any, status: int = 200, **context: Any
) -> Response:
    uow = request.app.state.uow_factory
    found = await run_in_threadpool(own_record.own_record, learner, uow=uow())
    codes = await run_in_threadpool(share_codes.share_codes, learner, uow=uow())
    now = dt.datetime.now(dt.UTC)
    achievements = [e for e in found.events if e.event_type is EventType.ACHIEVEMENT]
    listed = [
        {
            "id": c.id,
            "label": c.label,
            "what": "Your whole record"
            if c.event_ids is None
            else f"{len(c.event_ids)} achievement(s)",
            "until": _date(c.expires_at),
            "state": "Revoked" if c.revoked_at else ("Expired" if not c.live(now) else "Working"),
            "live": c.live(now),
        }
        for c in codes
    ]
    values = context.pop("values", {"scope": "whole", "days": "30", "label": "", "events": []})
    return page(request, "learner_accounts/share.html", status, title="Share your record with someone",
                codes=listed, achievements=achievements, periods=SHARE_PERIODS, values=values,
                when=_when, **context)  # fmt: skip


@router.get("/share")
async def share_page(request: Request, learner: LearnerDep) -> Response:
    return await _share_page(request, learner)


@router.post("/share")
async def share(request: Request, learner: LearnerDep) -> Response:
    form = await request.form()
    scope, days, label = text(form, "scope"), text(form, "days"), text(form, "label")
    chosen = tuple(v for v in form.getlist("events") if isinstance(v, str))
    values = {"scope": scope, "days": days, "label": label, "events": list(chosen)}
    event_ids = None if scope != "chosen" else chosen
    command = share_codes.NewShareCode(label, int(days) if days.isdigit() else 0, event_ids)
    try:
        created = await run_in_threadpool(
            share_codes.create_share_code, command, learner, uow=request.app.state.uow_factory()
        )
    except ValidationFailed as exc:
        return await _share_page(request, learner, 422, values=values, **_errors(exc.errors))
    # The code is shown this once (it is not kept): this page answers the POST itself.
    return page(request, "learner_accounts/share_created.html", title="Your share code",
                code=created.code, label=created.share.label,
                until=_date(created.share.expires_at), back="/learner/share")  # fmt: skip


@router.post("/share/{share_id}/revoke")
async def revoke(request: Request, share_id: str, learner: LearnerDep) -> Response:
    try:
        await run_in_threadpool(
            share_codes.revoke_share_code, share_id, learner, uow=request.app.state.uow_factory()
        )
    except ShareCodeNotFound:
        return page(request, "learner_accounts/message.html", 404, title="Page not found", body="")
    return go("/learner/share", "learner_revoked")
