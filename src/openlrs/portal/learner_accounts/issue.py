"""Organisations' page: give a learner an activation code (shown once) and print it as a letter.

Only the desk or an organisation that registered the learner or has them on roll may (the use
case checks). The code is never stored in clear: the letter is made from the code the same page
just showed, sent back in the form (a hidden field, never a URL)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.errors import InvalidIdentifier, LearnerNotFound, NotAuthorised
from openlrs.domain.identifiers import parse_uln
from openlrs.domain.learner_accounts.accounts import NoRelationship, normalised, shown
from openlrs.portal.forms import text
from openlrs.portal.learners.known import recalled
from openlrs.portal.rendering import render
from openlrs.portal.security import UserDep
from openlrs.reports.activation_letter import activation_letter
from openlrs.services.learner_accounts.activation import issue_activation_code
from openlrs.services.learners.find import find_by_uln

router = APIRouter(prefix="/learners")


def _refused(request: Request, exc: Exception) -> Response:
    if isinstance(exc, InvalidIdentifier | LearnerNotFound):
        return render(request, "error.html", 404, title="No learner has that ULN",
                      body="Check the ULN and try again.")  # fmt: skip
    body = ("Only the organisation that registered the learner, one that has them on roll, or the "
            "service desk can give them an activation code.")  # fmt: skip
    return render(
        request, "error.html", 403, title="You cannot give this learner a code", body=body
    )


@router.get("/{uln}/activation-code")
async def issue_page(request: Request, uln: str, principal: UserDep) -> Response:
    try:
        uln = parse_uln(uln)
    except InvalidIdentifier as exc:
        return _refused(request, exc)
    return render(request, "learner_accounts/issue.html", title="Give the learner an activation code",
                  uln=uln, days=request.app.state.settings.learner_activation_days,
                  back=f"/portal/learners/{uln}")  # fmt: skip


@router.post("/{uln}/activation-code")
async def issue(request: Request, uln: str, principal: UserDep) -> Response:
    state = request.app.state
    try:
        issued = await run_in_threadpool(
            issue_activation_code,
            uln,
            principal=principal,
            uow=state.uow_factory(),
            valid_days=state.settings.learner_activation_days,
        )
    except (InvalidIdentifier, LearnerNotFound, NoRelationship, NotAuthorised) as exc:
        return _refused(request, exc)
    # Shown this once (only its hash is kept): this page answers the POST itself.
    return render(request, "learner_accounts/issued.html", title="Activation code",
                  uln=issued.uln, code=issued.code, expires=issued.expires_at.isoformat(),
                  until=f"{issued.expires_at:%-d %B %Y}", back=f"/portal/learners/{issued.uln}")  # fmt: skip


@router.post("/{uln}/activation-letter")
async def letter(request: Request, uln: str, principal: UserDep) -> Response:
    """The letter for the code just issued (sent back from the page that showed it)."""
    form = await request.form()
    code, expires = normalised(text(form, "code")), text(form, "expires")
    try:
        uln = parse_uln(uln)
        expires_at = dt.datetime.fromisoformat(expires)
        knowledge = recalled(request, uln)
        found = await run_in_threadpool(
            find_by_uln, uln, principal=principal, uow=request.app.state.uow_factory(),
            knowledge=knowledge,
        )  # fmt: skip
    except (InvalidIdentifier, LearnerNotFound, ValueError) as exc:
        return _refused(request, exc if isinstance(exc, LearnerNotFound) else LearnerNotFound())
    d = found.learners[0].details
    base = str(request.base_url).replace("/portal/", "/")
    content = await run_in_threadpool(
        activation_letter,
        name=f"{d.given_name} {d.family_name}",
        uln=found.learners[0].uln,
        code=shown(code),
        expires_at=expires_at,
        service_url=base,
    )
    disposition = f'attachment; filename="activation-letter-{uln}.pdf"'
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": disposition})  # fmt: skip
