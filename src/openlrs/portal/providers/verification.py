"""The service desk's verification queue: applications (and changed legal names) waiting, each
flagged when it may duplicate a provider already on the register; one application with the
possible duplicates side by side in words; approve, or reject with a reason."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from openlrs.domain.accounts.organisations import Principal
from openlrs.domain.desk.deadlines import Queue
from openlrs.domain.errors import FieldError, ProviderPossibleDuplicate, ValidationFailed
from openlrs.domain.providers.duplicates import DuplicateRule, PossibleDuplicate
from openlrs.domain.providers.provider import Provider, ProviderStatus
from openlrs.portal.deadlines import HEAD as DEADLINE_HEAD
from openlrs.portal.deadlines import deadline_cells
from openlrs.portal.forms import text
from openlrs.portal.providers.apply import KINDS, LEGAL
from openlrs.portal.rendering import redirect, render, render_form
from openlrs.portal.security import UserDep
from openlrs.services.providers.verify import (
    DESK,
    ApplicationView,
    Decide,
    decide_application,
    get_application,
    verification_queue,
)

router = APIRouter(prefix="/provider-applications")
BASE = "/portal/provider-applications"
RULES = {
    DuplicateRule.SAME_COMPANY_NUMBER: "has the same company number",
    DuplicateRule.SAME_CHARITY_NUMBER: "has the same charity number",
    DuplicateRule.SIMILAR_NAME_SAME_POSTCODE: "has a similar name at the same postcode",
    DuplicateRule.SIMILAR_NAME_SAME_DISTRICT: "has a similar name in the same postcode district",
}


def _day(provider: Provider) -> str:
    return provider.created_at.strftime("%-d %B %Y") if provider.created_at else ""


def _what(provider: Provider) -> str:
    return "New application" if provider.status is ProviderStatus.APPLIED else "Changed legal name"


@router.get("")
async def queue(request: Request, principal: UserDep) -> Response:
    principal.require(DESK)
    uow = request.app.state.uow_factory()
    waiting = await run_in_threadpool(
        verification_queue, after_id=None, limit=100, principal=principal, uow=uow
    )
    rows = []
    for view in waiting:
        p = view.provider
        flag = (
            '<strong class="govuk-tag govuk-tag--red">Possible duplicate</strong>'
            if view.duplicates
            else '<strong class="govuk-tag govuk-tag--grey">No duplicates found</strong>'
        )
        link = (
            f'<a class="govuk-link" href="{BASE}/{p.reference}">{_escape(p.details.legal_name)}</a>'
        )
        rows.append(
            [
                {"html": link},
                {"text": _what(p)},
                {"text": KINDS.get(p.details.provider_type, p.details.provider_type.value)},
                {"text": _day(p)},
                {"html": flag},
                *deadline_cells(request, Queue.PROVIDER_APPLICATIONS, p.created_at),
            ]
        )
    table = {
        "caption": "Waiting for a decision",
        "captionClasses": "govuk-visually-hidden",
        "firstCellIsHeader": True,
        "head": [
            {"text": "Organisation"},
            {"text": "What"},
            {"text": "Kind"},
            {"text": "Received"},
            {"text": "Checks"},
            *DEADLINE_HEAD,
        ],
        "rows": rows,
    }
    return render(
        request,
        "providers/verification_queue.html",
        title="Provider applications",
        table=table,
        count=len(rows),
        width="full",
        back="/portal/",
    )


def _escape(value: str) -> str:
    from markupsafe import escape

    return str(escape(value))


def provider_rows(provider: Provider) -> list[dict[str, Any]]:
    d = provider.details
    address = ", ".join(
        x for x in (d.address.line_1, d.address.line_2, d.address.town, d.address.postcode) if x
    )
    pairs = [
        ("Legal name", d.legal_name),
        ("Trading names", ", ".join(d.trading_names) or "None"),
        ("Kind of provider", KINDS.get(d.provider_type, d.provider_type.value)),
        ("Legal status", LEGAL.get(d.legal_status, d.legal_status.value)),
        ("Company number", d.company_number or "None"),
        ("Charity number", d.charity_number or "None"),
        ("Address", address),
        ("Website", d.website or "None"),
        (
            "Contact",
            f"{d.contact.name}, {d.contact.email}"
            + (f", {d.contact.phone}" if d.contact.phone else ""),
        ),
    ]
    return [{"key": {"text": k}, "value": {"text": v}} for k, v in pairs]


def _duplicates(found: list[PossibleDuplicate]) -> list[dict[str, Any]]:
    return [
        {
            "name": d.provider.details.legal_name,
            "town": d.provider.details.address.town,
            "postcode": d.provider.details.address.postcode,
            "reasons": [RULES.get(r.rule, r.rule.value) for r in d.reasons],
        }
        for d in found
    ]


async def _page(
    request: Request,
    reference: str,
    principal: Principal,
    errors: list[FieldError] | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    uow = request.app.state.uow_factory()
    view: ApplicationView = await run_in_threadpool(
        get_application, reference, principal=principal, uow=uow
    )
    return render_form(
        request,
        "providers/verification_application.html",
        errors,
        title=view.provider.details.legal_name,
        what=_what(view.provider),
        rows=provider_rows(view.provider),
        duplicates=_duplicates(view.duplicates),
        reference=view.provider.reference,
        values=values or {},
        back=BASE,
    )


@router.get("/{reference}")
async def application(request: Request, reference: str, principal: UserDep) -> Response:
    principal.require(DESK)
    return await _page(request, reference, principal)


@router.post("/{reference}")
async def decide(request: Request, reference: str, principal: UserDep) -> Response:
    principal.require(DESK)
    form = await request.form()
    values = {n: text(form, n) for n in ("decision", "reason", "not_duplicate")}
    errors = []
    if values["decision"] not in ("approve", "reject"):
        errors.append(FieldError("decision", "FIELD_REQUIRED", "Select approve or reject"))
    if values["decision"] == "reject" and not values["reason"]:
        errors.append(FieldError("reason", "FIELD_REQUIRED", "Say why the application is rejected"))
    if errors:
        return await _page(request, reference, principal, errors, values)
    command = Decide(
        reference,
        approve=values["decision"] == "approve",
        reason=values["reason"] or None,
        confirm_not_duplicate=values["not_duplicate"] == "yes",
    )
    uow = request.app.state.uow_factory()
    try:
        decided = await run_in_threadpool(decide_application, command, principal=principal, uow=uow)
    except ProviderPossibleDuplicate:
        message = (
            "Confirm you have checked the possible duplicates and this is a different organisation"
        )
        error = FieldError("not_duplicate", "POSSIBLE_DUPLICATE", message)
        return await _page(request, reference, principal, [error], values)
    except ValidationFailed as exc:
        return await _page(request, reference, principal, exc.errors, values)
    flash = "provider_approved" if command.approve else "provider_rejected"
    return redirect(BASE, flash, decided.details.legal_name)
