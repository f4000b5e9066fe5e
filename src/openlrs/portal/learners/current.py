"""Your learners: those your organisation registered or has on roll, a page at a time, with
those also on roll elsewhere (dual registered) marked."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.portal.rendering import render
from openlrs.portal.security import UserDep
from openlrs.services.learners.current import list_current_learners

router = APIRouter(prefix="/learners")
PAGE = 25
_ULN = re.compile(r"[0-9]{10}")


@router.get("/current")
async def current_learners(
    request: Request, principal: UserDep, after: str | None = None
) -> Response:
    cursor = after if after and _ULN.fullmatch(after) else None
    page = await run_in_threadpool(
        list_current_learners,
        principal.ukprn,
        principal=principal,
        uow=request.app.state.uow_factory(),
        after=cursor,
        limit=PAGE,
    )
    pagination = {}
    if cursor:
        pagination["previous"] = {"href": "/portal/learners/current", "text": "First page"}
    if page.next_after:
        href = f"/portal/learners/current?after={page.next_after}"
        pagination["next"] = {"href": href, "text": "Next page"}
    return render(
        request,
        "learners/current.html",
        title="Your learners",
        learners=page.learners,
        pagination=pagination,
        width="full",
        back="/portal/",
    )
