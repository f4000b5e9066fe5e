"""An awarding organisation's pages: what it can do with achievements, and its own list of
qualifications and units (searchable by number, reference or title)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.plr.qualifications import Qualification
from openlrs.domain.plr.roles import AWARDING_ROLES
from openlrs.portal.rendering import render
from openlrs.portal.security import UserDep
from openlrs.services.plr.qualification_register import awardable

router = APIRouter()
LEVELS = {"E1": "Entry level 1", "E2": "Entry level 2", "E3": "Entry level 3"}


@router.get("/achievements")
async def hub(request: Request, principal: UserDep) -> Response:
    principal.require(AWARDING_ROLES)
    return render(request, "plr/achievements.html", title="Achievements", back="/portal/")


@router.get("/qualifications")
async def qualifications(
    request: Request, principal: UserDep, q: Annotated[str, Query(max_length=100)] = ""
) -> Response:
    principal.require(AWARDING_ROLES)
    uow = request.app.state.uow_factory()
    entries = await run_in_threadpool(awardable, q, principal=principal, uow=uow)
    rows = []
    for entry in entries:
        is_qualification = isinstance(entry, Qualification)
        number = entry.number if isinstance(entry, Qualification) else entry.reference
        level = LEVELS.get(entry.level, f"Level {entry.level}")
        rows.append(
            [
                {"text": entry.title},
                {"text": number},
                {"text": "Qualification" if is_qualification else "Unit"},
                {"text": level},
            ]
        )
    table = {
        "caption": "Qualifications and units your organisation may award",
        "captionClasses": "govuk-visually-hidden",
        "firstCellIsHeader": True,
        "head": [{"text": "Title"}, {"text": "Number"}, {"text": "Kind"}, {"text": "Level"}],
        "rows": rows,
    }
    return render(
        request,
        "plr/qualifications.html",
        title="Your qualifications and units",
        query=q,
        table=table,
        count=len(rows),
        back="/portal/achievements",
    )
