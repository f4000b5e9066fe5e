"""What a learning-event challenge is about, for the awarding organisation deciding it: the
event in words (qualification title, grade, date, the learner's ULN) and its current values,
to prefill the correction. Read through `read_plr`, so the read is audited like any other."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.errors import DomainError
from openlrs.domain.plr.event_challenges import Challenge
from openlrs.portal.plr.views import event_summary
from openlrs.services.plr.read import ReadPlr, read_plr


async def challenged_event(
    request: Request, challenge: Challenge, principal: Principal
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Summary rows for the event and its current values as form values ([] and {} when the
    challenge is not about an event, or the record cannot be read by this user)."""
    if not challenge.event_id:
        return [], {}
    try:
        plr = await run_in_threadpool(
            read_plr,
            ReadPlr(challenge.uln),
            principal=principal,
            uow=request.app.state.uow_factory(),
        )
    except DomainError:
        return [], {}
    event = next((e for e in plr.events if e.id == challenge.event_id), None)
    if event is None:
        return [], {}
    rows = [
        {"key": {"text": "Learner"}, "value": {"text": f"ULN {plr.uln}"}},
        *event_summary(event, request.app.state.organisation_names),
    ]
    values = {"grade": event.grade or "", "credits": str(event.credits or "")}
    if event.award_date:
        values |= {
            "award_date-day": str(event.award_date.day),
            "award_date-month": str(event.award_date.month),
            "award_date-year": str(event.award_date.year),
        }
    return rows, values
