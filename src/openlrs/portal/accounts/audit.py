"""The audit trail for admins: their organisation's (the service desk: everyone's), newest first."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.errors import DomainError, FieldError, InvalidIdentifier
from openlrs.domain.identifiers import parse_uln
from openlrs.portal.accounts.audit_views import action_words
from openlrs.portal.rendering import render_form
from openlrs.portal.security import UserDep
from openlrs.services.accounts import manage as accounts
from openlrs.services.audit_trail import list_audit_events

router = APIRouter()


async def _organisation_names(
    request: Request, principal: Principal, ukprns: set[str]
) -> dict[str, str]:
    """The organisations on the page by name (one the reader may not see: by its number)."""
    names = {}
    for ukprn in ukprns:
        try:
            found = await run_in_threadpool(
                accounts.get_organisation,
                ukprn,
                principal=principal,
                uow=request.app.state.uow_factory(),
            )
        except DomainError:
            continue
        names[ukprn] = found.name
    return names


PAGE = 50


@router.get("/audit")
async def audit(
    request: Request, principal: UserDep, uln: str = "", before: int | None = None
) -> Response:
    errors: list[FieldError] = []
    wanted = None
    if uln.strip():
        try:
            wanted = parse_uln(uln.strip())
        except InvalidIdentifier as exc:
            errors.append(FieldError("uln", exc.code, "Enter a real ULN"))
    if before is not None and not 0 < before < 2**62:
        before = None
    events = await run_in_threadpool(
        list_audit_events,
        ukprn=None,
        uln=wanted,
        before_id=before,
        limit=PAGE + 1,
        principal=principal,
        uow=request.app.state.uow_factory(),
    )
    page, more = events[:PAGE], len(events) > PAGE
    names = await _organisation_names(request, principal, {e.ukprn for e in page if e.ukprn})
    pagination = {}
    if before is not None:
        pagination["previous"] = {"href": "/portal/audit" + (f"?uln={wanted}" if wanted else "")}
    if more and page[-1].id is not None:
        query = {"before": page[-1].id} | ({"uln": wanted} if wanted else {})
        pagination["next"] = {"href": f"/portal/audit?{urlencode(query)}"}
    return render_form(
        request,
        "accounts/audit.html",
        errors,
        title="Audit trail",
        events=page,
        names=names,
        action_words=action_words,
        uln=uln,
        pagination=pagination,
        width="full",
        back="/portal/",
    )
